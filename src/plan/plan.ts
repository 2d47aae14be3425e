import { basename } from 'node:path';
import { checkLoaded } from '../check.js';
import { UsageError } from '../errors.js';
import { inspectModel } from '../inspect/inspect.js';
import type { ModelIR } from '../onnx/ir.js';
import { loadModelWithBytes } from '../onnx/load.js';
import { emulates, policyKey, resolvePolicy } from '../profiles/precision-policy.js';
import type { NodeAt, Thresholds } from '../precision/types.js';
import { resolveTargets } from '../profiles/load.js';
import type { EffortDaysOverride, Profile } from '../profiles/schema.js';
import { formatJson } from '../report/json.js';
import { logSafe } from '../report/log-safe.js';
import type { Report } from '../report/types.js';
import { RULES } from '../rules.js';
import { atcScript } from './atc-command.js';
import { atcShapes, type AtcShapes } from './atc-shapes.js';
import { openEmulationProbe } from './emulation-probe.js';
import type { KeepProbe } from './keep-probe.js';
import { keepDtypeFile, type KeepDtypeFile } from './keep-dtype-file.js';
import { searchKeepSet, tryKeepSet, type KeepSearchResult } from './keep-search.js';
import { portingMarkdown } from './porting-md.js';

export interface PlanOptions {
  /** Target ids; each Ascend target gets an ATC command. */
  targets: string[];
  profileFiles?: string[];
  /** How the model path appears in the report and the kit (default: the path as given). */
  displayPath?: string;
  /** Values of symbolic dims; a dim given several values becomes ATC gears (--dynamic_dims). */
  dims?: ReadonlyMap<string, readonly number[]>;
  shapes?: Record<string, number[]>;
  inputs?: Record<string, string>;
  inputValues?: Record<string, number>;
  seed?: number;
  maxInputMB?: number;
  thresholds?: Partial<Thresholds>;
  /** Nodes (names in the model) or op types to keep, tried as given instead of searching. */
  keep?: string[];
  /** Emulation passes the search may take (default 32). */
  budget?: number;
  /** ATC --soc_version (default: the profile's first). */
  soc?: string;
  effortDays?: EffortDaysOverride;
}

/** What the kit says for one target. */
export interface TargetPlan {
  profile: Profile;
  /** For a target compiled with ATC. */
  atc?: { soc: string; script: string; scriptFile: string; shapes: AtcShapes };
  /** The keep-fp32 search (or the set given by hand), with the kept nodes as the model names them. */
  search?: KeepSearchResult & { nodes: NodeAt[] };
  /** Why there was no search (the model cannot be emulated here, or the policy converts nothing). */
  noSearch?: string;
  keepDtype?: KeepDtypeFile & { file: string };
}

export interface Kit {
  report: Report;
  targets: TargetPlan[];
  /** File name → content, in the order they are listed. */
  files: [string, string][];
}

/**
 * The migration kit for one model: the static report, then for each target compiled with ATC the
 * command (atc.sh), the fewest nodes to keep in fp32 (searched in emulation passes, or the user's
 * set tried) and keep_dtype.cfg, then PORTING.md over every target. Nothing is written here: the
 * caller writes `files` (write-kit.ts). The same model and options give the same files, byte for
 * byte, on the same machine: nothing in them depends on time, paths outside the kit or timings.
 */
export async function plan(modelPath: string, options: PlanOptions): Promise<Kit> {
  const profiles = resolveTargets(options.targets, options.profileFiles ?? []);
  const soc = options.soc;
  if (soc !== undefined && !/^[A-Za-z0-9_]+$/.test(soc)) throw new UsageError(`--soc ${soc}: expected a SoC name like Ascend910B3`);
  if (options.keep?.length === 0) throw new UsageError('--keep is empty: name nodes or op types, e.g. --keep Softmax,/blocks.0/Add');
  const { model, bytes } = await loadModelWithBytes(modelPath);
  const displayPath = options.displayPath ?? modelPath.split('\\').join('/');
  const dims = options.dims ?? new Map<string, readonly number[]>();
  const firstDims = Object.fromEntries([...dims].map(([k, v]) => [k, v[0]!]));
  const report = await checkLoaded(model, bytes, profiles, displayPath, {
    targets: options.targets,
    estimate: { dims: firstDims },
    ...(options.effortDays !== undefined && { effortDays: options.effortDays }),
  });

  const atcTargets = profiles.filter((p) => p.software.atc);
  const searches = new Map<string, Promise<Pick<TargetPlan, 'search' | 'noSearch'>>>();
  const targets: TargetPlan[] = [];
  const suffix = (p: Profile): string => (atcTargets.length > 1 ? `-${p.id}` : '');
  for (const profile of profiles) {
    const atc = profile.software.atc;
    if (!atc) {
      targets.push({ profile });
      continue;
    }
    // Targets with one policy (910B and 910C: force_fp16) share one search.
    const key = policyKey(resolvePolicy(profile));
    if (!searches.has(key)) searches.set(key, keepSearch(modelPath, model, profile, options, firstDims));
    const found = await searches.get(key)!;
    const keepDtype = found.search && found.search.nodes.length > 0
      ? { ...keepDtypeFile(profile, model, found.search.nodes), file: `keep_dtype${suffix(profile)}.cfg` }
      : undefined;
    const shapes = atcShapes(model, dims, options.shapes ?? {});
    const scriptFile = `atc${suffix(profile)}.sh`;
    const chosen = soc ?? atc.socVersions[0]!;
    const modelFile = basename(displayPath);
    const script = atcScript({
      modelFile,
      outputName: modelFile.replace(/\.onnx$/i, '') + suffix(profile),
      targetName: profile.name,
      atc,
      soc: chosen,
      shapes,
      ...(keepDtype && keepDtype.lines.length > 0 && { keepFile: keepDtype.file }),
    });
    targets.push({ profile, atc: { soc: chosen, script, scriptFile, shapes }, ...found, ...(keepDtype && { keepDtype }) });
  }

  const files: [string, string][] = [];
  for (const t of targets) {
    if (t.atc) files.push([t.atc.scriptFile, t.atc.script]);
    if (t.keepDtype && t.keepDtype.lines.length > 0) files.push([t.keepDtype.file, t.keepDtype.text]);
  }
  // Kit files are printed in CI logs too: each passes the same last guard as a --format output
  // (atc.sh and keep_dtype.cfg are inert by construction: shell-quote, keep-dtype-file).
  files.push(['PORTING.md', logSafe('markdown', portingMarkdown({ report, targets, facts: inspectModel(model), options }))]);
  files.push(['report.json', logSafe('json', formatJson([report], { rules: RULES }))]);
  return { report, targets, files };
}

async function keepSearch(
  modelPath: string, model: ModelIR, profile: Profile, options: PlanOptions, dims: Record<string, number>,
): Promise<Pick<TargetPlan, 'search' | 'noSearch'>> {
  const policy = resolvePolicy(profile);
  if (!emulates(policy)) {
    return { noSearch: `${policy.name} converts no precision: nothing to keep` };
  }
  const probe = await openEmulationProbe(modelPath, model, profile, {
    dims,
    ...(options.shapes && { shapes: options.shapes }),
    ...(options.inputs && { inputs: options.inputs }),
    ...(options.inputValues && { inputValues: options.inputValues }),
    ...(options.seed !== undefined && { seed: options.seed }),
    ...(options.maxInputMB !== undefined && { maxInputMB: options.maxInputMB }),
    ...(options.thresholds && { thresholds: options.thresholds }),
  });
  if ('error' in probe) return { noSearch: `the model cannot be emulated here: ${probe.error}` };
  try {
    const result = options.keep
      ? await tryKeepSet(probe, keepSetOf(probe, options.keep))
      : await searchKeepSet(probe, { ...(options.budget !== undefined && { budget: options.budget }) });
    if (result.status === 'failed') return { noSearch: `the emulation failed: ${result.reason ?? 'no reason given'}` };
    const byName = new Map(probe.nodes.map((n) => [n.name, n.at]));
    return { search: { ...result, nodes: result.keep.map((n) => byName.get(n)!) } };
  } finally {
    await probe.close();
  }
}

/** Probe names for the user's --keep entries: nodes by their name in the model, or every node of an op type. */
function keepSetOf(probe: KeepProbe, entries: readonly string[]): string[] {
  const out = new Set<string>();
  for (const entry of entries) {
    const named = probe.nodes.filter((n) => n.at.node === entry || n.name === entry);
    const typed = named.length > 0 ? [] : probe.nodes.filter((n) => n.at.opType === entry);
    if (named.length === 0 && typed.length === 0) {
      throw new UsageError(`--keep ${entry}: no node or op type of that name in the emulated graph (names are the model's node names)`);
    }
    for (const n of [...named, ...typed]) out.add(n.name);
  }
  return [...out];
}

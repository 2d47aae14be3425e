import { resolve } from 'node:path';
import { inputsFor, resolveConfig, type PortCheckConfig } from '../config/index.js';
import { UsageError } from '../errors.js';
import { nameRecord } from '../own-keys.js';
import { parseGearDims } from '../plan/gears.js';
import { plan, type Kit, type PlanOptions } from '../plan/plan.js';
import { writeKit } from '../plan/write-kit.js';
import { printable } from '../printable.js';
import { effortSentence, effortTotal } from '../report/effort.js';
import { VERDICT_LABEL } from '../report/wording.js';
import { parseInputFlags, parseInputValueFlags, parseShapeFlags } from '../runtime/index.js';
import type { CliIO } from './io.js';
import { DEFAULT_KIT_DIR, type PlanFlags } from './plan-command.js';

/** `port-check plan`: writes the kit and says what is in it; returns the exit code. */
export async function planCommand(model: string, flags: PlanFlags, io: CliIO): Promise<number> {
  const config = resolveConfig({ cwd: io.cwd, ...(flags.config !== undefined && { file: resolve(io.cwd, flags.config) }) });
  const options = planOptions(model, flags, config, io);
  const dir = resolve(io.cwd, flags.output ?? DEFAULT_KIT_DIR);
  const kit = await plan(resolve(io.cwd, model), options);
  writeKit(dir, kit.files, flags.force === true);
  io.stdout(summary(kit, flags.output ?? DEFAULT_KIT_DIR));
  return 0;
}

function planOptions(model: string, flags: PlanFlags, config: PortCheckConfig | undefined, io: CliIO): PlanOptions {
  const targets = (flags.target ?? config?.targets?.join(',') ?? 'ascend-910c').split(',').map((s) => s.trim()).filter(Boolean);
  if (targets.length === 0) throw new UsageError('--target is empty: name at least one target (port-check targets lists them)');
  const fromConfig = config ? inputsFor(config.inputs, model, { configDir: config.dir, baseDir: io.cwd }) : undefined;
  const dims = new Map<string, number[]>(Object.entries(fromConfig?.dims ?? {}).map(([k, v]) => [k, [v]]));
  for (const [k, v] of parseGearDims(flags.dim ?? [])) dims.set(k, v);
  const configValues = Object.fromEntries(Object.entries(fromConfig?.values ?? {}).filter((e): e is [string, number] => typeof e[1] === 'number'));
  const keep = flags.keep?.flatMap((k) => k.split(',')).map((k) => k.trim()).filter(Boolean);
  return {
    targets,
    profileFiles: (flags.profile ?? []).map((p) => resolve(io.cwd, p)),
    displayPath: model.split('\\').join('/'),
    dims,
    shapes: { ...fromConfig?.shapes, ...parseShapeFlags(flags.shape ?? []) },
    inputs: Object.fromEntries(Object.entries(parseInputFlags(flags.input ?? [])).map(([k, v]) => [k, resolve(io.cwd, v)])),
    inputValues: { ...configValues, ...parseInputValueFlags(flags.inputValue ?? []) },
    ...(flags.seed !== undefined && { seed: wholeNumber('--seed', flags.seed, 0) }),
    ...(flags.maxInputMb !== undefined && { maxInputMB: wholeNumber('--max-input-mb', flags.maxInputMb, 1) }),
    ...(flags.threshold && { thresholds: parseThresholds(flags.threshold) }),
    ...(keep !== undefined && { keep }),
    ...(flags.budget !== undefined && { budget: wholeNumber('--budget', flags.budget, 1, 10_000) }),
    ...(flags.soc !== undefined && { soc: flags.soc }),
    ...(config?.effortDays !== undefined && { effortDays: config.effortDays }),
  };
}

function wholeNumber(flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${flag} takes a whole number from ${min} to ${max}, got '${text}'`);
  return n;
}

/** `--threshold cosine=0.999`: the names and ranges are checked by the emulation's resolveThresholds. */
function parseThresholds(flags: string[]): Record<string, number> {
  const out = nameRecord<number>();
  for (const f of flags) {
    const eq = f.indexOf('=');
    const value = Number(f.slice(eq + 1));
    if (eq <= 0 || f.slice(eq + 1).trim() === '' || !Number.isFinite(value)) throw new UsageError(`--threshold ${f}: expected name=number, e.g. cosine=0.999`);
    out[f.slice(0, eq)] = value;
  }
  return out;
}

/** What the terminal shows: the files written and, per target, the verdict, effort and keep set. */
function summary(kit: Kit, dir: string): string {
  const lines = [`port-check plan: wrote ${kit.files.map(([f]) => f).join(', ')} to ${printable(dir)}`];
  for (const t of kit.targets) {
    const r = kit.report.targets.find((x) => x.id === t.profile.id)!;
    const total = effortTotal(r);
    let keep = '';
    if (t.search) {
      const n = t.search.nodes.length;
      keep = {
        'not-needed': '; nothing to keep in fp32',
        found: `; keep ${n} node${n === 1 ? '' : 's'} in fp32 (${t.search.probes} emulation passes)`,
        'none-sufficed': `; no keep set sufficed in ${t.search.probes} emulation passes (best reached: ${n} nodes)`,
        given: `; --keep set tried: outputs ${t.search.after.every((o) => o.verdict !== 'fail') ? 'pass' : 'still fail'}`,
        failed: '',
      }[t.search.status];
    } else if (t.noSearch && t.atc) keep = `; no keep search (${printable(t.noSearch)})`;
    lines.push(`  ${r.id}: ${VERDICT_LABEL[r.verdict].toLowerCase()}${total ? `, ${effortSentence(total)}` : ''}${keep}`);
  }
  return lines.join('\n') + '\n';
}

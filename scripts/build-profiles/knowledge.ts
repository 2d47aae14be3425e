import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Readers for the knowledge/ files. Each returns plain rows; a line that does not have the shape
 * its file's header promises throws, so a changed knowledge file cannot silently drop evidence.
 */

export interface AtcRegistration { domain: string; op: string; opsets: string; cannOps: string[]; parserFiles: string }
export interface MsitMapping { op: string; opsets: string; cannOps: string[] }
/** One parser plugin registration's engine (ImplyType), from cann_onnx_imply_types.tsv. */
export interface ImplyTypeRow { domain: string; op: string; opsets: string; cannOp: string; engine: string; file: string }
export interface AicoreDef { cannOp: string; soc: string; dtypes: string[]; source: string }
export interface OrtKernel { ep: string; domain: string; op: string; opset: string; types: string }
export interface ContribOp { op: string; otherEp: boolean; opset: string; types: string }
export interface ContribExtra { op: string; tag: string; condition: string }
export interface FeatureRow { cuda: string; counterpart: string; note: string; source: string }

export interface Knowledge {
  atcRegistrations: AtcRegistration[];
  atcMissing: string[];
  /** The '#' header of atc_missing_standard_onnx_ops.txt (it names the GE parser's built-in ops). */
  atcMissingHeader: string;
  msitMap: MsitMapping[];
  /** ai.onnx ops ORT's CANN EP hands to GE in graph mode. */
  cannGraphModeOps: Set<string>;
  aicore: AicoreDef[];
  implyTypes: ImplyTypeRow[];
  /** The source commits named in cann_onnx_imply_types.tsv's header: "hicann/ops-nn@<sha> (<date>)". */
  implyTypeCommits: string[];
  /** AI CPU kernel op names (the open-source subset). */
  aicpu: Set<string>;
  ortKernels: OrtKernel[];
  /** The '#' header lines of ort_operator_kernels.tsv and ort_cuda_contrib_ops.txt (they name the snapshot). */
  ortKernelsHeader: string;
  cudaContribHeader: string;
  cudaContrib: ContribOp[];
  /** com.microsoft CUDA kernels only present in NCCL / training builds. */
  cudaContribExtras: ContribExtra[];
  cpuContrib: ContribOp[];
  featureMap: FeatureRow[];
  hw: HwProfiles;
  /** ATC --soc_version values per target id, the default first. */
  socVersions: Map<string, string[]>;
  /** Engineer-days per effort class. */
  effortDays: Record<'low' | 'medium' | 'high', [number, number]>;
}

export interface HwEntry {
  memory_gb: number;
  memory_type: string;
  mem_bw_tbs: number | string;
  tflops_dense: Record<string, number | string>;
  interconnect: string;
  /** The host link a tensor crossing between device and host engines is copied over. */
  host_link?: { name: string; gbs_per_direction: number; confidence: string; note?: string };
  scale_up?: {
    name: string; domain_chips: number; topology: string; bandwidth_gbs_per_direction: number;
    note: string; confidence: string; sources: string[];
  };
  tdp_w?: number;
  confidence: string;
  sources: string[];
}
export type HwProfiles = Record<string, HwEntry>;

/** Data lines of a '#'-commented file, each split on tabs, checked for a column count. */
function rows(dir: string, file: string, columns: number): string[][] {
  const out: string[][] = [];
  for (const line of lines(dir, file)) {
    if (line.startsWith('#')) continue;
    const cells = line.split('\t');
    if (cells.length < columns) throw new Error(`${file}: expected ${columns} tab-separated columns in '${line}'`);
    out.push(cells);
  }
  return out;
}

function lines(dir: string, file: string): string[] {
  return readFileSync(join(dir, file), 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
}

/**
 * The ORT contrib lists hold a main section (op, other-EP flag, "opset: types") followed by
 * sections introduced by '#' lines; only the sections this reader knows are accepted.
 */
function contribSections(dir: string, file: string): { main: ContribOp[]; extras: ContribExtra[] } {
  const main: ContribOp[] = [];
  const extras: ContribExtra[] = [];
  let section: 'header' | 'main' | 'layout' | 'extras' = 'header';
  for (const line of lines(dir, file)) {
    if (line.startsWith('#')) {
      if (section === 'header') continue;
      if (/^# com\.ms\.internal\.nhwc|^# com\.microsoft\.nchwc/.test(line)) section = 'layout';
      else if (/^# Additional com\.microsoft CUDA kernels/.test(line)) section = 'extras';
      else throw new Error(`${file}: unexpected section '${line}'`);
      continue;
    }
    if (section === 'header') section = 'main';
    const cells = line.split('\t');
    if (section === 'layout') continue; // layout-internal domains never appear in an exported model
    if (section === 'extras') {
      if (cells.length < 3) throw new Error(`${file}: cannot read '${line}'`);
      extras.push({ op: cells[0]!, tag: cells[1]!, condition: cells[2]! });
      continue;
    }
    const m = /^(\S+):\s*(.*)$/.exec(cells[2] ?? '');
    if (cells.length < 3 || !m || !/^(also-|CUDA-ONLY|CPU-ONLY)/.test(cells[1]!)) {
      throw new Error(`${file}: cannot read '${line}'`);
    }
    main.push({ op: cells[0]!, otherEp: cells[1]!.startsWith('also-'), opset: m[1]!, types: m[2]! });
  }
  return { main, extras };
}

/**
 * msit writes "8-18 (listed:8,12,13,...)" when its opset list has gaps: the listed opsets are the
 * truth, rewritten in the registrations' form ("8,12-18").
 */
function msitOpsets(text: string): string {
  const m = /^[\d-]+ \(listed:([\d,]+)\)$/.exec(text.trim());
  if (!m) return text.trim();
  const listed = m[1]!.split(',').map(Number).sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const v of listed) {
    const last = runs[runs.length - 1];
    if (last && last[1] === v - 1) last[1] = v;
    else runs.push([v, v]);
  }
  return runs.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',');
}

/** "hicann/ops-nn@<40 hex> (<date>)" entries of a header's '# sources:' line; a file without them throws. */
function sourceCommits(dir: string, file: string): string[] {
  const line = lines(dir, file).find((l) => l.startsWith('# sources:')) ?? '';
  const found = [...line.matchAll(/([\w.-]+\/[\w.-]+)@([0-9a-f]{40}) \((\d{4}-\d{2}-\d{2})\)/g)].map((m) => `${m[1]}@${m[2]} (${m[3]})`);
  if (found.length === 0) throw new Error(`${file}: the '# sources:' header names no repo@commit`);
  return found;
}

export function readKnowledge(dir: string): Knowledge {
  const cuda = contribSections(dir, 'ort_cuda_contrib_ops.txt');
  const cpu = contribSections(dir, 'ort_cpu_contrib_ops.txt');
  return {
    atcRegistrations: rows(dir, 'atc_onnx_parser_registrations.tsv', 5).map(([domain, op, opsets, cannOps, parserFiles]) => ({
      domain: domain!, op: op!, opsets: opsets!, cannOps: cannOps!.split('|'), parserFiles: parserFiles!,
    })),
    atcMissing: lines(dir, 'atc_missing_standard_onnx_ops.txt').filter((l) => !l.startsWith('#')).map((l) => l.trim()),
    atcMissingHeader: lines(dir, 'atc_missing_standard_onnx_ops.txt').filter((l) => l.startsWith('#')).join('\n'),
    msitMap: rows(dir, 'atc_onnx_ops.txt', 3).map(([op, opsets, cannOps]) => ({
      op: op!, opsets: msitOpsets(opsets!), cannOps: cannOps!.split('|'),
    })),
    cannGraphModeOps: new Set(lines(dir, 'cann_ep_graph_mode_ops.txt').filter((l) => !l.startsWith('#')).map((l) => l.trim())),
    aicore: rows(dir, 'cann_aicore_ops_by_soc.tsv', 4).map(([cannOp, soc, dtypes, source]) => ({
      cannOp: cannOp!, soc: soc!, dtypes: dtypes!.split(','), source: source!,
    })),
    implyTypes: rows(dir, 'cann_onnx_imply_types.tsv', 6).map(([domain, op, opsets, cannOp, engine, file]) => ({
      domain: domain!, op: op!, opsets: opsets!, cannOp: cannOp!, engine: engine!, file: file!,
    })),
    implyTypeCommits: sourceCommits(dir, 'cann_onnx_imply_types.tsv'),
    aicpu: new Set(rows(dir, 'cann_aicpu_kernels_opensource.txt', 2).map(([op]) => op!)),
    ortKernels: rows(dir, 'ort_operator_kernels.tsv', 5)
      // The upstream markdown repeats its table header inside some sections.
      .filter(([, , op]) => op !== 'Op Name')
      .map(([ep, domain, op, opset, types]) => ({ ep: ep!, domain: domain!, op: op!, opset: opset!, types: types! })),
    ortKernelsHeader: lines(dir, 'ort_operator_kernels.tsv').filter((l) => l.startsWith('#')).join('\n'),
    cudaContribHeader: lines(dir, 'ort_cuda_contrib_ops.txt').filter((l) => l.startsWith('#')).join('\n'),
    cudaContrib: cuda.main,
    cudaContribExtras: cuda.extras,
    cpuContrib: cpu.main,
    featureMap: rows(dir, 'porting_feature_map.tsv', 4).map(([cudaFeature, counterpart, note, source]) => ({
      cuda: cudaFeature!, counterpart: counterpart!, note: note!, source: source!,
    })),
    hw: JSON.parse(readFileSync(join(dir, 'hw_profiles.json'), 'utf8')) as HwProfiles,
    socVersions: socVersions(rows(dir, 'atc_soc_versions.tsv', 2)),
    effortDays: effortDays(rows(dir, 'porting_effort_days.tsv', 3)),
  };
}

function socVersions(table: string[][]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [target, soc] of table) {
    const list = out.get(target!) ?? [];
    list.push(soc!.trim());
    out.set(target!, list);
  }
  return out;
}

function effortDays(table: string[][]): Knowledge['effortDays'] {
  const out: Partial<Knowledge['effortDays']> = {};
  for (const [cls, min, max] of table) {
    if (cls !== 'low' && cls !== 'medium' && cls !== 'high') throw new Error(`porting_effort_days.tsv: unknown effort class '${cls}'`);
    const range: [number, number] = [Number(min), Number(max)];
    if (!range.every(Number.isFinite)) throw new Error(`porting_effort_days.tsv: '${cls}' needs two numbers`);
    out[cls] = range;
  }
  if (!out.low || !out.medium || !out.high) throw new Error('porting_effort_days.tsv: needs a row each for low, medium and high');
  return out as Knowledge['effortDays'];
}

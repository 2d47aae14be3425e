import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Derives knowledge/cann_onnx_imply_types.tsv: for every ONNX parser plugin registration in CANN's
 * open-source op repos, the engine ATC places the parsed op on (its ImplyType), per origin op type.
 * Reads fetched git mirrors (bare or not; nothing is checked out), never the network:
 *   node dist/scripts/extract-imply-types.js --repo ops-nn=/path/to/ops-nn.git \
 *     --repo ops-math=/path/to/ops-math.git --repo ops-cv=/path/to/ops-cv.git [--out FILE]
 * The mirrors are not part of this repository; tests and CI read only the TSV it writes.
 *
 * What a registration looks like (framework/*onnx_plugin.cpp):
 *   REGISTER_CUSTOM_OP("SequenceAt").FrameworkType(ONNX)
 *     .OriginOpType({ge::AscendString("ai.onnx::11::SequenceAt"), ...})
 *     .ParseParamsFn(...).ImplyType(ImplyType::AI_CPU);
 * often through a function-like macro (#define REGISTER_CUSTOM_ONNX_OP(ONNX_OPP, ATC_OPP, FUN) ...),
 * which is expanded here before the chains are read.
 */

export interface PluginRegistration {
  domain: string;
  op: string;
  opset: number;
  cannOp: string;
  implyType: string;
  file: string;
}

/** Comments out, line continuations joined: what the preprocessor would see. */
function stripComments(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/(^|[^:"])\/\/[^\n]*/g, '$1')
    .replace(/\\\r?\n/g, ' ');
}

interface Macro { params: string[]; body: string }

/** Function-like #defines of the file; object-like ones are not used in registrations. */
function readMacros(text: string): Map<string, Macro> {
  const macros = new Map<string, Macro>();
  for (const m of text.matchAll(/^[ \t]*#define[ \t]+(\w+)\(([^)]*)\)([^\n]*)$/gm)) {
    macros.set(m[1]!, { params: m[2]!.split(',').map((p) => p.trim()).filter(Boolean), body: m[3]! });
  }
  return macros;
}

/** The balanced-parenthesis argument text after `open` (the index of '('); undefined when unbalanced. */
function argsAt(text: string, open: number): { args: string[]; end: number } | undefined {
  let depth = 0;
  let start = open + 1;
  const args: string[] = [];
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"') { i = text.indexOf('"', i + 1); if (i < 0) return undefined; continue; }
    if (c === '(' || c === '{') depth++;
    else if (c === ')' || c === '}') {
      depth--;
      if (depth === 0) { args.push(text.slice(start, i).trim()); return { args, end: i + 1 }; }
    } else if (c === ',' && depth === 1) { args.push(text.slice(start, i).trim()); start = i + 1; }
  }
  return undefined;
}

/** Expands invocations of the file's macros (to a fixed depth: macros here call one another once or twice). */
function expandMacros(text: string, macros: Map<string, Macro>): string {
  let out = text.replace(/^[ \t]*#define[^\n]*$/gm, '');
  for (let depth = 0; depth < 4 && macros.size > 0; depth++) {
    let changed = false;
    const pattern = new RegExp(`\\b(${[...macros.keys()].join('|')})\\s*\\(`, 'g');
    let result = '';
    let last = 0;
    for (let m = pattern.exec(out); m; m = pattern.exec(out)) {
      const macro = macros.get(m[1]!)!;
      const call = argsAt(out, m.index + m[0].length - 1);
      if (!call) continue;
      let body = macro.body;
      macro.params.forEach((p, i) => {
        const arg = call.args[i] ?? '';
        body = body
          .replace(new RegExp(`#\\s*${p}\\b`, 'g'), JSON.stringify(arg))
          .replace(new RegExp(`\\b${p}\\s*##\\s*|\\s*##\\s*${p}\\b`, 'g'), (s) => s.replace(/\s*##\s*/g, '').replace(p, arg))
          .replace(new RegExp(`\\b${p}\\b`, 'g'), arg);
      });
      result += out.slice(last, m.index) + body.replace(/\s*##\s*/g, '');
      last = call.end;
      pattern.lastIndex = call.end;
      changed = true;
    }
    out = result + out.slice(last);
    if (!changed) break;
  }
  return out;
}

/** Every registration chain of one plugin file. */
export function registrationsOf(source: string, file: string): PluginRegistration[] {
  const clean = stripComments(source);
  const text = expandMacros(clean, readMacros(clean));
  const out: PluginRegistration[] = [];
  for (const m of text.matchAll(/REGISTER_CUSTOM_OP\s*\(\s*"([^"]+)"\s*\)/g)) {
    const end = text.indexOf(';', m.index);
    const chain = text.slice(m.index, end < 0 ? undefined : end);
    if (!/FrameworkType\s*\(\s*(?:domi::)?ONNX\s*\)/.test(chain)) continue;
    const imply = /ImplyType\s*\(\s*(?:domi::)?ImplyType::(\w+)\s*\)/.exec(chain)?.[1] ?? 'UNSET';
    const origin = /OriginOpType\s*\(/.exec(chain);
    if (!origin) continue;
    const args = argsAt(chain, origin.index + origin[0].length - 1);
    for (const lit of (args?.args.join(',') ?? '').matchAll(/"([\w.]+)::(\d+)::(\w+)"/g)) {
      out.push({ domain: lit[1]!, opset: Number(lit[2]), op: lit[3]!, cannOp: m[1]!, implyType: imply, file });
    }
  }
  return out;
}

function git(dir: string, args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** "1,6,8-18" from a set of opsets. */
export function opsetList(opsets: Iterable<number>): string {
  const sorted = [...new Set(opsets)].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const v of sorted) {
    const last = runs[runs.length - 1];
    if (last && last[1] === v - 1) last[1] = v;
    else runs.push([v, v]);
  }
  return runs.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',');
}

const ENGINE_OF: Record<string, string> = {
  TVM: 'aicore', AI_CPU: 'aicpu', GELOCAL: 'ge-local', CUSTOM: 'custom', UNSET: 'unset',
};

function main(argv: string[]): number {
  const repos: { name: string; dir: string }[] = [];
  let outFile = resolve('knowledge/cann_onnx_imply_types.tsv');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = argv[++i];
    if (arg === '--repo' && value && value.includes('=')) {
      const [name, dir] = [value.slice(0, value.indexOf('=')), value.slice(value.indexOf('=') + 1)];
      repos.push({ name, dir: resolve(dir) });
    } else if (arg === '--out' && value) outFile = resolve(value);
    else { console.error('usage: extract-imply-types --repo NAME=GITDIR ... [--out FILE]'); return 2; }
  }
  if (repos.length === 0) { console.error('usage: extract-imply-types --repo NAME=GITDIR ... [--out FILE]'); return 2; }

  const commits: string[] = [];
  const rows = new Map<string, { reg: PluginRegistration; opsets: Set<number> }>();
  for (const { name, dir } of repos) {
    const commit = git(dir, ['rev-parse', 'HEAD']).trim();
    const date = git(dir, ['log', '-1', '--format=%cs', 'HEAD']).trim();
    commits.push(`hicann/${name}@${commit} (${date})`);
    const files = git(dir, ['ls-tree', '-r', '--name-only', 'HEAD']).split('\n').filter((f) => /onnx_plugin\.(cpp|cc)$/.test(f));
    for (const f of files) {
      for (const reg of registrationsOf(git(dir, ['show', `HEAD:${f}`]), `${name}:${f}`)) {
        const key = [reg.domain, reg.op, reg.cannOp, reg.implyType, reg.file].join('\t');
        const row = rows.get(key) ?? { reg, opsets: new Set<number>() };
        row.opsets.add(reg.opset);
        rows.set(key, row);
      }
    }
  }
  const lines = [...rows.values()]
    .map(({ reg, opsets }) => [reg.domain, reg.op, opsetList(opsets), reg.cannOp, ENGINE_OF[reg.implyType] ?? reg.implyType.toLowerCase(), reg.file].join('\t'))
    .sort();
  const header = [
    '# CANN ONNX parser plugins: the engine (ImplyType) ATC places each parsed ONNX op on, per origin op type "domain::opset::Op".',
    '# ImplyType::TVM = aicore (a TBE / Ascend C kernel on AI Core), AI_CPU = aicpu (the NPU\'s ARM control cores), GELOCAL = ge-local (GE runs it itself, no device kernel), CUSTOM = custom.',
    `# sources: ${commits.join('; ')}; files framework/*onnx_plugin.cpp (REGISTER_CUSTOM_OP(...).FrameworkType(ONNX).OriginOpType(...).ImplyType(...), macros expanded)`,
    '# regenerate: fetch the mirrors, then npx tsc -p tsconfig.json && node dist/scripts/extract-imply-types.js --repo ops-nn=GITDIR --repo ops-math=GITDIR --repo ops-cv=GITDIR',
    '# domain<TAB>onnx_op<TAB>opsets<TAB>cann_op<TAB>engine<TAB>source_file',
  ];
  writeFileSync(outFile, `${[...header, ...lines].join('\n')}\n`);
  console.log(`wrote ${lines.length} rows to ${outFile}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}

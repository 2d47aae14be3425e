import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, test } from 'vitest';
import type { ModelSpec } from '../../src/onnx/model-spec.js';
import type { Report } from '../../src/report/types.js';
import { runCli } from '../cli/run-cli.js';
import { saveModel } from '../saved-models.js';
import { plantedSpec } from './planted-models.js';

const root = mkdtempSync(join(tmpdir(), 'port-check-kit-'));
let n = 0;
const freshDir = (): string => join(root, `kit-${n++}`);

const schema = JSON.parse(readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv({ strict: true, allowUnionTypes: true }).compile(schema);

function kitFiles(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

/** The arguments atc.sh really hands to atc: a stand-in atc on PATH writes them out, NUL-separated. */
function atcArgs(script: string, args: string[] = []): { argv: string[]; cwd: string } {
  const bin = mkdtempSync(join(root, 'bin-'));
  const out = join(bin, 'argv');
  writeFileSync(join(bin, 'atc'), `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a"; done > '${out}'\n`, { mode: 0o755 });
  const cwd = mkdtempSync(join(root, 'cwd-'));
  execFileSync('sh', [script, ...args], { cwd, env: { PATH: `${bin}:/usr/bin:/bin` } });
  return { argv: readFileSync(out, 'utf8').split('\0').slice(0, -1), cwd };
}

describe('the kit for each sample model', () => {
  for (const model of ['resnet-block', 'llm-attention-block', 'quantized-fp8', 'control-flow']) {
    test(`${model}: atc.sh, PORTING.md and a report.json that validates; byte-identical on a second run`, async () => {
      const dir = freshDir();
      const r = await runCli(['plan', `models/${model}.onnx`, '--target', 'h20,ascend-910b', '-o', dir]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^port-check plan: wrote atc\.sh, (keep_dtype\.cfg, )?PORTING\.md, report\.json to /);
      const files = kitFiles(dir);
      const report = JSON.parse(files['report.json']!) as Report;
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
      expect(report.targets.map((t) => t.id)).toEqual(['h20', 'ascend-910b']);
      expect(report.targets[1]!.effortRates!.days).toEqual({ low: [0.5, 2], medium: [2, 5], high: [5, 15] });

      const porting = files['PORTING.md']!;
      expect(porting).toContain('## NVIDIA H20 (h20)');
      expect(porting).toContain('### Runs as is on NVIDIA H20');
      expect(porting).toContain('### Compile with ATC: `sh atc.sh [MODEL.onnx]`');
      // Each blocker, with its change, effort and evidence.
      const blockers = report.targets[1]!.findings.filter((f) => f.severity === 'error');
      for (const f of blockers) expect(porting).toContain(`(${`${f.rule}/${f.code}`.replace(/-/g, '\\-')})`);
      expect(porting.match(/^ {3}- Change: /gm)?.length ?? 0).toBeGreaterThanOrEqual(blockers.length);

      const { argv } = atcArgs(join(dir, 'atc.sh'));
      expect(argv.slice(0, 4)).toEqual([`--model=${model}.onnx`, '--framework=5', `--output=${dir}/${model}`, '--soc_version=Ascend910B3']);
      expect(argv).toContain('--precision_mode=force_fp16');

      const again = freshDir();
      expect((await runCli(['plan', `models/${model}.onnx`, '--target', 'h20,ascend-910b', '-o', again])).code).toBe(0);
      expect(kitFiles(again)).toEqual(files);
    });
  }

  test('quantized-fp8: the ops to re-quantize with AMCT are listed', async () => {
    const dir = freshDir();
    expect((await runCli(['plan', 'models/quantized-fp8.onnx', '--target', 'ascend-910b', '-o', dir])).code).toBe(0);
    const porting = readFileSync(join(dir, 'PORTING.md'), 'utf8');
    const section = porting.slice(porting.indexOf('### Re-quantize with AMCT'), porting.indexOf('### Custom kernels'));
    expect(section).toMatch(/QuantizeLinear/);
    expect(section).not.toMatch(/Nothing to re-quantize/);
  });

  test('two Ascend targets: a command each, named by target, with its own SoC', async () => {
    const dir = freshDir();
    const r = await runCli(['plan', 'models/resnet-block.onnx', '--target', 'ascend-910b,ascend-910c', '-o', dir]);
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['PORTING.md', 'atc-ascend-910b.sh', 'atc-ascend-910c.sh', 'report.json']);
    expect(atcArgs(join(dir, 'atc-ascend-910c.sh')).argv).toContain('--soc_version=Ascend910_9391');
    expect(atcArgs(join(dir, 'atc-ascend-910b.sh'), ['/models/other.onnx']).argv[0]).toBe('--model=/models/other.onnx');
  });
});

describe('the keep-fp32 search in the kit, on the planted model', () => {
  const planted = saveModel('kit-planted', plantedSpec());

  test('keep_dtype.cfg lists exactly the planted nodes, one a line; atc.sh passes it with --keep_dtype', async () => {
    const dir = freshDir();
    const r = await runCli(['plan', planted.path, '--target', 'ascend-910b', '-o', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ascend-910b: .*keep 2 nodes in fp32 \(\d+ emulation passes\)/);
    expect(readFileSync(join(dir, 'keep_dtype.cfg'), 'utf8')).toBe('overflow_here\nlose_here\n');
    const { argv } = atcArgs(join(dir, 'atc.sh'));
    expect(argv).toContain(`--keep_dtype=${dir}/keep_dtype.cfg`);
    expect(argv).toContain('--input_shape=x:1,256');
    const porting = readFileSync(join(dir, 'PORTING.md'), 'utf8');
    expect(porting).toMatch(/Keeping 2 nodes in fp32 brings every output back within the thresholds: overflow\\_here \(Mul\), lose\\_here \(Add\)\. Found in \d+ emulation passes of a budget of 32/);
    expect(porting).toMatch(/\| y \| -?[\d.]+ \| [\d.]+ \| fail \(\d+ NaN\/Inf\) \| 1 \| [\d.e-]+ \| pass \|/);
  });

  test('a budget too small: no set sufficed, and the best reached is said and listed', async () => {
    const dir = freshDir();
    expect((await runCli(['plan', planted.path, '--target', 'ascend-910b', '--budget', '2', '-o', dir])).code).toBe(0);
    const porting = readFileSync(join(dir, 'PORTING.md'), 'utf8');
    expect(porting).toContain('No set sufficed within 2 emulation passes of a budget of 2');
    expect(porting).toContain('The best reached keeps overflow\\_here (Mul)');
    expect(readFileSync(join(dir, 'keep_dtype.cfg'), 'utf8')).toBe('overflow_here\n');
  });

  test('--keep tries a set by hand; an unknown name is a usage error', async () => {
    const dir = freshDir();
    const r = await runCli(['plan', planted.path, '--target', 'ascend-910b', '--keep', 'lose_here', '--keep', 'overflow_here', '-o', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--keep set tried: outputs pass');
    expect(readFileSync(join(dir, 'keep_dtype.cfg'), 'utf8')).toBe('overflow_here\nlose_here\n');
    const bad = await runCli(['plan', planted.path, '--target', 'ascend-910b', '--keep', 'no_such_node', '-o', freshDir()]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^port-check: --keep no_such_node: no node or op type of that name/);
  });
});

describe('untrusted names stay text in atc.sh and keep_dtype.cfg', () => {
  const hostileInput = `x'" && touch pwned-input $(touch pwned-subst) \`touch pwned-tick\`\nnext`;
  const overflowName = `ov'"$(touch pwned-node)`;
  const lostName = 'lose\nhere';
  const spec = plantedSpec(3);
  const rename: Record<string, string> = { overflow_here: overflowName, lose_here: lostName };
  const hostile: ModelSpec = {
    ...spec,
    graph: {
      ...spec.graph,
      nodes: spec.graph.nodes.map((node) => ({
        ...node,
        name: rename[node.name!] ?? node.name!,
        inputs: node.inputs.map((i) => (i === 'x' ? hostileInput : i)),
      })),
      inputs: [{ name: hostileInput, dtype: 'FLOAT', dims: ['batch', 256] }],
    },
  };
  const saved = saveModel('kit-hostile', hostile);

  test('input names with quotes, $() and a line break reach atc as one argument each; nothing runs', async () => {
    const dir = freshDir();
    const r = await runCli(['plan', saved.path, '--target', 'ascend-910b', '--dim', 'batch=1,4,8', '-o', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { argv, cwd } = atcArgs(join(dir, 'atc.sh'));
    expect(argv).toEqual([
      '--model=kit-hostile.onnx',
      '--framework=5',
      `--output=${dir}/kit-hostile`,
      '--soc_version=Ascend910B3',
      '--input_format=ND',
      `--input_shape=${hostileInput}:-1,256`,
      '--dynamic_dims=1;4;8',
      '--precision_mode=force_fp16',
      `--keep_dtype=${dir}/keep_dtype.cfg`,
    ]);
    for (const where of [cwd, dir, process.cwd()]) {
      expect(readdirSync(where).filter((f) => f.startsWith('pwned'))).toEqual([]);
    }
  });

  test('keep_dtype.cfg: the node named with quotes and $() is a line as it is; the one with a line break cannot be, and PORTING.md says so', async () => {
    const dir = freshDir();
    expect((await runCli(['plan', saved.path, '--target', 'ascend-910b', '-o', dir])).code).toBe(0);
    expect(readFileSync(join(dir, 'keep_dtype.cfg'), 'utf8')).toBe(`${overflowName}\n`);
    const porting = readFileSync(join(dir, 'PORTING.md'), 'utf8');
    expect(porting).toContain('a name holding a line break or another control character, or beginning with "::", cannot be a line of the file');
    expect(porting).not.toContain('$(touch'); // escaped for Markdown: \$\(touch
  });
});

describe('kit files are inert in a CI job log: no line begins with "::", no control character', () => {
  // A node that stays in fp32, one that is lost in fp16, the input and the model file: each named
  // as a workflow command, a terminal escape, or both across a line break.
  const keptName = '::error file=README.md,line=1::kept';
  const lostName = '\u001b[31mlost\u009b';
  const inputName = 'in\n::add-mask::x\u001b[0m\r';
  const spec = plantedSpec(3);
  const rename: Record<string, string> = { overflow_here: keptName, lose_here: lostName };
  const hostile: ModelSpec = {
    ...spec,
    graph: {
      ...spec.graph,
      nodes: spec.graph.nodes.map((node) => ({
        ...node, name: rename[node.name!] ?? node.name!, inputs: node.inputs.map((i) => (i === 'x' ? inputName : i)),
      })),
      inputs: [{ name: inputName, dtype: 'FLOAT', dims: [1, 256] }],
    },
  };
  const modelFile = '::warning::m\u001b[1m.onnx';
  const saved = saveModel('kit-log-commands', hostile);
  const modelDir = mkdtempSync(join(root, 'model-'));
  writeFileSync(join(modelDir, modelFile), saved.bytes);

  test('every kit file; atc.sh still hands atc the exact names', async () => {
    const dir = freshDir();
    const r = await runCli(['plan', modelFile, '--target', 'ascend-910b', '-o', dir], { cwd: modelDir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const files = kitFiles(dir);
    // Neither kept node can be a line of keep_dtype.cfg, so there is none.
    expect(Object.keys(files)).toEqual(['PORTING.md', 'atc.sh', 'report.json']);
    for (const [name, text] of Object.entries(files)) {
      expect(text.split('\n').filter((line) => /^\s*::/.test(line)), name).toEqual([]);
      expect(text.match(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g), name).toBeNull();
    }
    // The names are still there for the user: as data in report.json, listed or said in PORTING.md.
    const report = JSON.parse(files['report.json']!) as Report;
    expect(report.model.inputs.map((i) => i.name)).toEqual([inputName]);
    expect(files['PORTING.md']).toMatch(/Keeping 2 nodes in fp32 brings every output back/);
    expect(files['PORTING.md']).toContain('cannot be a line of the file');

    const { argv } = atcArgs(join(dir, 'atc.sh'), [join(modelDir, modelFile)]);
    expect(argv).toContain(`--input_shape=${inputName}:1,256`);
    expect(argv[0]).toBe(`--model=${join(modelDir, modelFile)}`);
    expect(argv[2]).toBe(`--output=${dir}/${modelFile.replace(/\.onnx$/, '')}`);
  });

  test('an input named after an Object.prototype member gets its shape like any other', async () => {
    const named = saveModel('kit-proto-input', { ...spec, graph: { ...spec.graph, nodes: spec.graph.nodes.map((n) => ({ ...n, inputs: n.inputs.map((i) => (i === 'x' ? 'constructor' : i)) })), inputs: [{ name: 'constructor', dtype: 'FLOAT', dims: ['batch', 256] }] } });
    const dir = freshDir();
    const r = await runCli(['plan', named.path, '--target', 'ascend-910b', '-o', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(atcArgs(join(dir, 'atc.sh')).argv).toContain('--input_shape=constructor:1,256');
  });
});

describe('the kit folder', () => {
  test('a non-empty folder is refused (exit 2, one line) and left as it was; --force replaces the kit there', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const r = await runCli(['plan', 'models/resnet-block.onnx', '--target', 'ascend-910b', '-o', dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^port-check: -o .*: the folder is not empty \(1 entries\); .*--force.*\n$/);
    expect(readdirSync(dir)).toEqual(['notes.txt']);

    const outside = join(root, 'outside.md');
    writeFileSync(outside, 'not yours');
    symlinkSync(outside, join(dir, 'PORTING.md'));
    const forced = await runCli(['plan', 'models/resnet-block.onnx', '--target', 'ascend-910b', '-o', dir, '--force']);
    expect(forced.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['PORTING.md', 'atc.sh', 'notes.txt', 'report.json']);
    expect(readFileSync(outside, 'utf8')).toBe('not yours'); // the planted link was replaced, not followed
    expect(readFileSync(join(dir, 'PORTING.md'), 'utf8')).toMatch(/^# Porting /);
  });

  test('a file where the folder should be is a usage error', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    const r = await runCli(['plan', 'models/resnet-block.onnx', '-o', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a folder/);
  });

  test('a missing model is exit 2 and writes nothing', async () => {
    const dir = freshDir();
    const r = await runCli(['plan', join(root, 'nope.onnx'), '-o', dir]);
    expect(r.code).toBe(2);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('effort totals', () => {
  test('rates from the config file replace the profile\'s, in the kit, report.json and the markdown', async () => {
    const cwd = mkdtempSync(join(root, 'cfg-'));
    writeFileSync(join(cwd, 'port-check.config.yaml'), 'effortDays:\n  low: [1, 1]\n  high: [10, 20]\n');
    const model = join(process.cwd(), 'models/llm-attention-block.onnx');
    const dir = join(cwd, 'kit');
    const r = await runCli(['plan', model, '--target', 'ascend-910b', '-o', dir], { cwd });
    expect(r.code).toBe(0);
    // 3 medium (2–5 each, the profile's) + 2 low (1 each, the config's).
    expect(r.stdout).toContain('ascend-910b: blocked, 5 work items (3 medium, 2 low): 8–17 engineer-days');
    const porting = readFileSync(join(dir, 'PORTING.md'), 'utf8');
    expect(porting).toContain('| Huawei Ascend 910B | Blocked | 5 work items \\(3 medium, 2 low\\) | 8–17 engineer-days |');
    expect(porting).toContain('rates for high, low from the config file \\(effortDays\\), the others from the target profile');
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
    expect(report.targets[0]!.effortRates!.days).toEqual({ low: [1, 1], medium: [2, 5], high: [10, 20] });

    const md = await runCli([model, '--target', 'ascend-910b', '--format', 'markdown'], { cwd });
    expect(md.stdout).toContain('### Porting effort');
    expect(md.stdout).toContain('5 work items \\(3 medium, 2 low\\): 8–17 engineer\\-days');
    const html = await runCli([model, '--target', 'ascend-910b', '--format', 'html'], { cwd });
    expect(html.stdout).toContain('<dt>Engineer-days</dt><dd title="one work item per error or warning finding; ');
    expect(html.stdout).toContain('>8–17 engineer-days</dd>');
  });

  test('a broken effortDays in the config is exit 2 naming the key', async () => {
    const cwd = mkdtempSync(join(root, 'cfg-bad-'));
    writeFileSync(join(cwd, 'port-check.config.yaml'), 'effortDays:\n  low: [3, 1]\n');
    const r = await runCli(['plan', join(process.cwd(), 'models/resnet-block.onnx'), '-o', join(cwd, 'kit')], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/effortDays\.low/);
  });
});

/**
 * Names a model chooses that collide with Object.prototype ("constructor", "toString",
 * "__proto__", ...) are ordinary names everywhere: as graph inputs and outputs, as symbolic dims
 * given with --dim, in the static check and in --run. And the other run-time bounds of round two:
 * --iterations has a ceiling, ONNX Runtime's own log level is set so its lines stay off the terminal.
 */
import { describe, expect, it } from 'vitest';
import { MAX_ITERATIONS } from '../../src/runtime/index.js';
import { loadOrt } from '../../src/runtime/load-ort.js';
import { runCli } from '../cli/run-cli.js';
import { cliJson, f32, modelOf, tempFolder, usageErrorLine, writeModel } from './hostile-files.js';

const dir = tempFolder('proto-names');
const NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

function dimOf(name: string): string | number {
  return name === 'constructor' || name === '__proto__' ? name : 1;
}

// x_i → Relu → NAMES[i]; the inputs themselves carry the names too, with a symbolic dim each.
const model = modelOf({
  nodes: NAMES.map((n, i) => ({ opType: 'Relu', name: n, inputs: [n], outputs: [`${n}_out${i}`] })),
  inputs: NAMES.map((n) => f32(n, [dimOf(n), 4])),
  outputs: NAMES.map((n, i) => f32(`${n}_out${i}`, [dimOf(n), 4])),
});
writeModel(dir, 'proto.onnx', model);

describe('graph inputs, outputs and dims named after Object.prototype members', () => {
  it('the static check reports them as ordinary names', async () => {
    const r = await cliJson('proto.onnx', dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.report!.model.inputs.map((i) => i.name)).toEqual(NAMES);
  });

  it('--run feeds every input and runs (with --dim constructor=3 and --input-value toString=1)', async () => {
    const r = await cliJson('proto.onnx', dir, ['--run', '--dim', 'constructor=3', '--input-value', 'toString=1', '--iterations', '1']);
    expect(r.code, r.stderr).toBe(0);
    const run = r.report!.run!;
    expect(run.status, JSON.stringify(run)).toBe('ok');
    expect(run.inputs.map((i) => i.name)).toEqual(NAMES);
    expect(run.inputs.find((i) => i.name === 'constructor')!.dims).toEqual([3, 4]);
    expect(run.inputs.find((i) => i.name === 'toString')!.source).toBe('value');
  });

  it('a --shape for __proto__ that the model has is used; one for a name it lacks is refused', async () => {
    const r = await cliJson('proto.onnx', dir, ['--run', '--shape', '__proto__=2x4', '--iterations', '1']);
    expect(r.report!.run!.inputs.find((i) => i.name === '__proto__')!.dims).toEqual([2, 4]);
    const line = usageErrorLine(await runCli(['proto.onnx', '--run', '--shape', 'isPrototypeOf=1x4'], { cwd: dir }));
    expect(line).toMatch(/--shape isPrototypeOf: the model has no input 'isPrototypeOf'/);
  });
});

// The emulation's side-by-side run reads ONNX Runtime's results by these names: an output named
// "__proto__" (fed from an input named so, in the other model) must come back as a real comparison.
const W = { name: 'W', dtype: 'FLOAT' as const, dims: [8, 8], floats: Array.from({ length: 64 }, (_, i) => ((i * 7) % 13) / 9 - 0.6) };
writeModel(dir, 'proto-output.onnx', modelOf({
  nodes: [
    { opType: 'MatMul', name: 'mm', inputs: ['constructor', 'W'], outputs: ['h'] },
    { opType: 'Tanh', name: 'tanh', inputs: ['h'], outputs: ['__proto__'] },
    { opType: 'Sigmoid', name: 'sig', inputs: ['h'], outputs: ['toString'] },
  ],
  inputs: [f32('constructor', [1, 8])],
  outputs: [f32('__proto__', [1, 8]), f32('toString', [1, 8])],
  initializers: [W],
}));
writeModel(dir, 'proto-input.onnx', modelOf({
  nodes: [
    { opType: 'MatMul', name: 'mm', inputs: ['__proto__', 'W'], outputs: ['h'] },
    { opType: 'Tanh', name: 'tanh', inputs: ['h'], outputs: ['valueOf'] },
  ],
  inputs: [f32('__proto__', [1, 8])],
  outputs: [f32('valueOf', [1, 8])],
  initializers: [W],
}));

describe('--run and its fp16 emulation on inputs and outputs named after Object.prototype members', () => {
  it.each([
    ['proto-output.onnx', ['__proto__', 'toString']],
    ['proto-input.onnx', ['valueOf']],
  ])('%s: every output is compared, none "not returned by ONNX Runtime"', async (file, outputs) => {
    const r = await cliJson(file, dir, ['--run', '--target', 'ascend-910b', '--iterations', '1']);
    expect(r.code, r.stderr).toBeLessThan(2);
    expect(r.report!.run!.status).toBe('ok');
    const precision = r.report!.targets[0]!.precision!;
    expect(precision.status, JSON.stringify(precision)).toBe('ok');
    expect(precision.outputs.map((o) => o.name)).toEqual(outputs);
    for (const o of precision.outputs) {
      expect(o.note, o.name).toBeUndefined();
      expect(o.verdict, o.name).toBe('pass');
      expect(o.dims).toEqual([1, 8]);
      // fp16 rounding of a [-1, 1] value: a real, tiny difference, not an identity.
      expect(o.metrics!.cosine).toBeGreaterThan(0.999);
      expect(o.metrics!.maxAbsError).toBeGreaterThan(0);
    }
    // Every node's metrics came back too.
    expect(precision.layerwise).toMatchObject({ compared: outputs.length + 1, missing: 0 });
  });
});

describe('run bounds', () => {
  it.each(['1e12', String(MAX_ITERATIONS + 1), '0'])('--iterations %s is refused with one line', async (n) => {
    const line = usageErrorLine(await runCli(['proto.onnx', '--run', '--iterations', n], { cwd: dir }));
    expect(line).toBe(`port-check: --iterations takes a whole number from 1 to ${MAX_ITERATIONS}, got '${n}'`);
  });

  it("ONNX Runtime's process-wide log level is 'fatal' once port-check has loaded it (no --debug)", async () => {
    await cliJson('proto.onnx', dir, ['--run', '--iterations', '1']);
    expect((await loadOrt()).env.logLevel).toBe('fatal');
  });
});

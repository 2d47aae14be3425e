import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { atcScript } from '../../src/plan/atc-command.js';
import { atcShapes } from '../../src/plan/atc-shapes.js';
import { parseGearDims } from '../../src/plan/gears.js';
import { shellQuote } from '../../src/plan/shell-quote.js';
import { decodeModel } from '../../src/onnx/decode.js';
import { encodeModel } from '../../src/onnx/writer.js';
import type { ValueSpec } from '../../src/onnx/model-spec.js';
import { loadBuiltinProfile } from '../../src/profiles/load.js';

function modelWithInputs(inputs: ValueSpec[]) {
  return decodeModel(encodeModel({
    opsets: { 'ai.onnx': 17 },
    graph: {
      name: 'g',
      nodes: inputs.map((i, k) => ({ opType: 'Relu', name: `r${k}`, inputs: [i.name], outputs: [`y${k}`] })),
      inputs,
      outputs: inputs.map((_, k) => ({ name: `y${k}`, dtype: 'FLOAT', dims: [1] })),
    },
  }));
}

describe('shellQuote', () => {
  test('sh reads back any string without NUL as exactly that one word', () => {
    const strings = fc.sample(fc.string({ unit: 'binary' }).filter((s) => !s.includes('\0')), { numRuns: 100, seed: 14 });
    strings.push(`it's "$(rm -rf ~)" \`x\` \\ \n$HOME;|&`, "'", "''", '');
    const out = execFileSync('sh', ['-c', `for a in ${strings.map(shellQuote).join(' ')}; do printf '%s\\0' "$a"; done`], { encoding: 'utf8' });
    expect(out.split('\0').slice(0, -1)).toEqual(strings);
  });
});

describe('ATC shapes and gears', () => {
  test('a dim given several values becomes -1 in --input_shape and a gear per combination in --dynamic_dims', () => {
    const model = modelWithInputs([
      { name: 'a', dtype: 'FLOAT', dims: ['batch', 3, 'h', 'h'] },
      { name: 'b', dtype: 'FLOAT', dims: ['batch', 7] },
    ]);
    const shapes = atcShapes(model, parseGearDims(['batch=1,2', 'h=32,64']), {});
    expect(shapes.inputs).toEqual([{ name: 'a', dims: [-1, 3, -1, -1] }, { name: 'b', dims: [-1, 7] }]);
    // One value per -1, in --input_shape order: batch, h, h, batch.
    expect(shapes.gears).toEqual([[1, 32, 32, 1], [1, 64, 64, 1], [2, 32, 32, 2], [2, 64, 64, 2]]);
  });

  test('more gears than ATC takes, or a bad value, is a usage error', () => {
    expect(() => parseGearDims(['a=1,2,3,4,5,6,7,8,9,10,11', 'b=1,2,3,4,5,6,7,8,9,10'])).toThrow(/110 gears in all, more than the 100/);
    expect(() => parseGearDims(['batch=0'])).toThrow(/positive whole numbers/);
    expect(() => parseGearDims(['=4'])).toThrow(/expected name=N/);
  });

  test('an input whose name holds ";" cannot be written in --input_shape: it is left out and the script says so', () => {
    const model = modelWithInputs([
      { name: 'ok', dtype: 'FLOAT', dims: [1, 4] },
      { name: 'a;b\nc', dtype: 'FLOAT', dims: [1, 4] },
    ]);
    const shapes = atcShapes(model, new Map(), {});
    expect(shapes.inputs).toEqual([{ name: 'ok', dims: [1, 4] }]);
    expect(shapes.unknown).toEqual(['a;b\nc']);
    const atc = loadBuiltinProfile('ascend-910b').software.atc!;
    const script = atcScript({ modelFile: 'm.onnx', outputName: 'm', targetName: 'Huawei Ascend 910B', atc, soc: 'Ascend910B3', shapes });
    expect(script).toContain("--input_shape='ok:1,4'");
    // The comment naming it stays one comment line.
    expect(script).toContain('# No --input_shape for a;b c: the model declares no shape');
    expect(script.split('\n').filter((l) => l.includes('a;b'))).toHaveLength(1);
  });
});

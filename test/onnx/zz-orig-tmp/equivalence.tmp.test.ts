import { describe, expect, test } from 'vitest';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModel } from '../../../src/onnx/decode.js';
import * as now from '../../../src/onnx/rewrite.js';
import * as old from './rewrite.js';
import { renameInitializers as oldRename } from './model-transform.js';
import type { NodeSpec, TensorSpec } from '../../../src/onnx/model-spec.js';

const files: string[] = [];
for (const f of readdirSync('models')) if (f.endsWith('.onnx')) files.push(join('models', f));
if (existsSync('.cache/models')) for (const d of readdirSync('.cache/models')) {
  const dir = join('.cache/models', d);
  for (const f of readdirSync(dir)) if (f.endsWith('.onnx')) files.push(join(dir, f));
}

function outcome(fn: () => Uint8Array): Buffer | string {
  try { return Buffer.from(fn()); } catch (e) { return `${(e as Error).name}: ${(e as Error).message}`; }
}

const raw4: TensorSpec = { name: 'c4', dtype: 'FLOAT', dims: [], raw: new Uint8Array([0, 0, 128, 63]) };
const nodes: NodeSpec[] = [
  { opType: 'Cast', name: 'a', inputs: ['p'], outputs: ['q'], attributes: { to: { i: 10 } } },
  { opType: 'Foo', domain: 'com.x', name: 'b', inputs: ['q', ''], outputs: ['r'], attributes: {
    f: { f: 0.5 }, s: { s: 'hi' }, ints: { ints: [1, -2, 3n] }, floats: { floats: [1.5] }, strings: { strings: ['a', 'b'] },
    t: { t: { name: 't', dtype: 'FLOAT16', dims: [2], raw: new Uint8Array([1, 2, 3, 4]) } } } },
  { opType: 'Relu', inputs: ['r'], outputs: ['s'] },
  { opType: 'Relu', domain: 'ai.onnx', inputs: ['r'], outputs: ['s2'] },
];

describe.each(files)('%s', (file) => {
  const bytes = new Uint8Array(readFileSync(file));
  const ir = decodeModel(bytes);
  const g = ir.graphs[0]!;
  const outs = g.nodes.flatMap((n) => n.outputs).filter((o) => o !== '');
  const editsList: now.RewriteEdits[] = [
    {},
    { addOutputs: outs.slice(0, 5) },
    { addOutputs: [{ name: outs[0]!, dtype: 'FLOAT', dims: [1, 'N', null] }, { name: 'x', dtype: 'FLOAT16' }, { name: 'y', dtype: 'INT64', dims: [] }] },
    { removeOutputs: g.outputs.map((o) => o.name).slice(0, 1), addOutputs: outs.slice(-2) },
    { renameNodeOutputs: Object.fromEntries(outs.slice(0, 7).map((o) => [o, `${o}__r`])), appendNodes: nodes, appendInitializers: [raw4, { name: 'e', dtype: 'INT64', dims: [0] }] },
    { addOpsetImports: { 'ai.onnx': 99, 'com.x': 1, '': 3, 'com.microsoft': 1 } },
    { retype: { from: 'FLOAT16', to: 'FLOAT' } },
    { retype: { from: 'BFLOAT16', to: 'FLOAT' }, addOutputs: outs.slice(0, 2) },
    { retype: { from: 'FLOAT16', to: 'FLOAT' }, renameNodeOutputs: { [outs[0]!]: 'zz' }, appendNodes: [nodes[0]!] },
  ];
  test('rewriteModel: same bytes as before', () => {
    for (const edits of editsList) {
      const a = outcome(() => old.rewriteModel(bytes, edits as old.RewriteEdits));
      const b = outcome(() => now.rewriteModel(bytes, edits));
      expect(typeof a === 'string' ? a : a.equals(b as Buffer), JSON.stringify(Object.keys(edits))).toEqual(typeof a === 'string' ? b : true);
    }
  });
  test('renameInitializers: same bytes as before', () => {
    const names = g.initializers.map((t) => t.name);
    for (const m of [new Map(), new Map(names.slice(0, 3).map((n) => [n, `${n}__src`])), new Map(names.map((n) => [n, 'x'])), new Map(g.inputs.map((i) => [i.name, 'in2']))]) {
      const a = outcome(() => oldRename(bytes, m));
      const b = outcome(() => now.renameInitializers(bytes, m));
      expect(typeof a === 'string' ? a : a.equals(b as Buffer)).toEqual(typeof a === 'string' ? b : true);
    }
  });
  test('same errors on truncated and corrupted bytes', () => {
    const step = Math.max(1, Math.floor(bytes.length / 300));
    const name = g.initializers[0]?.name ?? 'w';
    for (let cut = 0; cut < bytes.length; cut += step) {
      const t = bytes.subarray(0, cut);
      const c = bytes.slice(); c[cut] = c[cut]! ^ 0xff;
      for (const x of [t, c]) {
        for (const edits of [{ addOutputs: ['a'] }, { retype: { from: 'FLOAT16', to: 'FLOAT' } } as const, { renameNodeOutputs: { [outs[0]!]: 'q' } }]) {
          const a = outcome(() => old.rewriteModel(x, edits));
          const b = outcome(() => now.rewriteModel(x, edits));
          if (typeof a === 'string' || typeof b === 'string') expect(b).toEqual(a); else expect(a.equals(b)).toBe(true);
        }
        const a = outcome(() => oldRename(x, new Map([[name, 'v']])));
        const b = outcome(() => now.renameInitializers(x, new Map([[name, 'v']])));
        if (typeof a === 'string' || typeof b === 'string') expect(b).toEqual(a); else expect(a.equals(b)).toBe(true);
      }
    }
  });
});

test('appended pieces whose bytes now follow field-number order decode the same', () => {
  const bytes = new Uint8Array(readFileSync('models/resnet-block.onnx'));
  const edits: now.RewriteEdits = {
    appendNodes: [{ opType: 'F', domain: 'd', name: '', inputs: ['a'], outputs: ['b'], attributes: { r: { ref: 'alpha', type: 'FLOAT' } } }],
    appendInitializers: [{ name: 'k', dtype: 'FLOAT', dims: [2], floats: [1, 2] }, { name: 'j', dtype: 'INT64', dims: [1], int64s: [5] }, { name: 'i', dtype: 'INT32', dims: [1], int32s: [5] }],
  };
  expect(decodeModel(now.rewriteModel(bytes, edits))).toEqual(decodeModel(old.rewriteModel(bytes, edits as old.RewriteEdits)));
  for (const bad of [
    { appendNodes: [{ opType: 'If', inputs: [], outputs: [], attributes: { g: { g: { nodes: [], inputs: [], outputs: [] } } } }] },
    { appendNodes: [{ opType: 'C', inputs: [], outputs: [], attributes: { t: { t: { name: 'e', dtype: 'FLOAT', dims: [], external: { location: 'x' } } } } }] },
    { appendInitializers: [{ name: 'e', dtype: 'FLOAT', dims: [], external: { location: 'x' } }] },
  ] as now.RewriteEdits[]) {
    expect(outcome(() => now.rewriteModel(bytes, bad))).toEqual(outcome(() => old.rewriteModel(bytes, bad as old.RewriteEdits)));
    expect(typeof outcome(() => now.rewriteModel(bytes, bad))).toBe('string');
  }
});

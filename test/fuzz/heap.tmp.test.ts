import { test } from 'vitest';
import v8 from 'node:v8';
import vm from 'node:vm';
import { concat, ldTag, modelAround, msg, nest, varint } from '../onnx/raw-proto.js';
import { decodeModel } from '../../src/onnx/decode.js';
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
function deepIfModel(levels: number): Uint8Array {
  const innermost = msg([1, 'bytes', msg([4, 'bytes', 'Relu'])]);
  const graph = nest(innermost, levels, (innerLength) => {
    const attrHead = concat(msg([1, 'bytes', 'then_branch'], [20, 'varint', 5]), ldTag(6), varint(innerLength));
    const attrLength = attrHead.length + innerLength;
    const nodeHead = concat(msg([4, 'bytes', 'If']), ldTag(5), varint(attrLength));
    const nodeLength = nodeHead.length + attrLength;
    return concat(ldTag(1), varint(nodeLength), nodeHead, attrHead);
  });
  return modelAround(graph);
}
function estimate(bytes: Uint8Array): number {
  let lo = 1, hi = 2 ** 31;
  while (hi - lo > hi / 100) { const mid = Math.floor((lo + hi) / 2); try { decodeModel(bytes, { maxDecodedHeapBytes: mid }); hi = mid; } catch { lo = mid; } }
  return hi;
}
function real(bytes: Uint8Array): number {
  gc(); const b = process.memoryUsage().heapUsed; const m = decodeModel(bytes); gc(); const a = process.memoryUsage().heapUsed; (globalThis as any).keep = m; const r = a - b; (globalThis as any).keep = undefined; return r;
}
test('h', () => {
  const shapes: Record<string, Uint8Array> = {};
  shapes.deepIf = deepIfModel(20000);
  const empty = new Uint8Array(400_000); for (let i = 0; i < empty.length; i += 2) empty[i] = 0x0a; shapes.emptyNodes = modelAround(empty);
  // nodes with 10 one-char inputs
  const node = msg(...Array.from({ length: 10 }, (_, k) => [1, 'bytes', String.fromCharCode(97 + k)] as const));
  shapes.nodeInputs = modelAround(concat(...Array.from({ length: 20000 }, () => concat(ldTag(1), varint(node.length), node))));
  // value infos with 8 dims
  const dim = msg([1, 'varint', 3]);
  const shape = msg(...Array.from({ length: 8 }, () => [1, 'bytes', dim] as const));
  const vi = msg([1, 'bytes', 'v'], [2, 'bytes', msg([1, 'bytes', msg([1, 'varint', 1], [2, 'bytes', shape])])]);
  shapes.valueInfos = modelAround(concat(...Array.from({ length: 20000 }, () => concat(ldTag(13), varint(vi.length), vi))));
  // attributes with ints packed 100
  const attr = msg([1, 'bytes', 'a'], [8, 'bytes', new Uint8Array(100).fill(1)]);
  const nodeA = msg([4, 'bytes', 'X'], [5, 'bytes', attr]);
  shapes.attrInts = modelAround(concat(...Array.from({ length: 5000 }, () => concat(ldTag(1), varint(nodeA.length), nodeA))));
  // empty tensors (initializers)
  const t = msg([2, 'varint', 1], [8, 'bytes', 't']);
  shapes.tensors = modelAround(concat(...Array.from({ length: 50000 }, () => concat(ldTag(5), varint(t.length), t))));
  // wide: many If with tiny subgraphs
  const g = msg([1, 'bytes', msg([4, 'bytes', 'Relu'])]);
  const ifNode = msg([4, 'bytes', 'If'], [5, 'bytes', msg([1, 'bytes', 'then_branch'], [20, 'varint', 5], [6, 'bytes', g])]);
  shapes.wideIf = modelAround(concat(...Array.from({ length: 20000 }, () => concat(ldTag(1), varint(ifNode.length), ifNode))));
  for (const [k, b] of Object.entries(shapes)) {
    const e = estimate(b); const r = real(b);
    console.log(`${k}: file=${b.length} est=${(e / 2 ** 20).toFixed(1)}MiB real=${(r / 2 ** 20).toFixed(1)}MiB ratio=${(r / e).toFixed(2)}`);
  }
}, 600000);

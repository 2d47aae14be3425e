import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { check } from '../../src/check.js';
import { concat, ldTag, modelAround, msg, nest, varint } from '../onnx/raw-proto.js';
import { formatAll } from './pipeline.js';

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
test('nest', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nest-'));
  for (const n of [1000, 5000, 30000, 100000]) {
    const f = join(dir, `n${n}.onnx`);
    writeFileSync(f, deepIfModel(n));
    const s = performance.now();
    const r = await check(f, { targets: ['h20', 'ascend-910b', 'ascend-910c'] });
    const t1 = performance.now() - s;
    const outs = formatAll(r);
    console.log(n, t1.toFixed(0), (performance.now() - s - t1).toFixed(0), Object.entries(outs).map(([k, v]) => `${k}:${v.length}`).join(' '));
    console.log(r.targets[1]!.findings.map((f) => `${f.rule}/${f.code} ${f.message.slice(0, 200)}`).join('\n'));
  }
}, 600000);

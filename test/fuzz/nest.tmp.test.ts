import { test } from 'vitest';
import { concat, ldTag, modelAround, msg, nest, varint } from '../onnx/raw-proto.js';
import { RULES, opCoverage, runChecks, CHECKS } from '../../src/checks/index.js';
import { inspectModel } from '../../src/inspect/inspect.js';
import { decodeModel } from '../../src/onnx/decode.js';
import { resolveTargets } from '../../src/profiles/load.js';
import { buildReport } from '../../src/report/build.js';

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
  const profiles = resolveTargets(['h20', 'ascend-910b', 'ascend-910c'], []);
  for (const n of (process.env.LV ?? "400000").split(",").map(Number)) {
    const bytes = deepIfModel(n);
    let s = performance.now();
    const model = decodeModel(bytes); console.log("heap", process.memoryUsage().heapUsed / 2**20, "graphs", model.graphs.length);
    const t: string[] = [`${n} bytes=${bytes.length} decode=${(performance.now() - s).toFixed(0)}`];
    s = performance.now(); const facts = inspectModel(model); t.push(`inspect=${(performance.now() - s).toFixed(0)}`);
    for (const c of CHECKS) { s = performance.now(); c.run({ model, facts, profile: profiles[1]! }); const d = performance.now() - s; if (d > 20) t.push(`${c.id}=${d.toFixed(0)}`); }
    s = performance.now(); opCoverage(model, facts, profiles[1]!); t.push(`cov=${(performance.now() - s).toFixed(0)}`);
    console.log(t.join(' '));
  }
}, 600000);

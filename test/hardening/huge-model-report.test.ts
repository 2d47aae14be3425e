/**
 * Reports of huge models are summarised, not one line per node or per op type: a model with a
 * hundred thousand named nodes over a thousand distinct unknown op types gives every format an
 * output of bounded size (doubling the model leaves them the same size), node lists capped with
 * a count of the rest, the op types named with their node counts, and the op types past the first
 * hundred findings folded into one finding that counts them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check.js';
import { MAX_FINDINGS_PER_CODE } from '../../src/checks/more-findings.js';
import { MAX_NODE_REFS } from '../../src/findings/finding.js';
import { formatText } from '../../src/report/text.js';
import { RULES } from '../../src/rules.js';
import { formatAll } from '../fuzz/pipeline.js';
import { concat, modelAround, msg } from '../onnx/raw-proto.js';
import { field, joined, node, valueInfo } from './floods.js';
import { TARGETS, tempFolder } from './hostile-files.js';

const dir = tempFolder('huge-report');

/**
 * A chain of `count` named nodes: every other one a Relu, every tenth a Frobnicate (unknown
 * everywhere), the rest (4 in 10) one of `distinct` unknown op types Op0, Op1, ... in turn.
 */
function manyOpTypes(count: number, distinct: number): Uint8Array {
  const opOf = (i: number): string =>
    i % 2 === 0 ? 'Relu' : i % 10 === 1 ? 'Frobnicate' : `Op${(Math.floor(i / 10) * 4 + ((i % 10) - 3) / 2) % distinct}`;
  const nodes = joined(count, (i) =>
    field(1, node(opOf(i), [i === 0 ? 'x' : `t${i - 1}`], [i === count - 1 ? 'y' : `t${i}`], msg([3, 'bytes', `/model/layer.${i}/op`]))),
  );
  return modelAround(concat(nodes, field(11, valueInfo('x')), field(12, valueInfo('y'))));
}

async function outputsOf(count: number, distinct: number): Promise<Record<string, string>> {
  const file = join(dir, `ops-${count}.onnx`);
  writeFileSync(file, manyOpTypes(count, distinct));
  const report = await check(file, { targets: [...TARGETS], displayPath: `ops-${count}.onnx` });
  return { ...formatAll(report), 'text --verbose': formatText([report], { rules: RULES, verbose: true }) };
}

/** How many of the model's node names an output mentions. */
const nodeNamesIn = (output: string): number => output.match(/\/model\/layer\.\d+\/op/g)?.length ?? 0;

describe('reports of huge models', () => {
  it('100k and 200k nodes over 1,000 and 2,000 op types: every format the same size, op types counted, nodes capped', async () => {
    const small = await outputsOf(100_000, 1_000);
    const big = await outputsOf(200_000, 2_000);

    // Doubling the nodes and op types leaves every format but JSON (the data: every op type's
    // row in the op table) the same size, give or take the digits of the counts.
    const sizes = Object.fromEntries(Object.keys(small).filter((f) => f !== 'json').map((f) => [f, big[f]!.length / small[f]!.length]));
    for (const [format, ratio] of Object.entries(sizes)) expect(ratio, `${format}: ${JSON.stringify(sizes)}`).toBeLessThan(1.05);
    expect(big.sarif!.length).toBeLessThan(2 * 2 ** 20);
    expect(big.html!.length).toBeLessThan(2 * 2 ** 20);
    expect(big.junit!.length).toBeLessThan(2 * 2 ** 20);
    expect(big.text!.length).toBeLessThan(64 * 1024);

    // No format lists more node names than the findings it lists can hold (MAX_NODE_REFS each).
    const listedFindings = TARGETS.length * (MAX_FINDINGS_PER_CODE + 2);
    for (const [format, out] of Object.entries(big)) {
      expect(nodeNamesIn(out), format).toBeLessThanOrEqual(listedFindings * MAX_NODE_REFS * 2);
    }

    // The op types a user must act on, with their node counts; the ones past the first hundred counted.
    const text = big.text!;
    expect(text).toContain('200000 nodes · 2002 op types');
    expect(text).toMatch(/Frobnicate \(20000 nodes/);
    expect(text).toMatch(/1901 more findings of op-support\/(unsupported|unknown)-op, not listed one by one \(/);
    const verbose = big['text --verbose']!;
    expect(verbose).toMatch(/\n {2}Relu +17 +100000 /);
    expect(verbose).toMatch(/… and 1802 more op types with fewer nodes \(see --format json\)/);
    const json = JSON.parse(big.json!) as { targets: { ops: { op: string; nodeCount: number }[] }[] };
    expect(json.targets[0]!.ops.find((r) => r.op === 'Relu')?.nodeCount).toBe(100_000);
    expect(json.targets[0]!.ops).toHaveLength(2002);
  }, 300_000);
});

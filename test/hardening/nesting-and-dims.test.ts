/**
 * Nesting bombs and absurd dims, end to end through the CLI: each gives a report (or, past the
 * nesting limit, a one-line error) within a time bound, and every format renders the report.
 */
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check.js';
import { formatJson } from '../../src/report/json.js';
import { RULES } from '../../src/rules.js';
import { MAX_SUBGRAPH_DEPTH } from '../../src/onnx/decode-context.js';
import type { Report } from '../../src/report/types.js';
import { expectSaneOutcome, formatAll } from '../fuzz/pipeline.js';
import { modelAround, msg } from '../onnx/raw-proto.js';
import { TARGETS, cliJson, deepIfModel, f32, modelOf, tempFolder, usageErrorLine, writeModel } from './hostile-files.js';

const dir = tempFolder('nesting');

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await run();
  return { value, ms: performance.now() - started };
}

function expectEveryFormatRenders(report: Report, file: string): void {
  const outputs = formatAll(report);
  expectSaneOutcome({ kind: 'report', report, outputs }, file);
}

describe('nesting bombs', () => {
  it('If subgraphs 5,000 deep: a report in bounded time, the depth named, every format rendered', async () => {
    writeModel(dir, 'deep-5000.onnx', deepIfModel(5000));
    const { value: r, ms } = await timed(() => cliJson('deep-5000.onnx', dir));
    expect(r.code, r.stderr).toBe(0);
    expect(ms).toBeLessThan(15_000); // ~0.3 s alone
    expect(r.report!.model).toMatchObject({ graphCount: 5001, nodeCount: 5001 });
    const flow = r.report!.targets[1]!.findings.find((f) => f.rule === 'control-flow');
    expect(flow?.message).toMatch(/If \(5000 nodes\).*subgraphs nest 5000 deep/);
    expectEveryFormatRenders(r.report!, 'deep-5000.onnx');
  });

  it(`past ${MAX_SUBGRAPH_DEPTH} levels: exit 2, one line naming the file and the limit, in bounded time`, async () => {
    writeModel(dir, 'deep-bomb.onnx', deepIfModel(MAX_SUBGRAPH_DEPTH + 10));
    const { value: r, ms } = await timed(() => cliJson('deep-bomb.onnx', dir));
    const line = usageErrorLine(r);
    expect(line).toMatch(/^port-check: \S*deep-bomb\.onnx: nests subgraphs \(If\/Loop\/Scan bodies\) more than 65536 levels deep/);
    expect(ms).toBeLessThan(30_000); // ~1.5 s alone
  });

  it('a Loop whose body holds a Scan whose body holds an If: every level is walked', async () => {
    const leaf = { nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['r'] }], inputs: [], outputs: [f32('r')] };
    const ifGraph = { nodes: [{ opType: 'If', inputs: ['c'], outputs: ['i'], attributes: { then_branch: { g: leaf }, else_branch: { g: leaf } } }], inputs: [], outputs: [f32('i')] };
    const scanGraph = { nodes: [{ opType: 'Scan', inputs: ['x'], outputs: ['s'], attributes: { body: { g: ifGraph }, num_scan_inputs: { i: 1 } } }], inputs: [], outputs: [f32('s')] };
    writeModel(dir, 'mixed.onnx', modelOf({
      nodes: [{ opType: 'Loop', name: 'loop', inputs: ['n', 'c'], outputs: ['y'], attributes: { body: { g: scanGraph } } }],
      inputs: [f32('x'), { name: 'n', dtype: 'INT64', dims: [] }, { name: 'c', dtype: 'BOOL', dims: [] }],
      outputs: [f32('y')],
    }));
    const r = await cliJson('mixed.onnx', dir);
    expect(r.code, r.stderr).toBeLessThan(2);
    expect(r.report!.model).toMatchObject({ graphCount: 5, nodeCount: 5 });
    const flowOps = r.report!.targets[0]!.findings.filter((f) => f.rule === 'control-flow').map((f) => f.op);
    expect(flowOps).toEqual(expect.arrayContaining(['If', 'Loop', 'Scan']));
  });
});

describe('absurd dims', () => {
  const huge = 2 ** 60;

  it('dims of 2^60 on inputs, outputs, value_info and a weight: a report, no allocation, every format rendered', async () => {
    writeModel(dir, 'huge.onnx', modelOf({
      nodes: [
        { opType: 'MatMul', name: 'mm', inputs: ['x', 'w'], outputs: ['y'] },
        { opType: 'Reshape', name: 'rs', inputs: ['y', 'shape'], outputs: ['z'] },
      ],
      inputs: [f32('x', [huge, huge])],
      outputs: [f32('z', [huge, huge, huge])],
      valueInfo: [f32('y', [huge, huge])],
      initializers: [
        { name: 'w', dtype: 'FLOAT', dims: [huge, huge] },
        { name: 'shape', dtype: 'INT64', dims: [3], int64s: [2n ** 60n, 2n ** 62n, -1n] },
      ],
    }));
    const heapBefore = process.memoryUsage().heapUsed;
    const { value: r, ms } = await timed(() => cliJson('huge.onnx', dir));
    expect(r.code, r.stderr).toBeLessThan(2);
    expect(ms).toBeLessThan(10_000);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(256 * 2 ** 20);
    expect(r.report!.model.inputs).toEqual([{ name: 'x', dtype: 'FLOAT', dims: [huge, huge] }]);
    expectEveryFormatRenders(r.report!, 'huge.onnx');
  });

  it('dim_value 2^63-1 and -2^63 written as raw varints: a report, dims kept as numbers', async () => {
    const dim = (v: bigint): Uint8Array => msg([1, 'varint', v]);
    const shape = msg([1, 'bytes', dim(2n ** 63n - 1n)], [1, 'bytes', dim(-(2n ** 63n))]);
    const input = msg([1, 'bytes', 'x'], [2, 'bytes', msg([1, 'bytes', msg([1, 'varint', 1], [2, 'bytes', shape])])]);
    const node = msg([1, 'bytes', 'x'], [2, 'bytes', 'y'], [4, 'bytes', 'Relu']);
    writeModel(dir, 'int64-edges.onnx', modelAround(msg([1, 'bytes', node], [11, 'bytes', input], [12, 'bytes', msg([1, 'bytes', 'y'])])));
    const r = await cliJson('int64-edges.onnx', dir);
    expect(r.code, r.stderr).toBeLessThan(2);
    expect(r.report!.model.inputs[0]!.dims).toEqual([2 ** 63, -(2 ** 63)]);
    expectEveryFormatRenders(r.report!, 'int64-edges.onnx');
  });

  it('negative dims on an input and a weight: a report on every target, not a crash', async () => {
    writeModel(dir, 'negative.onnx', modelOf({
      nodes: [{ opType: 'MatMul', name: 'mm', inputs: ['x', 'w'], outputs: ['y'] }],
      inputs: [f32('x', [-1, -5])],
      outputs: [f32('y', [-(2 ** 62), 3])],
      initializers: [{ name: 'w', dtype: 'FLOAT', dims: [-3, 4] }],
    }));
    const r = await cliJson('negative.onnx', dir);
    expect(r.code, r.stderr).toBeLessThan(2);
    expect(r.report!.targets.map((t) => t.id)).toEqual([...TARGETS]);
    expect(r.report!.model.inputs[0]!.dims).toEqual([-1, -5]);
    expectEveryFormatRenders(r.report!, 'negative.onnx');
  });

  it('the library entry gives the same report as the CLI for the 2^60 model', async () => {
    const report = await check(`${dir}/huge.onnx`, { targets: [...TARGETS], displayPath: 'huge.onnx' });
    const r = await cliJson('huge.onnx', dir);
    expect(JSON.parse(formatJson([report], { rules: RULES }))).toEqual(r.report);
  });
});

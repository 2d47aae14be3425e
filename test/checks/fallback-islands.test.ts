import { describe, expect, it } from 'vitest';
import { check as checkModel } from '../../src/check.js';
import { formatText } from '../../src/report/text.js';
import type { ModelSpec } from '../../src/onnx/model-spec.js';
import { RULES } from '../../src/rules.js';
import { message } from '../helpers/words.js';
import { saveModel } from '../saved-models.js';
import { f32 } from './models.js';
import { check, gpuVsAscend, ofRule, ruleTable } from './run-checks.js';

const X = [1, 3, 8, 8];
/** 1*3*8*8 float32 values. */
const TENSOR_BYTES = 768;

/**
 * AI Core, AI CPU, AI Core, AI CPU, AI Core on Ascend: CANN's sequence plugins declare
 * ImplyType::AI_CPU, Relu is AI Core. SequenceAt's outputs carry value_info, as an exporter writes
 * it, since no shape rule follows a tensor through a sequence.
 */
const sandwich: ModelSpec = {
  opsets: { 'ai.onnx': 17 },
  graph: {
    nodes: [
      { opType: 'Relu', name: 'r1', inputs: ['x'], outputs: ['a'] },
      { opType: 'SequenceConstruct', name: 'sc1', inputs: ['a', 'a'], outputs: ['s1'] },
      { opType: 'SequenceAt', name: 'sa1', inputs: ['s1', 'i'], outputs: ['t'] },
      { opType: 'Relu', name: 'r2', inputs: ['t'], outputs: ['u'] },
      { opType: 'SequenceConstruct', name: 'sc2', inputs: ['u'], outputs: ['s2'] },
      { opType: 'SequenceAt', name: 'sa2', inputs: ['s2', 'i'], outputs: ['v'] },
      { opType: 'Relu', name: 'r3', inputs: ['v'], outputs: ['y'] },
    ],
    inputs: [f32('x', X)],
    outputs: [f32('y', X)],
    initializers: [{ name: 'i', dtype: 'INT64', dims: [], int64s: [0] }],
    valueInfo: [f32('t', X), f32('v', X)],
  },
};

/** On the H20, Acos has only a CPU kernel in ORT: Relu → Acos → Relu is CUDA, CPU, CUDA. */
const cpuFallback: ModelSpec = {
  opsets: { 'ai.onnx': 17 },
  graph: {
    nodes: [
      { opType: 'Relu', name: 'r1', inputs: ['x'], outputs: ['a'] },
      { opType: 'Acos', name: 'acos', inputs: ['a'], outputs: ['b'] },
      { opType: 'Relu', name: 'r2', inputs: ['b'], outputs: ['y'] },
    ],
    inputs: [f32('x', X)],
    outputs: [f32('y', X)],
  },
};

/** Three AI CPU islands: many small islands are a performance finding of their own. */
function islands(n: number): ModelSpec {
  const nodes: NonNullable<ModelSpec['graph']['nodes']> = [];
  let last = 'x';
  for (let k = 0; k < n; k++) {
    nodes.push(
      { opType: 'Relu', name: `r${k}`, inputs: [last], outputs: [`a${k}`] },
      { opType: 'SequenceConstruct', name: `sc${k}`, inputs: [`a${k}`], outputs: [`s${k}`] },
      { opType: 'SequenceAt', name: `sa${k}`, inputs: [`s${k}`, 'i'], outputs: [`t${k}`] },
    );
    last = `t${k}`;
  }
  nodes.push({ opType: 'Relu', name: 'out', inputs: [last], outputs: ['y'] });
  return {
    opsets: { 'ai.onnx': 17 },
    graph: { nodes, inputs: [f32('x', X)], outputs: [f32('y', X)], initializers: [{ name: 'i', dtype: 'INT64', dims: [], int64s: [0] }] },
  };
}

async function report(name: string, spec: ModelSpec) {
  const saved = saveModel(name, spec);
  return checkModel(saved.path, { targets: ['h20', 'ascend-910b', 'ascend-910c'] });
}

describe('fallback-islands', () => {
  ruleTable('fallback-islands', [
    { name: 'AI CPU sequence ops between AI Core Relus', model: sandwich, expect: gpuVsAscend([], ['fallback-island degraded']) },
    { name: 'Acos between Relus (CPU-only kernel in ORT)', model: cpuFallback, expect: gpuVsAscend(['fallback-island degraded'], []) },
    { name: 'three AI CPU islands', model: islands(3), expect: gpuVsAscend([], ['many-fallback-islands degraded']) },
  ]);

  it('counts the partitions, the AI CPU islands, the crossings and the bytes that cross them', async () => {
    const r = await report('islands-sandwich', sandwich);
    for (const id of ['ascend-910b', 'ascend-910c']) {
      const t = r.targets.find((x) => x.id === id)!;
      expect(t.partitions).toMatchObject({
        device: 'AI Core', host: 'AI CPU', partitions: 5, hostIslands: 2, crossings: 4,
        crossingBytes: 4 * TENSOR_BYTES, unsizedCrossings: 0, shapes: 'inferred',
      });
      expect(t.partitions!.islands).toEqual([
        { nodes: 2, ops: ['SequenceAt', 'SequenceConstruct'] },
        { nodes: 2, ops: ['SequenceAt', 'SequenceConstruct'] },
      ]);
      // The estimate carries the transfer over the host link, and counts it in the latency.
      const transfer = t.estimate!.hostTransfer!;
      expect(transfer).toMatchObject({ link: 'PCIe Gen4 x16', bandwidthGBs: 32, crossings: 4, bytes: 3072, confidence: 'low' });
      expect(transfer.ms).toBeCloseTo(3072 / 32e9 * 1e3 + 4 * 0.01, 4);
      expect(t.estimate!.latencyMs).toBeGreaterThanOrEqual(transfer.ms);
      expect(t.estimate!.assumptions.join('\n')).toMatch(/fallback islands: 4 tensors \(3072 bytes\) cross between AI Core and AI CPU/);
    }
    const h20 = r.targets.find((x) => x.id === 'h20')!;
    expect(h20.partitions).toMatchObject({ partitions: 1, hostIslands: 0, crossings: 0 });
    expect(h20.estimate!.hostTransfer).toBeUndefined();
  });

  it('on the H20, cuts CUDA ↔ CPU around an op with only a CPU kernel and prices the copy on PCIe Gen5', async () => {
    const r = await report('islands-acos', cpuFallback);
    const h20 = r.targets.find((x) => x.id === 'h20')!;
    expect(h20.partitions).toMatchObject({ device: 'CUDA', host: 'CPU', partitions: 3, hostIslands: 1, crossings: 2, crossingBytes: 2 * TENSOR_BYTES });
    expect(h20.estimate!.hostTransfer).toMatchObject({ link: 'PCIe Gen5 x16', bandwidthGBs: 64, crossings: 2, bytes: 1536 });
  });

  it('sizes the crossings from the shapes a real run observed (--run), where inference cannot follow a sequence', async () => {
    // Without value_info, no shape rule follows a tensor out of SequenceAt: those crossings are unsized.
    const bare: ModelSpec = { ...sandwich, graph: { ...sandwich.graph, valueInfo: [] } };
    const saved = saveModel('islands-observed', bare);
    const staticOnly = (await checkModel(saved.path, { targets: ['ascend-910b'] })).targets[0]!;
    expect(staticOnly.partitions).toMatchObject({ crossings: 4, crossingBytes: TENSOR_BYTES, unsizedCrossings: 3, shapes: 'inferred' });
    const run = (await checkModel(saved.path, { targets: ['ascend-910b'], run: { iterations: 1 }, precision: false })).targets[0]!;
    expect(run.partitions).toMatchObject({ crossings: 4, crossingBytes: 4 * TENSOR_BYTES, unsizedCrossings: 0 });
    expect(['observed', 'mixed']).toContain(run.partitions!.shapes);
    expect(run.estimate!.hostTransfer).toMatchObject({ bytes: 4 * TENSOR_BYTES, unsizedCrossings: 0 });
  });

  it('says how many partitions and crossings, naming the AI CPU ops', () => {
    const [finding] = ofRule(check(islands(3), 'ascend-910b'), 'fallback-islands');
    expect(finding!.severity).toBe('warning');
    expect(message(finding!)).toBe(
      'The graph is cut into 7 partitions: 3 islands on AI CPU (SequenceAt, SequenceConstruct) between AI Core ones, 6 tensors crossing per inference',
    );
    expect(finding!.source.join(' ')).toMatch(/ImplyType/);
  });

  it('shows the partitions in the text view beside the op table (--verbose)', async () => {
    const r = await report('islands-text', sandwich);
    const text = formatText([r], { rules: RULES, verbose: true });
    expect(text).toMatch(/ascend-910b: 5 partitions, 2 AI CPU islands, 4 crossings moving 3\.0 KiB \(inferred shapes\) per inference/);
    expect(text).toMatch(/SequenceAt\s+17\s+2\s+CUDA\s+AI CPU ▲\s+AI CPU ▲/);
  });
});

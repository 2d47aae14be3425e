import { describe, expect, it } from 'vitest';
import { inspectModel } from '../../src/inspect/inspect.js';
import { loadModel } from '../../src/onnx/load.js';
import { realModel } from '../fixtures/real-models.js';

/** The facts below are those test/fixtures/README.md documents for each model. */
describe('inspectModel on real models', () => {
  it('ISNet fp16: op counts, fp16 weights, Cast targets, static input', async () => {
    // How fast inspect is: bench/inspect-scale.mjs.
    const facts = inspectModel(await loadModel(realModel('isnetFp16')));
    const count = (op: string) => facts.ops.find((o) => o.opType === op)?.nodeCount;
    expect([count('Conv'), count('Relu'), count('Resize'), count('Cast'), count('Constant')]).toEqual([119, 112, 39, 91, 156]);
    const fp16 = facts.dtypes.find((d) => d.dtype === 'FLOAT16')!;
    expect(fp16.sites.find((s) => s.site === 'initializer')!.count).toBe(238);
    expect(fp16.sites.find((s) => s.site === 'cast_target')!.count).toBe(40);
    expect(facts.dtypes.find((d) => d.dtype === 'FLOAT')!.sites.find((s) => s.site === 'cast_target')!.count).toBe(51);
    expect(facts.dynamicInputs).toEqual([]);
    expect(facts.quantization.schemes).toEqual([]);
  });

  it('ISNet uint8: 119 DynamicQuantizeLinear → ConvInteger pairs, unused imported domains left out', async () => {
    const facts = inspectModel(await loadModel(realModel('isnetUint8')));
    expect(facts.quantization.schemes.map((s) => [s.scheme, s.ops, s.nodeCount])).toEqual([
      ['integer-ops', ['ConvInteger'], 119],
      ['dynamic-quantize', ['DynamicQuantizeLinear'], 119],
    ]);
    expect(facts.customDomains).toEqual([]);
    expect(facts.ops.some((o) => o.opType === 'Conv')).toBe(false);
  });

  it('PaddleOCR det: weights live in Constant nodes and still count as parameters; N, H, W are dynamic', async () => {
    const facts = inspectModel(await loadModel(realModel('paddleocrDet')));
    expect(facts.parameterCount).toBeGreaterThan(1_000_000);
    expect(facts.dtypes.find((d) => d.dtype === 'FLOAT')!.sites.find((s) => s.site === 'constant')!.count).toBe(342);
    expect(facts.dynamicInputs).toHaveLength(1);
    expect(facts.dynamicInputs[0]!.symbolic).toHaveLength(3);
  });

  it('Silero VAD: 25 If nodes across nested subgraphs, LSTM inside the branches', async () => {
    const facts = inspectModel(await loadModel(realModel('sileroVad')));
    expect(facts.controlFlow.map((o) => [o.opType, o.nodeCount])).toEqual([['If', 25]]);
    const lstm = facts.ops.find((o) => o.opType === 'LSTM')!;
    expect(lstm.nodeCount).toBe(4);
    expect(lstm.nodes.every((n) => n.graph.startsWith('main/'))).toBe(true);
    expect(facts.dynamicInputs.map((i) => i.name)).toEqual(['input', 'state']);
  });
});

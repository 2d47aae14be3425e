import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { estimate } from '../../src/estimate/index.js';
import { inspectModel } from '../../src/inspect/inspect.js';
import { loadModel } from '../../src/onnx/load.js';
import { realModel, type RealModelName } from '../fixtures/real-models.js';
import { profile, TARGETS } from './models.js';

async function estimateAll(name: RealModelName) {
  const path = realModel(name);
  const model = await loadModel(path);
  const facts = inspectModel(model);
  const modelBytes = new Uint8Array(readFileSync(path));
  return TARGETS.map((id) => ({ id, e: estimate(model, facts, profile(id), { modelBytes }) }));
}

describe('estimates of real models', () => {
  it('PaddleOCR det, rec, cls and the two ISNets: every node costed, the ISNet time goes mostly to Conv', async () => {
    for (const name of ['paddleocrDet', 'paddleocrRec', 'paddleocrCls', 'isnetFp16', 'isnetUint8'] as const) {
      for (const { e } of await estimateAll(name)) {
        expect(e.nodesNotCosted, name).toEqual({ count: 0, examples: [] });
        expect(e.latencyMs, name).toBeGreaterThan(0);
        expect(e.memory.fits, name).toBe(true);
        expect(e.memory.chipsNeeded, name).toBe(1);
        expect(e.interconnect, name).toBeUndefined();
      }
    }
    const isnet = await estimateAll('isnetFp16');
    for (const { e } of isnet) expect(e.topOpTypes[0]!.opType).toBe('Conv');
  });

  it('Silero VAD: its If nodes are not costed, and the estimate says so and why', async () => {
    for (const { e } of await estimateAll('sileroVad')) {
      expect(e.nodesNotCosted.count).toBeGreaterThan(0);
      expect(e.nodesNotCosted.examples.map((n) => n.reason)).toContain('control flow (If): its subgraphs are not costed');
      expect(e.assumptions.join('\n')).toMatch(/If \/ Loop \/ Scan subgraphs are not costed/);
      expect(e.confidence).not.toBe('high');
    }
  });
});

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openEmulationProbe } from '../../src/plan/emulation-probe.js';
import type { KeepProbe } from '../../src/plan/keep-probe.js';
import { searchKeepSet, tryKeepSet, type KeepSearchResult } from '../../src/plan/keep-search.js';
import { loadBuiltinProfile } from '../../src/profiles/load.js';
import { saveModel } from '../saved-models.js';
import { plantedSpec } from './planted-models.js';

const profile = loadBuiltinProfile('ascend-910b');
const planted = saveModel('planted', plantedSpec());

async function probeOf(path = planted.path, model = planted.model): Promise<KeepProbe> {
  const probe = await openEmulationProbe(path, model, profile);
  if ('error' in probe) throw new Error(probe.error);
  return probe;
}

describe('the keep-fp32 search on a model whose fp16 accuracy breaks at two planted nodes', () => {
  let probe: KeepProbe;
  let result: KeepSearchResult;
  beforeAll(async () => {
    probe = await probeOf();
    result = await searchKeepSet(probe);
  });
  afterAll(() => probe.close());

  test('finds exactly the planted nodes, within the default budget of 32 probes', () => {
    expect(result.status).toBe('found');
    expect(result.keep).toEqual(['overflow_here', 'lose_here']);
    expect(result.minimal).toBe(true);
    expect(result.candidates).toBeGreaterThanOrEqual(2);
    expect(result.probes).toBeGreaterThan(1);
    expect(result.probes).toBeLessThanOrEqual(32);
  });

  test('reports the output failing before and passing after', () => {
    expect(result.before.map((o) => o.verdict)).toEqual(['fail']);
    expect(result.before[0]!.metrics!.newNonFinite).toBeGreaterThan(0);
    expect(result.after.map((o) => o.verdict)).toEqual(['pass']);
    expect(result.after[0]!.metrics!.cosine).toBeGreaterThan(0.9999);
  });

  test('a budget too small says no set sufficed and gives the best reached', async () => {
    const small = await searchKeepSet(probe, { budget: 2 });
    expect(small.status).toBe('none-sufficed');
    expect(small.probes).toBe(2);
    expect(small.after[0]!.verdict).toBe('fail');
    // The best set reached holds the overflow: the output is finite again, though still off.
    expect(small.keep).toEqual(['overflow_here']);
    expect(small.after[0]!.metrics!.newNonFinite).toBe(0);
  });

  test('a set given by hand is tried as it is', async () => {
    const given = await tryKeepSet(probe, ['lose_here']);
    expect(given.status).toBe('given');
    expect(given.probes).toBe(2);
    expect(given.after[0]!.verdict).toBe('fail');
    const both = await tryKeepSet(probe, ['lose_here', 'overflow_here']);
    expect(both.after[0]!.verdict).toBe('pass');
  });
});

describe('a model fp16 does not break', () => {
  test('needs nothing kept, and says so after one probe', async () => {
    const spec = plantedSpec(6);
    const benign = saveModel('benign-only', {
      ...spec,
      graph: {
        ...spec.graph,
        nodes: [
          { opType: 'Relu', name: 'r', inputs: ['x'], outputs: ['h'] },
          { opType: 'Mul', name: 'm', inputs: ['h', 'half'], outputs: ['y'] },
        ],
      },
    });
    const probe = await probeOf(benign.path, benign.model);
    try {
      const result = await searchKeepSet(probe);
      expect(result).toMatchObject({ status: 'not-needed', keep: [], probes: 1, minimal: true });
      expect(result.after[0]!.verdict).toBe('pass');
    } finally {
      await probe.close();
    }
  });
});

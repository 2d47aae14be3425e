import { beforeAll, describe, expect, test } from 'vitest';
import { emulatePrecision } from '../../src/precision/emulate-precision.js';
import { precisionFindings } from '../../src/precision/findings.js';
import type { PrecisionResult } from '../../src/precision/types.js';
import { loadBuiltinProfile } from '../../src/profiles/load.js';
import { bigWeightSpec, overflowSpec, saveModel } from './built-models.js';
import { message, remedy } from '../helpers/words.js';

const profile = loadBuiltinProfile('ascend-910b');
const built = saveModel('overflow', overflowSpec());

describe('an activation above 65504 mid-graph (x·1000·100, divided back)', () => {
  let fp16: PrecisionResult;
  beforeAll(async () => {
    fp16 = await emulatePrecision(built.path, built.model, profile);
  });

  test('under the 910B default policy (force_fp16) the output fails with new infinities', () => {
    expect(fp16.status).toBe('ok');
    expect(fp16.policy).toMatchObject({ name: 'force_fp16', compute: 'fp16', from: 'profile' });
    const [y] = fp16.outputs;
    expect(y).toMatchObject({ name: 'y', verdict: 'fail' });
    expect(y!.metrics!.newNonFinite).toBeGreaterThan(0);
    expect(y!.metrics!.emulated.inf).toBe(y!.metrics!.newNonFinite);
    expect(y!.misses.map((m) => m.metric)).toContain('newNonFinite');
  });

  test('the overflow is localised to the node that produces it, not to the ones before or after', () => {
    const overflow = fp16.overflows.filter((o) => o.kind === 'fp16-overflow');
    expect(overflow.map((o) => o.node)).toEqual(['overflow_here']);
    expect(overflow[0]).toMatchObject({ opType: 'Mul', output: 'b', named: true });
    expect(overflow[0]!.maxAbs).toBeGreaterThan(65504);
    expect(overflow[0]!.maxAbs).toBeLessThan(100_000);
    const nanInf = fp16.overflows.filter((o) => o.kind === 'nan-inf');
    expect(nanInf[0]?.node).toBe('overflow_here');
    expect(nanInf[0]!.count).toBe(overflow[0]!.count);
    expect(fp16.firstDrift).toMatchObject({ node: 'overflow_here', opType: 'Mul', metric: 'newNonFinite' });
  });

  test('suggests keeping that node in its own precision, as an ATC --keep_dtype line', () => {
    expect(fp16.keepDtypeSuggestion).toEqual(['overflow_here']);
  });

  test('keeping the suggested node brings the output back within thresholds', async () => {
    const kept = await emulatePrecision(built.path, built.model, profile, { keep: fp16.keepDtypeSuggestion });
    expect(kept.policy.keepOps).toEqual(['overflow_here']);
    expect(kept.outputs[0]!.verdict).toBe('pass');
    expect(kept.overflows).toEqual([]);
    expect(kept.notEmulated.join('\n')).toContain('Mul ×1');
  });

  test('gives findings a user can act on: fp16-overflow and nan-inf errors naming the node', () => {
    const findings = precisionFindings(fp16, profile);
    expect(findings.map((f) => f.code).sort()).toEqual(['first-drift', 'fp16-overflow', 'nan-inf', 'output-drift']);
    const overflow = findings.find((f) => f.code === 'fp16-overflow')!;
    expect(overflow).toMatchObject({ rule: 'precision-emulation', severity: 'error', level: 'degraded', op: 'Mul' });
    expect(overflow.nodes).toEqual([{ name: 'overflow_here', graph: 'main', index: 1 }]);
    expect(message(overflow)).toMatch(/^output b of overflow_here \(Mul\) holds values up to \d+(\.\d+)?, beyond fp16's largest value 65504: \d+ of 64 become infinity under force_fp16 \(fp16\)$/);
    expect(remedy(overflow)).toContain('--keep_dtype (a config file with the lines: overflow_here)');
    const drift = findings.find((f) => f.code === 'output-drift')!;
    expect(message(drift)).toContain('output y moves past the pass thresholds when emulating force_fp16 (fp16): ');
    expect(message(drift)).toMatch(/newNonFinite \d+ > 0/);
    expect(findings.find((f) => f.code === 'first-drift')!.severity).toBe('warning');
    expect(overflow.source.length).toBeGreaterThan(0);
  });

  test('a bf16 emulation of the same model passes: bf16 has fp32\'s range', async () => {
    const bf16 = await emulatePrecision(built.path, built.model, profile, { precision: 'bf16' });
    expect(bf16.status).toBe('ok');
    expect(bf16.policy.compute).toBe('bf16');
    const y = bf16.outputs[0]!;
    expect(y.verdict).toBe('pass');
    expect(y.metrics!.newNonFinite).toBe(0);
    expect(y.metrics!.cosine).toBeGreaterThan(0.999);
    expect(y.metrics!.maxAbsError).toBeGreaterThan(0); // bf16 rounding is not free
    expect(bf16.overflows).toEqual([]);
    expect(bf16.firstDrift).toBeUndefined();
    expect(precisionFindings(bf16, profile)).toEqual([]);
  });
});

describe('a weight beyond 65504 (x·1e5 / 1e5)', () => {
  test('is caught as an fp16 overflow of that weight, at the first node that reads it', async () => {
    const built = saveModel('big-weight', bigWeightSpec());
    const result = await emulatePrecision(built.path, built.model, profile);
    expect(result.outputs[0]!.verdict).toBe('fail');
    const overflow = result.overflows.filter((o) => o.kind === 'fp16-overflow');
    expect(overflow[0]).toEqual(
      { node: 'times_big', opType: 'Mul', index: 0, named: true, kind: 'fp16-overflow', output: 'big', weight: true, count: 1, elements: 1, maxAbs: 100000 },
    );
    expect(overflow.slice(1).map((o) => [o.node, o.output, o.weight])).toEqual([['times_big', 'a', undefined]]); // x·1e5 too
    const finding = precisionFindings(result, profile).find((f) => f.code === 'fp16-overflow')!;
    expect(message(finding)).toBe(
      "weight big of times_big (Mul) holds values up to 100000, beyond fp16's largest value 65504: 1 of 1 become infinity under force_fp16 (fp16) (and 1 later value)",
    );
  });

  test('suggests keeping every node that reads it; kept, the weight stays in fp32 too, and the output passes', async () => {
    const built = saveModel('big-weight-kept', bigWeightSpec());
    const first = await emulatePrecision(built.path, built.model, profile);
    expect(first.keepDtypeSuggestion).toEqual(['times_big', 'over_big']);
    const result = await emulatePrecision(built.path, built.model, profile, { keep: first.keepDtypeSuggestion });
    expect(result.outputs[0]!.verdict).toBe('pass');
    expect(result.overflows).toEqual([]);
    expect(result.notEmulated).toContain('1 weight read only by kept ops keeps its precision');
  });
});

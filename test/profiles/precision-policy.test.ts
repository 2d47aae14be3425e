import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBuiltinProfile } from '../../src/profiles/load.js';
import {
  bytesPerElement, changesAny, emulates, familyOn, policyKey, resolvePolicy, roundingSteps, statedPolicy,
} from '../../src/profiles/precision-policy.js';
import type { Profile } from '../../src/profiles/schema.js';

/**
 * The one reader of a target's precision policy, on the built-in profiles (expected values read
 * off profiles/*.yaml: 910B/910C force_fp16 converting fp32 and bf16, fp16 280 TFLOPS on the 910B
 * and no fp32 peak; the H20 running the model as exported) and on variants of them.
 */
const h20 = loadBuiltinProfile('h20');
const b = loadBuiltinProfile('ascend-910b');
const c = loadBuiltinProfile('ascend-910c');

function variant(base: Profile, change: (p: Profile) => void): Profile {
  const p = structuredClone(base);
  change(p);
  return p;
}

describe('resolvePolicy', () => {
  it('sizes converted floats in the compute type: fp32 weights take 2 bytes on the 910B, 4 on the H20', () => {
    expect(bytesPerElement(resolvePolicy(b), 'FLOAT', '')).toBe(2);
    expect(bytesPerElement(resolvePolicy(b), 'BFLOAT16', '')).toBe(2);
    expect(bytesPerElement(resolvePolicy(b), 'INT64', '')).toBe(8);
    expect(bytesPerElement(resolvePolicy(h20), 'FLOAT', '')).toBe(4);
    expect(familyOn(resolvePolicy(b), 'fp32', 'Conv')).toBe('fp16');
    expect(familyOn(resolvePolicy(h20), 'fp32', 'Conv')).toBe('fp32');
  });

  it('keeps the ops the profile keeps in their own precision', () => {
    const keeping = resolvePolicy(variant(b, (p) => { p.precision.policy.keepOps = ['Softmax']; }));
    expect(familyOn(keeping, 'fp32', 'Softmax')).toBe('fp32');
    expect(bytesPerElement(keeping, 'FLOAT', 'Softmax')).toBe(4);
    expect(familyOn(keeping, 'fp32', 'Conv')).toBe('fp16');
  });

  it('times math at the peak of the family it computes in, with a stand-in said where the profile has none', () => {
    const { peaks } = resolvePolicy(b);
    expect(peaks.fp16).toEqual({ family: 'fp16', tflops: 280, confidence: 'low' });
    // int64 index math runs at the compute family's peak.
    expect(peaks.int64?.family).toBe('fp16');
    expect(peaks.fp32).toMatchObject({ family: 'fp16', tflops: 280, confidence: 'low', note: expect.stringContaining('no fp32 peak in the profile') });
    const noPeaks = resolvePolicy(variant(b, (p) => { p.hardware.peakTflops = {}; }));
    expect(noPeaks.peaks).toEqual({});
  });

  it('gives 910B and 910C one key (one emulation), the H20 another, and --precision its own', () => {
    expect(policyKey(resolvePolicy(b))).toBe(policyKey(resolvePolicy(c)));
    expect(policyKey(resolvePolicy(b))).not.toBe(policyKey(resolvePolicy(h20)));
    expect(policyKey(resolvePolicy(b, 'fp16'))).toBe(policyKey(resolvePolicy(c, 'fp16')));
    // The H20 computes fp8 itself: forced to fp16 it still dequantizes nothing, unlike the 910B.
    expect(policyKey(resolvePolicy(h20, 'fp16'))).not.toBe(policyKey(resolvePolicy(b, 'fp16')));
    expect(policyKey(resolvePolicy(b, 'fp16'))).not.toBe(policyKey(resolvePolicy(b)));
    // A target with fp8 compute dequantizes nothing, so it emulates differently.
    const fp8 = variant(c, (p) => { p.precision.support.fp8 = { level: 'supported', source: p.precision.support.fp8!.source }; });
    expect(policyKey(resolvePolicy(fp8))).not.toBe(policyKey(resolvePolicy(c)));
  });

  it('says when there is nothing to emulate', () => {
    expect(emulates(resolvePolicy(h20))).toBe(false);
    expect(emulates(resolvePolicy(h20, 'fp32'))).toBe(true);
    expect(changesAny(resolvePolicy(b, 'fp32'), ['FLOAT', 'INT64'])).toBe(false);
    expect(changesAny(resolvePolicy(b), ['FLOAT'])).toBe(true);
    // fp8 weights on a target without fp8 are dequantized to bf16 there.
    expect(resolvePolicy(b).lowBitFallback).toEqual({ fp8: 'BFLOAT16', fp4: 'BFLOAT16' });
    expect(changesAny(resolvePolicy(b, 'fp32'), ['FLOAT8E4M3FN'])).toBe(true);
  });

  it('rounds fp64 through fp32 to the compute type where the target has no fp64', () => {
    expect(roundingSteps(resolvePolicy(b), 'DOUBLE')).toEqual(['FLOAT16']);
    expect(roundingSteps(resolvePolicy(b, 'fp32'), 'DOUBLE')).toEqual(['FLOAT']);
    expect(roundingSteps(resolvePolicy(h20), 'DOUBLE')).toEqual([]);
  });

  it('states the policy for the report without the resolved extras, in the order the report schema lists', () => {
    expect(statedPolicy(resolvePolicy(b, 'profile', ['n1']))).toEqual({
      name: 'force_fp16', compute: 'fp16', converts: ['fp32', 'bf16'], keepOps: ['n1'], from: 'profile',
    });
    expect(Object.keys(statedPolicy(resolvePolicy(b, 'bf16')))).toEqual(['name', 'compute', 'converts', 'keepOps', 'from']);
  });
});

describe('the precision policy is read in one place', () => {
  const sourceFiles = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);

  it('no file but src/profiles/precision-policy.ts reads a profile\'s precision.policy', () => {
    const readers = sourceFiles('src').filter((f) => /\.precision\.policy\b/.test(readFileSync(f, 'utf8')));
    expect(readers).toEqual(['src/profiles/precision-policy.ts']);
  });
});

import { describe, expect, it } from 'vitest';
import { check } from '../../src/check.js';
import { ProfileError } from '../../src/errors.js';
import { loadBuiltinProfile, loadProfileFile } from '../../src/profiles/load.js';
import { f32 } from '../checks/models.js';
import { fileIn, saveModel } from '../saved-models.js';

/** Our own parser plugin makes NegativeLogLikelihoodLoss compile: one op's verdict, nothing else. */
const OVERRIDE = `# our ATC build has a custom parser plugin for the loss
extends: ascend-910b
sources:
  our-plugin:
    title: "team ATC plugin nll_loss_onnx_plugin.cpp, compiled with CANN 8.0.RC3 on 2026-11-30"
    confidence: high
ops:
  entries:
    - { op: NegativeLogLikelihoodLoss, level: supported, since: 13, until: 18, engine: aicore, mapsTo: NLLLoss, source: [our-plugin] }
`;

const model = saveModel('overlay-model', {
  opsets: { 'ai.onnx': 17 },
  graph: {
    nodes: [
      { opType: 'Relu', name: 'relu', inputs: ['x'], outputs: ['r'] },
      { opType: 'NegativeLogLikelihoodLoss', name: 'nll', inputs: ['r', 'target'], outputs: ['y'] },
      { opType: 'Erf', name: 'erf', inputs: ['x'], outputs: ['e'] },
    ],
    inputs: [f32('x', [2, 5]), { name: 'target', dtype: 'INT64', dims: [2] }],
    outputs: [f32('y', []), f32('e', [2, 5])],
  },
});

describe('a user profile that overrides one op', () => {
  it('changes that op\'s verdict and nothing else', async () => {
    const file = fileIn('override.yaml', OVERRIDE);
    const builtin = (await check(model.path, { targets: ['ascend-910b'] })).targets[0]!;
    const overridden = (await check(model.path, { targets: ['ascend-910b'], profileFiles: [file] })).targets[0]!;

    const nll = (t: typeof builtin) => t.ops!.find((r) => r.op === 'NegativeLogLikelihoodLoss')!;
    expect(nll(builtin)).toMatchObject({ level: 'unsupported', engine: 'none' });
    expect(nll(overridden)).toMatchObject({ level: 'supported', engine: 'aicore', targetOp: 'NLLLoss', evidence: { sources: ['our-plugin'] } });
    // Every other row, and every finding but the NLL one, is the built-in's.
    expect(overridden.ops!.filter((r) => r.op !== 'NegativeLogLikelihoodLoss')).toEqual(builtin.ops!.filter((r) => r.op !== 'NegativeLogLikelihoodLoss'));
    expect(builtin.findings.filter((f) => f.op === 'NegativeLogLikelihoodLoss').map((f) => f.code)).toEqual(['unsupported-op']);
    expect(overridden.findings).toEqual(builtin.findings.filter((f) => f.op !== 'NegativeLogLikelihoodLoss'));
    expect(overridden.verdict).not.toBe('blocked');
    expect(builtin.verdict).toBe('blocked');
    // The report says the evidence was overridden, and by what.
    expect(overridden.evidence!.at(-1)!.component).toMatch(/^user override \(.*override\.yaml\): NegativeLogLikelihoodLoss$/);
    expect(overridden.evidence!.slice(0, -1)).toEqual(builtin.evidence);
  });

  it('keeps the built-in\'s other entries and sources', () => {
    const profile = loadProfileFile(fileIn('override2.yaml', OVERRIDE));
    const base = loadBuiltinProfile('ascend-910b');
    expect(profile.id).toBe('ascend-910b');
    expect(profile.ops.entries.length).toBe(base.ops.entries.length + 1);
    expect(Object.keys(profile.sources)).toEqual([...Object.keys(base.sources), 'our-plugin']);
  });

  it('refuses an overlay of an unknown target or citing an unknown source, with file, line and path', () => {
    const unknownBase = fileIn('bad-base.yaml', OVERRIDE.replace('extends: ascend-910b', 'extends: ascend-999'));
    expect(() => loadProfileFile(unknownBase)).toThrow(ProfileError);
    expect(() => loadProfileFile(unknownBase)).toThrow(/bad-base\.yaml:2: extends: 'ascend-999' is not a built-in target/);
    const badSource = fileIn('bad-source.yaml', OVERRIDE.replace('source: [our-plugin]', 'source: [nowhere]'));
    expect(() => loadProfileFile(badSource)).toThrow(/bad-source\.yaml:9: ops\.entries\.0\.source\.0: unknown source 'nowhere'/);
  });
});

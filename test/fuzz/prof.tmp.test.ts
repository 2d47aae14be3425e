import { mkdtempSync, readFileSync } from 'node:fs';
import { test } from 'vitest';
import { realModel } from '../fixtures/real-models.js';
import { RULES, opCoverage, runChecks } from '../../src/checks/index.js';
import { inspectModel } from '../../src/inspect/inspect.js';
import { decodeModel } from '../../src/onnx/decode.js';
import { resolveTargets } from '../../src/profiles/load.js';
import { buildReport } from '../../src/report/build.js';
import { ALL_FORMATTERS } from './pipeline.js';
import { XMLValidator } from 'fast-xml-parser';
import { seedFrom } from './mutate.js';
import { serialize } from './proto-tree.js';

test('prof', () => {
  for (const [n, p] of [['cls', realModel('paddleocrCls')], ['vad', realModel('sileroVad')], ['cf', 'models/control-flow.onnx'], ['llm','models/llm-attention-block.onnx']] as const) {
    const bytes = readFileSync(p);
    const profiles = resolveTargets(['h20', 'ascend-910b', 'ascend-910c'], []);
    const t: Record<string, number> = {};
    const lap = (k: string, s: number) => (t[k] = (t[k] ?? 0) + performance.now() - s);
    for (let i = 0; i < 20; i++) {
      let s = performance.now(); const seed = seedFrom(n, bytes); lap('parse', s);
      s = performance.now(); serialize(seed.tree); lap('serialize', s);
      s = performance.now(); const model = decodeModel(bytes); lap('decode', s);
      s = performance.now(); const facts = inspectModel(model); lap('inspect', s);
      s = performance.now(); const results = profiles.map((profile) => ({ profile, findings: runChecks(model, facts, profile), opCoverage: opCoverage(model, facts, profile) })); lap('checks', s);
      s = performance.now(); const report = buildReport(model, facts, 'x', results); lap('build', s);
      for (const [f, fn] of Object.entries(ALL_FORMATTERS)) { s = performance.now(); const out = fn([report], { rules: RULES }); lap(f, s); if (f === 'junit') { s = performance.now(); XMLValidator.validate(out); lap('xmlvalidate', s); } }
    }
    console.log(n, Object.entries(t).map(([k, v]) => `${k}=${(v / 20).toFixed(2)}`).join(' '));
  }
}, 600000);

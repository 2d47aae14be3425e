import { it } from 'vitest';
import { REAL_MODELS } from '../fixtures/real-models.js';
import { loadModel } from '../../src/onnx/load.js';
import { inspectModel } from '../../src/inspect/inspect.js';
import { runChecks, opCoverage } from '../../src/checks/index.js';
import { profile, TARGETS } from './run-checks.js';

it('real', async () => {
  for (const [name, file] of Object.entries(REAL_MODELS)) {
    const t0 = performance.now();
    const model = await loadModel(file);
    const t1 = performance.now();
    const facts = inspectModel(model);
    const t2 = performance.now();
    const out: string[] = [];
    for (const t of TARGETS) {
      const f = runChecks(model, facts, profile(t));
      const cov = opCoverage(model, facts, profile(t));
      out.push(`  ${t} ${JSON.stringify(cov)}`);
      for (const x of f) out.push(`    ${x.severity} ${x.rule}/${x.code}: ${x.message.slice(0, 260)}`);
    }
    const t3 = performance.now();
    console.log(`${name}: load ${(t1 - t0).toFixed(0)}ms inspect ${(t2 - t1).toFixed(1)}ms checks ${(t3 - t2).toFixed(1)}ms nodes ${facts.nodeCount} params ${facts.parameterCount} bytes ${facts.parameterBytes}\n${out.join('\n')}`);
  }
});

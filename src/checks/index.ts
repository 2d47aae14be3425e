import type { CheckContext } from './define-check.js';
import type { ModelFacts } from '../inspect/facts.js';
import type { ModelIR } from '../onnx/ir.js';
import type { Profile } from '../profiles/schema.js';
import { compareFindings } from './compare-findings.js';
import contribOps from './contrib-ops.js';
import controlFlow from './control-flow.js';
import customDomains from './custom-domains.js';
import decodeWarnings from './decode-warnings.js';
import type { Check } from './define-check.js';
import type { RuleDoc } from '../report/rule-doc.js';
import dynamicShapes from './dynamic-shapes.js';
import externalData from './external-data.js';
import features from './features.js';
import type { Finding } from './finding.js';
import graphIntegrity from './graph-integrity.js';
import memoryFit from './memory-fit.js';
import opSupport from './op-support.js';
import opsetWindow from './opset-window.js';
import precision from './precision.js';
import quantization from './quantization.js';
import slowOps from './slow-ops.js';
import tensorrtPlugins from './tensorrt-plugins.js';

export { compareFindings } from './compare-findings.js';
export { opCoverage } from './op-coverage.js';

/** Every check, in the order they run. Their ids are a stable contract (config, baselines, SARIF). */
export const CHECKS: Check[] = [
  graphIntegrity,
  decodeWarnings,
  externalData,
  opsetWindow,
  opSupport,
  controlFlow,
  quantization,
  contribOps,
  tensorrtPlugins,
  customDomains,
  features,
  precision,
  dynamicShapes,
  slowOps,
  memoryFit,
];

export type { RuleDoc };

/** Every rule and message code, documented: feeds SARIF's rules[], the README's rule list, `port-check rules`. */
export const RULES: RuleDoc[] = CHECKS.map(({ id, description, messages }) => ({ id, description, messages }));

/** All checks against one target, findings in the one report order (see compareFindings). */
export function runChecks(model: ModelIR, facts: ModelFacts, profile: Profile, computed: Pick<CheckContext, 'memory'> = {}): Finding[] {
  const findings: Finding[] = [];
  for (const check of CHECKS) findings.push(...check.run({ model, facts, profile, ...computed }));
  return findings.sort(compareFindings);
}

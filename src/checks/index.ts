import type { ModelFacts } from '../inspect/facts.js';
import type { ModelIR } from '../onnx/ir.js';
import { resolvePolicy } from '../profiles/precision-policy.js';
import type { Profile } from '../profiles/schema.js';
import { compareFindings } from '../findings/order.js';
import type { Finding } from '../findings/finding.js';
import type { Rule } from '../findings/rule.js';
import type { Check, CheckContext } from '../assess/define-check.js';
import contribOps from './contrib-ops.js';
import controlFlow from './control-flow.js';
import customDomains from './custom-domains.js';
import decodeWarnings from './decode-warnings.js';
import dynamicShapes from './dynamic-shapes.js';
import externalData from './external-data.js';
import fallbackIslands from './fallback-islands.js';
import features from './features.js';
import graphIntegrity from './graph-integrity.js';
import memoryFit from './memory-fit.js';
import opSupport from './op-support.js';
import opsetWindow from './opset-window.js';
import precision from './precision.js';
import quantization from './quantization.js';
import slowOps from './slow-ops.js';
import tensorrtPlugins from './tensorrt-plugins.js';
import { append } from '../arrays.js';

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
  fallbackIslands,
  memoryFit,
];

/** The checks' rules, in the order they run (src/rules.ts adds the run's and the emulation's). */
export const CHECK_RULES: Rule[] = CHECKS.map((c) => c.rule);

/** All checks against one target, findings in the one report order (see compareFindings). */
export function runChecks(model: ModelIR, facts: ModelFacts, profile: Profile, computed: Pick<CheckContext, 'memory' | 'ops' | 'partitions'> = {}): Finding[] {
  const findings: Finding[] = [];
  const precision = resolvePolicy(profile);
  for (const check of CHECKS) append(findings, check.run({ model, facts, profile, precision, ...computed }));
  return findings.sort(compareFindings);
}

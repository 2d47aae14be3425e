import type { ModelAnalysis as ShapesAndCosts } from '../estimate/analyse-model.js';
import type { ConstantValues } from '../estimate/constant-values.js';
import type { ModelFacts } from '../inspect/facts.js';
import type { ModelIR } from '../onnx/ir.js';
import type { PolicyEmulation } from '../precision/emulate-precision.js';
import type { RunResult } from '../runtime/types.js';

/**
 * Everything port-check learns about a model that does not depend on the target, computed once:
 * facts, shapes and costs, and with --run the run itself and one emulation per distinct precision
 * policy. Each target's assessment is a pure function of this and the target's profile.
 */
export interface ModelAnalysis {
  model: ModelIR;
  facts: ModelFacts;
  /** The small constant tensors shape inference and the serving plan read (Reshape targets...). */
  constants: ConstantValues;
  /** Shapes (observed in the run where there was one, else inferred) and per-node costs. */
  shapes: ShapesAndCosts;
  run?: RunResult;
  /** Emulation results by policyKey: targets whose policies agree (910B and 910C) share one. */
  emulations: ReadonlyMap<string, PolicyEmulation>;
}

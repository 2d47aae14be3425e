/** Models the plan tests build, whose fp16 accuracy breaks at nodes planted on purpose. */
import type { ModelSpec, NodeSpec } from '../../src/onnx/model-spec.js';
import { tensorFromFloats } from '../../src/onnx/tensor-data.js';

function scalar(name: string, value: number) {
  return tensorFromFloats(name, [], [value]);
}

/**
 * y ≈ 2x for x in [0, 1), through a chain of benign nodes (exact or well within fp16) and two
 * planted breaks that fp16 cannot survive:
 * - 'overflow_here': x·1000·100 reaches 1e5, beyond fp16's 65504 (infinity), then divided back;
 * - 'lose_here': x + 2048, where fp16's spacing is 2, so x is rounded away; 'recover' subtracts
 *   2048 back, and the drift shows there, not at 'lose_here'.
 * Keeping exactly {overflow_here, lose_here} in fp32 brings y back. Every constant is exact in fp16.
 */
export function plantedSpec(benign = 12): ModelSpec {
  const nodes: NodeSpec[] = [
    { opType: 'Mul', name: 'scale_up', inputs: ['x', 'k1000'], outputs: ['a'] },
    { opType: 'Mul', name: 'overflow_here', inputs: ['a', 'k100'], outputs: ['b'] },
    { opType: 'Div', name: 'scale_down', inputs: ['b', 'k100'], outputs: ['c'] },
    { opType: 'Div', name: 'back_to_input', inputs: ['c', 'k1000'], outputs: ['c1'] },
    { opType: 'Add', name: 'lose_here', inputs: ['x', 'k2048'], outputs: ['d'] },
    { opType: 'Sub', name: 'recover', inputs: ['d', 'k2048'], outputs: ['e'] },
  ];
  // Benign: x·0.5·2 repeated, Relu in between (x ≥ 0).
  let v = 'e';
  for (let i = 0; i < benign; i++) {
    const op = i % 3 === 0 ? 'Relu' : 'Mul';
    const out = `f${i}`;
    nodes.push(op === 'Relu'
      ? { opType: 'Relu', name: `benign_${i}`, inputs: [v], outputs: [out] }
      : { opType: 'Mul', name: `benign_${i}`, inputs: [v, i % 3 === 1 ? 'half' : 'two'], outputs: [out] });
    v = out;
  }
  nodes.push({ opType: 'Add', name: 'join', inputs: ['c1', v], outputs: ['y'] });
  return {
    opsets: { 'ai.onnx': 17 },
    graph: {
      name: 'planted',
      nodes,
      inputs: [{ name: 'x', dtype: 'FLOAT', dims: [1, 256] }],
      outputs: [{ name: 'y', dtype: 'FLOAT', dims: [1, 256] }],
      initializers: [scalar('k1000', 1000), scalar('k100', 100), scalar('k2048', 2048), scalar('half', 0.5), scalar('two', 2)],
    },
  };
}

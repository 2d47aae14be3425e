/** Small models the precision tests build with the project's own writer, saved to a temp folder. */
import type { ModelSpec, TensorSpec } from '../../src/onnx/model-spec.js';
import { tensorFromFloats } from '../../src/onnx/tensor-data.js';

export { fileIn, saveModel, type SavedModel } from '../saved-models.js';

export function scalar(name: string, value: number): TensorSpec {
  return tensorFromFloats(name, [], [value]);
}

/**
 * y ≈ x for x in [0, 1): x·1000 ('scale_up'), ·100 ('overflow_here': up to 1e5, past fp16's 65504),
 * ÷100 ('scale_down'), ÷1000 ('back_to_input'). Every constant is exact in fp16.
 */
export function overflowSpec(): ModelSpec {
  return {
    opsets: { 'ai.onnx': 17 },
    graph: {
      name: 'overflow',
      nodes: [
        { opType: 'Mul', name: 'scale_up', inputs: ['x', 'k1000'], outputs: ['a'] },
        { opType: 'Mul', name: 'overflow_here', inputs: ['a', 'k100'], outputs: ['b'] },
        { opType: 'Div', name: 'scale_down', inputs: ['b', 'k100'], outputs: ['c'] },
        { opType: 'Div', name: 'back_to_input', inputs: ['c', 'k1000'], outputs: ['y'] },
      ],
      inputs: [{ name: 'x', dtype: 'FLOAT', dims: [1, 64] }],
      outputs: [{ name: 'y', dtype: 'FLOAT', dims: [1, 64] }],
      initializers: [scalar('k1000', 1000), scalar('k100', 100)],
    },
  };
}

/** y = Relu(x·w + b) → Softmax: a tiny classifier with a weight, a bias and class scores. */
export function classifierSpec(opset = 17): ModelSpec {
  const w: number[] = [];
  for (let i = 0; i < 8 * 6; i++) w.push(Math.sin(i * 1.7) * 0.8);
  return {
    opsets: { 'ai.onnx': opset },
    graph: {
      name: 'classifier',
      nodes: [
        { opType: 'MatMul', name: 'fc', inputs: ['x', 'w'], outputs: ['h'] },
        { opType: 'Add', name: 'bias', inputs: ['h', 'b'], outputs: ['hb'] },
        { opType: 'Relu', name: 'relu', inputs: ['hb'], outputs: ['r'] },
        { opType: 'Softmax', name: 'probs', inputs: ['r'], outputs: ['p'], attributes: { axis: { i: -1 } } },
      ],
      inputs: [{ name: 'x', dtype: 'FLOAT', dims: [2, 8] }],
      outputs: [{ name: 'p', dtype: 'FLOAT', dims: [2, 6] }],
      initializers: [tensorFromFloats('w', [8, 6], w), tensorFromFloats('b', [6], [0.1, -0.2, 0.3, 0.05, -0.1, 0.2])],
    },
  };
}

/** y = (x·1e5)/1e5: the weight itself is beyond fp16's range. */
export function bigWeightSpec(): ModelSpec {
  return {
    opsets: { 'ai.onnx': 17 },
    graph: {
      name: 'big_weight',
      nodes: [
        { opType: 'Mul', name: 'times_big', inputs: ['x', 'big'], outputs: ['a'] },
        { opType: 'Div', name: 'over_big', inputs: ['a', 'big'], outputs: ['y'] },
      ],
      inputs: [{ name: 'x', dtype: 'FLOAT', dims: [1, 16] }],
      outputs: [{ name: 'y', dtype: 'FLOAT', dims: [1, 16] }],
      initializers: [scalar('big', 1e5)],
    },
  };
}

/** Small models the run-stage tests build with the project's own writer, saved to a temp folder. */
import type { ModelSpec } from '../../src/onnx/model-spec.js';

export { fileIn, saveModel, type SavedModel } from '../saved-models.js';

/** y = Neg(Relu(x)), x float [N, 4] with a symbolic batch: values named r (Relu's) and y. */
export function reluNegSpec(): ModelSpec {
  return {
    opsets: { 'ai.onnx': 17 },
    graph: {
      name: 'relu_neg',
      nodes: [
        { opType: 'Relu', name: 'relu', inputs: ['x'], outputs: ['r'] },
        { opType: 'Neg', name: 'neg', inputs: ['r'], outputs: ['y'] },
      ],
      inputs: [{ name: 'x', dtype: 'FLOAT', dims: ['N', 4] }],
      outputs: [{ name: 'y', dtype: 'FLOAT', dims: ['N', 4] }],
    },
  };
}

/** bf16 little-endian bytes of the given numbers (truncation: exact for the values tests use). */
export function bf16Bytes(values: number[]): Uint8Array {
  const f = new Float32Array(values);
  const u = new Uint32Array(f.buffer);
  const out = new Uint8Array(values.length * 2);
  u.forEach((bits, i) => {
    out[2 * i] = (bits >>> 16) & 0xff;
    out[2 * i + 1] = (bits >>> 24) & 0xff;
  });
  return out;
}

/**
 * y = Cast(Gemm(Cast(x → bf16), W) → fp32): float in and out, a bf16 Gemm inside that ONNX Runtime's
 * CPU provider has no kernel for. x float [1, n]; W bf16 [n, n] from `weights` (row-major, n² values).
 */
export function castBf16GemmSpec(name: string, weights: number[], options: { declareGemmOutput?: boolean } = {}): ModelSpec {
  const n = Math.round(Math.sqrt(weights.length));
  return {
    opsets: { 'ai.onnx': 17 },
    graph: {
      name,
      nodes: [
        { opType: 'Cast', name: 'in', inputs: ['x'], outputs: ['xb'], attributes: { to: { i: 16 } } },
        { opType: 'Gemm', name: 'gemm', inputs: ['xb', 'W'], outputs: ['yb'] },
        { opType: 'Cast', name: 'out', inputs: ['yb'], outputs: ['y'], attributes: { to: { i: 1 } } },
      ],
      inputs: [{ name: 'x', dtype: 'FLOAT', dims: [1, n] }],
      outputs: [{ name: 'y', dtype: 'FLOAT', dims: [1, n] }],
      ...(options.declareGemmOutput ? { valueInfo: [{ name: 'yb', dtype: 'BFLOAT16' as const, dims: [1, n] }] } : {}),
      initializers: [{ name: 'W', dtype: 'BFLOAT16', dims: [n, n], raw: bf16Bytes(weights) }],
    },
  };
}

/** y = Gemm(x, W) in bf16 (x bf16 [1, 2], W bf16 [2, 2] = [[1, 2], [3, 4]]): no CPU kernel. */
export function bf16GemmSpec(): ModelSpec {
  return {
    opsets: { 'ai.onnx': 17 },
    graph: {
      name: 'bf16_gemm',
      nodes: [{ opType: 'Gemm', name: 'gemm', inputs: ['x', 'W'], outputs: ['y'] }],
      inputs: [{ name: 'x', dtype: 'BFLOAT16', dims: [1, 2] }],
      outputs: [{ name: 'y', dtype: 'BFLOAT16', dims: [1, 2] }],
      initializers: [{ name: 'W', dtype: 'BFLOAT16', dims: [2, 2], raw: bf16Bytes([1, 2, 3, 4]) }],
    },
  };
}

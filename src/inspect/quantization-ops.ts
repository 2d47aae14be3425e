import type { QuantScheme } from './facts.js';

/**
 * Which quantization scheme an op type belongs to. Keyed by op type alone: QuantizeLinear is the
 * same scheme whether it sits in ai.onnx or com.microsoft. FP8 and int4 schemes are found from
 * tensor dtypes instead (see inspect.ts), since any op can carry them.
 */
const SCHEME_BY_OP: ReadonlyMap<string, QuantScheme> = new Map(Object.entries({
  QuantizeLinear: 'qdq',
  DequantizeLinear: 'qdq',
  QGemm: 'qlinear',
  ConvInteger: 'integer-ops',
  MatMulInteger: 'integer-ops',
  MatMulIntegerToFloat: 'integer-ops',
  DynamicQuantizeMatMul: 'integer-ops',
  QAttention: 'integer-ops',
  QEmbedLayerNormalization: 'integer-ops',
  DynamicQuantizeLinear: 'dynamic-quantize',
  DynamicQuantizeLSTM: 'dynamic-quantize',
  MatMulNBits: 'matmul-nbits',
  GatherBlockQuantized: 'matmul-nbits',
  MatMulBnb4: 'matmul-nbits',
  MatMulFpQ4: 'matmul-nbits',
  QMoE: 'matmul-nbits',
  GemmFloat8: 'fp8',
} satisfies Record<string, QuantScheme>));

export function quantSchemeOfOp(opType: string): QuantScheme | undefined {
  // Maps, not object lookups: an op type from a model may be "constructor" or "__proto__".
  const direct = SCHEME_BY_OP.get(opType);
  if (direct) return direct;
  if (opType.startsWith('QLinear')) return 'qlinear';
  // QOrderedMatMul, QOrderedAttention...: int8 kernels in cuBLASLt's column orders.
  if (opType.startsWith('QOrdered')) return 'integer-ops';
  return undefined;
}

/**
 * Input positions that hold zero points (ONNX and ORT contrib schemas). Their dtype is the
 * quantized type the model uses (uint8, int8, int4, fp8...), which is what a target must take.
 */
const ZERO_POINT_INPUTS: ReadonlyMap<string, readonly number[]> = new Map(Object.entries({
  QuantizeLinear: [2],
  DequantizeLinear: [2],
  QLinearConv: [2, 5, 7],
  QLinearMatMul: [2, 5, 7],
  QLinearAdd: [2, 5, 7],
  QLinearMul: [2, 5, 7],
  QGemm: [2, 5, 8],
  QLinearSigmoid: [2, 4],
  QLinearLeakyRelu: [2, 4],
  QLinearSoftmax: [2, 4],
  QLinearAveragePool: [2, 4],
  QLinearGlobalAveragePool: [2, 4],
  ConvInteger: [2, 3],
  MatMulInteger: [2, 3],
  MatMulIntegerToFloat: [4, 5],
  DynamicQuantizeMatMul: [3],
  MatMulNBits: [3],
  GatherBlockQuantized: [3],
  QAttention: [6, 7],
} satisfies Record<string, readonly number[]>));

export function zeroPointInputs(opType: string): readonly number[] {
  return ZERO_POINT_INPUTS.get(opType) ?? [];
}

/** DynamicQuantizeLinear computes its zero point: output 2. */
export function zeroPointOutputs(opType: string): readonly number[] {
  return opType === 'DynamicQuantizeLinear' ? [2] : [];
}

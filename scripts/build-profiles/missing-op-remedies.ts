import type { EffortClass } from '../../src/profiles/schema.js';

/**
 * What to do about each standard op that ATC has no parser for (atc_missing_standard_onnx_ops.txt).
 * Every op in that file needs a row here, or the build stops: a new blocker deserves a remedy.
 */
interface MissingOpRemedy { remedy: string; effort: EffortClass; note?: string }

const QDQ: MissingOpRemedy = {
  remedy: 're-quantize the fp32 model with AMCT (producing AscendQuant/AscendDequant), or drop the QDQ nodes and run in fp16',
  effort: 'medium',
  note: 'ONNX QDQ/integer ops do not go through ATC',
};
const LOOP: MissingOpRemedy = {
  remedy: 'unroll the loop at export (fixed trip count) or move it out of the graph into host code',
  effort: 'high',
};
const SIGNAL: MissingOpRemedy = {
  remedy: 'do the spectral pre-processing on the host, or replace the DFT with a MatMul against a precomputed DFT basis',
  effort: 'medium',
};
const WINDOW: MissingOpRemedy = {
  remedy: 'fold the window into a constant initializer (its inputs are constants in practice)',
  effort: 'low',
};
const STRING: MissingOpRemedy = {
  remedy: 'move the text processing out of the graph into host pre-processing',
  effort: 'medium',
  note: 'the NPU has no string compute',
};
const OPTIONAL: MissingOpRemedy = {
  remedy: 're-export without optional-typed values (pass concrete tensors)',
  effort: 'medium',
};
const ORT_INTERNAL: MissingOpRemedy = {
  remedy: 'these copy nodes are inserted by ONNX Runtime itself: convert the model as exported, not one saved from an ORT session',
  effort: 'low',
};
const LEGACY = (replacement: string): MissingOpRemedy => ({
  remedy: `re-export at a current opset, or replace it with ${replacement}`,
  effort: 'low',
  note: 'an experimental ONNX op from before opset 10',
});

export const MISSING_OP_REMEDIES: Record<string, MissingOpRemedy> = {
  QuantizeLinear: QDQ,
  DequantizeLinear: QDQ,
  DynamicQuantizeLinear: QDQ,
  ConvInteger: QDQ,
  MatMulInteger: QDQ,
  QLinearConv: QDQ,
  QLinearMatMul: QDQ,
  Loop: LOOP,
  Scan: LOOP,
  Gelu: {
    remedy: 'export at opset 18 or lower, where Gelu is a function the exporter writes out as Erf/Mul/Add, or decompose it into Erf/Mul yourself',
    effort: 'low',
    note: 'Gelu became an ONNX op at opset 20',
  },
  Attention: {
    remedy: 'export at opset 18 or lower so attention is written out as MatMul/Softmax (ATC can fuse it again), or map it to npu_fusion_attention',
    effort: 'medium',
    note: 'Attention became an ONNX op at opset 23',
  },
  RMSNormalization: {
    remedy: 'export at opset 18 or lower so it is written out as Pow/ReduceMean/Sqrt/Div/Mul, or map it to NPURmsNorm (npu domain, parsed by ATC)',
    effort: 'low',
    note: 'RMSNormalization became an ONNX op at opset 23',
  },
  RotaryEmbedding: {
    remedy: 'export at opset 18 or lower so it is written out as Mul/Add/Slice/Concat, or map it to NPURotaryMul (npu domain, parsed by ATC)',
    effort: 'low',
    note: 'RotaryEmbedding became an ONNX op at opset 23',
  },
  SimplifiedLayerNormalization: {
    remedy: 'write it out as Pow/ReduceMean/Add/Sqrt/Div/Mul, or map it to NPURmsNorm (npu domain, parsed by ATC)',
    effort: 'low',
    note: 'an ONNX Runtime fusion (RMS norm) in the ai.onnx domain',
  },
  RNN: {
    remedy: 'unroll the simple RNN into MatMul/Add/Tanh per time step at export, or replace it with GRU/LSTM (both parsed by ATC)',
    effort: 'medium',
  },
  DFT: SIGNAL,
  STFT: SIGNAL,
  MelWeightMatrix: WINDOW,
  BlackmanWindow: WINDOW,
  HammingWindow: WINDOW,
  HannWindow: WINDOW,
  RegexFullMatch: STRING,
  StringConcat: STRING,
  StringNormalizer: STRING,
  StringSplit: STRING,
  TfIdfVectorizer: STRING,
  Optional: OPTIONAL,
  OptionalGetElement: OPTIONAL,
  OptionalHasElement: OPTIONAL,
  MemcpyFromHost: ORT_INTERNAL,
  MemcpyToHost: ORT_INTERNAL,
  Affine: LEGACY('Mul + Add'),
  Crop: LEGACY('Slice'),
  DynamicSlice: LEGACY('Slice (opset 10+ takes starts/ends as inputs)'),
  ImageScaler: LEGACY('Mul + Add'),
  ParametricSoftplus: LEGACY('Softplus with Mul'),
  Scale: LEGACY('Mul'),
  ScaledTanh: LEGACY('Tanh with Mul'),
};

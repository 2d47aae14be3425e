/**
 * Small models for the check and inspect tests, built with the project's own ONNX writer and read
 * back with its decoder, so the tests see exactly what `port-check` would see in a file.
 */
import { decodeModel } from '../../src/onnx/decode.js';
import type { ModelIR } from '../../src/onnx/ir.js';
import type { GraphSpec, ModelSpec, NodeSpec, TensorSpec, ValueSpec } from '../../src/onnx/model-spec.js';
import { encodeModel } from '../../src/onnx/writer.js';
import { tensorFromFloats } from '../../src/onnx/tensor-data.js';

export function roundTrip(spec: ModelSpec): ModelIR {
  return decodeModel(encodeModel(spec), { path: 'test.onnx' });
}

export const f32 = (name: string, dims: ValueSpec['dims'] = [1, 3, 8, 8]): ValueSpec => ({ name, dtype: 'FLOAT', dims });

export function weights(name: string, dims: number[], dtype: TensorSpec['dtype'] = 'FLOAT'): TensorSpec {
  const count = dims.reduce((a, b) => a * b, 1);
  if (dtype === 'FLOAT' || dtype === 'FLOAT16' || dtype === 'BFLOAT16' || dtype === 'DOUBLE' || dtype === 'FLOAT8E4M3FN') {
    return tensorFromFloats(name, dims, new Array<number>(count).fill(0.5), dtype);
  }
  const bits = dtype === 'INT4' || dtype === 'UINT4' ? 4 : dtype === 'INT64' ? 64 : dtype === 'INT32' ? 32 : 8;
  return { name, dtype, dims, raw: new Uint8Array(Math.ceil((count * bits) / 8)) };
}

/** Conv + Relu on a fixed [1,3,8,8] input, at the given default-domain opset. */
export function convRelu(opset: number, input: ValueSpec = f32('x')): ModelSpec {
  return {
    opsets: { 'ai.onnx': opset },
    graph: {
      nodes: [
        { opType: 'Conv', name: 'conv', inputs: [input.name, 'w'], outputs: ['c'], attributes: { kernel_shape: { ints: [3, 3] } } },
        { opType: 'Relu', name: 'relu', inputs: ['c'], outputs: ['y'] },
      ],
      inputs: [input],
      outputs: [f32('y', [1, 4, 6, 6])],
      initializers: [weights('w', [4, 3, 3, 3])],
    },
  };
}

/** One node of any op, fed by float inputs; extra opsets (e.g. com.microsoft) are imported as given. */
export function singleOp(
  node: Omit<NodeSpec, 'inputs' | 'outputs'> & { inputs?: string[]; outputs?: string[] },
  opts: { opsets?: Record<string, number>; inputs?: ValueSpec[]; outputs?: ValueSpec[]; initializers?: TensorSpec[]; valueInfo?: ValueSpec[] } = {},
): ModelSpec {
  const inputs = opts.inputs ?? [f32('x')];
  const outputs = opts.outputs ?? [f32('y')];
  const full: NodeSpec = {
    ...node,
    inputs: node.inputs ?? inputs.map((i) => i.name),
    outputs: node.outputs ?? outputs.map((o) => o.name),
  };
  const graph: GraphSpec = {
    nodes: [full],
    inputs,
    outputs,
    ...(opts.initializers && { initializers: opts.initializers }),
    ...(opts.valueInfo && { valueInfo: opts.valueInfo }),
  };
  const opsets: Record<string, number> = { 'ai.onnx': 17, ...opts.opsets };
  if (node.domain && !(node.domain in opsets)) opsets[node.domain] = 1;
  return { opsets, graph };
}

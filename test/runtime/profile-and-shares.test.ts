import { describe, expect, test } from 'vitest';
import type { Finding } from '../../src/findings/finding.js';
import { plainOrtReason } from '../../src/runtime/ort-errors.js';
import { summariseTrace } from '../../src/runtime/profile-trace.js';
import { attachTimeShares, blockerTimeShare } from '../../src/runtime/index.js';
import type { RunResult } from '../../src/runtime/index.js';

const node = (name: string, op: string, ts: number, dur: number, extra: Record<string, string> = {}) => ({
  cat: 'Node', name: `${name}_kernel_time`, ts, dur, ph: 'X',
  args: { op_name: op, provider: 'CPUExecutionProvider', ...extra },
});
const run = (ts: number, dur: number) => ({ cat: 'Session', name: 'model_run', ts, dur, ph: 'X', args: {} });

describe("ONNX Runtime's profile", () => {
  test('per-node self time: the warm-up is skipped and a control-flow node does not count its subgraph twice', () => {
    const events = [
      run(0, 100), node('conv', 'Conv', 10, 50), // warm-up: skipped
      run(200, 100),
      node('if', 'If', 210, 60), node('inner_conv', 'Conv', 215, 40), node('relu', 'Relu', 280, 5),
      node('', 'Add', 290, 2, { node_index: '7' }),
      { cat: 'Node', name: 'relu_fence_before', ts: 279, dur: 0 },
    ];
    const summary = summariseTrace(events, 1);
    expect(summary.runs).toBe(1);
    expect(summary.nodes.map((n) => [n.name, n.opType, n.selfUs])).toEqual([
      ['if', 'If', 20], ['inner_conv', 'Conv', 40], ['relu', 'Relu', 5], ['#7 Add', 'Add', 2],
    ]);
    expect(summariseTrace({ not: 'an array' }, 0)).toEqual({ runs: 0, nodes: [] });
  });

  test("ONNX Runtime's errors lose source paths, signatures and nesting", () => {
    expect(plainOrtReason(new Error(
      "/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 onnxruntime::webgpu::WebGpuContext::Initialize(const onnxruntime::webgpu::WebGpuContextConfig&)::<lambda()> adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters\n",
    ))).toBe('Failed to get a WebGPU adapter: No supported adapters');
    expect(plainOrtReason(new Error(
      "Non-zero status code returned while running If node. Name:'If_0' Status Message: Non-zero status code returned while running Pad node. Name:'/stft/padding/Pad' Status Message: Pad reflect: post-pad (64) exceeds maximum allowed (31) for axis 1. Input shape:{1,32}",
    ))).toBe("Pad node '/stft/padding/Pad' failed: Pad reflect: post-pad (64) exceeds maximum allowed (31) for axis 1. Input shape:{1,32}");
    expect(plainOrtReason(new Error('[ONNXRuntimeError] : 9 : NOT_IMPLEMENTED : Could not find an implementation for Gemm(13) node with name \'g\'')))
      .toBe("Could not find an implementation for Gemm(13) node with name 'g'");
  });
});

function finding(over: Partial<Finding>): Finding {
  return {
    rule: 'op-support', code: 'unsupported-op', severity: 'error', level: 'unsupported', nodeCount: 0, nodes: [],
    message: '', remedy: '', effort: 'medium', source: [], args: {}, ...over,
  } as Finding;
}

const ref = (name: string, index = 0) => ({ name, graph: 'main', index });

/** conv1 60 ms, conv2 20 ms (Conv 80 %), an inlined LSTM 15 ms, relu 5 ms. */
const result: RunResult = {
  status: 'ok', providers: [], inputs: [], assumptions: [],
  backends: [{
    provider: 'cpu', status: 'ok', profiledNodeMs: 100,
    nodeTimes: [
      { name: 'conv1', opType: 'Conv', domain: 'ai.onnx', provider: 'CPUExecutionProvider', ms: 60 },
      { name: 'conv2', opType: 'Conv', domain: 'ai.onnx', provider: 'CPUExecutionProvider', ms: 20 },
      { name: 'If_0_then_branch__Inline_0__/rnn/LSTM', opType: 'LSTM', domain: 'ai.onnx', provider: 'CPUExecutionProvider', ms: 15 },
      { name: '#3 Relu', opType: 'Relu', domain: 'ai.onnx', provider: 'CPUExecutionProvider', ms: 5 },
    ],
    nodeTimesTotal: 4,
    opTypeShares: [
      { opType: 'Conv', domain: 'ai.onnx', ms: 80, share: 0.8, nodeCount: 2, providers: ['CPUExecutionProvider'] },
      { opType: 'LSTM', domain: 'ai.onnx', ms: 15, share: 0.15, nodeCount: 1, providers: ['CPUExecutionProvider'] },
      { opType: 'Relu', domain: 'ai.onnx', ms: 5, share: 0.05, nodeCount: 1, providers: ['CPUExecutionProvider'] },
    ],
  }],
};

describe('time shares of findings', () => {
  test('by node name when all nodes are listed, by op type when only the first few are', () => {
    const findings = [
      finding({ op: 'Conv', domain: 'ai.onnx', nodeCount: 1, nodes: [ref('conv2')] }),
      finding({ op: 'LSTM', domain: 'ai.onnx', nodeCount: 1, nodes: [ref('/rnn/LSTM')] }),
      finding({ op: 'Relu', domain: 'ai.onnx', nodeCount: 1, nodes: [ref('#3 Relu', 3)], severity: 'warning' }),
      finding({ op: 'Conv', domain: 'ai.onnx', nodeCount: 30, nodes: [ref('conv1')] }),
      finding({ op: 'BFLOAT16', nodeCount: 40, nodes: [ref('conv1')], severity: 'info' }),
    ];
    const shared = attachTimeShares(findings, result);
    expect(shared.map((f) => f.timeShare)).toEqual([0.2, 0.15, 0.05, 0.8, undefined]);
    expect(findings[0]!.timeShare).toBeUndefined();
  });

  test('the blockers\' share counts each node once', () => {
    const findings = [
      finding({ op: 'Conv', domain: 'ai.onnx', nodeCount: 30, nodes: [ref('conv1')] }),
      finding({ op: 'Conv', domain: 'ai.onnx', nodeCount: 1, nodes: [ref('conv2')], code: 'dtype' }),
      finding({ op: 'LSTM', domain: 'ai.onnx', nodeCount: 1, nodes: [ref('/rnn/LSTM')] }),
      finding({ op: 'Relu', domain: 'ai.onnx', nodeCount: 1, nodes: [ref('#3 Relu', 3)], severity: 'warning' }),
    ];
    expect(blockerTimeShare(findings, result)).toEqual({ share: 0.95, provider: 'cpu', findings: 3 });
    expect(blockerTimeShare(findings, { ...result, backends: [] })).toBeUndefined();
  });
});

/**
 * Hand-built reports for the formatter tests: one model checked against three targets with the
 * kinds of findings real models give (contrib ops, an opset past the compiler's window, the fp16
 * policy, AI CPU ops, dynamic shapes), plus a report whose strings are all hostile.
 */
import type { Finding, NodeRef, Severity, SupportLevel } from '../../src/findings/finding.js';
import { compareFindings } from '../../src/findings/order.js';
import { verdictOf } from '../../src/report/build.js';
import type { MessageDef, RuleDef } from '../../src/findings/rule.js';
import type { ModelSummary, Report, TargetReport } from '../../src/report/types.js';

export const TOOL = { name: 'port-check', version: '0.1.0' } as const;

export function nodes(names: string[], graph = 'main'): NodeRef[] {
  return names.map((name, index) => ({ name, graph, index }));
}

export function finding(f: Partial<Finding> & Pick<Finding, 'rule' | 'code' | 'severity' | 'level'>): Finding {
  const ns = f.nodes ?? [];
  return {
    nodeCount: ns.length,
    nodes: ns,
    effort: 'none',
    source: [],
    args: {},
    ...f,
  };
}

function countBy<K extends string>(keys: readonly K[], values: K[]): Record<K, number> {
  const out = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const v of values) out[v] += 1;
  return out;
}

export function target(
  id: string,
  name: string,
  findings: Finding[],
  opCoverage: Record<SupportLevel, number>,
): TargetReport {
  const sorted = [...findings].sort(compareFindings);
  return {
    id,
    name,
    verdict: verdictOf(sorted),
    counts: countBy<Severity>(['error', 'warning', 'info'], sorted.map((f) => f.severity)),
    levels: countBy<SupportLevel>(['supported', 'degraded', 'unsupported', 'unknown'], sorted.map((f) => f.level)),
    opCoverage,
    findings: sorted,
  };
}

export function modelSummary(path: string, overrides: Partial<ModelSummary> = {}): ModelSummary {
  return {
    path,
    fileBytes: 88_412_160,
    irVersion: 8,
    producer: 'pytorch 2.3.1',
    opsets: { '': 19, 'com.microsoft': 1 },
    nodeCount: 1_204,
    graphCount: 1,
    opTypeCount: 23,
    parameterCount: 22_100_000,
    parameterBytes: 88_400_000,
    externalDataBytes: 0,
    inputs: [{ name: 'input_ids', dtype: 'int64', dims: ['batch', 'sequence'] }],
    outputs: [{ name: 'last_hidden_state', dtype: 'float32', dims: ['batch', 'sequence', 384] }],
    dtypes: ['float32', 'int64'],
    customDomains: [],
    ...overrides,
  };
}

const SRC_ATC = 'ATC ONNX parser registrations (hicann/ops-nn; knowledge/atc_onnx_parser_registrations.tsv)';
const SRC_ORT = 'ONNX Runtime CUDA kernels (onnxruntime/core/providers/cuda; knowledge/ort_operator_kernels.tsv)';
const SRC_POLICY = 'ATC precision_mode default force_fp16 (CANN ATC docs)';
const SRC_HW_H20 = 'NVIDIA H20 headline figures (https://www.nvidia.com/en-us/data-center/h20/; knowledge/hw_profiles.json)';
const SRC_HW_910C =
  'Ascend 910C headline figures (https://techpowerup.com/335749/huawei-ascend ; https://www.hiascend.com/document/detail/en/x.html; knowledge/hw_profiles.json)';
const SRC_AICPU = 'CANN AI CPU kernels (knowledge/cann_aicpu_kernels_opensource.txt)';

export interface SampleOptions {
  path?: string;
  /** Attach reference-run time shares to the op findings. */
  timeShares?: boolean;
}

/** encoder.onnx: ready on H20, blocked on Ascend 910B, runs with changes on Ascend 910C. */
export function sampleReport(options: SampleOptions = {}): Report {
  const share = (v: number) => (options.timeShares ? { timeShare: v } : {});
  const attention = (severity: Severity, level: SupportLevel): Finding =>
    finding({
      rule: 'contrib-ops',
      code: 'contrib-op',
      severity,
      level,
      op: 'Attention',
      domain: 'com.microsoft',
      opset: 1,
      nodes: nodes(['/encoder/layer.0/attention/Attention', '/encoder/layer.1/attention/Attention']),
      nodeCount: 12,
      remedy: 'Un-fuse Attention into MatMul/Softmax/MatMul, or map it to npu_fusion_attention.',
      effort: 'high',
      source: ['Contrib ops per execution provider (knowledge/ort_cuda_contrib_ops.txt)'],
      args: { op: 'Attention', domain: 'com.microsoft' },
      ...share(0.41),
    });
  const opset: Finding = finding({
    rule: 'opset-window',
    code: 'opset-too-new',
    severity: 'error',
    level: 'unsupported',
    domain: 'ai.onnx',
    opset: 19,
    remedy: 'Re-export the model at opset 18 (torch.onnx.export(..., opset_version=18)).',
    effort: 'low',
    source: [SRC_ATC],
    args: { domain: 'ai.onnx', opset: 19, min: 9, max: 18 },
  });
  const gelu: Finding = finding({
    rule: 'op-support',
    code: 'degraded-op',
    severity: 'warning',
    level: 'degraded',
    op: 'Gelu',
    domain: 'ai.onnx',
    opset: 20,
    nodes: nodes(['/encoder/layer.0/intermediate/Gelu', '/encoder/layer.1/intermediate/Gelu']),
    nodeCount: 6,
    remedy: 'Expect extra kernels; fuse with the npu_gelu custom op if it shows in profiles.',
    effort: 'low',
    source: [SRC_ATC],
    args: { op: 'Gelu' },
    ...share(0.06),
  });
  const policy: Finding = finding({
    rule: 'precision',
    code: 'policy-converts',
    severity: 'warning',
    level: 'degraded',
    op: 'float32',
    remedy: 'Compile with --precision_mode=allow_fp32_to_fp16 or keep sensitive ops in fp32 with --keep_dtype.',
    effort: 'medium',
    source: [SRC_POLICY],
    args: { dtype: 'float32', policy: 'force_fp16' },
  });
  const topk: Finding = finding({
    rule: 'slow-ops',
    code: 'aicpu-op',
    severity: 'info',
    level: 'supported',
    op: 'TopK',
    domain: 'ai.onnx',
    nodes: nodes(['/pooler/TopK']),
    remedy: 'Cast K and indices to int32.',
    effort: 'low',
    source: [SRC_AICPU],
    args: { op: 'TopK' },
    ...share(0.02),
  });
  const dynamic = (severity: Severity): Finding =>
    finding({
      rule: 'dynamic-shapes',
      code: 'dynamic-dims',
      severity,
      level: severity === 'info' ? 'supported' : 'degraded',
      op: 'input_ids',
      remedy: severity === 'info' ? '' : 'Fix the shapes at compile time with --input_shape, or use dynamic-dims gears.',
      effort: severity === 'info' ? 'none' : 'medium',
      source: severity === 'info' ? [SRC_ORT] : [SRC_ATC],
      args: { input: 'input_ids', dims: 'batch, sequence' },
    });
  const nonzero: Finding = finding({
    rule: 'op-support',
    code: 'unknown-op',
    severity: 'warning',
    level: 'unknown',
    op: 'NonZero',
    domain: 'ai.onnx',
    opset: 13,
    nodes: nodes(['/embeddings/NonZero']),
    remedy: 'Try compiling a one-op model with ATC to find out.',
    effort: 'low',
    source: [SRC_ATC],
    args: { op: 'NonZero' },
  });

  return {
    schemaVersion: 1,
    tool: { ...TOOL },
    model: modelSummary(options.path ?? 'models/encoder.onnx'),
    targets: [
      {
        ...target('h20', 'NVIDIA H20', [dynamic('info')], { supported: 23, degraded: 0, unsupported: 0, unknown: 0 }),
        hardware: [
          { name: 'Device memory', value: 96, unit: 'GiB', confidence: 'high', source: [SRC_HW_H20] },
          { name: 'Peak fp16', value: 148, unit: 'TFLOPS', confidence: 'high', source: [SRC_HW_H20] },
        ],
      },
      target('ascend-910b', 'Huawei Ascend 910B', [attention('error', 'unsupported'), opset, gelu, policy, topk, dynamic('warning'), nonzero], {
        supported: 18,
        degraded: 2,
        unsupported: 1,
        unknown: 2,
      }),
      {
        ...target('ascend-910c', 'Huawei Ascend 910C', [gelu, policy, topk, dynamic('warning')], {
          supported: 21,
          degraded: 2,
          unsupported: 0,
          unknown: 0,
        }),
        hardware: [
          { name: 'Device memory', value: 128, unit: 'GiB', confidence: 'low', source: [SRC_HW_910C] },
          { name: 'Peak fp16', value: 780, unit: 'TFLOPS', confidence: 'low', source: [SRC_HW_910C], note: 'two dies' },
        ],
      },
    ],
  };
}

/** A second model whose only issue is missing evidence: the "unknown" verdict. */
export function unknownReport(path = 'models/vad/silero.onnx'): Report {
  const f = finding({
    rule: 'op-support',
    code: 'unknown-op',
    severity: 'warning',
    level: 'unknown',
    op: 'STFT',
    domain: 'ai.onnx',
    opset: 17,
    nodes: nodes(['stft_0']),
    remedy: 'Try compiling a one-op model with ATC to find out.',
    effort: 'medium',
    source: [SRC_ATC],
    args: { op: 'STFT' },
  });
  return {
    schemaVersion: 1,
    tool: { ...TOOL },
    model: modelSummary(path, { nodeCount: 96, opTypeCount: 11, opsets: { '': 17 } }),
    targets: [
      target('h20', 'NVIDIA H20', [], { supported: 11, degraded: 0, unsupported: 0, unknown: 0 }),
      target('ascend-910b', 'Huawei Ascend 910B', [f], { supported: 10, degraded: 0, unsupported: 0, unknown: 1 }),
      target('ascend-910c', 'Huawei Ascend 910C', [f], { supported: 10, degraded: 0, unsupported: 0, unknown: 1 }),
    ],
  };
}

/** Script, CDATA terminator, ampersand, ANSI colour, a newline: everything a string must survive. */
export const PAYLOAD = '<script>window.__pwned=1</script>]]>&amp;\u001b[31mRED\u001b[0m\nline2 @octocat | `x` [a](javascript:alert(1)) %0A::error::x';

/** Every string a model controls carries the payload. */
export function hostileReport(): Report {
  const f = finding({
    rule: 'op-support',
    code: 'unsupported-op',
    severity: 'error',
    level: 'unsupported',
    op: `Evil${PAYLOAD}`,
    domain: `evil.domain${PAYLOAD}`,
    opset: 1,
    nodes: nodes([`node${PAYLOAD}`], `main/Loop${PAYLOAD}`),
    nodeCount: 1,
    remedy: `Rewrite ${PAYLOAD}`,
    effort: 'high',
    source: [`source ${PAYLOAD}`],
    args: { op: `Evil${PAYLOAD}` },
    timeShare: 0.5,
  });
  return {
    schemaVersion: 1,
    tool: { ...TOOL },
    model: modelSummary(`models/evil${PAYLOAD}.onnx`, {
      producer: `producer${PAYLOAD}`,
      opsets: { '': 17, [`evil.domain${PAYLOAD}`]: 1 },
      inputs: [{ name: `in${PAYLOAD}`, dtype: 'float32', dims: [`dim${PAYLOAD}`, 3] }],
      outputs: [{ name: `out${PAYLOAD}` }],
      customDomains: [`evil.domain${PAYLOAD}`],
    }),
    targets: [
      target(`ascend-910b`, `Target${PAYLOAD}`, [f], { supported: 3, degraded: 0, unsupported: 1, unknown: 0 }),
    ],
  };
}

/** A message code of the fixtures' rules: the template, and defaults the findings override. */
function code(text: string, severity: MessageDef['severity'], description: string): MessageDef {
  return { text, severity, description, remedy: 'See the docs of {op}.', effort: 'low' };
}

/** The rule registry for the rules the fixtures use (the shape of RULES): it renders their messages. */
export const SAMPLE_RULES: RuleDef[] = [
  {
    id: 'op-support',
    stage: 'check',
    summary: 'each op type against the target profile',
    description: 'Each op type against the target profile: supported, degraded, unsupported or unknown.',
    messages: {
      'unsupported-op': code('Op {op} is not supported', 'error', 'The target has no kernel or parser for this op.'),
      'degraded-op': code('{op} is decomposed into Erf, Mul and Add on this target', 'warning', 'The op runs, but slower or with lower precision.'),
      'unknown-op': code('No evidence either way for {op} on this target', 'warning', 'The profile has no evidence for this op.'),
    },
  },
  {
    id: 'contrib-ops',
    stage: 'check',
    summary: 'com.microsoft ops',
    description: 'Ops from com.microsoft and other non-standard domains.',
    messages: {
      'contrib-op': code('{domain}::{op} has no CANN kernel and no ATC parser', 'error', 'A contrib op the target cannot run.'),
    },
  },
  {
    id: 'opset-window',
    stage: 'check',
    summary: 'the opset against the window',
    description: "The model's opset imports against the compiler's window.",
    messages: {
      'opset-too-new': code('The model imports {domain} opset {opset}; ATC parses opsets {min} to {max}', 'error', 'The opset is newer than the compiler parses.'),
    },
  },
  {
    id: 'precision',
    stage: 'check',
    summary: 'tensor types and the default policy',
    description: "Tensor types against the target's precision support and default policy.",
    messages: {
      'policy-converts': code('{dtype} tensors are computed in fp16 under the default {policy} policy', 'warning', 'The default precision policy converts these tensors.'),
    },
  },
  {
    id: 'slow-ops',
    stage: 'check',
    summary: 'slow ops',
    description: 'Ops that compile but run on slow engines.',
    messages: {
      'aicpu-op': code('{op} runs on the AI CPU with int64 indices', 'info', 'The op runs on the AI CPU, not the AI Core.'),
    },
  },
  {
    id: 'dynamic-shapes',
    stage: 'check',
    summary: 'dynamic input dims',
    description: 'Dynamic input dimensions.',
    messages: {
      'dynamic-dims': code('Input {input} has dynamic dimensions {dims}', 'warning', 'Dimensions fixed only at run time.'),
    },
  },
];

/**
 * Hand-built reports with the optional parts: the real run (providers, latency, op-type time
 * shares, blockers' share, inputs), precision emulation per target (a failing output, the first
 * drifting node, an fp16 overflow, a keep-dtype suggestion) and the estimate per target (a model
 * too big for one H20 or one 910B, so that NVLink and HCCS are compared).
 */
import type { TargetEstimate } from '../../src/estimate/types.js';
import type { OutputComparison, PrecisionResult } from '../../src/precision/types.js';
import type { Report, TargetReport } from '../../src/report/types.js';
import { PAYLOAD, hostileReport, sampleReport } from './fixture.js';

const GiB = 2 ** 30;

const THRESHOLDS = { absoluteTolerance: 1e-6, cosine: 0.99, relativeEuclidean: 0.05, rmse: 1, meanRelativeError: 1 };

const INPUTS = [{ name: 'input_ids', dtype: 'INT64', dims: [1, 128], source: 'synthesised' as const, detail: 'integers in [0, 100) from seed 1' }];

function output(name: string, cosine: number, relativeEuclidean: number, verdict: OutputComparison['verdict']): OutputComparison {
  return {
    name,
    dtype: 'float32',
    dims: [1, 128, 384],
    verdict,
    misses:
      verdict === 'fail'
        ? [
            { metric: 'cosine', value: cosine, threshold: 0.99 },
            { metric: 'relativeEuclidean', value: relativeEuclidean, threshold: 0.05 },
          ]
        : [],
    node: { node: `/pooler/${name}`, opType: 'Add', index: 1200, named: true },
    metrics: {
      elements: 49152,
      compared: 49152,
      cosine,
      maxAbsError: relativeEuclidean * 3,
      meanAbsError: relativeEuclidean / 2,
      rmse: relativeEuclidean,
      maxRelativeError: relativeEuclidean * 10,
      meanRelativeError: relativeEuclidean,
      relativeEuclidean,
      reference: { nan: 0, inf: 0, maxAbs: 12.5 },
      emulated: { nan: 0, inf: 0, maxAbs: 12.6 },
      newNonFinite: 0,
    },
  };
}

export function precision(target: string, failing: boolean): PrecisionResult {
  return {
    status: 'ok',
    mode: 'profile',
    target,
    policy: { name: 'force_fp16', compute: 'fp16', converts: ['fp32', 'bf16'], keepOps: [], from: 'profile' },
    emulated: ['212 fp32 weights (initializers) converted to fp16 and back to fp32 (force_fp16)'],
    notEmulated: ['rounding inside a node is not emulated'],
    inputs: INPUTS,
    assumptions: ["dim 'batch' = 1 (batch-like default; set it with --dim batch=N)", 'synthesised inputs drawn with seed 1'],
    thresholds: THRESHOLDS,
    outputs: failing
      ? [output('last_hidden_state', 0.9712, 0.2134, 'fail'), output('pooler_output', 0.99991, 0.0123, 'pass')]
      : [output('last_hidden_state', 0.9999994, 0.0011, 'pass'), output('pooler_output', 0.99999, 0.0009, 'pass')],
    layerwise: {
      compared: 1180,
      missing: 0,
      unvisited: 0,
      chunks: 2,
      drifting: failing ? 37 : 0,
      worst: [],
      overflowValues: { 'fp16-overflow': failing ? 1 : 0, 'nan-inf': 0 },
    },
    ...(failing && {
      firstDrift: {
        node: '/encoder/layer.3/attention/Softmax',
        opType: 'Softmax',
        index: 311,
        named: true,
        output: '/encoder/layer.3/attention/Softmax_output_0',
        metric: 'cosine' as const,
        value: 0.9731,
        threshold: 0.99,
        cosine: 0.9731,
        relativeEuclidean: 0.188,
      },
    }),
    overflows: failing
      ? [
          {
            node: '/encoder/layer.3/attention/MatMul',
            opType: 'MatMul',
            index: 309,
            named: true,
            kind: 'fp16-overflow',
            output: '/encoder/layer.3/attention/MatMul_output_0',
            count: 12,
            elements: 196608,
            maxAbs: 81234.5,
          },
        ]
      : [],
    keepDtypeSuggestion: failing ? ['/encoder/layer.3/attention/MatMul', '/encoder/layer.3/attention/Softmax'] : [],
  };
}

function estimate(latencyMs: number, computeShare: number, device: number, chips: number, link?: [string, number, number]): TargetEstimate {
  const total = 100 * GiB;
  const est: TargetEstimate = {
    latencyMs,
    computeBoundShare: computeShare,
    memoryBoundShare: Math.round((1 - computeShare) * 1000) / 1000,
    confidence: link ? 'medium' : 'high',
    bottleneck: computeShare >= 0.5 ? 'compute' : 'memory',
    computePrecisions: ['fp16'],
    flops: 2.9e12,
    bytesMoved: 101 * GiB,
    topOpTypes: [
      { opType: 'MatMul', domain: 'ai.onnx', nodes: 96, ms: latencyMs * 0.7, share: 0.7, bound: 'compute' },
      { opType: 'Attention', domain: 'com.microsoft', nodes: 12, ms: latencyMs * 0.2, share: 0.2, bound: 'memory' },
      { opType: 'Gelu', domain: 'ai.onnx', nodes: 6, ms: latencyMs * 0.1, share: 0.1, bound: 'memory' },
    ],
    topNodes: [
      { name: '/encoder/layer.0/output/MatMul', opType: 'MatMul', domain: 'ai.onnx', ms: latencyMs * 0.05, share: 0.05, bound: 'compute', flops: 1e11, bytes: 4e6 },
    ],
    nodesCosted: 1198,
    nodesNotCosted: { count: 6, examples: [{ name: '/embeddings/NonZero', opType: 'NonZero', domain: 'ai.onnx', reason: 'data-dependent output shape' }] },
    memory: {
      weightsBytes: 99 * GiB,
      activationBytes: 1 * GiB,
      kvCacheBytes: 0,
      totalBytes: total,
      deviceBytes: device * GiB,
      usableFraction: 0.9,
      fits: chips === 1,
      chipsNeeded: chips,
      unsizedValues: 0,
    },
    assumptions: [
      `roofline at 100% of the target's figures (${device} GiB): a lower bound on latency`,
      "symbolic dim 'batch' = 1 (batch default; set it with --dim batch=N)",
    ],
  };
  if (link) {
    const [name, bandwidthGBs, commMs] = link;
    est.interconnect = {
      chips,
      link: name,
      bandwidthGBs,
      confidence: 'medium',
      scheme: 'output-channel-split',
      layers: 96,
      collectivesPerLayer: 1,
      perLayerBytes: 196608,
      bytesPerChipPerInference: 9437184,
      commMsPerInference: commMs,
      computeMsPerChip: latencyMs / chips,
      commShare: Math.round((commMs / (commMs + latencyMs / chips)) * 1000) / 1000,
    };
    est.assumptions.push(`interconnect time at 100% of ${name}'s ${bandwidthGBs} GB/s per chip, no overlap with compute`);
  }
  return est;
}

/** The sample report (encoder.onnx on H20, 910B, 910C) as `check()` with `run` gives it. */
export function sampleRunReport(): Report {
  const base = sampleReport({ timeShares: true });
  const extra: Record<string, Partial<TargetReport>> = {
    h20: { estimate: estimate(38.2, 0.62, 96, 2, ['NVLink', 450, 0.021]) },
    'ascend-910b': { estimate: estimate(24.9, 0.55, 64, 2, ['HCCS', 56, 0.168]), precision: precision('ascend-910b', true) },
    'ascend-910c': { estimate: estimate(12.1, 0.51, 128, 1), precision: precision('ascend-910c', false) },
  };
  return {
    ...base,
    targets: base.targets.map((t) => ({ ...t, ...extra[t.id] })),
    run: {
      status: 'ok',
      onnxruntimeVersion: '1.30.0',
      providers: [
        { name: 'cpu', status: 'ok' },
        {
          name: 'cuda',
          status: 'unavailable',
          reason: 'the CUDA provider library is not installed in onnxruntime-node',
          howTo: 'npm install onnxruntime-node --onnxruntime-node-install=cuda12 (needs CUDA 12 and cuDNN 9)',
        },
        { name: 'tensorrt', status: 'absent', reason: 'this onnxruntime-node build does not list it', howTo: 'install the CUDA build and TensorRT 10' },
      ],
      backends: [
        {
          provider: 'cpu',
          status: 'ok',
          sessionMs: 412.5,
          iterations: 10,
          latencyMs: { p50: 18.4, p90: 19.9, p99: 21.3, mean: 18.8, min: 17.9, max: 21.3 },
          peakRssMB: 612.4,
          opTypeShares: [
            { opType: 'MatMul', domain: 'ai.onnx', ms: 8.1, share: 0.45, nodeCount: 96, providers: ['CPUExecutionProvider'] },
            { opType: 'Attention', domain: 'com.microsoft', ms: 7.4, share: 0.41, nodeCount: 12, providers: ['CPUExecutionProvider'] },
            { opType: 'Gelu', domain: 'ai.onnx', ms: 1.1, share: 0.06, nodeCount: 6, providers: ['CPUExecutionProvider'] },
            { opType: 'TopK', domain: 'ai.onnx', ms: 0.36, share: 0.02, nodeCount: 1, providers: ['CPUExecutionProvider'] },
            { opType: 'Add', domain: 'ai.onnx', ms: 1.08, share: 0.06, nodeCount: 60, providers: ['CPUExecutionProvider'] },
          ],
          profiledNodeMs: 18.04,
          nodeTimes: [{ name: '/encoder/layer.0/attention/Attention', opType: 'Attention', domain: 'com.microsoft', provider: 'CPUExecutionProvider', ms: 0.62 }],
          nodeTimesTotal: 1204,
        },
        { provider: 'webgpu', status: 'failed', reason: 'no WebGPU adapter' },
      ],
      inputs: INPUTS,
      assumptions: ["dim 'batch' = 1 (batch-like default; set it with --dim batch=N)", "dim 'sequence' = 128 (set it with --dim sequence=N)"],
      blockerTimeShare: { share: 0.41, provider: 'cpu', findings: 1 },
    },
  };
}

/**
 * Every string of the run, precision and estimate that a model (names, op types, domains, dim
 * names in assumptions) or a runtime error message can carry, carries the payload too. Type names
 * and precision families come from port-check's own tables, so they stay as they are.
 */
export function hostileRunReport(): Report {
  const base = hostileReport();
  const p = precision(base.targets[0]!.id, true);
  const evil = (s: string) => `${s}${PAYLOAD}`;
  const hostilePrecision: PrecisionResult = {
    ...p,
    policy: { ...p.policy, name: evil('policy'), keepOps: [evil('keep')] },
    emulated: [evil('emulated')],
    notEmulated: [evil('not emulated')],
    assumptions: [evil('assumed')],
    inputs: [{ ...INPUTS[0]!, name: evil('in'), detail: evil('detail') }],
    outputs: p.outputs.map((o) => ({ ...o, name: evil('out'), node: { ...o.node!, node: evil('node'), opType: evil('Op') }, note: evil('note') })),
    firstDrift: { ...p.firstDrift!, node: evil('drift'), opType: evil('Softmax'), output: evil('drift-out') },
    overflows: p.overflows.map((o) => ({ ...o, node: evil('overflow'), opType: evil('MatMul'), output: evil('overflow-out') })),
    keepDtypeSuggestion: [evil('keep-node')],
  };
  const est = estimate(24.9, 0.55, 64, 2, [evil('HCCS'), 56, 0.168]);
  const hostileEstimate: TargetEstimate = {
    ...est,
    topOpTypes: est.topOpTypes.map((o) => ({ ...o, opType: evil('Op'), domain: evil('dom') })),
    topNodes: est.topNodes.map((n) => ({ ...n, name: evil('node'), opType: evil('Op') })),
    nodesNotCosted: { count: 1, examples: [{ name: evil('nc'), opType: evil('Op'), domain: evil('dom'), reason: evil('why') }] },
    assumptions: [evil('assumed')],
  };
  const run = sampleRunReport().run!;
  return {
    ...base,
    targets: base.targets.map((t) => ({ ...t, precision: hostilePrecision, estimate: hostileEstimate })),
    run: {
      ...run,
      onnxruntimeVersion: evil('1.30'),
      reason: evil('reason'),
      providers: run.providers.map((pr) => ({ ...pr, reason: evil('reason'), howTo: evil('howto') })),
      backends: run.backends.map((b) => ({
        ...b,
        ...(b.reason !== undefined && { reason: evil('failed') }),
        ...(b.opTypeShares && { opTypeShares: b.opTypeShares.map((s) => ({ ...s, opType: evil('Op'), domain: evil('dom'), providers: [evil('EP')] })) }),
      })),
      inputs: [{ ...INPUTS[0]!, name: evil('in'), detail: evil('detail') }],
      assumptions: [evil('assumed')],
    },
  };
}

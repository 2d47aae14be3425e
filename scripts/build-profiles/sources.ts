import type { Profile } from '../../src/profiles/schema.js';
import type { Knowledge } from './knowledge.js';
import type { ProfileInput } from './profile-input.js';
import { featureSourceKey, matchFeatureRows } from './features.js';

type Source = Profile['sources'][string];

/**
 * Every source a profile may cite. Upstream locations are copied from each knowledge file's header;
 * confidence says how far the file can be trusted (a heuristic parse or an incomplete list is
 * 'medium', a figure the file itself calls unverified is 'low').
 */
export function sourceCatalog(k: Knowledge): Record<string, Source> {
  const catalog: Record<string, Source> = {
    'atc-parsers': {
      title: 'CANN ONNX parser plugin registrations: the ONNX ops ATC/GE can parse, per opset, and the CANN op each becomes',
      file: 'knowledge/atc_onnx_parser_registrations.tsv',
      upstream: 'hicann/ops-nn, hicann/ops-math, hicann/ops-cv framework/*onnx_plugin.cpp (GitHub mirrors of gitcode.com/cann/ops-*)',
      confidence: 'high',
    },
    'atc-missing': {
      title: 'Standard ONNX ops with an ORT kernel but no ATC parser registration found (ATC fails with E16002 "No parser is registered")',
      file: 'knowledge/atc_missing_standard_onnx_ops.txt',
      upstream: 'hicann/ops-nn, ops-math, ops-cv framework/*onnx_plugin.cpp; hicann/ge parser/parser/onnx; microsoft/onnxruntime docs/OperatorKernels.md',
      confidence: 'medium',
    },
    'ge-onnx-parser': {
      title: 'Ops built into the GE ONNX parser rather than registered as plugins (named in the header of atc_missing_standard_onnx_ops.txt)',
      file: 'knowledge/atc_missing_standard_onnx_ops.txt',
      upstream: 'hicann/ge parser/parser/onnx',
      confidence: 'medium',
    },
    'msit-onnx-map': {
      title: 'msit analyze: ONNX op → CANN op type map, per ai.onnx opset (a second, older view of the ATC parsers)',
      file: 'knowledge/atc_onnx_ops.txt',
      upstream: 'Ascend/msit msit/components/analyze/model_evaluation/data/map_conf/onnx.yaml',
      confidence: 'medium',
    },
    'cann-aicore': {
      title: 'CANN open-source AI Core op definitions per SoC, with dtypes (only the open-sourced ops: absence proves nothing)',
      file: 'knowledge/cann_aicore_ops_by_soc.tsv',
      upstream: 'hicann/ops-nn, ops-math, ops-cv, ops-transformer */op_host/*_def.cpp',
      confidence: 'medium',
    },
    'cann-imply-types': {
      title: 'CANN ONNX parser plugins: the engine each registration declares (ImplyType: TVM = AI Core, AI_CPU, GELOCAL = GE itself)',
      file: 'knowledge/cann_onnx_imply_types.tsv',
      upstream: `${k.implyTypeCommits.join('; ')}: framework/*onnx_plugin.cpp (regenerate with scripts/extract-imply-types.ts)`,
      confidence: 'high',
    },
    'cann-aicpu': {
      title: 'CANN open-source AI CPU kernels (run on the NPU\'s ARM control cores: supported but slow; list incomplete)',
      file: 'knowledge/cann_aicpu_kernels_opensource.txt',
      upstream: 'hicann/ops-nn, ops-math, ops-cv */op_kernel_aicpu/*.cpp (REGISTER_*KERNEL)',
      confidence: 'medium',
    },
    'ort-cann-ep': {
      title: 'ONNX Runtime CANN execution provider kernel registrations (no com.microsoft op)',
      file: 'knowledge/cann_ep_ops.txt',
      upstream: 'microsoft/onnxruntime onnxruntime/core/providers/cann/cann_execution_provider.cc',
      confidence: 'high',
    },
    'ort-cann-graph': {
      title: 'ONNX Runtime CANN EP graph mode: the ai.onnx ops it hands to GE (any other domain, or opset < 8, is refused)',
      file: 'knowledge/cann_ep_graph_mode_ops.txt',
      upstream: 'microsoft/onnxruntime onnxruntime/core/providers/cann/cann_graph.cc SupportONNXModel()',
      confidence: 'high',
    },
    'ort-kernels': {
      title: 'ONNX Runtime registered kernels per execution provider, op, opset range and type constraints',
      file: 'knowledge/ort_operator_kernels.tsv',
      upstream: 'microsoft/onnxruntime docs/OperatorKernels.md (snapshot tianleiwu/onnxruntime @735e69a39)',
      confidence: 'high',
    },
    'ort-cuda-contrib': {
      title: 'ONNX Runtime com.microsoft contrib ops with a CUDA kernel (plus NCCL- and training-only builds)',
      file: 'knowledge/ort_cuda_contrib_ops.txt',
      upstream: 'microsoft/onnxruntime docs/OperatorKernels.md; onnxruntime/contrib_ops/cuda/cuda_contrib_kernels.cc',
      confidence: 'high',
    },
    'ort-cpu-contrib': {
      title: 'ONNX Runtime com.microsoft contrib ops with a CPU kernel',
      file: 'knowledge/ort_cpu_contrib_ops.txt',
      upstream: 'microsoft/onnxruntime docs/OperatorKernels.md; onnxruntime/contrib_ops/cpu/cpu_contrib_kernels.cc',
      confidence: 'high',
    },
    'atc-soc-versions': {
      title: 'SoC names of the 910B (Ascend910B1..B4_1) and 910C (Ascend910_93xx) families, as ATC --soc_version and the CANN runtime spell them',
      file: 'knowledge/atc_soc_versions.tsv',
      upstream: 'Ascend/pytorch torch_npu/csrc/core/npu/NpuVariables.h (enum SocVersion); Ascend/ModelZoo-PyTorch ACL_PyTorch/*/atc.sh',
      confidence: 'medium',
    },
    'atc-keep-dtype': {
      title: 'ATC --keep_dtype: a file of original node names or OpType::<Ascend IR type>, one a line, kept in their own precision under --precision_mode',
      file: 'knowledge/atc_soc_versions.tsv',
      upstream: 'https://www.hiascend.com/document/detail/en/canncommercial/850/devaids/atctool/atlasatcparam_16_0074.html',
      confidence: 'high',
    },
    'port-check-effort': {
      title: "port-check's default engineer-days per work item by effort class: an assumption, not a measurement; override with effortDays in the config file",
      file: 'knowledge/porting_effort_days.tsv',
      upstream: 'none: port-check\'s own estimate',
      confidence: 'low',
    },
  };
  for (const [key, hwKey, name] of [['hw-h20', 'nvidia-h20', 'NVIDIA H20'], ['hw-ascend-910b', 'ascend-910b', 'Ascend 910B'], ['hw-ascend-910c', 'ascend-910c', 'Ascend 910C']] as const) {
    const hw = k.hw[hwKey];
    if (!hw) throw new Error(`hw_profiles.json: no entry '${hwKey}'`);
    catalog[key] = {
      title: `${name} headline hardware figures (dense; memory, bandwidth, peak per precision, interconnect)`,
      file: 'knowledge/hw_profiles.json',
      upstream: hw.sources.join(' ; '),
      confidence: hwConfidence(hw.confidence),
    };
  }
  for (const { rule, row } of matchFeatureRows(k.featureMap)) {
    catalog[featureSourceKey(rule.id)] = {
      title: `CUDA → Ascend porting map: ${row.cuda}`,
      file: 'knowledge/porting_feature_map.tsv',
      upstream: row.source,
      confidence: 'medium',
    };
  }
  return catalog;
}

/** hw_profiles.json writes confidence as prose ("medium-low for numbers; ..."): keep the weaker end. */
export function hwConfidence(text: string): 'high' | 'medium' | 'low' {
  const head = text.split(/[;(]/)[0] ?? '';
  if (/low/.test(head)) return 'low';
  if (/medium/.test(head)) return 'medium';
  if (/high/.test(head)) return 'high';
  throw new Error(`hw_profiles.json: cannot read confidence '${text}'`);
}

/** Keeps the catalog entries the profile cites, in catalog order; throws on a key the catalog lacks. */
export function citedSources(catalog: Record<string, Source>, profile: unknown): Record<string, Source> {
  const cited = new Set<string>();
  collectSourceRefs(profile, cited);
  for (const key of cited) if (!(key in catalog)) throw new Error(`profile cites unknown source '${key}'`);
  return Object.fromEntries(Object.entries(catalog).filter(([key]) => cited.has(key)));
}

function collectSourceRefs(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) { for (const v of value) collectSourceRefs(v, into); return; }
  if (value === null || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value)) {
    if (key === 'source' && Array.isArray(v)) for (const ref of v) into.add(String(ref));
    else if (key !== 'sources') collectSourceRefs(v, into);
  }
}

/** Puts `sources` right after `summary`, holding exactly the keys the profile cites. */
export function withSources(k: Knowledge, profile: Omit<ProfileInput, 'sources'>): ProfileInput {
  const { schemaVersion, id, name, vendor, kind, summary, ...rest } = profile;
  return { schemaVersion, id, name, vendor, kind, summary, sources: citedSources(sourceCatalog(k), profile), ...rest };
}

import { defineCheck, type RawFinding } from '../assess/define-check.js';
import { toolchainOf } from '../assess/op-args.js';
import { ownerOf, verdictForOp } from '../assess/op-owner.js';
import { severityFor, worseLevel } from '../findings/levels.js';
import type { QuantScheme } from '../inspect/facts.js';
import { quantSchemeOfOp } from '../inspect/quantization-ops.js';
import type { SupportLevel } from '../profiles/schema.js';

type Code = 'quantized-model';

/** The schemes this check reports, and the ops that make each. FP8 and int4 tensors are precision's to report. */
const SCHEME_OPS: Partial<Record<QuantScheme, string>> = {
  qdq: 'QuantizeLinear/DequantizeLinear pairs',
  qlinear: 'QLinear* ops',
  'integer-ops': 'ConvInteger/MatMulInteger family',
  'dynamic-quantize': 'DynamicQuantizeLinear',
  'matmul-nbits': 'MatMulNBits family',
};

export default defineCheck({
  id: 'quantization',
  summary: 'QDQ, QLinear*, ConvInteger/MatMulInteger, DynamicQuantizeLinear, MatMulNBits: ATC takes none of the ONNX int8 forms; AMCT re-quantization is the path',
  description:
    'The quantization schemes the model uses (QDQ, QLinear*, integer ops, dynamic quantization, MatMulNBits-style block quantization), ' +
    'one finding per scheme: a quantized model is one work item (re-quantize with the target\'s toolchain, e.g. AMCT), not one per op. ' +
    'Owns these ops in every domain; FP8 and int4 tensors are reported by precision.',
  messages: {
    'quantized-model': {
      text: 'The model is quantized with {scheme} ({schemeOps}): {ops} ({nodeCount:count(node)}), {level} here[: {note}]',
      severity: 'error',
      description: 'A quantization scheme the target\'s compiler does not take as is; severity follows the worst op of the scheme.',
      remedy: 'Re-quantize the float model with the target\'s own toolchain rather than converting the {scheme} graph.',
      effort: 'high',
    },
  },
  run({ facts, profile }) {
    const out: RawFinding<Code>[] = [];
    const limit = profile.limits.quantization;
    for (const scheme of facts.quantization.schemes) {
      const schemeOps = SCHEME_OPS[scheme.scheme];
      if (!schemeOps) continue;
      const ops = facts.ops.filter(
        (op) => quantSchemeOfOp(op.opType) === scheme.scheme && ownerOf(op, facts) === 'quantization',
      );
      let level: SupportLevel = 'supported';
      let note: string | undefined;
      let opRemedy: string | undefined;
      const sources = new Set(limit.source);
      for (const op of ops) {
        const verdict = verdictForOp(profile, op, facts);
        if (!verdict) continue;
        if (worseLevel(level, verdict.level) !== level) {
          level = verdict.level;
          note = verdict.note;
          opRemedy = verdict.remedy;
        }
        for (const s of verdict.source) sources.add(s);
      }
      if (ops.length === 0 || level === 'supported') continue;
      out.push({
        code: 'quantized-model',
        level,
        severity: severityFor(level),
        op: scheme.scheme,
        nodes: scheme.nodes,
        nodeCount: scheme.nodeCount,
        args: {
          scheme: scheme.scheme,
          schemeOps,
          ops: ops.map((op) => op.opType),
          nodeCount: scheme.nodeCount,
          compiler: toolchainOf(profile),
          level,
          ...(note !== undefined && { note }),
        },
        // The limit's remedy is the plan for the scheme (e.g. AMCT); an op worse than the limit says why itself.
        remedy: level === limit.level ? limit.remedy : opRemedy ?? limit.remedy,
        effort: level === 'unsupported' ? 'high' : 'medium',
        source: [...sources],
      });
    }
    return out;
  },
});

import type { QuantScheme } from '../inspect/facts.js';
import { quantSchemeOfOp } from '../inspect/quantization-ops.js';
import type { SupportLevel } from '../profiles/schema.js';
import { toolchainOf } from './op-finding.js';
import { defineCheck, formatMessage, type RawFinding } from './define-check.js';
import { listNames, plural } from './format-values.js';
import { ownerOf, verdictForOp } from './op-owner.js';
import { severityFor, worseLevel } from './op-verdict.js';

type Code = 'quantized-model';

/** How each scheme reads in a message. FP8 and int4 tensors are precision's to report. */
const SCHEME_LABELS: Partial<Record<QuantScheme, string>> = {
  qdq: 'QDQ (QuantizeLinear/DequantizeLinear pairs)',
  qlinear: 'QLinear* ops (the QOperator format)',
  'integer-ops': 'integer ops (ConvInteger/MatMulInteger family)',
  'dynamic-quantize': 'dynamic quantization (DynamicQuantizeLinear)',
  'matmul-nbits': 'block-quantized weights (MatMulNBits family)',
};

const LEVEL_REASONS: Record<SupportLevel, string> = {
  unsupported: '{compiler} takes none of these ops',
  degraded: '{compiler} runs these ops at a cost',
  unknown: 'no evidence whether {compiler} takes these ops',
  supported: '{compiler} takes these ops',
};

export default defineCheck({
  id: 'quantization',
  description:
    'The quantization schemes the model uses (QDQ, QLinear*, integer ops, dynamic quantization, MatMulNBits-style block quantization), ' +
    'one finding per scheme: a quantized model is one work item (re-quantize with the target\'s toolchain, e.g. AMCT), not one per op. ' +
    'Owns these ops in every domain; FP8 and int4 tensors are reported by precision.',
  messages: {
    'quantized-model': {
      text: 'The model is quantized with {scheme}: {ops} ({nodes}); on {target}: {reason}',
      severity: 'error',
      description: 'A quantization scheme the target\'s compiler does not take as is; severity follows the worst op of the scheme.',
    },
  },
  run({ facts, profile }) {
    const out: RawFinding<Code>[] = [];
    const limit = profile.limits.quantization;
    for (const scheme of facts.quantization.schemes) {
      const label = SCHEME_LABELS[scheme.scheme];
      if (!label) continue;
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
      const args: Record<string, string | number> = {
        scheme: label,
        ops: listNames(ops.map((op) => op.opType)),
        nodes: plural(scheme.nodeCount, 'node'),
        target: profile.name,
        compiler: toolchainOf(profile),
      };
      args.reason = note ?? formatMessage(LEVEL_REASONS[level], args);
      out.push({
        code: 'quantized-model',
        level,
        severity: severityFor(level),
        op: scheme.scheme,
        nodes: scheme.nodes,
        nodeCount: scheme.nodeCount,
        args,
        // The limit's remedy is the plan for the scheme (e.g. AMCT); an op worse than the limit says why itself.
        remedy: level === limit.level ? limit.remedy : opRemedy ?? limit.remedy,
        effort: level === 'unsupported' ? 'high' : 'medium',
        source: [...sources],
      });
    }
    return out;
  },
});

import { defineCheck, formatMessage, type RawFinding } from './define-check.js';
import { formatBytes } from './format-values.js';

type Code = 'weights-exceed-memory' | 'weights-near-memory' | 'weights-use-memory';

const GIB = 1024 ** 3;
/** Above this share of device memory, activations, workspace and the runtime itself will not fit beside the weights. */
const NEAR_SHARE = 0.8;
/** Below this share the fit is not worth a line in the report. */
const NOTABLE_SHARE = 0.5;

const REMEDIES = {
  exceed: 'Shard the weights over at least {chips} devices (tensor or pipeline parallel over {interconnect}, collectives via {collectives}), or quantize them.',
  near: 'Leave room for activations and workspace: lower the batch size, shard over 2 devices, or quantize the weights.',
  use: 'No change needed; keep the batch size in mind when sizing activations.',
};

export default defineCheck({
  id: 'memory-fit',
  description:
    'The model\'s weight bytes (initializers, inline and external) against one device\'s memory: an error when they do not fit ' +
    '(with the fewest devices that could hold them), a warning above 80%, an info above 50%. Activations are not counted.',
  messages: {
    'weights-exceed-memory': {
      text: 'The weights ({weights}) exceed the memory of one {target} ({memory}): at least {chips} devices are needed',
      severity: 'error',
      description: 'The weights alone do not fit on one device.',
    },
    'weights-near-memory': {
      text: 'The weights ({weights}) take {share} of one {target}\'s memory ({memory}), leaving little for activations',
      severity: 'warning',
      description: 'The weights fit, with little room left for activations, workspace and the runtime.',
    },
    'weights-use-memory': {
      text: 'The weights ({weights}) take {share} of one {target}\'s memory ({memory})',
      severity: 'info',
      description: 'The weights take more than half of one device\'s memory.',
    },
  },
  run({ facts, profile }) {
    const memory = profile.hardware.memoryGiB;
    const memoryBytes = memory.value * GIB;
    const weights = facts.parameterBytes;
    if (memoryBytes <= 0 || weights <= memoryBytes * NOTABLE_SHARE) return [];
    const share = weights / memoryBytes;
    const args: Record<string, string | number> = {
      weights: formatBytes(weights),
      memory: `${memory.value} GiB`,
      share: `${Math.round(share * 100)}%`,
      // Weights only: a lower bound, since every device also needs room for activations.
      chips: Math.ceil(weights / memoryBytes),
      target: profile.name,
      interconnect: profile.hardware.interconnect.name,
      collectives: profile.software.collectives,
    };
    const [code, level, remedy] =
      share > 1 ? (['weights-exceed-memory', 'unsupported', REMEDIES.exceed] as const)
      : share > NEAR_SHARE ? (['weights-near-memory', 'degraded', REMEDIES.near] as const)
      : (['weights-use-memory', 'supported', REMEDIES.use] as const);
    const finding: RawFinding<Code> = {
      code,
      level,
      args,
      remedy: formatMessage(remedy, args),
      effort: level === 'unsupported' ? 'high' : level === 'degraded' ? 'medium' : 'none',
      source: memory.source,
      nodeCount: 0,
    };
    return [finding];
  },
});

import { defineCheck } from '../assess/define-check.js';

type Code = 'weights-exceed-memory' | 'weights-near-memory' | 'weights-use-memory';

const GIB = 1024 ** 3;
/** Above this share of device memory, activations, workspace and the runtime itself will not fit beside the weights. */
const NEAR_SHARE = 0.8;
/** Below this share the fit is not worth a line in the report. */
const NOTABLE_SHARE = 0.5;

export default defineCheck({
  id: 'memory-fit',
  summary: 'weights against one device\'s memory',
  description:
    'The model\'s weight bytes (initializers, inline and external) against one device\'s memory: an error when they do not fit ' +
    '(with the fewest devices that could hold them), a warning above 80%, an info above 50%. Activations are not counted.',
  messages: {
    'weights-exceed-memory': {
      text: 'The weights ({weights:bytes}) exceed the memory of one device ({memory:bytes}): at least {chips} devices are needed',
      severity: 'error',
      level: 'unsupported',
      description: 'The weights alone do not fit on one device.',
      remedy: 'Shard the weights over at least {chips} devices (tensor or pipeline parallel over {interconnect}, collectives via {collectives}), or quantize them.',
      effort: 'high',
    },
    'weights-near-memory': {
      text: 'The weights ({weights:bytes}) take {share:percent} of one device\'s memory ({memory:bytes}), leaving little for activations',
      severity: 'warning',
      level: 'degraded',
      description: 'The weights fit, with little room left for activations, workspace and the runtime.',
      remedy: 'Leave room for activations and workspace: lower the batch size, shard over 2 devices, or quantize the weights.',
      effort: 'medium',
    },
    'weights-use-memory': {
      text: 'The weights ({weights:bytes}) take {share:percent} of one device\'s memory ({memory:bytes})',
      severity: 'info',
      level: 'supported',
      description: 'The weights take more than half of one device\'s memory.',
      remedy: 'No change needed; keep the batch size in mind when sizing activations.',
      effort: 'none',
    },
  },
  run({ facts, profile }) {
    const memoryBytes = profile.hardware.memoryGiB.value * GIB;
    const weights = facts.parameterBytes;
    if (memoryBytes <= 0 || weights <= memoryBytes * NOTABLE_SHARE) return [];
    const share = weights / memoryBytes;
    const code: Code = share > 1 ? 'weights-exceed-memory' : share > NEAR_SHARE ? 'weights-near-memory' : 'weights-use-memory';
    return [{
      code,
      args: {
        weights,
        memory: memoryBytes,
        share,
        // Weights only: a lower bound, since every device also needs room for activations.
        chips: Math.ceil(weights / memoryBytes),
        interconnect: profile.hardware.interconnect.name,
        collectives: profile.software.collectives,
      },
      source: profile.hardware.memoryGiB.source,
      nodeCount: 0,
    }];
  },
});

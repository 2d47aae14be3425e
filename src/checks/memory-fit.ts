import { defineCheck } from '../assess/define-check.js';
import { formatBytes } from '../findings/format-values.js';

type Code = 'weights-exceed-memory' | 'weights-near-memory' | 'weights-use-memory';

/** Above this share of device memory, workspace and the runtime itself will not fit beside the rest. */
const NEAR_SHARE = 0.8;
/** Below this share the fit is not worth a line in the report. */
const NOTABLE_SHARE = 0.5;

export default defineCheck({
  id: 'memory-fit',
  summary: 'what one inference needs against one device\'s memory',
  description:
    'The memory one inference needs on the target (weights in the precision it computes, peak activations, KV cache: the ' +
    'estimate\'s figure) against one device\'s usable memory: an error when it does not fit (with the fewest devices that ' +
    'could hold it), a warning above 80%, an info above 50%.',
  messages: {
    'weights-exceed-memory': {
      text: 'One inference needs {total:bytes} ({parts}), more than one device can hold ({memory:bytes}): at least {chips} devices are needed',
      severity: 'error',
      level: 'unsupported',
      description: 'What one inference needs does not fit on one device.',
      remedy: 'Shard the model over at least {chips} devices (tensor or pipeline parallel over {interconnect}, collectives via {collectives}), quantize the weights, or lower the input size or batch.',
      effort: 'high',
    },
    'weights-near-memory': {
      text: 'One inference needs {total:bytes} ({parts}): {share:percent} of one device\'s memory ({memory:bytes}), leaving little for workspace',
      severity: 'warning',
      level: 'degraded',
      description: 'The model fits, with little room left for workspace and the runtime.',
      remedy: 'Leave room for workspace: lower the batch size, shard over 2 devices, or quantize the weights.',
      effort: 'medium',
    },
    'weights-use-memory': {
      text: 'One inference needs {total:bytes} ({parts}): {share:percent} of one device\'s memory ({memory:bytes})',
      severity: 'info',
      level: 'supported',
      description: 'One inference takes more than half of one device\'s memory.',
      remedy: 'No change needed; keep the batch size in mind when sizing activations.',
      effort: 'none',
    },
  },
  run({ profile, memory }) {
    if (!memory || memory.deviceBytes <= 0 || memory.totalBytes <= memory.deviceBytes * NOTABLE_SHARE) return [];
    const share = memory.totalBytes / memory.deviceBytes;
    const code: Code = !memory.fits ? 'weights-exceed-memory' : share > NEAR_SHARE ? 'weights-near-memory' : 'weights-use-memory';
    const parts = [
      `${formatBytes(memory.weightsBytes)} weights`,
      ...(memory.activationBytes > 0 ? [`${formatBytes(memory.activationBytes)} activations`] : []),
      ...(memory.kvCacheBytes > 0 ? [`${formatBytes(memory.kvCacheBytes)} KV cache`] : []),
    ].join(' + ');
    return [{
      code,
      args: {
        total: memory.totalBytes,
        parts,
        memory: memory.deviceBytes,
        share,
        chips: memory.chipsNeeded,
        interconnect: profile.hardware.interconnect.name,
        collectives: profile.software.collectives,
      },
      source: profile.hardware.memoryGiB.source,
      nodeCount: 0,
    }];
  },
});

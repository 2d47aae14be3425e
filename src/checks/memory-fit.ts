import { memoryEstimate, weightBytes } from '../estimate/memory.js';
import { defineCheck, formatMessage, type RawFinding } from './define-check.js';
import { formatBytes } from './format-values.js';

type Code = 'weights-exceed-memory' | 'weights-near-memory' | 'weights-use-memory';

/** Above this share of device memory, workspace and the runtime itself will not fit beside the rest. */
const NEAR_SHARE = 0.8;
/** Below this share the fit is not worth a line in the report. */
const NOTABLE_SHARE = 0.5;

const REMEDIES = {
  exceed: 'Shard the model over at least {chips} devices (tensor or pipeline parallel over {interconnect}, collectives via {collectives}), quantize the weights, or lower the input size or batch.',
  near: 'Leave room for workspace: lower the batch size, shard over 2 devices, or quantize the weights.',
  use: 'No change needed; keep the batch size in mind when sizing activations.',
};

export default defineCheck({
  id: 'memory-fit',
  description:
    'The memory one inference needs on the target (weights in the precision it computes, peak activations, KV cache: the ' +
    'estimate\'s figure) against one device\'s usable memory: an error when it does not fit (with the fewest devices that ' +
    'could hold it), a warning above 80%, an info above 50%.',
  messages: {
    'weights-exceed-memory': {
      text: 'One inference needs {total} ({parts}), more than one {target} can hold ({memory}): at least {chips} devices are needed',
      severity: 'error',
      description: 'What one inference needs does not fit on one device.',
    },
    'weights-near-memory': {
      text: 'One inference needs {total} ({parts}): {share} of one {target}\'s memory ({memory}), leaving little for workspace',
      severity: 'warning',
      description: 'The model fits, with little room left for workspace and the runtime.',
    },
    'weights-use-memory': {
      text: 'One inference needs {total} ({parts}): {share} of one {target}\'s memory ({memory})',
      severity: 'info',
      description: 'One inference takes more than half of one device\'s memory.',
    },
  },
  run({ model, profile, memory: given }) {
    // check() passes the one figure it computed from the model's shapes; alone, the check counts weights only.
    const memory = given ?? memoryEstimate(weightBytes(model, profile), { bytes: 0, unsized: 0 }, 0, profile);
    const device = profile.hardware.memoryGiB;
    if (memory.deviceBytes <= 0 || memory.totalBytes <= memory.deviceBytes * NOTABLE_SHARE) return [];
    const share = memory.totalBytes / memory.deviceBytes;
    const parts = [
      `${formatBytes(memory.weightsBytes)} weights`,
      ...(memory.activationBytes > 0 ? [`${formatBytes(memory.activationBytes)} activations`] : []),
      ...(memory.kvCacheBytes > 0 ? [`${formatBytes(memory.kvCacheBytes)} KV cache`] : []),
    ];
    const args: Record<string, string | number> = {
      total: formatBytes(memory.totalBytes),
      parts: parts.join(' + '),
      memory: `${device.value} GiB`,
      share: `${Math.round(share * 100)}%`,
      chips: memory.chipsNeeded,
      target: profile.name,
      interconnect: profile.hardware.interconnect.name,
      collectives: profile.software.collectives,
    };
    const [code, level, remedy] =
      !memory.fits ? (['weights-exceed-memory', 'unsupported', REMEDIES.exceed] as const)
      : share > NEAR_SHARE ? (['weights-near-memory', 'degraded', REMEDIES.near] as const)
      : (['weights-use-memory', 'supported', REMEDIES.use] as const);
    const finding: RawFinding<Code> = {
      code,
      level,
      args,
      remedy: formatMessage(remedy, args),
      effort: level === 'unsupported' ? 'high' : level === 'degraded' ? 'medium' : 'none',
      source: device.source,
      nodeCount: 0,
    };
    return [finding];
  },
});

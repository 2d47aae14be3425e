import type { ProfilePrecisionFamily } from '../../src/profiles/schema.js';
import type { HwEntry } from './knowledge.js';
import type { FigureInput, ProfileInput } from './profile-input.js';
import { hwConfidence } from './sources.js';

/**
 * hw_profiles.json mixes numbers and prose ("~280-376 depending on SKU", "~= fp16", "unknown").
 * A prose figure keeps its first number (the low end of a quoted range) and quotes the prose in
 * the note, so the profile never states more precision than its source.
 */

const PEAK_KEYS: Record<string, ProfilePrecisionFamily[]> = {
  fp8: ['fp8'], int8_tops: ['int8'], fp16: ['fp16'], bf16: ['bf16'], fp16_bf16: ['fp16', 'bf16'],
  fp32: ['fp32'], fp64: ['fp64'],
};
/** Keys the profile has no family for; mentioned in a note instead. */
const NOTE_ONLY_KEYS = new Set(['tf32']);

export function hardwareFrom(hw: HwEntry, source: string): ProfileInput['hardware'] {
  const confidence = hwConfidence(hw.confidence);
  const figure = (value: number, note?: string): FigureInput => ({
    value, confidence, source: [source], ...(note ? { note } : {}),
  });
  const quoted = (raw: string): string => `hw_profiles.json says "${raw}"`;

  const peaks: Partial<Record<ProfilePrecisionFamily, FigureInput>> = {};
  const fp16Raw = hw.tflops_dense.fp16 ?? hw.tflops_dense.fp16_bf16;
  const fp16 = fp16Raw === undefined ? undefined : typeof fp16Raw === 'number' ? fp16Raw : leadingNumber(fp16Raw);
  for (const [key, raw] of Object.entries(hw.tflops_dense)) {
    if (NOTE_ONLY_KEYS.has(key)) continue;
    const families = PEAK_KEYS[key];
    if (!families) throw new Error(`hw_profiles.json: unknown tflops_dense key '${key}'`);
    const value = peakValue(raw, fp16);
    if (value === undefined) continue; // prose without a figure ("unknown", "HF32 mode ...")
    for (const family of families) {
      const note = typeof raw === 'string' ? quoted(raw) : family === 'fp32' && hw.tflops_dense.tf32 !== undefined
        ? `TF32 tensor-core math: ${hw.tflops_dense.tf32} TFLOPS` : undefined;
      peaks[family] = figure(value, note);
    }
  }

  const link = /(\d+(?:\.\d+)?)\s*GB\/s(\s+bidirectional)?/.exec(hw.interconnect);
  if (!link) throw new Error(`hw_profiles.json: no GB/s figure in interconnect '${hw.interconnect}'`);
  const linkValue = Number(link[1]);
  const bidirectional = link[2] !== undefined;
  const name = (hw.interconnect.split(/[,;(]/)[0] ?? '').trim();

  const bandwidth = typeof hw.mem_bw_tbs === 'number' ? figure(hw.mem_bw_tbs) : figure(leadingNumber(hw.mem_bw_tbs), quoted(hw.mem_bw_tbs));
  return {
    memoryGiB: figure(hw.memory_gb, `quoted as ${hw.memory_gb} GB ${hw.memory_type}`),
    memoryBandwidthTBs: bandwidth,
    peakTflops: peaks,
    interconnect: {
      name,
      bandwidthGBs: figure(
        bidirectional ? linkValue / 2 : linkValue,
        bidirectional
          ? `${linkValue} GB/s bidirectional in hw_profiles.json, so ${linkValue / 2} GB/s each direction`
          : 'the per-chip figure as quoted (see interconnect.note); the source does not say whether it is per direction',
      ),
      note: hw.interconnect,
    },
    ...(hw.host_link !== undefined ? {
      hostLink: {
        name: hw.host_link.name,
        bandwidthGBs: {
          value: hw.host_link.gbs_per_direction,
          confidence: hwConfidence(hw.host_link.confidence),
          source: [source],
          ...(hw.host_link.note !== undefined ? { note: hw.host_link.note } : {}),
        },
      },
    } : {}),
    ...(hw.scale_up !== undefined ? { scaleUp: scaleUpFrom(hw.scale_up, source) } : {}),
    ...(hw.tdp_w !== undefined ? { tdpW: figure(hw.tdp_w) } : {}),
  };
}

function peakValue(raw: number | string, fp16: number | undefined): number | undefined {
  if (typeof raw === 'number') return raw;
  if (/^~?=\s*fp16/.test(raw)) return fp16;
  const times = /^~?(\d+(?:\.\d+)?)x fp16/.exec(raw);
  if (times) return fp16 === undefined ? undefined : Number(times[1]) * fp16;
  return /^~?\d/.test(raw) ? leadingNumber(raw) : undefined;
}

function leadingNumber(text: string): number {
  const m = /(\d+(?:\.\d+)?)/.exec(text);
  if (!m) throw new Error(`hw_profiles.json: no number in '${text}'`);
  return Number(m[1]);
}

/** The scale-up domain carries its own confidence: the link figures often come from a different source than the chip's. */
function scaleUpFrom(s: NonNullable<HwEntry['scale_up']>, source: string): NonNullable<ProfileInput['hardware']['scaleUp']> {
  const confidence = hwConfidence(s.confidence);
  const cited = `from ${s.sources.join(' ; ')}`;
  return {
    name: s.name,
    chips: { value: s.domain_chips, confidence, source: [source], note: cited },
    topology: s.topology,
    bandwidthGBs: { value: s.bandwidth_gbs_per_direction, confidence, source: [source], note: `per chip, each direction; ${cited}` },
    note: s.note,
  };
}

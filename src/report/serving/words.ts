import { formatBytes } from '../../findings/format-values.js';
import { formatDuration } from '../text-sections.js';
import type { ServingPlan, TargetServingPlan } from '../../serve/types.js';

/**
 * The serving plan's figures in words, shared by the text, Markdown and HTML views so the three
 * print the same numbers. Every function is total: a non-finite value prints as "?".
 */

export const bytes = (n: number): string => (Number.isFinite(n) ? formatBytes(n) : '?');
export const ms = (n: number): string => (Number.isFinite(n) ? formatDuration(n) : '?');

/** "36.6 G": a count with an SI prefix. */
export function count(n: number): string {
  if (!Number.isFinite(n)) return '?';
  const prefixes: [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [scale, p] of prefixes) if (Math.abs(n) >= scale) return `${(n / scale).toFixed(1)} ${p}`;
  return String(Math.round(n * 10) / 10);
}

export const rate = (n: number): string => `${count(n)} tokens/s`;

/** One line about the LLM: what it is, how big, and what was asked. */
export function llmLine(plan: ServingPlan): string {
  const l = plan.llm;
  const r = plan.request;
  const moe = l.moe ? ` · MoE ${l.moe.experts} experts, ${l.moe.perToken} per token` : '';
  const mla = l.mla ? ` · MLA (KV LoRA rank ${l.mla.kvLoraRank})` : '';
  return (
    `${count(l.parameters.total)} parameters, ${count(l.parameters.activePerToken)} active per token · ${l.layers} layer${l.layers === 1 ? '' : 's'}, hidden ${l.hidden}, ` +
    `${l.heads} heads / ${l.kvHeads} KV heads${moe}${mla} · serving batch ${r.batch} × (${r.context} context + ${r.output} output tokens)`
  );
}

export function layoutWords(t: TargetServingPlan): string {
  const l = t.layout;
  const degrees = l.scheme === 'expert-parallel' ? `EP ${l.ep}` : `TP ${l.tp}`;
  return `${l.chips} chip${l.chips === 1 ? '' : 's'} (${l.scheme}: ${degrees}${l.pp > 1 ? ` × PP ${l.pp}` : ''})`;
}

export function tpotWords(t: TargetServingPlan): string | undefined {
  const f = t.forTpot;
  if (!f) return undefined;
  return f.reachable
    ? `TPOT ≤ ${ms(f.targetMs)}: ${f.chips} chips per instance (TPOT ${ms(f.tpotMs)}, ${layoutWords({ ...t, layout: f.layout })})`
    : `TPOT ≤ ${ms(f.targetMs)}: out of reach (best ${ms(f.tpotMs)}, ${f.bound}-bound)`;
}

export function throughputWords(t: TargetServingPlan): string | undefined {
  const f = t.forThroughput;
  return f ? `${rate(f.tokensPerSecond)}: ${f.instances} instance${f.instances === 1 ? '' : 's'}, ${f.chips} chips` : undefined;
}

export function collectiveWords(t: TargetServingPlan): string {
  const c = t.collectives;
  return `${c.kind} per layer over ${c.link} (${c.bandwidthGBs} GB/s each way, ${c.domainChips} chips per domain, ${c.confidence} confidence): ` +
    `${ms(c.perTokenPerLayerUs / 1e3)} per token per layer at degree ${c.degree}`;
}

import { escapeMarkdown as md } from '../escape.js';
import type { ServingPlan, TargetServingPlan } from '../../serve/types.js';
import { bytes, collectiveWords, layoutWords, llmLine, ms, rate, throughputWords, tpotWords } from './words.js';

const ROWS: [string, (t: TargetServingPlan) => string][] = [
  ['Precision', (t) => `${t.precision.weights} weights, ${t.precision.kv} KV`],
  ['Weights', (t) => bytes(t.weightsBytes)],
  ['KV per token / sequence', (t) => `${bytes(t.kvBytesPerToken)} / ${bytes(t.kvBytesPerSequence)}`],
  ['Sequences per chip', (t) => String(t.sequencesPerChip)],
  ['Layout', (t) => `${md(layoutWords(t))}${t.fits ? '' : ' ⚠️ does not fit'}`],
  ['Prefill', (t) => `${ms(t.prefill.ms)} (${t.prefill.bound}) · ${rate(t.prefill.tokensPerSecondPerChip)}/chip`],
  ['TPOT', (t) => `${ms(t.decode.tpotMs)} at batch ${t.decode.batch} (${t.decode.bound})`],
  ['Decode', (t) => `${rate(t.decode.tokensPerSecondPerChip)} per chip`],
  ['Collective per token per layer', (t) => `${ms(t.collectives.perTokenPerLayerUs / 1e3)} (${md(t.collectives.link)})`],
  ['TPOT target', (t) => md(tpotWords(t) ?? '—')],
  ['Throughput target', (t) => md(throughputWords(t) ?? '—')],
  ['Confidence', (t) => t.confidence],
];

/** The serving plan as a Markdown table per target, with the assumptions folded away. [] without a plan. */
export function servingMarkdown(plan: ServingPlan | undefined): string[] {
  if (!plan) return [];
  const targets = plan.targets;
  const out = [`### LLM serving plan: ${md(plan.llm.name)}`, '', md(llmLine(plan)) + '.', ''];
  if (targets.length > 0) {
    out.push(`| | ${targets.map((t) => md(t.name)).join(' | ')} |`, `| --- | ${targets.map(() => '---').join(' | ')} |`);
    for (const [label, cell] of ROWS) out.push(`| ${label} | ${targets.map(cell).join(' | ')} |`);
    out.push('');
  }
  for (const s of plan.skipped) out.push(`- ${md(s.target)}: not planned: ${md(s.reason)}`);
  for (const t of targets) {
    out.push('<details><summary>Assumptions on ' + md(t.name) + '</summary>', '', ...t.assumptions.map((a) => `- ${md(a)}`), `- ${md(collectiveWords(t))}`, '', '</details>', '');
  }
  return out;
}

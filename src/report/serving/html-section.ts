import { escapeHtml as e } from '../escape.js';
import type { ServingPlan, TargetServingPlan } from '../../serve/types.js';
import { tpotChart } from './tpot-chart.js';
import { bytes, collectiveWords, layoutWords, llmLine, ms, rate, throughputWords, tpotWords } from './words.js';

const ROWS: [string, (t: TargetServingPlan) => string][] = [
  ['Serving precision', (t) => `${t.precision.weights} weights, ${t.precision.kv} KV cache<br><small>supports ${t.precision.supported.join(', ')}</small>${t.precision.note ? `<br><small>${e(t.precision.note)}</small>` : ''}`],
  ['Weights', (t) => bytes(t.weightsBytes)],
  ['KV cache', (t) => `${bytes(t.kvBytesPerToken)} per token · ${bytes(t.kvBytesPerSequence)} per sequence`],
  ['Sequences per chip', (t) => String(t.sequencesPerChip)],
  ['Layout', (t) => `${e(layoutWords(t))}<br><small>memory alone needs ${t.memoryChips}; ${bytes(t.memoryPerChipBytes)} of ${bytes(t.usableBytesPerChip)} per chip${t.fits ? '' : ' — does not fit'}</small>`],
  ['Prefill', (t) => `${ms(t.prefill.ms)} for ${t.prefill.tokens} tokens (${t.prefill.bound}-bound)<br>${rate(t.prefill.tokensPerSecondPerChip)} per chip`],
  ['Decode TPOT', (t) => `${ms(t.decode.tpotMs)} at batch ${t.decode.batch} (${t.decode.bound}-bound)<br><small>compute ${ms(t.decode.computeMs)} · memory ${ms(t.decode.memoryMs)} · link ${ms(t.decode.linkMs)}</small>`],
  ['Decode rate', (t) => `${rate(t.decode.tokensPerSecondPerChip)} per chip<br><small>${rate(t.decode.tokensPerSecond)} per instance</small>`],
  ['Collectives', (t) => e(collectiveWords(t)) + (t.collectives.source ? `<br><small>${e(t.collectives.source)}</small>` : '')],
  ['TPOT target', (t) => e(tpotWords(t) ?? '—')],
  ['Throughput target', (t) => e(throughputWords(t) ?? '—')],
  ['Confidence', (t) => t.confidence],
];

/**
 * The LLM serving plan in the HTML report: what the LLM is, a table of each target's plan, the
 * TPOT-against-batch chart, and the assumptions per target. '' without a plan.
 */
export function servingSection(plan: ServingPlan | undefined): string {
  if (!plan) return '';
  const targets = plan.targets;
  const head = targets.map((t) => `<th scope="col">${e(t.name)}</th>`).join('');
  const body = ROWS.map(([label, cell]) => `<tr><th scope="row">${label}</th>${targets.map((t) => `<td>${cell(t)}</td>`).join('')}</tr>`).join('');
  const chart = tpotChart(targets);
  const skipped = plan.skipped.map((s) => `<li>${e(s.target)}: ${e(s.reason)}</li>`).join('');
  return [
    '<section class="serving"><h2>Serving the LLM (plan)</h2>',
    `<p><strong>${e(plan.llm.name)}</strong>: ${e(llmLine(plan))}.<br><small>${e(plan.llm.detectedBy)}</small></p>`,
    '<p>A roofline, not a measurement: times are lower bounds and rates upper bounds at 100% of each target’s published peaks; ' +
      'a measured figure above them means the model or the profile is wrong.</p>',
    targets.length > 0 ? `<table class="comparison serving-table"><thead><tr><th scope="col"></th>${head}</tr></thead><tbody>${body}</tbody></table>` : '',
    chart ? `<figure class="chart">${chart}<figcaption>Time per output token against batch at each target’s planned layout (log scales); a hollow point’s KV cache does not fit.</figcaption></figure>` : '',
    skipped ? `<ul>${skipped}</ul>` : '',
    targets.map((t) => `<details><summary>Assumptions on ${e(t.name)}</summary><ul>${t.assumptions.map((a) => `<li>${e(a)}</li>`).join('')}</ul></details>`).join(''),
    '</section>',
  ].join('');
}

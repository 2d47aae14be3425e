import type { ChalkInstance } from 'chalk';
import { sanitizeTerminal as clean } from '../escape.js';
import type { ServingPlan, TargetServingPlan } from '../../serve/types.js';
import { bytes, collectiveWords, layoutWords, llmLine, ms, rate, throughputWords, tpotWords } from './words.js';

/**
 * The serving plan in the terminal view: the LLM in two lines, then per target what it is served
 * in, the layout, prefill, decode and the collectives, each figure with its bound. A section of its
 * own, so the rest of the text view does not depend on it.
 */
export function formatServing(plan: ServingPlan, c: ChalkInstance): string[] {
  const lines = [
    c.bold(`LLM serving plan · ${clean(plan.llm.name)}`),
    c.dim(`  ${clean(plan.llm.detectedBy)}`),
    `  ${llmLine(plan)}`,
  ];
  for (const t of plan.targets) lines.push('', ...formatTarget(t, c));
  for (const s of plan.skipped) lines.push('', c.yellow(`  ${clean(s.target)}: not planned: ${clean(s.reason)}`));
  const first = plan.targets[0];
  if (first) lines.push('', c.dim('  assumptions (each target\'s own figures in --format json or html):'), ...first.assumptions.map((a) => c.dim(`    · ${clean(a)}`)));
  return lines;
}

function formatTarget(t: TargetServingPlan, c: ChalkInstance): string[] {
  const d = t.decode;
  const p = t.prefill;
  const lines = [
    c.bold(`  ${clean(t.target)} · ${clean(t.name)} · ${t.precision.weights} weights, ${t.precision.kv} KV cache · ${t.confidence} confidence`) +
      c.dim(` (serves ${t.precision.supported.join('/')})`),
    `    memory: weights ${bytes(t.weightsBytes)} · KV ${bytes(t.kvBytesPerToken)} per token, ${bytes(t.kvBytesPerSequence)} per sequence · ` +
      `${t.sequencesPerChip} sequences fit per chip`,
    `    layout: ${layoutWords(t)} · ${bytes(t.memoryPerChipBytes)} of ${bytes(t.usableBytesPerChip)} usable per chip` +
      (t.fits ? '' : c.red(' · does not fit') ) + ` · memory alone needs ${t.memoryChips} chip${t.memoryChips === 1 ? '' : 's'}`,
    `    prefill ${p.tokens} tokens: ${ms(p.ms)} (${p.bound}-bound) · ${rate(p.tokensPerSecondPerChip)} per chip`,
    `    decode at batch ${d.batch}: TPOT ${ms(d.tpotMs)} (${d.bound}-bound; compute ${ms(d.computeMs)}, memory ${ms(d.memoryMs)}, link ${ms(d.linkMs)}) · ` +
      `${rate(d.tokensPerSecondPerChip)} per chip, ${rate(d.tokensPerSecond)} per instance`,
    `    collectives: ${clean(collectiveWords(t))}`,
  ];
  if (t.collectives.source) lines.push(c.dim(`      link figures ${clean(t.collectives.source)}`));
  const tpot = tpotWords(t);
  if (tpot) lines.push(`    ${tpot}`);
  const throughput = throughputWords(t);
  if (throughput) lines.push(`    for ${throughput}`);
  if (t.precision.note) lines.push(c.yellow(`    ${clean(t.precision.note)}`));
  return lines;
}

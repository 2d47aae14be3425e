import type { ChalkInstance } from 'chalk';
import { formatBytes as bytes } from '../findings/format-values.js';
import { sanitizeTerminal as clean } from './escape.js';
import { percent } from './wording.js';
import type { Report, TargetReport } from './types.js';

/**
 * The optional parts of the terminal view: the real run, the precision emulation
 * and the estimate, each a few lines, each only when the report has it.
 */

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 1) return `${ms.toFixed(ms >= 100 ? 0 : 2)} ms`;
  if (ms >= 0.001) return `${(ms * 1000).toFixed(1)} µs`;
  return `${(ms * 1e6).toFixed(0)} ns`;
}



/** The real run in a few lines; `verbose` adds how to get the missing providers and the inputs used. */
export function formatRun(report: Report, c: ChalkInstance, verbose = true): string[] {
  const run = report.run;
  if (!run) return [];
  const lines = [c.bold('  run on ONNX Runtime' + (run.onnxruntimeVersion ? ` ${clean(run.onnxruntimeVersion)}` : ''))];
  const providers = run.providers.map((p) => `${p.name} ${p.status === 'ok' ? c.green('ok') : c.dim(p.status)}`).join(', ');
  lines.push(`    providers: ${providers}`);
  if (verbose) for (const p of run.providers) if (p.status !== 'ok' && p.howTo) lines.push(c.dim(`      ${p.name}: ${clean(p.howTo)}`));
  if (run.status === 'failed') {
    lines.push(c.yellow(`    could not run: ${clean(run.reason ?? 'no reason given')}`));
    return lines;
  }
  for (const b of run.backends) {
    if (b.status !== 'ok' || !b.latencyMs) {
      lines.push(c.yellow(`    ${b.provider}: failed: ${clean(b.reason ?? '')}`));
      continue;
    }
    const l = b.latencyMs;
    lines.push(
      `    ${b.provider}: p50 ${formatDuration(l.p50)} · p90 ${formatDuration(l.p90)} · p99 ${formatDuration(l.p99)} · ` +
        `mean ${formatDuration(l.mean)} over ${b.iterations ?? '?'} runs · session ${formatDuration(b.sessionMs ?? NaN)}` +
        (b.peakRssMB !== undefined ? ` · peak RSS ${b.peakRssMB.toFixed(0)} MB` : ''),
    );
    const top = (b.opTypeShares ?? []).slice(0, 5).map((s) => `${clean(s.opType)} ${percent(s.share)}`);
    if (top.length > 0) lines.push(c.dim(`      time by op type: ${top.join(', ')}`));
  }
  if (run.blockerTimeShare) lines.push(`    blockers account for ${percent(run.blockerTimeShare.share)} of the run time`);
  if (verbose) lines.push(c.dim(`    inputs: ${run.inputs.map((i) => `${clean(i.name)} ${clean(i.dtype)}[${i.dims.join('x')}] (${clean(i.source)})`).join(', ')}`));
  return lines;
}

export function formatPrecision(t: TargetReport, c: ChalkInstance): string[] {
  const p = t.precision;
  if (!p) return [];
  if (p.status === 'failed') return [c.yellow(`    precision (${p.mode}): not emulated: ${clean(p.reason ?? '')}`)];
  const failing = p.outputs.filter((o) => o.verdict === 'fail').length;
  const worst = p.outputs.reduce((m, o) => Math.min(m, o.metrics?.cosine ?? 1), 1);
  const maxAbs = p.outputs.reduce((m, o) => Math.max(m, o.metrics?.maxAbsError ?? 0), 0);
  const head =
    `    precision: ${clean(p.policy.name)} emulated → ${p.outputs.length - failing}/${p.outputs.length} outputs within thresholds` +
    ` (lowest cosine ${worst.toFixed(6)}, max abs error ${maxAbs.toPrecision(3)})`;
  const lines = [failing > 0 ? c.yellow(head) : head];
  if (p.firstDrift) lines.push(`      first drift: ${clean(p.firstDrift.opType)} ${clean(p.firstDrift.node)}`);
  return lines;
}

export function formatEstimate(t: TargetReport, c: ChalkInstance): string[] {
  const e = t.estimate;
  if (!e) return [];
  const m = e.memory;
  const speed =
    e.nodesCosted === 0
      ? 'speed not estimated (no node could be costed)'
      : `${formatDuration(e.latencyMs)} per inference at peak (${[`${e.bottleneck}-bound`, clean(e.computePrecisions.join('/'))].filter(Boolean).join(', ')}; ${e.confidence} confidence)`;
  const lines = [
    `    estimate: ${speed} · memory ${bytes(m.totalBytes)} of ${bytes(m.deviceBytes)}: ${m.fits ? 'fits on 1 chip' : c.red(`needs ${m.chipsNeeded} chips`)}`,
  ];
  if (e.interconnect) {
    const i = e.interconnect;
    lines.push(`      ${i.chips} chips over ${clean(i.link)} (${i.bandwidthGBs} GB/s): ${formatDuration(i.commMsPerInference)} of communication per inference (${percent(i.commShare)} of the time)`);
  }
  if (e.nodesNotCosted.count > 0) lines.push(c.dim(`      ${e.nodesNotCosted.count} node(s) not costed (unknown shapes or ops)`));
  return lines;
}

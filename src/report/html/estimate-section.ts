import type { OpTypeTime, TargetEstimate } from '../../estimate/types.js';
import { escapeHtml as e } from '../escape.js';
import type { Report, TargetReport } from '../types.js';
import { opLabel, percent, plural } from '../wording.js';
import { estimatedLatency, fitWords, latencyWords } from './estimate-words.js';
import { latencyChart } from './latency-chart.js';
import { list } from './plain-list.js';
import { binaryBytes, duration, flopCount } from './units.js';

type Row = [label: string, cell: (est: TargetEstimate) => string];

const BOTTLENECK: Record<TargetEstimate['bottleneck'], string> = {
  compute: 'compute (peak FLOPS)',
  memory: 'memory bandwidth',
  interconnect: 'chip-to-chip link',
  unknown: 'unknown (nothing costed)',
};

const SCHEME: Record<NonNullable<TargetEstimate['interconnect']>['scheme'], string> = {
  'megatron-tensor-parallel': 'tensor parallel (Megatron), 2 all-reduces per layer',
  'output-channel-split': 'output channels split, 1 all-gather per layer',
};

/** Cells are built from numbers and fixed words; the few strings (link names) are escaped here. */
const ROWS: Row[] = [
  ['Latency per inference (roofline, lower bound)', (x) => `<strong>${estimatedLatency(x.latencyMs)}</strong>`],
  ['Bottleneck', (x) => BOTTLENECK[x.bottleneck] ?? e(String(x.bottleneck))],
  ['Compute-bound / memory-bound time', (x) => `${percent(x.computeBoundShare)} / ${percent(x.memoryBoundShare)}`],
  ['Computes in', (x) => e(x.computePrecisions.join(', ') || '—')],
  ['Work', (x) => `${flopCount(x.flops)}, ${binaryBytes(x.bytesMoved)} moved`],
  ['Weights', (x) => binaryBytes(x.memory.weightsBytes)],
  ['Activations (peak)', (x) => binaryBytes(x.memory.activationBytes)],
  ['KV cache', (x) => (x.memory.kvCacheBytes > 0 ? binaryBytes(x.memory.kvCacheBytes) : '—')],
  ['Memory needed', (x) => `<strong>${binaryBytes(x.memory.totalBytes)}</strong>`],
  ['Device memory (usable)', (x) => `${binaryBytes(x.memory.deviceBytes)} (${percent(x.memory.usableFraction)} usable)`],
  ['Fits / chips needed', (x) => `<span class="badge ${x.memory.fits ? 'l-supported' : 'l-degraded'}">${fitWords(x)}</span>`],
  ['Nodes costed', (x) => `${x.nodesCosted} of ${x.nodesCosted + x.nodesNotCosted.count}`],
  ['Confidence', (x) => `<span class="badge conf-${e(x.confidence)}">${e(x.confidence)}</span>`],
];

/**
 * The estimates of several models in one table, a row per model and a column per target: latency,
 * what bounds it, memory fit and confidence. For the appendix of a static report, where a page per
 * model would be more than the numbers are worth.
 */
export function estimateTable(reports: readonly Report[]): string {
  const targets = new Map<string, string>();
  for (const r of reports) for (const t of r.targets) if (t.estimate && !targets.has(t.id)) targets.set(t.id, t.name);
  const head = [...targets.values()].map((name) => `<th scope="col">${e(name)}</th>`).join('');
  const rows = reports.map((r) => {
    const cells = [...targets.keys()].map((id) => {
      const x = r.targets.find((t) => t.id === id)?.estimate;
      if (!x) return '<td class="muted">—</td>';
      return (
        `<td>${e(latencyWords(x))}; ${binaryBytes(x.memory.totalBytes)}, ${fitWords(x)} ` +
        `<span class="badge conf-${e(x.confidence)}">${e(x.confidence)}</span></td>`
      );
    });
    return `<tr><th scope="row" class="mono">${e(r.model.path)}</th>${cells.join('')}</tr>`;
  });
  return (
    '<p>Estimated, not measured: a roofline on each target’s published peaks (a lower bound on latency; under 10 µs the figure ' +
    'is below any kernel launch and is not given), memory from weights, live activations and KV cache, and the confidence of ' +
    'the least certain hardware figure used (see C).</p>' +
    `<table class="estimates"><thead><tr><th scope="col">Model</th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`
  );
}

/**
 * Speed and memory on each target, side by side: the roofline latency and what bounds it, memory
 * against the device and the chips it takes, the interconnect where the model needs several
 * chips, the op types the time goes to, and every assumption behind the numbers.
 * '' when no target has an estimate.
 */
export function estimateSection(r: Report): string {
  const targets = r.targets.filter((t) => t.estimate);
  if (targets.length === 0) return '';
  const head = targets.map((t) => `<th scope="col">${e(t.name)}</th>`).join('');
  const body = ROWS.map(([label, cell]) => `<tr><th scope="row">${label}</th>${targets.map((t) => `<td>${cell(t.estimate!)}</td>`).join('')}</tr>`).join('');
  const chart = latencyChart(targets);
  return [
    '<section class="estimate"><h2>Speed and memory on the targets (estimate)</h2>',
    '<p>Estimated, not measured: each node’s FLOPs and bytes (from the shapes the run observed, or inferred) on a roofline of each ' +
      'target’s published peaks, one node after another. Read the latency as a lower bound and compare targets with it; the ' +
      'assumptions behind each target’s numbers are listed below the tables.</p>',
    `<table class="comparison estimate-table"><thead><tr><th scope="col"></th>${head}</tr></thead><tbody>${body}</tbody></table>`,
    chart ? `<figure class="chart">${chart}<figcaption>Estimated latency of one inference per target, split by what bounds each node; where the model needs several chips, one chip’s share of the work plus the chip-to-chip communication.</figcaption></figure>` : '',
    interconnect(targets),
    topOpTypes(targets),
    assumptions(targets),
    '</section>',
  ].join('');
}

function interconnect(targets: readonly TargetReport[]): string {
  const split = targets.filter((t) => t.estimate!.interconnect);
  if (split.length === 0) {
    return (
      '<h3>Interconnect</h3><p>The model fits in one chip’s memory on every target: no chip-to-chip traffic to estimate, ' +
      'so NVLink and HCCS do not enter the comparison.</p>'
    );
  }
  const rows: [string, (i: NonNullable<TargetEstimate['interconnect']>) => string][] = [
    ['Link', (i) => `${e(i.link)}, ${e(String(i.bandwidthGBs))} GB/s per chip`],
    ['Chips', (i) => String(i.chips)],
    ['Split', (i) => SCHEME[i.scheme] ?? e(String(i.scheme))],
    ['Layers split', (i) => String(i.layers)],
    ['Sent per chip per inference', (i) => binaryBytes(i.bytesPerChipPerInference)],
    ['Communication per inference', (i) => `<strong>${duration(i.commMsPerInference)}</strong>`],
    ['Communication per generated token', (i) => (i.commMsPerToken !== undefined ? duration(i.commMsPerToken) : '—')],
    ['Compute per chip', (i) => duration(i.computeMsPerChip)],
    ['Communication share', (i) => percent(i.commShare)],
    ['Link figure confidence', (i) => `<span class="badge conf-${e(i.confidence)}">${e(i.confidence)}</span>`],
  ];
  const head = split.map((t) => `<th scope="col">${e(t.name)}</th>`).join('');
  const body = rows.map(([label, cell]) => `<tr><th scope="row">${label}</th>${split.map((t) => `<td>${cell(t.estimate!.interconnect!)}</td>`).join('')}</tr>`).join('');
  const single = targets.filter((t) => !t.estimate!.interconnect);
  const chips = new Set(split.map((t) => t.estimate!.interconnect!.chips));
  const note = [
    chips.size > 1 ? 'The targets need different chip counts, so their traffic differs as well as their links.' : '',
    single.length > 0 ? `${single.map((t) => e(t.name)).join(', ')}: fits on one chip, no chip-to-chip traffic.` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    '<h3>Interconnect</h3><p>The model does not fit in one chip’s memory: it is split over several, and each inference pays for the ' +
    'traffic between them on the chip-to-chip link (NVLink on NVIDIA, HCCS on Ascend).</p>' +
    `<table class="comparison"><thead><tr><th scope="col"></th>${head}</tr></thead><tbody>${body}</tbody></table>` +
    (note ? `<p class="muted">${note}</p>` : '')
  );
}

const MAX_OP_ROWS = 12;

/**
 * The op types the estimated time goes to, one row per op type and a column per target, so that
 * the targets compare line by line (an op type memory-bound on one can be compute-bound on another).
 */
function topOpTypes(targets: readonly TargetReport[]): string {
  const rows = new Map<string, Map<string, OpTypeTime>>();
  for (const t of targets) {
    for (const o of t.estimate!.topOpTypes) {
      const label = opLabel({ op: o.opType, domain: o.domain });
      let row = rows.get(label);
      if (!row) rows.set(label, (row = new Map()));
      row.set(t.id, o);
    }
  }
  if (rows.size === 0) return '';
  const head = targets.map((t) => `<th scope="col">${e(t.name)}</th>`).join('');
  const body = [...rows]
    .slice(0, MAX_OP_ROWS)
    .map(([label, byTarget]) => {
      const cells = targets.map((t) => {
        const o = byTarget.get(t.id);
        return o
          ? `<td>${duration(o.ms)} · ${percent(o.share)} <span class="muted">${e(o.bound)}</span></td>`
          : '<td class="muted">not in the top op types</td>';
      });
      const nodes = Math.max(...[...byTarget.values()].map((o) => o.nodes));
      return `<tr><th scope="row"><span class="mono">${e(label)}</span> <span class="muted">${plural(nodes, 'node')}</span></th>${cells.join('')}</tr>`;
    })
    .join('');
  return (
    '<h3>Where the estimated time goes</h3>' +
    `<table class="comparison"><thead><tr><th scope="col">Op type</th>${head}</tr></thead><tbody>${body}</tbody></table>`
  );
}

function assumptions(targets: readonly TargetReport[]): string {
  const blocks = targets
    .map((t) => {
      const est = t.estimate!;
      const nc = est.nodesNotCosted;
      const notCosted =
        nc.count > 0
          ? `<p class="muted">Not costed (${plural(nc.count, 'node')}${nc.examples.length < nc.count ? `, first ${nc.examples.length}` : ''}): ` +
            nc.examples.map((x) => `<span class="mono">${e(x.name)}</span> (${e(x.opType)}: ${e(x.reason)})`).join(', ') +
            '.</p>'
          : '';
      return `<h4>${e(t.name)}</h4>${list(est.assumptions)}${notCosted}`;
    })
    .join('');
  return `<h3>Assumptions behind these numbers</h3>${blocks}`;
}

import type { Finding } from '../findings/finding.js';
import type { ModelFacts } from '../inspect/facts.js';
import type { OutputComparison } from '../precision/types.js';
import { resolvePolicy } from '../profiles/precision-policy.js';
import { effortBasis, effortSentence, effortTotal, formatDays, isWorkItem } from '../report/effort.js';
import { messageOf, remedyOf } from '../findings/render.js';
import { escapeMarkdown as md } from '../report/escape.js';
import { RULES } from '../rules.js';
import type { Report, TargetReport } from '../report/types.js';
import { VERDICT_LABEL, VERDICT_MEANING, nodeNames, opLabel, plural, sentence } from '../report/wording.js';
import type { PlanOptions, TargetPlan } from './plan.js';
import { append } from '../arrays.js';

interface PortingInput {
  report: Report;
  targets: TargetPlan[];
  facts: ModelFacts;
  options: PlanOptions;
}

/** Node names shown per finding. */
const NODES_SHOWN = 5;
/** Kept nodes named in the text (keep_dtype.cfg lists them all). */
const NAMES_SHOWN = 20;

/**
 * PORTING.md: the work, target by target, for the engineer doing the move and for the customer's
 * estimate. Every model-derived string is escaped (report/escape): a node name cannot inject
 * Markdown or HTML.
 */
export function portingMarkdown({ report, targets, facts }: PortingInput): string {
  const m = report.model;
  const out: string[] = [
    `# Porting ${md(m.path)}`,
    '',
    `${plural(m.nodeCount, 'node')}, ${plural(m.opTypeCount, 'op type')}, opsets ${md(Object.entries(m.opsets).map(([d, v]) => `${d} ${v}`).join(', '))}. ` +
      `Made by port-check plan ${md(report.tool.version)}; the evidence behind every verdict is in report.json.`,
    '',
    '## Effort',
    '',
    '| Target | Verdict | Work items | Engineer-days |',
    '| --- | --- | --- | --- |',
  ];
  const bases = new Set<string>();
  for (const t of report.targets) {
    const total = effortTotal(t);
    if (total) bases.add(effortBasis(total));
    out.push(`| ${md(t.name)} | ${VERDICT_LABEL[t.verdict]} | ${total ? md(effortSentence(total).replace(/: [^:]*$/, '')) : '—'} | ${total ? formatDays(total.days) : '—'} |`);
  }
  append(out, ['', ...[...bases].map((b) => `Basis: ${md(b)}.`), '']);
  for (const plan of targets) {
    const t = report.targets.find((x) => x.id === plan.profile.id)!;
    append(out, targetSection(t, plan, facts));
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

function targetSection(t: TargetReport, plan: TargetPlan, facts: ModelFacts): string[] {
  const out = [`## ${md(t.name)} (${md(t.id)}): ${VERDICT_LABEL[t.verdict].toLowerCase()}, ${VERDICT_MEANING[t.verdict]}`, ''];
  if (plan.atc) append(out, atcSection(plan));
  if (plan.atc) append(out, keepSection(plan));
  const total = effortTotal(t);
  const days = (f: Finding): string => {
    const item = total?.items.find((i) => i.finding === f);
    return item ? ` (${formatDays(item.days)})` : '';
  };
  const blockers = t.findings.filter((f) => f.severity === 'error');
  out.push('### Blockers', '');
  if (blockers.length === 0) out.push('None: nothing must change before the model runs.', '');
  blockers.forEach((f, i) => append(out, workItem(f, i + 1, days(f))));
  out.push('');
  const review = t.findings.filter((f) => f.severity === 'warning');
  if (review.length > 0) {
    out.push('### To review', '');
    review.forEach((f, i) => append(out, workItem(f, i + 1, days(f))));
    out.push('');
  }
  append(append(append(out, amctSection(t)), kernelSection(t)), runsAsIs(t, facts));
  return out;
}

function atcSection(plan: TargetPlan): string[] {
  const atc = plan.atc!;
  const others = plan.profile.software.atc!.socVersions.filter((s) => s !== atc.soc);
  const shapes = atc.shapes;
  const policy = resolvePolicy(plan.profile);
  const out = [
    `### Compile with ATC: \`sh ${atc.scriptFile} [MODEL.onnx]\``,
    '',
    `- SoC: ${md(atc.soc)}${others.length > 0 ? ` (this target's others: ${md(others.join(', '))}; name your chip's, as npu-smi info prints it)` : ''}.`,
    `- Precision: --precision_mode=${md(plan.profile.software.atc!.precisionMode)} (${md(policy.name)}: ${md(policy.compute)} compute)` +
      `${plan.keepDtype && plan.keepDtype.lines.length > 0 ? `, with --keep_dtype=${md(plan.keepDtype.file)}` : ''}.`,
  ];
  if (shapes.inputs.length > 0) {
    out.push(`- Input shapes: ${shapes.inputs.map((i) => `${md(i.name)} [${i.dims.join(', ')}]`).join('; ')}` +
      (shapes.gears.length > 0 ? `; ${plural(shapes.gears.length, 'gear')} for the -1 dims (--dynamic_dims): ${md(shapes.gears.map((g) => g.join(',')).join('; '))}` : '') + '.');
  }
  for (const note of shapes.notes) out.push(`- Assumed: ${md(note)}.`);
  if (shapes.unknown.length > 0) out.push(`- No shape for ${md(shapes.unknown.join(', '))}: add it to --input_shape by hand.`);
  out.push('');
  return out;
}

function keepSection(plan: TargetPlan): string[] {
  const out = ['### Keep in fp32', ''];
  if (!plan.search) {
    out.push(`No search: ${md(plan.noSearch ?? 'not run')}.`, '');
    return out;
  }
  const s = plan.search;
  const probes = `${plural(s.probes, 'emulation pass', 'emulation passes')} of a budget of ${s.budget}`;
  const shown = s.nodes.slice(0, NAMES_SHOWN).map((n) => `${md(n.node)} (${md(n.opType)})`).join(', ');
  const names = s.nodes.length > NAMES_SHOWN ? `${shown}, and ${s.nodes.length - NAMES_SHOWN} more (all in the keep_dtype file)` : shown;
  switch (s.status) {
    case 'not-needed':
      out.push(`Nothing to keep: every output is within the thresholds under ${md(resolvePolicy(plan.profile).name)} (${probes}).`);
      break;
    case 'found':
      out.push(
        `Keeping ${plural(s.nodes.length, 'node')} in fp32 brings every output back within the thresholds: ${names}. ` +
          `Found in ${probes}, from ${plural(s.candidates, 'candidate')} ranked by layer-wise drift` +
          (s.minimal ? '; each was tried without and is needed.' : '; the budget ran out before each was tried without, so a smaller set may do.'),
      );
      break;
    case 'none-sufficed':
      out.push(
        `No set sufficed within ${probes} (${plural(s.candidates, 'candidate')}): some outputs stay past the thresholds. ` +
          (s.nodes.length > 0 ? `The best reached keeps ${names}; keep_dtype.cfg lists it. ` : 'Keeping candidates did not help; ') +
          'Raise --budget, try --keep by hand, or compile with --precision_mode=must_keep_origin_dtype (fp32 throughout, slower).',
      );
      break;
    case 'given':
      out.push(`The set given with --keep (${names || 'no node'}) was tried as it is (${probes}).`);
      break;
    default:
      break;
  }
  out.push('', '| Output | Before: cosine | rel. Euclidean | verdict | After: cosine | rel. Euclidean | verdict |', '| --- | --- | --- | --- | --- | --- | --- |');
  for (const before of s.before) {
    const after = s.after.find((o) => o.name === before.name);
    out.push(`| ${md(before.name)} | ${metricCells(before)} | ${after ? metricCells(after) : '— | — | —'} |`);
  }
  if (plan.keepDtype && plan.keepDtype.unlisted.length > 0) {
    out.push('', `Not in ${md(plan.keepDtype.file)}: ${md(plan.keepDtype.unlisted.map((n) => JSON.stringify(n.node)).join(', '))}: ` +
      'a name holding a line break or another control character, or beginning with "::", cannot be a line of the file; rename the node in the model.');
  }
  out.push('');
  return out;
}

function metricCells(o: OutputComparison): string {
  const m = o.metrics;
  if (!m) return `— | — | ${o.verdict}`;
  return `${fixed(m.cosine, 6)} | ${m.relativeEuclidean === null ? '—' : fixed(m.relativeEuclidean)} | ${o.verdict}${m.newNonFinite > 0 ? ` (${m.newNonFinite} NaN/Inf)` : ''}`;
}

/** A few significant digits: enough to compare, and stable across runs of the same passes. */
function fixed(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  return Number(x.toPrecision(digits)).toString();
}

function workItem(f: Finding, n: number, days: string): string[] {
  const { names, more } = nodeNames(f, NODES_SHOWN);
  const counterpart = typeof f.args.counterpartFull === 'string' ? f.args.counterpartFull : undefined;
  return [
    `${n}. **${md(opLabel(f) || f.rule)}**: ${md(sentence(messageOf(f, RULES)))}`,
    ...(counterpart ? [`   - Counterpart: ${md(counterpart)}`] : []),
    `   - Change: ${md(sentence(remedyOf(f, RULES) || 'see the evidence'))}`,
    `   - Effort: ${f.effort}${isWorkItem(f) ? days : ''}`,
    `   - Evidence: ${md(f.source.join('; ') || 'none given')} (${md(`${f.rule}/${f.code}`)})`,
    ...(names.length > 0 ? [`   - Nodes: ${names.map((x) => md(x)).join(', ')}${more > 0 ? `, and ${more} more` : ''}`] : []),
  ];
}

function amctSection(t: TargetReport): string[] {
  const q = t.findings.filter((f) => f.rule === 'quantization');
  const out = ['', '### Re-quantize with AMCT', ''];
  if (q.length === 0) return [...out, 'Nothing to re-quantize: the model holds no ONNX quantization.', ''];
  out.push('ATC takes none of the ONNX int8 forms; export the float model and quantize it with AMCT (or msModelSlim) instead:', '');
  for (const f of q) out.push(`- ${md(sentence(messageOf(f, RULES)))} ${md(sentence(remedyOf(f, RULES)))}`);
  return [...out, ''];
}

/** Ops with no kernel and no counterpart: a kernel to write in Ascend C (with an ATC parser plugin). */
function kernelSection(t: TargetReport): string[] {
  const k = t.findings.filter((f) => f.rule === 'custom-domains' || f.rule === 'tensorrt-plugins');
  const out = ['### Custom kernels in Ascend C', ''];
  if (k.length === 0) return [...out, 'None: no custom-domain op or TensorRT plugin.', ''];
  for (const f of k) out.push(`- ${md(opLabel(f))}: ${plural(f.nodeCount, 'node')}; ${md(sentence(remedyOf(f, RULES)))}`);
  return [...out, ''];
}

/** Op types no error or warning concerns on this target: they need no change. */
function runsAsIs(t: TargetReport, facts: ModelFacts): string[] {
  const flagged = new Set(t.findings.filter((f) => f.severity !== 'info' && f.op).map((f) => `${f.domain ?? 'ai.onnx'}::${f.op}`));
  const fine = facts.ops.filter((o) => !flagged.has(`${o.domain}::${o.opType}`));
  const label = (o: (typeof fine)[number]): string => `${o.domain === 'ai.onnx' || o.domain === '' ? '' : `${o.domain}::`}${o.opType} ×${o.nodeCount}`;
  const out = [`### Runs as is on ${md(t.name)}`, ''];
  if (fine.length === 0) return [...out, 'No op type runs without a change.', ''];
  out.push(`${plural(fine.length, 'op type')} of ${facts.ops.length} need no change: ${md(fine.map(label).sort().join(', '))}.`, '');
  return out;
}

import type { Finding } from '../../findings/finding.js';
import type { RuleDef } from '../../findings/rule.js';
import { messageOf, remedyOf, type MessageStyle } from '../../findings/render.js';
import { escapeHtml as e } from '../escape.js';
import type { TargetReport } from '../types.js';
import { VERDICT_LABEL, nodeNames, opLabel, percent, plural } from '../wording.js';

const MAX_NODES_SHOWN = 10;

const SEVERITY_WORD = { error: 'Blocker', warning: 'Warning', info: 'Note' } as const;

/** Our words escaped; values from the model or profile escaped and set in the monospace face. */
const HTML_STYLE: MessageStyle = { text: e, value: (v) => `<span class="mono">${e(v)}</span>` };

function findingCard(f: Finding, rules: readonly RuleDef[]): string {
  const op = opLabel(f);
  const title = op ? `<span class="title mono">${e(op)}</span>` : `<span class="title">${e(f.rule)}</span>`;
  const meta = [
    `<span class="mono">${e(`${f.rule}/${f.code}`)}</span>`,
    `level <span class="badge l-${f.level}">${f.level}</span>`,
    `effort ${e(f.effort)}`,
    ...(f.opset !== undefined ? [`opset ${f.opset}`] : []),
    ...(f.nodeCount > 0 ? [plural(f.nodeCount, 'node')] : []),
    ...(f.timeShare !== undefined ? [`${percent(f.timeShare)} of reference time`] : []),
  ].join(' · ');
  const { names, more } = nodeNames(f, MAX_NODES_SHOWN);
  const nodes =
    names.length > 0
      ? `<div class="nodes">Nodes: ${names.map((n) => `<span class="mono">${e(n)}</span>`).join(', ')}${more > 0 ? `, and ${more} more` : ''}</div>`
      : '';
  const advice = remedyOf(f, rules, HTML_STYLE);
  const remedy = advice ? `<div class="remedy"><strong>Remedy:</strong> ${advice}</div>` : '';
  const sources =
    f.source.length > 0 ? `<ul class="sources">${f.source.map((s) => `<li>Source: ${e(s)}</li>`).join('')}</ul>` : '';
  return (
    `<div class="card finding sev-${f.severity}">` +
    `<div class="head"><span class="s-${f.severity}">${SEVERITY_WORD[f.severity]}</span>${title}</div>` +
    `<div class="meta">${meta}</div>` +
    `<div class="message">${messageOf(f, rules, HTML_STYLE)}</div>` +
    nodes +
    remedy +
    sources +
    '</div>'
  );
}

/** Every finding of one target, blockers first (the report's order), with remedy and sources. */
export function targetFindings(t: TargetReport, rules: readonly RuleDef[]): string {
  const head = `<h3>${e(t.name)}: <span class="badge v-${t.verdict}">${VERDICT_LABEL[t.verdict]}</span></h3>`;
  const body = t.findings.length > 0 ? t.findings.map((f) => findingCard(f, rules)).join('') : '<p class="muted">No findings.</p>';
  const suppressed = t.suppressed ?? [];
  const baseline =
    suppressed.length > 0
      ? `<p class="muted">${plural(suppressed.length, 'finding')} suppressed by the baseline: ` +
        suppressed.map((f) => `<span class="mono">${e(opLabel(f) || f.rule)}</span> (${e(`${f.rule}/${f.code}`)})`).join(', ') +
        '.</p>'
      : '';
  return head + body + baseline;
}

import { escapeHtml as e } from '../escape.js';
import { formatBytes } from '../../findings/format-values.js';
import { formatCount } from '../text.js';
import type { ModelSummary } from '../types.js';

const MAX_VALUES_LISTED = 50;

function dimsText(dims: readonly (number | string | null)[] | undefined): string {
  if (!dims) return 'unknown shape';
  return `[${dims.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

function valueTable(title: string, values: ModelSummary['inputs']): string {
  if (values.length === 0) return '';
  const rows = values
    .slice(0, MAX_VALUES_LISTED)
    .map((v) => `<tr><td class="mono">${e(v.name)}</td><td class="mono">${e(v.dtype ?? '?')}</td><td class="mono">${e(dimsText(v.dims))}</td></tr>`)
    .join('');
  const more = values.length > MAX_VALUES_LISTED ? `<p class="muted">and ${values.length - MAX_VALUES_LISTED} more</p>` : '';
  return `<h3>${title}</h3><table><thead><tr><th>Name</th><th>Type</th><th>Shape</th></tr></thead><tbody>${rows}</tbody></table>${more}`;
}

/** The model in one line: size, nodes, op types, parameters, opsets. */
export function modelLine(m: ModelSummary): string {
  const opsets = Object.entries(m.opsets).map(([domain, v]) => `${domain === '' ? 'ai.onnx' : domain} ${v}`).join(', ');
  return (
    `${formatBytes(m.fileBytes)} · ${m.nodeCount} nodes · ${m.opTypeCount} op types · ` +
    `${formatCount(m.parameterCount)} parameters · opset ${opsets || 'none'}${m.producer ? ` · made with ${m.producer}` : ''}`
  );
}

/** What the model is: producer, IR and opsets, size, types, inputs and outputs. */
export function modelFacts(m: ModelSummary): string {
  const opsets = Object.entries(m.opsets)
    .map(([domain, v]) => `${domain === '' ? 'ai.onnx' : domain} ${v}`)
    .join(', ');
  const facts: [string, string][] = [
    ['File', m.path],
    ['Size', formatBytes(m.fileBytes)],
    ['Producer', m.producer || 'not recorded'],
    ['IR version', String(m.irVersion)],
    ['Opsets', opsets || 'none'],
    ['Nodes', `${m.nodeCount} in ${m.graphCount} graph${m.graphCount === 1 ? '' : 's'}`],
    ['Op types', String(m.opTypeCount)],
    ['Parameters', `${formatCount(m.parameterCount)} (${formatBytes(m.parameterBytes)})`],
    ...(m.externalDataBytes > 0 ? ([['External data', formatBytes(m.externalDataBytes)]] as [string, string][]) : []),
    ['Tensor types', m.dtypes.join(', ') || 'none'],
    ...(m.customDomains.length > 0 ? ([['Custom domains', m.customDomains.join(', ')]] as [string, string][]) : []),
  ];
  const dl = facts.map(([k, v]) => `<div><dt>${k}</dt><dd>${e(v)}</dd></div>`).join('');
  return `<dl class="facts">${dl}</dl>${valueTable('Inputs', m.inputs)}${valueTable('Outputs', m.outputs)}`;
}

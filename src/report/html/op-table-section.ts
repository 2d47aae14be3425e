import { formatBytes } from '../../findings/format-values.js';
import { ENGINE_WORDS, evidenceWords } from '../engine-words.js';
import { escapeHtml as e } from '../escape.js';
import type { Report, TargetReport } from '../types.js';
import { MAX_OP_TABLE_ROWS, listedOpRows } from '../markdown-op-table.js';

/**
 * Every op type on each target, as msit analyze lists it after a real ATC compile: level, engine,
 * the target's op type and the evidence; then the partitions and the evidence versions.
 */
export function opTableSection(r: Report): string {
  const tables = r.targets.filter((t) => t.ops && t.ops.length > 0).map(targetTable);
  if (tables.length === 0) return '';
  return `<section class="appendix-model"><h3>Model <span class="mono">${e(r.model.path)}</span></h3>${tables.join('')}</section>`;
}

function targetTable(t: TargetReport): string {
  const all = t.ops ?? [];
  const rows = listedOpRows(all).map((row) => {
    const op = row.domain === 'ai.onnx' ? row.op : `${row.domain}::${row.op}`;
    return `<tr><td class="mono">${e(op)}</td><td>${row.opset ?? '—'}</td><td>${row.nodeCount}</td>` +
      `<td><span class="badge l-${row.level}">${row.level}</span></td><td>${e(ENGINE_WORDS[row.engine])}</td>` +
      `<td class="mono">${e(row.targetOp ?? '—')}</td><td class="muted">${e(row.evidence.key)} · ${e(row.evidence.sources.join(', '))}</td></tr>`;
  }).join('') +
    (all.length > MAX_OP_TABLE_ROWS ? `<tr><td colspan="7" class="muted">… and ${all.length - MAX_OP_TABLE_ROWS} more op types with fewer nodes (see the JSON report)</td></tr>` : '');
  const p = t.partitions;
  const split = p && p.hostIslands > 0
    ? `<p>${p.partitions} partitions: ${p.hostIslands} ${e(p.host)} island${p.hostIslands === 1 ? '' : 's'} (${e(p.islands.map((i) => i.ops.join(', ')).join(' · '))}) between ${e(p.device)} ones; ` +
      `${p.crossings} tensor crossings move ${formatBytes(p.crossingBytes)} per inference${p.shapes === 'none' ? '' : ` (${p.shapes} shapes)`}` +
      `${p.unsizedCrossings > 0 ? `, ${p.unsizedCrossings} of unknown size` : ''}.</p>`
    : '';
  const evidence = t.evidence && t.evidence.length > 0 ? `<p class="muted">Evidence: ${e(t.evidence.map(evidenceWords).join('; '))}</p>` : '';
  return `<details><summary><strong>${e(t.name)}</strong>: ${(t.ops ?? []).length} op types</summary>` +
    `<table><thead><tr><th>Op</th><th>Opset</th><th>Nodes</th><th>Level</th><th>Engine</th><th>Target op</th><th>Evidence</th></tr></thead><tbody>${rows}</tbody></table>` +
    `${split}${evidence}</details>`;
}

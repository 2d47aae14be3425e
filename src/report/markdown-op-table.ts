import { formatBytes } from '../findings/format-values.js';
import { ENGINE_WORDS, evidenceWords } from './engine-words.js';
import { escapeHtml, escapeMarkdown as md, sanitizeTerminal } from './escape.js';
import type { Report } from './types.js';
import { topN } from '../arrays.js';

/**
 * Rows an op table lists (Markdown, HTML, text); past it, a model with thousands of op types gets
 * the op types with the most nodes and a count of the rest (the JSON report lists them all).
 */
export const MAX_OP_TABLE_ROWS = 200;

/** The rows to list: all, or the MAX_OP_TABLE_ROWS with the most nodes, in the table's order. */
export function listedOpRows<T extends { nodeCount: number }>(rows: readonly T[]): T[] {
  if (rows.length <= MAX_OP_TABLE_ROWS) return [...rows];
  const top = topN(rows.map((row, at) => ({ row, at })), MAX_OP_TABLE_ROWS, (a, b) => b.row.nodeCount - a.row.nodeCount || a.at - b.at);
  return top.sort((a, b) => a.at - b.at).map((r) => r.row);
}

/**
 * The op table in Markdown: per model and target, a collapsed table of every op type (level,
 * engine, the target's op type, evidence), the partitions the target cuts the graph into and the
 * versions its evidence reflects.
 */
export function opTableSection(reports: Report[]): string[] {
  const out: string[] = [];
  for (const r of reports) {
    for (const t of r.targets) {
      if (!t.ops || t.ops.length === 0) continue;
      const p = t.partitions;
      const split = p && p.hostIslands > 0
        ? `; ${p.partitions} partitions, ${p.hostIslands} ${p.host} island${p.hostIslands === 1 ? '' : 's'}, ${p.crossings} crossings (${formatBytes(p.crossingBytes)})`
        : '';
      out.push(
        '<details>',
        `<summary>Op table: ${escapeHtml(sanitizeTerminal(r.model.path))} on ${escapeHtml(sanitizeTerminal(t.name))} (${t.ops.length} op types${escapeHtml(split)})</summary>`,
        '',
        '| Op | Opset | Nodes | Level | Engine | Target op | Evidence |',
        '| --- | --- | --- | --- | --- | --- | --- |',
      );
      for (const row of listedOpRows(t.ops)) {
        const op = row.domain === 'ai.onnx' ? row.op : `${row.domain}::${row.op}`;
        out.push(`| ${[md(op), row.opset ?? '—', row.nodeCount, row.level, ENGINE_WORDS[row.engine], row.targetOp ? md(row.targetOp) : '—',
          md(`${row.evidence.key} [${row.evidence.sources.join(', ')}]`)].join(' | ')} |`);
      }
      if (t.ops.length > MAX_OP_TABLE_ROWS) out.push('', `… and ${t.ops.length - MAX_OP_TABLE_ROWS} more op types with fewer nodes (see the JSON report).`);
      if (t.evidence && t.evidence.length > 0) out.push('', `Evidence: ${t.evidence.map((e) => md(evidenceWords(e))).join('; ')}`);
      out.push('', '</details>', '');
    }
  }
  return out;
}

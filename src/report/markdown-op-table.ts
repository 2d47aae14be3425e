import { formatBytes } from '../findings/format-values.js';
import { ENGINE_WORDS, evidenceWords } from './engine-words.js';
import { escapeHtml, escapeMarkdown as md, sanitizeTerminal } from './escape.js';
import type { Report } from './types.js';

/** Rows past this many per target are left to the JSON report. */
/** Rows an op table lists (markdown, HTML, text); a model with thousands of op types gets a count of the rest. */
export const MAX_OP_TABLE_ROWS = 200;
const MAX_ROWS = MAX_OP_TABLE_ROWS;

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
      for (const row of t.ops.slice(0, MAX_ROWS)) {
        const op = row.domain === 'ai.onnx' ? row.op : `${row.domain}::${row.op}`;
        out.push(`| ${[md(op), row.opset ?? '—', row.nodeCount, row.level, ENGINE_WORDS[row.engine], row.targetOp ? md(row.targetOp) : '—',
          md(`${row.evidence.key} [${row.evidence.sources.join(', ')}]`)].join(' | ')} |`);
      }
      if (t.ops.length > MAX_ROWS) out.push('', `… and ${t.ops.length - MAX_ROWS} more (see the JSON report).`);
      if (t.evidence && t.evidence.length > 0) out.push('', `Evidence: ${t.evidence.map((e) => md(evidenceWords(e))).join('; ')}`);
      out.push('', '</details>', '');
    }
  }
  return out;
}

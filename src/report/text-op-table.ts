import { listedOpRows } from './markdown-op-table.js';
import type { ChalkInstance } from 'chalk';
import { formatBytes } from '../findings/format-values.js';
import type { OpTableRow } from '../assess/op-table.js';
import type { SupportLevel } from '../profiles/schema.js';
import { ENGINE_WORDS, evidenceWords } from './engine-words.js';
import { sanitizeTerminal as clean } from './escape.js';
import { formatDuration } from './text-sections.js';
import type { Report, TargetReport } from './types.js';
import { maxOf } from '../arrays.js';

/**
 * The op table in the terminal: one row per op type, one column per target with the engine and a
 * mark for anything but supported, then each target's partitions and the versions its evidence
 * reflects. The JSON report holds the full rows (target op type, evidence key and sources).
 */

const LEVEL_MARK: Record<SupportLevel, string> = { supported: '', degraded: ' ▲', unknown: ' ?', unsupported: ' ✖' };

export function formatOpTable(report: Report, c: ChalkInstance): string[] {
  const targets = report.targets.filter((t): t is TargetReport & { ops: OpTableRow[] } => t.ops !== undefined);
  if (targets.length === 0 || targets.every((t) => t.ops.length === 0)) return [];
  const keys = new Map<string, { op: string; opset?: number; nodes: number }>();
  for (const t of targets) {
    for (const r of t.ops) {
      const name = r.domain === 'ai.onnx' ? r.op : `${r.domain}::${r.op}`;
      keys.set(`${r.domain}::${r.op}`, { op: clean(name), ...(r.opset !== undefined && { opset: r.opset }), nodes: r.nodeCount });
    }
  }
  // Rows by key per target, so a model with thousands of op types costs no search per cell.
  const rowsOf = targets.map((t) => new Map(t.ops.map((r) => [`${r.domain}::${r.op}`, r])));
  const cell = (k: number, key: string): string => {
    const row = rowsOf[k]!.get(key);
    return row ? `${ENGINE_WORDS[row.engine]}${LEVEL_MARK[row.level]}` : '';
  };
  const header = ['op', 'opset', 'nodes', ...targets.map((t) => clean(t.id))];
  const listed = listedOpRows([...keys].map(([key, k]) => ({ key, k, nodeCount: k.nodes })));
  const body = listed.map(({ key, k }) => [k.op, k.opset === undefined ? '-' : String(k.opset), String(k.nodes), ...targets.map((_, i) => cell(i, key))]);
  const widths = header.map((h, i) => maxOf(body.map((r) => r[i]!.length), h.length));
  const line = (cells: string[]): string => `  ${cells.map((s, i) => s.padEnd(widths[i]!)).join('  ')}`.trimEnd();
  const lines = [c.bold('op table') + c.dim('  (engine per target; ▲ degraded, ? unknown, ✖ unsupported)'), c.dim(line(header)), ...body.map(line)];
  if (keys.size > listed.length) lines.push(c.dim(`  … and ${keys.size - listed.length} more op types with fewer nodes (see --format json)`));
  for (const t of targets) {
    const p = t.partitions;
    if (p && p.hostIslands > 0) {
      const size = p.crossingBytes > 0 || p.unsizedCrossings === 0 ? `${formatBytes(p.crossingBytes)}${p.shapes === 'none' ? '' : ` (${p.shapes} shapes)`}` : 'size unknown';
      lines.push(`  ${clean(t.id)}: ${p.partitions} partitions, ${p.hostIslands} ${clean(p.host)} island${p.hostIslands === 1 ? '' : 's'}, ` +
        `${p.crossings} crossing${p.crossings === 1 ? '' : 's'} moving ${size} per inference` +
        (p.unsizedCrossings > 0 && p.crossingBytes > 0 ? ` + ${p.unsizedCrossings} of unknown size` : '') +
        (t.estimate?.hostTransfer ? ` (≈ ${formatDuration(t.estimate.hostTransfer.ms)} over ${clean(t.estimate.hostTransfer.link)}, in the estimate)` : ''));
    }
  }
  for (const t of targets) {
    if (t.evidence && t.evidence.length > 0) lines.push(c.dim(`  ${clean(t.id)} evidence: ${t.evidence.map((e) => clean(evidenceWords(e))).join('; ')}`));
  }
  return lines;
}

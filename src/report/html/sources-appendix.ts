import { escapeHtml as e } from '../escape.js';
import type { HardwareFigure, Report } from '../types.js';
import { parseSource, type SourceRef } from './source-refs.js';

/**
 * The numbered list of sources every verdict and hardware figure points at ("[3]"): each source's
 * title, then where to read it, with its kind (vendor documentation, source code, press) and a
 * link where there is one.
 */
export class SourceIndex {
  private readonly byTitle = new Map<string, { n: number; ref: SourceRef }>();

  /** The numbers of a finding's or figure's source lines, adding new ones. */
  cite(lines: readonly string[]): number[] {
    const out: number[] = [];
    for (const line of lines) {
      const ref = parseSource(line);
      let entry = this.byTitle.get(ref.title);
      if (!entry) {
        entry = { n: this.byTitle.size + 1, ref };
        this.byTitle.set(ref.title, entry);
      }
      if (!out.includes(entry.n)) out.push(entry.n);
    }
    return out;
  }

  /** "[1, 4]" linking into the list, or '' for none. */
  marks(lines: readonly string[]): string {
    const ns = this.cite(lines);
    return ns.length === 0 ? '' : `<span class="cite">[${ns.map((n) => `<a href="#source-${n}">${n}</a>`).join(', ')}]</span>`;
  }

  html(): string {
    if (this.byTitle.size === 0) return '<p class="muted">No sources cited.</p>';
    const items = [...this.byTitle.values()].map(({ n, ref }) => {
      const places = ref.places.map((p) => {
        const text = e(p.text);
        return `<span class="kind">${p.kind}</span>: ${p.url ? `<a href="${e(p.url)}">${text}</a>` : text}`;
      });
      return `<li id="source-${n}"><span class="title">${e(ref.title)}</span>${places.length > 0 ? `<div class="places">${places.join(' · ')}</div>` : ''}</li>`;
    });
    return `<ol class="source-list">${items.join('')}</ol>`;
  }
}

/** What the profiles' confidence says (knowledge/hw_profiles.json: how consistent the sources were). */
const CONFIDENCE_WORDS = {
  high: 'high: consistent across sources',
  medium: 'medium: sources differ or are indirect',
  low: 'low: press reports or estimates the vendor has not confirmed',
} as const;

/** Each target's hardware figures side by side, each marked with its confidence and sources. */
export function hardwareTable(reports: readonly Report[], sources: SourceIndex): string {
  const targets = new Map<string, { name: string; figures: HardwareFigure[] }>();
  for (const r of reports) for (const t of r.targets) if (t.hardware && !targets.has(t.id)) targets.set(t.id, { name: t.name, figures: t.hardware });
  if (targets.size === 0) return '';
  const names = [...new Set([...targets.values()].flatMap((t) => t.figures.map((f) => f.name)))];
  const head = [...targets.values()].map((t) => `<th scope="col">${e(t.name)}</th>`).join('');
  const rows = names.map((name) => {
    const cells = [...targets.values()].map((t) => {
      const f = t.figures.find((x) => x.name === name);
      if (!f) return '<td class="muted">—</td>';
      return (
        `<td class="num">${e(String(f.value))} ${e(f.unit)} ` +
        `<span class="badge conf-${f.confidence}" title="${CONFIDENCE_WORDS[f.confidence]}">${f.confidence}</span> ${sources.marks(f.source)}</td>`
      );
    });
    return `<tr><th scope="row">${e(name)}</th>${cells.join('')}</tr>`;
  });
  return (
    `<table class="hardware"><thead><tr><th scope="col">Figure</th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>` +
    `<p class="muted">Confidence says how far a figure can be trusted: ${Object.values(CONFIDENCE_WORDS).join('; ')}. ` +
    'An estimate is as confident as the least confident figure it uses.</p>'
  );
}

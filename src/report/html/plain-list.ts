import { escapeHtml as e } from '../escape.js';

/** A bulleted list of plain sentences (assumptions, what was emulated), each escaped. */
export function list(items: readonly string[], className = 'assumptions'): string {
  if (items.length === 0) return '';
  return `<ul class="${className}">${items.map((i) => `<li>${e(i)}</li>`).join('')}</ul>`;
}

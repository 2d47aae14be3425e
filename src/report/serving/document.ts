import { Chalk } from 'chalk';
import { UsageError } from '../../errors.js';
import { escapeHtml as e, escapeMarkdown as md } from '../escape.js';
import { CSP } from '../html.js';
import { REPORT_CSS } from '../html/styles.js';
import type { ServingReport } from '../types.js';
import { servingSection } from './html-section.js';
import { servingMarkdown } from './markdown-section.js';
import { formatServing } from './text.js';

/**
 * `port-check --llm-config FILE` without a model: the serving plan is the whole document. The
 * formats a plan has no findings for (sarif, junit, github) are refused with the list that works.
 */
export const SERVING_FORMATS = ['text', 'json', 'markdown', 'html'] as const;

export function formatServingReport(report: ServingReport, format: string, options: { color: boolean }): string {
  switch (format) {
    case 'text':
      return formatServing(report.serving, new Chalk({ level: options.color ? 1 : 0 })).join('\n') + '\n';
    case 'json':
      return JSON.stringify(report, null, 2) + '\n';
    case 'markdown':
      return [`## ${md('port-check: serving plan')}`, '', ...servingMarkdown(report.serving), `<sub>port-check ${e(report.tool.version)}</sub>`].join('\n') + '\n';
    case 'html': {
      const title = `Serving plan: ${report.serving.llm.name}`;
      return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
        `<meta http-equiv="Content-Security-Policy" content="${CSP}">\n` +
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
        `<title>${e(title)}</title>\n<style>${REPORT_CSS}</style>\n</head>\n<body>\n<div class="page">\n` +
        `<header class="doc"><h1>${e(title)}</h1><p class="sub">port-check ${e(report.tool.version)}</p></header>\n` +
        servingSection(report.serving) +
        `\n<footer class="doc">Written by port-check ${e(report.tool.version)}. Self-contained: this file loads nothing from the network.</footer>` +
        '\n</div>\n</body>\n</html>\n'
      );
    }
    default:
      throw new UsageError(`--format ${format} has nothing to show for a serving plan alone: choose one of ${SERVING_FORMATS.join(', ')}`);
  }
}

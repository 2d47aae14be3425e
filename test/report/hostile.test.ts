/**
 * A model whose names, op types, domains, producer and inputs all carry markup, a CDATA
 * terminator, an entity, ANSI escapes and a newline: every format must render it as inert text.
 */
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { githubJobSummary } from '../../src/report/github.js';
import { FORMATTERS } from '../../src/report/index.js';
import { SAMPLE_RULES, hostileReport } from './fixture.js';
import { hostileRunReport } from './fixture-run.js';

const opts = { rules: SAMPLE_RULES };
const FORMATS = { ...FORMATTERS, 'github job summary': githubJobSummary };

// The second report also carries the payload in every string of the run, precision and estimate.
const CASES = Object.entries(FORMATS).flatMap(([name, format]) => [
  [name, format, hostileReport] as const,
  [`${name} (with run, precision, estimate)`, format, hostileRunReport] as const,
]);

describe.each(CASES)('%s with hostile model strings', (name, format, report) => {
  const out = format([report()], opts);

  it('has no raw ESC or other control character', () => {
    expect(out).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
  });

  it('has no live <script> tag', () => {
    if (name.startsWith('json') || name.startsWith('sarif') || name.startsWith('codeclimate')) {
      // JSON strings are data; the tag only matters if a consumer renders them, escaped there.
      expect(() => JSON.parse(out)).not.toThrow();
      return;
    }
    if (name.startsWith('text') || /^github(?! job)/.test(name)) return; // plain text, never parsed as markup
    expect(out).not.toMatch(/<script/i);
  });

  it('still says what the finding is', () => {
    expect(out).toMatch(/Evil/);
    expect(out).toMatch(/pwned/);
  });
});

describe('hostile strings in structured formats', () => {
  it('junit stays well-formed XML with no CDATA terminator', () => {
    const xml = FORMATTERS.junit!([hostileReport()], opts);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toContain(']]>');
  });

  it('text keeps each finding on its own lines (no forged line from a newline in a name)', () => {
    const text = FORMATTERS.text!([hostileReport()], opts);
    expect(text.split('\n').filter((l) => l.startsWith('line2'))).toEqual([]);
  });
});

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdown, escapeXml, sanitizeTerminal } from '../../src/report/escape.js';

const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

describe('sanitizeTerminal', () => {
  it('removes ANSI colour, cursor and OSC sequences and keeps the text', () => {
    expect(sanitizeTerminal('\u001b[31mRED\u001b[0m')).toBe('RED');
    expect(sanitizeTerminal('a\u001b[2J\u001b[Hb')).toBe('ab');
    expect(sanitizeTerminal('\u001b]0;title\u0007after')).toBe('after');
    expect(sanitizeTerminal('\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\')).toBe('link');
    expect(sanitizeTerminal('x\u009b31my')).toBe('x31my');
  });

  it('puts everything on one line: a name cannot forge a line of output', () => {
    expect(sanitizeTerminal('Conv\n✔ ready\r\nx\u2028y')).toBe('Conv ✔ ready x y');
  });

  it('removes bidi overrides and other controls', () => {
    expect(sanitizeTerminal('ab\u202ecd\u2066e\u0000\u0007\u007f')).toBe('abcde');
  });

  it('leaves any string free of controls and escapes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = sanitizeTerminal(s);
        expect(out).not.toMatch(CONTROLS);
        expect(out).not.toMatch(/[\n\r\t]/);
      }),
    );
  });
});

describe('escapeHtml', () => {
  it('escapes markup and quotes', () => {
    expect(escapeHtml(`<script>alert("x")</script>'&`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;');
  });
  it('drops ANSI escapes and controls', () => {
    expect(escapeHtml('\u001b[31mred\u0000')).toBe('red');
  });
});

describe('escapeXml', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true });

  it('gives well-formed XML in an attribute and in text for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const doc = `<r a="${escapeXml(s)}">${escapeXml(s)}</r>`;
        expect(XMLValidator.validate(doc)).toBe(true);
      }),
    );
  });

  it('keeps "]]>" and newlines as data', () => {
    const s = 'a]]>b\nc & <d>';
    const doc = `<r a="${escapeXml(s)}">${escapeXml(s)}</r>`;
    const parsed = parser.parse(doc) as { r: { a: string; '#text': string } };
    expect(escapeXml(s)).not.toContain(']]>');
    expect(parsed.r.a).toBe(s);
    expect(parsed.r['#text']).toBe(s);
  });

  it('replaces characters XML 1.0 forbids', () => {
    expect(escapeXml('a\u0001b\ud800c\uffff')).toBe('ab\ufffdc\ufffd');
  });
});

describe('escapeMarkdown', () => {
  it('escapes syntax and HTML so nothing renders as a link, image, code or tag', () => {
    expect(escapeMarkdown('[x](javascript:alert(1)) ![i](y) `c` *b* <b>&')).toBe(
      '\\[x\\]\\(javascript:alert\\(1\\)\\) \\!\\[i\\]\\(y\\) \\`c\\` \\*b\\* &lt;b&gt;&amp;',
    );
  });
  it('keeps a table row intact: pipes escaped, newlines gone', () => {
    expect(escapeMarkdown('a|b\nc')).toBe('a\\|b c');
  });
  it('does not mention a GitHub user', () => {
    expect(escapeMarkdown('@octocat')).toBe('@\u200boctocat');
  });
});

/**
 * A model whose every string is hostile (markup, a CDATA terminator, an entity, ANSI colour and
 * OSC 8 hyperlink escapes, newlines, NUL), run through the CLI in every --format. A reference run
 * on a tame model with the same structure gives the markup each format emits on its own: the
 * hostile run may not add a single tag to it. test/report/hostile.test.ts does this for the
 * formatters on a hand-built report; this proves it for what the decoder and checks pass along.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../src/onnx/model-spec.js';
import { FORMATTERS } from '../../src/report/index.js';
import { runCli } from '../cli/run-cli.js';
import { TARGET_FLAG, f32, tempFolder, usageErrorLine, writeModel } from './hostile-files.js';

const dir = tempFolder('output-safety');

const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(1)>';
const HOSTILE = `${SCRIPT}${IMG}]]>&amp;\u001b[31mred\u001b[0m\u001b]8;;http://x\u0007link\u001b]8;;\u0007\nline2\r\n\u0000nul\u202eevil`;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** The same model with every string built from `s`: tame or hostile. */
function modelWith(s: string): ModelSpec {
  return {
    opsets: { 'ai.onnx': 17, [`com.${s}`]: 1 },
    producerName: `producer${s}`,
    producerVersion: `1.0${s}`,
    docString: `doc${s}`,
    metadata: { [`key${s}`]: `value${s}` },
    graph: {
      name: `graph${s}`,
      nodes: [
        { opType: `Evil${s}`, domain: `com.${s}`, name: `custom${s}`, inputs: [`input${s}`], outputs: [`mid${s}`] },
        { opType: 'NonZero', name: `nonzero${s}`, inputs: [`mid${s}`], outputs: [`nz${s}`] },
        { opType: 'Relu', name: `relu${s}`, inputs: [`mid${s}`], outputs: [`out${s}`] },
        { opType: 'Add', name: `add${s}`, inputs: [`out${s}`, `weight${s}`], outputs: [`sum${s}`] },
        { opType: 'Mul', name: `ghostreader${s}`, inputs: [`sum${s}`, `ghost${s}`], outputs: [`y${s}`] },
      ],
      inputs: [f32(`input${s}`, [`batch${s}`, 4])],
      outputs: [f32(`y${s}`, [`batch${s}`, 4]), f32(`nz${s}`, undefined)],
      initializers: [{ name: `weight${s}`, dtype: 'FLOAT', dims: [4], external: { location: `w${s.replace(/\u0000|\//g, '')}.bin` } }],
    },
  };
}

// File names cannot hold '/' or NUL; the rest can, and a CI run finds such files with a glob.
const hostileFile = `model${IMG}\u001b[31m\u202e.onnx`;
mkdirSync(join(dir, 'tame'));
mkdirSync(join(dir, 'hostile'));
mkdirSync(join(dir, 'broken'));
writeModel(join(dir, 'tame'), 'tame.onnx', modelWith('_tame'));
writeModel(join(dir, 'hostile'), hostileFile, modelWith(HOSTILE));
writeModel(join(dir, 'broken'), hostileFile, new Uint8Array([0x08, 0x0a, 0x3a, 0xff, 0xff]));

async function render(file: string, format: string): Promise<string> {
  const r = await runCli([file, '--target', TARGET_FLAG, '--format', format], { cwd: dir });
  expect(r.code, r.stderr).toBe(1); // the custom op and the undefined input block every target
  expect(r.stderr).toBe('');
  return r.stdout;
}

/** The element names a document opens, e.g. ['a', 'details', 'div']. */
function tagsOf(markup: string): string[] {
  return [...new Set([...markup.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => m[1]!.toLowerCase()))].sort();
}

const formats = Object.keys(FORMATTERS);

describe.each(formats)('--format %s on a model whose strings are all hostile', (format) => {
  it('renders it, with no control character and no markup of the model\'s own', async () => {
    const tame = await render('tame/*.onnx', format);
    const out = await render('hostile/*.onnx', format);
    expect(out).not.toMatch(CONTROL);
    expect(out).not.toContain('\u001b');
    // Still says what is wrong: the dense text view cuts the long hostile domain before the op's name.
    expect(out).toMatch(format === 'text' ? /custom-domains/ : /Evil/);
    if (format === 'html' || format === 'markdown' || format === 'junit') {
      expect(out).not.toMatch(/<script/i);
      expect(out).not.toMatch(/<img/i);
      expect(tagsOf(out)).toEqual(tagsOf(tame));
    }
    if (format === 'json' || format === 'sarif') {
      const parsed = JSON.parse(out);
      // JSON keeps the names as data, exactly (control characters as \u escapes in the text).
      expect(JSON.stringify(parsed)).toContain(JSON.stringify(`Evil${HOSTILE}`).slice(1, -1).slice(0, 40));
    }
    if (format === 'junit') {
      expect(XMLValidator.validate(out)).toBe(true);
      expect(out).not.toContain(']]>');
      expect(() => new XMLParser().parse(out)).not.toThrow();
    }
    if (format === 'markdown') {
      // No model string can end a table row or a line early.
      expect(out.split('\n').filter((l) => l.startsWith('line2'))).toEqual([]);
    }
    if (format === 'github') {
      for (const line of out.split('\n').filter(Boolean)) expect(line).toMatch(/^(::(error|warning|notice) |port-check: )/);
      expect(out).not.toMatch(/^line2/m);
    }
    if (format === 'text') {
      expect(out.split('\n').filter((l) => /^\s*(line2|nul)/.test(l))).toEqual([]);
      expect(out).not.toContain('\u202e');
    }
  });
});

describe('the GitHub job summary (GITHUB_STEP_SUMMARY) and a report written with -o', () => {
  it('carries no model markup either', async () => {
    const summary = join(dir, 'summary.md');
    const r = await runCli(['hostile/*.onnx', '--target', TARGET_FLAG, '--format', 'github'], { cwd: dir, env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.code, r.stderr).toBe(1);
    const md = readFileSync(summary, 'utf8');
    expect(md).not.toMatch(CONTROL);
    expect(md).not.toMatch(/<script|<img/i);
  });

  it('-o report.html holds the same escaped document as stdout', async () => {
    const r = await runCli(['hostile/*.onnx', '--target', TARGET_FLAG, '--format', 'html', '-o', 'report.html'], { cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script|<img/i);
  });
});

describe('a broken model with a hostile file name', () => {
  it('is one exit-2 line on stderr with the name\'s escapes shown, not executed', async () => {
    const line = usageErrorLine(await runCli(['broken/*.onnx'], { cwd: dir }));
    expect(line).not.toMatch(CONTROL);
    expect(line).not.toContain('\u202e');
    expect(line).toContain('broken/model<img src=x onerror=alert(1)>\\u001b[31m\\u202e.onnx: is not a valid ONNX model');
  });
});

/**
 * Builders of hostile files for the end-to-end hardening tests: models written with the
 * project's ONNX writer (or as raw protobuf where the writer refuses), a temp folder per test
 * file, and the CLI run in-process with the report parsed back.
 */
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { encodeModel } from '../../src/onnx/writer.js';
import type { GraphSpec, ModelSpec, ValueSpec } from '../../src/onnx/model-spec.js';
import type { Report } from '../../src/report/types.js';
import { runCli, type CliResult } from '../cli/run-cli.js';
import { concat, ldTag, modelAround, msg, nest, varint } from '../onnx/raw-proto.js';

export const TARGETS = ['h20', 'ascend-910b', 'ascend-910c'] as const;
export const TARGET_FLAG = TARGETS.join(',');

/**
 * A fresh folder (symlinks resolved: macOS /tmp is a link), removed after the test file; call it
 * at the top level of a test file.
 */
export function tempFolder(prefix: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `port-check-${prefix}-`)));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function f32(name: string, dims: ValueSpec['dims'] = [1, 4]): ValueSpec {
  return { name, dtype: 'FLOAT', ...(dims !== undefined && { dims }) };
}

export function modelOf(graph: GraphSpec, extra: Partial<ModelSpec> = {}): ModelSpec {
  return { opsets: { 'ai.onnx': 17 }, ...extra, graph };
}

/** Writes a model (a spec, or bytes) into `dir` and returns its path. */
export function writeModel(dir: string, name: string, model: ModelSpec | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, model instanceof Uint8Array ? model : encodeModel(model));
  return path;
}

/**
 * `levels` If nodes, each holding the next in its then_branch, as raw bytes built outside-in (a
 * recursive writer would itself overflow at this depth). The innermost graph holds one Relu
 * reading the main graph's input.
 */
export function deepIfModel(levels: number): Uint8Array {
  const innermost = msg([1, 'bytes', msg([1, 'bytes', 'x'], [2, 'bytes', 'r'], [4, 'bytes', 'Relu'])]);
  const graph = nest(innermost, levels, (innerLength) => {
    const attrHead = concat(msg([1, 'bytes', 'then_branch'], [20, 'varint', 5]), ldTag(6), varint(innerLength));
    const attrLength = attrHead.length + innerLength;
    const nodeHead = concat(msg([4, 'bytes', 'If']), ldTag(5), varint(attrLength));
    const nodeLength = nodeHead.length + attrLength;
    return concat(ldTag(1), varint(nodeLength), nodeHead, attrHead);
  });
  // The main graph's input x, which the innermost Relu reads through every level of scope.
  const x = msg([1, 'bytes', 'x'], [2, 'bytes', msg([1, 'bytes', msg([1, 'varint', 1])])]);
  return modelAround(concat(graph, ldTag(11), varint(x.length), x));
}

/** The CLI on one model with every target and JSON output; the report parsed when there is one. */
export async function cliJson(model: string, cwd: string, extra: string[] = []): Promise<CliResult & { report?: Report }> {
  const r = await runCli([model, '--target', TARGET_FLAG, '--format', 'json', ...extra], { cwd });
  return r.code === 0 || r.code === 1 ? { ...r, report: JSON.parse(r.stdout) as Report } : r;
}

/** Rule/code pairs of every finding on every target, e.g. "graph-integrity/cyclic-graph". */
export function codesOf(report: Report, rule?: string): string[] {
  return [...new Set(report.targets.flatMap((t) => t.findings.filter((f) => !rule || f.rule === rule).map((f) => `${f.rule}/${f.code}`)))];
}

/** Asserts the one-line exit-2 shape of a bad-input error and returns the line. */
export function usageErrorLine(r: CliResult): string {
  if (r.code !== 2) throw new Error(`expected exit 2, got ${r.code}: ${r.stderr}${r.stdout.slice(0, 400)}`);
  const lines = r.stderr.split('\n');
  if (lines.length !== 2 || lines[1] !== '') throw new Error(`expected one line on stderr, got: ${JSON.stringify(r.stderr)}`);
  if (r.stdout !== '') throw new Error(`expected nothing on stdout, got ${r.stdout.slice(0, 200)}`);
  return lines[0]!;
}

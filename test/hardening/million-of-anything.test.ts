/**
 * "One million of anything": each repeated field of the ONNX format filled with a million small
 * entries, checked by the CLI in a child process under a small heap. Each gives a report or a
 * one-line exit 2 (the decoded-size budget follows the heap left), never V8's out-of-memory dump
 * (exit 134), a stack overflow or a hang. A 128 MiB heap keeps the suite quick (the budget stops
 * the decoder early); under 1 GiB, a CI runner's share, the 1M-node chain gets its report and a
 * 2M-node one the one-line refusal.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { concat, modelAround, msg } from '../onnx/raw-proto.js';
import { field, floodModel, joined, node, reluChain, repeated, repeatedVarint, valueInfo } from './floods.js';
import { tempFolder } from './hostile-files.js';

const dir = tempFolder('million');
const M = 1_000_000;
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'port-check.js');

/** Each shape: a name and the model bytes. */
const FLOODS: [string, () => Uint8Array][] = [
  ['GraphProto.node (a chain of 1M Relu)', () => reluChain(M)],
  ['NodeProto.input (Sum of 1M inputs)', () => floodModel(field(1, node('Sum', new Array<string>(M).fill('x'), ['s'])))],
  ['NodeProto.output', () => floodModel(field(1, node('Split', ['x'], Array.from({ length: M }, (_, i) => `o${i}`))))],
  ['NodeProto.attribute', () => floodModel(field(1, concat(node('Relu', ['x'], ['z']), repeated(5, msg([1, 'bytes', 'a'], [20, 'varint', 2], [3, 'varint', 1]), M))))],
  ['AttributeProto.ints', () => floodModel(field(1, concat(node('Transpose', ['x'], ['z']), field(5, concat(msg([1, 'bytes', 'perm'], [20, 'varint', 7]), repeatedVarint(8, 1, M))))))],
  ['AttributeProto.graphs', () => floodModel(field(1, concat(node('Identity', ['x'], ['z']), field(5, concat(msg([1, 'bytes', 'g'], [20, 'varint', 10]), repeated(11, new Uint8Array(0), M))))))],
  ['GraphProto.input', () => floodModel(joined(M, (i) => field(11, valueInfo(`i${i}`, `d${i}`))))],
  ['GraphProto.output', () => floodModel(joined(M, (i) => field(12, valueInfo(`o${i}`))))],
  ['GraphProto.value_info', () => floodModel(joined(M, (i) => field(13, valueInfo(`v${i}`))))],
  ['GraphProto.initializer', () => floodModel(joined(M, (i) => field(5, msg([8, 'bytes', `w${i}`], [2, 'varint', 1]))))],
  ['TensorShapeProto.dim', () => floodModel(field(11, msg([1, 'bytes', 'big'], [2, 'bytes', msg([1, 'bytes', msg([1, 'varint', 1], [2, 'bytes', repeated(1, msg([1, 'varint', 1]), M)])])])))],
  ['ModelProto.opset_import', () => concat(floodModel(new Uint8Array(0)), joined(M, (i) => field(8, msg([1, 'bytes', `d${i}`], [2, 'varint', 1]))))],
  ['ModelProto.metadata_props', () => concat(floodModel(new Uint8Array(0)), repeated(14, msg([1, 'bytes', 'k'], [2, 'bytes', 'v']), M))],
  ['ModelProto.functions', () => concat(floodModel(new Uint8Array(0)), joined(M, (i) => field(25, msg([1, 'bytes', `f${i}`], [10, 'bytes', 'custom']))))],
];

interface Outcome { code: number | null; signal: string | null; stderr: string; stdout: string; ms: number }

function checkInChild(file: string, heapMiB: number): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${heapMiB}`, BIN, file, '--target', 'h20', '--format', 'json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr, stdout, ms: performance.now() - started });
    });
  });
}

function verdict(r: Outcome): string {
  const lines = r.stderr.split('\n').filter(Boolean);
  const ok = r.code === 0 || r.code === 1 ? lines.length === 0 : r.code === 2 && lines.length === 1 && !/internal error/.test(r.stderr);
  return ok ? 'ok' : `exit ${r.code} ${r.signal ?? ''}: ${r.stderr.slice(0, 300)}`;
}

describe('a million entries in any repeated field', () => {
  it('a chain of 1M Relu nodes under a 1 GiB heap: the report', async () => {
    const file = join(dir, 'relu-1m.onnx');
    writeFileSync(file, reluChain(M));
    const r = await checkInChild(file, 1024);
    expect(verdict(r)).toBe('ok');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { model: { nodeCount: number }; targets: { verdict: string }[] };
    expect(report.model.nodeCount).toBe(M);
    expect(report.targets.map((t) => t.verdict)).toEqual(['ready']);
  }, 300_000);

  it('a chain of 2M Relu nodes under a 1 GiB heap: exit 2 with one line, not an out-of-memory crash', async () => {
    const file = join(dir, 'relu-2m.onnx');
    writeFileSync(file, reluChain(2 * M));
    const r = await checkInChild(file, 1024);
    expect(verdict(r)).toBe('ok');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/describes more graph structure than port-check decodes .*--max-old-space-size=MB raises it\n$/);
  }, 300_000);

  it('each field, under a 128 MiB heap: a report or a one-line exit 2', async () => {
    const files = FLOODS.map(([name, build], i) => {
      const file = join(dir, `flood-${i}.onnx`);
      writeFileSync(file, build());
      return { name, file };
    });
    const outcomes: Record<string, string> = {};
    // Two at a time, one per core.
    for (let i = 0; i < files.length; i += 2) {
      const pair = files.slice(i, i + 2);
      const results = await Promise.all(pair.map((f) => checkInChild(f.file, 128)));
      pair.forEach((f, k) => (outcomes[f.name] = verdict(results[k]!)));
    }
    expect(outcomes).toEqual(Object.fromEntries(FLOODS.map(([name]) => [name, 'ok'])));
  }, 1_200_000);
});

/** Small models tests build with the project's own writer, saved to a temp folder removed at exit. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeModel } from '../src/onnx/decode.js';
import type { ModelIR } from '../src/onnx/ir.js';
import type { ModelSpec } from '../src/onnx/model-spec.js';
import { encodeModel } from '../src/onnx/writer.js';

const dir = mkdtempSync(join(tmpdir(), 'port-check-test-models-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

export interface SavedModel {
  path: string;
  bytes: Uint8Array;
  model: ModelIR;
}

export function saveModel(name: string, spec: ModelSpec): SavedModel {
  const bytes = encodeModel(spec);
  const path = join(dir, `${name}.onnx`);
  writeFileSync(path, bytes);
  return { path, bytes, model: decodeModel(bytes, { path }) };
}

export function fileIn(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

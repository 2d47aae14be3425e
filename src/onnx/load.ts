import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Stats } from 'node:fs';
import type { ModelIR } from './ir.js';
import { ModelLoadError } from '../errors.js';
import { decodeModel, type DecodeOptions } from './decode.js';
import { resolveExternalData } from './external-data.js';
import { describeNonOnnx } from './sniff.js';
import { printable } from '../printable.js';

/**
 * The largest model file loadModel reads: 2 GiB less one byte, protobuf's own limit for one
 * message (and Node's for one readFile). Bigger models keep their weights in external data files,
 * which are stat'ed, never read.
 */
export const MAX_MODEL_FILE_BYTES = 2 ** 31 - 1;

export interface LoadOptions extends Omit<DecodeOptions, 'path'> {
  /** Refuse files larger than this (default and upper bound: MAX_MODEL_FILE_BYTES). */
  maxFileBytes?: number;
}

/**
 * Reads an .onnx file into the model IR, with external data resolved inside the model's folder.
 * Every way the file can be wrong is a ModelLoadError with a one-line reason.
 */
export async function loadModel(file: string, opts: LoadOptions = {}): Promise<ModelIR> {
  return (await loadModelWithBytes(file, opts)).model;
}

/**
 * loadModel, keeping the file's bytes for the stages that read small constants from them (shape
 * inference reads Reshape targets and Slice bounds) so the file is read once.
 */
export async function loadModelWithBytes(file: string, opts: LoadOptions = {}): Promise<{ model: ModelIR; bytes: Uint8Array }> {
  // The path as errors show it: a file name in a repository is as untrusted as the model in it.
  const shown = printable(file, 4096);
  const maxBytes = Math.min(opts.maxFileBytes ?? MAX_MODEL_FILE_BYTES, MAX_MODEL_FILE_BYTES);
  const info = await statModel(file, shown);
  // Checked before reading: a FIFO or a device (/dev/zero) would block or never end.
  if (info.isDirectory()) throw new ModelLoadError(shown, 'is a directory, expected an .onnx file');
  if (!info.isFile()) throw new ModelLoadError(shown, 'is not a regular file, expected an .onnx file');
  if (info.size === 0) throw new ModelLoadError(shown, 'is empty (0 bytes): not an ONNX model');
  if (info.size > maxBytes) {
    throw new ModelLoadError(
      shown,
      `is ${formatBytes(info.size)}, more than the ${formatBytes(maxBytes)} one ONNX file can hold; ` +
        'save large models with external data (onnx.save_model(..., save_as_external_data=True))',
    );
  }

  let bytes: Uint8Array;
  try {
    // In one call: fs/promises reads in 512 KiB turns of the event loop, which cost an 88 MB model
    // 40 ms more than this (bench/startup.mjs); nothing else waits on this thread meanwhile.
    bytes = readFileSync(file);
  } catch (err) {
    throw new ModelLoadError(shown, `cannot be read (${describeFsError(err)})`);
  }
  const notOnnx = describeNonOnnx(bytes);
  if (notOnnx) throw new ModelLoadError(shown, notOnnx);

  const model = decodeModel(bytes, {
    path: file,
    ...(opts.maxDecodedHeapBytes !== undefined && { maxDecodedHeapBytes: opts.maxDecodedHeapBytes }),
    ...(opts.maxSubgraphDepth !== undefined && { maxSubgraphDepth: opts.maxSubgraphDepth }),
  });
  await resolveExternalData(model, path.dirname(path.resolve(file)));
  return { model, bytes };
}

async function statModel(file: string, shown: string): Promise<Stats> {
  try {
    return await stat(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ModelLoadError(shown, 'file not found');
    throw new ModelLoadError(shown, `cannot be read (${describeFsError(err)})`);
  }
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'symlink loop';
  if (code === 'ENAMETOOLONG') return 'path too long';
  return code ?? (err instanceof Error ? err.message : String(err));
}

function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

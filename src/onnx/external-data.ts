import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { append } from '../arrays.js';
import { externalPartsOf, type ExternalDataRef, type ExternalPart, type ModelIR } from './ir.js';

/**
 * Resolves every external-data reference of a model inside the model's folder, the way a safe
 * loader must: no absolute paths, no `..` escapes, no symlink that lands outside the folder. The
 * files are stat'ed (never opened) to check that offset + length fits. Sets `resolvedPath` and
 * `fileSize`, or `problem` in plain words; never throws for a bad reference, because the model
 * itself is readable and a check turns the problem into a finding.
 */
export async function resolveExternalData(model: ModelIR, modelDir: string): Promise<void> {
  const refs = externalRefsOf(model);
  if (refs.length === 0) return;
  const folder = await realFolder(modelDir);
  // Many tensors share one data file: stat each location once.
  const files = new Map<string, Promise<FileCheck>>();
  for (const { ref, byteSize } of refs) {
    if (ref.problem !== undefined) continue; // the decoder already found the entry unusable
    let check = files.get(ref.location);
    if (!check) {
      check = checkLocation(ref.location, modelDir, folder);
      files.set(ref.location, check);
    }
    applyCheck(ref, byteSize, await check);
  }
}

function externalRefsOf(model: ModelIR): ExternalPart[] {
  const uses: ExternalPart[] = [];
  for (const graph of model.graphs) {
    for (const t of graph.initializers) append(uses, externalPartsOf(t));
    for (const t of graph.sparseInitializers) append(uses, externalPartsOf(t));
    for (const node of graph.nodes) {
      for (const attr of node.attributes) for (const t of attr.tensors ?? []) append(uses, externalPartsOf(t));
    }
  }
  return uses;
}

type FileCheck = { ok: true; resolvedPath: string; size: number } | { ok: false; problem: string };

async function realFolder(modelDir: string): Promise<string | undefined> {
  try {
    return await realpath(modelDir);
  } catch {
    return undefined;
  }
}

async function checkLocation(location: string, modelDir: string, folder: string | undefined): Promise<FileCheck> {
  const refused = refuseLocation(location);
  if (refused) return { ok: false, problem: refused };
  if (folder === undefined) return { ok: false, problem: `the model's folder ${modelDir} cannot be read` };
  const joined = path.resolve(folder, location);
  if (!isInside(folder, joined)) {
    return { ok: false, problem: `external data "${location}" points outside the model's folder; refused` };
  }
  let real: string;
  try {
    real = await realpath(joined);
  } catch (err) {
    return { ok: false, problem: `external data file "${location}" ${describeFsError(err)}` };
  }
  if (!isInside(folder, real)) {
    return {
      ok: false,
      problem: `external data "${location}" is a link that leads outside the model's folder; refused`,
    };
  }
  try {
    const s = await stat(real);
    if (!s.isFile()) return { ok: false, problem: `external data "${location}" is not a regular file` };
    return { ok: true, resolvedPath: real, size: s.size };
  } catch (err) {
    return { ok: false, problem: `external data file "${location}" ${describeFsError(err)}` };
  }
}

/** Reasons to refuse a location without touching the file system. */
function refuseLocation(location: string): string | undefined {
  if (location.includes('\0')) return 'external data location contains a NUL byte; refused';
  if (location === '') return 'external data has no location';
  if (path.isAbsolute(location) || path.win32.isAbsolute(location)) {
    return `external data location "${location}" is an absolute path; ONNX requires a path relative to the model's folder`;
  }
  if (location.split(/[\\/]/).includes('..')) {
    return `external data location "${location}" contains "..", which could leave the model's folder; refused`;
  }
  return undefined;
}

function isInside(folder: string, target: string): boolean {
  const rel = path.relative(folder, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'does not exist next to the model';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
  if (code === 'ELOOP') return 'is a symlink loop';
  return `cannot be checked (${code ?? String(err)})`;
}

function applyCheck(ref: ExternalDataRef, byteSize: number, check: FileCheck): void {
  if (!check.ok) {
    ref.problem = check.problem;
    return;
  }
  ref.resolvedPath = check.resolvedPath;
  ref.fileSize = check.size;
  const length = ref.length ?? byteSize;
  if (!Number.isFinite(length) || ref.offset + length > check.size) {
    ref.problem =
      `external data "${ref.location}" needs bytes ${ref.offset}..${ref.offset + length} ` +
      `but the file has ${check.size} bytes (truncated or wrong file?)`;
  }
}

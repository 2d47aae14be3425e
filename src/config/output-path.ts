import { closeSync, lstatSync, openSync, readSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import type { PortCheckConfig } from './load-config.js';

/**
 * A config file can come from a pull request, so its `output:` is held to what a report file
 * needs: a path inside the config's own folder (no absolute path, no `..`, no link leading out),
 * never a model (`.onnx`, external data), and never a file port-check did not write. A report
 * port-check wrote names the tool near its start (every format does but text, whose reports
 * are then replaced only with -o); anything else there (source, a model, a key) is refused.
 * `-o` on the command line is the user's own choice and is not limited.
 */
const MODEL_EXTENSIONS = /\.(onnx|ort|pb|pbtxt|data|bin|safetensors)$/i;

/** How far into an existing file to look for the tool's name. */
const SIGNATURE_BYTES = 64 * 1024;

/** Returns `output` (absolute) when the config may write it; throws a ConfigError saying why not. */
export function checkConfigOutput(config: PortCheckConfig, output: string): string {
  const refuse = (reason: string): never => {
    throw new ConfigError(config.file, 'output', `${reason}; pass -o on the command line to write there`);
  };
  const folder = realFolder(config.dir);
  const target = path.resolve(config.dir, output);
  if (!isInside(folder, realParent(target))) refuse(`${output} is outside the config's folder ${config.dir}`);
  if (MODEL_EXTENSIONS.test(target)) refuse(`${output} looks like a model or its weights, not a report`);
  let existing;
  try {
    existing = lstatSync(target);
  } catch {
    return target; // a new file
  }
  if (!existing.isFile()) refuse(`${output} exists and is not a regular file`);
  if (!wasWrittenByPortCheck(target)) refuse(`${output} exists and is not a report port-check wrote`);
  return target;
}

function wasWrittenByPortCheck(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(SIGNATURE_BYTES);
    const n = readSync(fd, head, 0, head.length, 0);
    const text = head.subarray(0, n).toString('utf8');
    // A model carries its producer's name too ("port-check make-sample-models"): only text files.
    return !text.includes('\u0000') && text.includes('port-check');
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function realFolder(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}

/** The real path of the folder `file` would land in (links resolved), joined with its name. */
function realParent(file: string): string {
  let dir = path.dirname(file);
  const rest: string[] = [path.basename(file)];
  for (;;) {
    try {
      return path.join(realpathSync(dir), rest.join(path.sep));
    } catch {
      const up = path.dirname(dir);
      if (up === dir) return file;
      rest.unshift(path.basename(dir));
      dir = up;
    }
  }
}

function isInside(folder: string, target: string): boolean {
  const rel = path.relative(folder, target);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

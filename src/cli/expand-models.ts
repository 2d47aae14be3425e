import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { UsageError } from '../errors.js';

/**
 * Characters without which no argument is a glob: plain file names (most runs) never load the
 * glob library; those with one are asked to tinyglobby, which has the last word.
 */
const MAYBE_GLOB = /[*?[\]{}()!+@]/;

const globber = () => import('tinyglobby');

/**
 * Turns the command line's model arguments into a sorted, de-duplicated list of paths as the user
 * would write them (relative to cwd where inside it): files as given, directories searched for
 * *.onnx (recursively), globs expanded. A glob or directory that matches nothing is a usage error,
 * so a typo in CI does not pass as "no findings".
 */
export async function expandModels(args: string[], cwd: string): Promise<string[]> {
  const out = new Set<string>();
  for (const arg of args) {
    if (MAYBE_GLOB.test(arg) && (await globber()).isDynamicPattern(arg)) {
      const found = await (await globber()).glob(arg, { cwd, onlyFiles: true, dot: false, followSymbolicLinks: false });
      if (found.length === 0) throw new UsageError(`no model matches '${arg}'`);
      for (const f of found) out.add(display(resolve(cwd, f), cwd));
      continue;
    }
    const full = resolve(cwd, arg);
    let isDir = false;
    try {
      isDir = statSync(full).isDirectory();
    } catch {
      // A missing file is reported by the loader, with the other bad-input errors.
    }
    if (isDir) {
      const found = await (await globber()).glob('**/*.onnx', { cwd: full, onlyFiles: true, followSymbolicLinks: false });
      if (found.length === 0) throw new UsageError(`no .onnx file under ${arg}`);
      for (const f of found) out.add(display(resolve(full, f), cwd));
    } else {
      out.add(isAbsolute(arg) ? display(full, cwd) : arg.split('\\').join('/'));
    }
  }
  return [...out].sort();
}

function display(full: string, cwd: string): string {
  const rel = relative(cwd, full);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split('\\').join('/') : full;
}

/** `--shard i/n`: the i-th of n interleaved slices (1-based), stable for a sorted list. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard takes i/n with 1 ≤ i ≤ n (e.g. 2/4), got '${text}'`);
  }
  return { index, count };
}

export function takeShard<T>(items: T[], shard: { index: number; count: number }): T[] {
  return items.filter((_, i) => i % shard.count === shard.index - 1);
}

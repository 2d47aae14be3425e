import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';

/**
 * The repository root that report locations are relative to: `--root` (relative to the working
 * directory), else the config's `root`, else the nearest folder at or above the working directory
 * holding `.git` (a folder, or the file a worktree or submodule has), else the working directory.
 */
export function findRepoRoot(cwd: string, explicit?: { flag?: string | undefined; config?: string | undefined }): string {
  const given = explicit?.flag !== undefined ? path.resolve(cwd, explicit.flag) : explicit?.config;
  if (given !== undefined) {
    if (!isDirectory(given)) throw new UsageError(`--root ${given}: not a folder`);
    return given;
  }
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(cwd);
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

import { lstatSync, mkdirSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';

/**
 * Writes the kit's files into `dir`, and nowhere else: the file names are the kit's own (never from
 * the model), the folder is created when missing, and a folder that already holds anything is
 * refused unless `force`. With `force`, a file of the same name is removed before it is written
 * (exclusively), so a link planted there is replaced, not followed out of the folder.
 */
export function writeKit(dir: string, files: readonly [string, string][], force: boolean): string[] {
  let entries: string[] | undefined;
  try {
    const st = lstatSync(dir);
    if (!st.isDirectory()) throw new UsageError(`-o ${dir}: not a folder; name a folder for the kit`);
    entries = readdirSync(dir);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new UsageError(`-o ${dir}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (entries && entries.length > 0 && !force) {
    throw new UsageError(`-o ${dir}: the folder is not empty (${entries.length} entries); name an empty or new folder, or pass --force to replace the kit's files there`);
  }
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, text] of files) {
    if (!/^[A-Za-z0-9_.-]+$/.test(name) || name.startsWith('.')) throw new Error(`kit file name '${name}' is not a plain file name`);
    const path = join(dir, name);
    if (force) {
      try {
        unlinkSync(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new UsageError(`--force: ${path} cannot be replaced (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      }
    }
    writeFileSync(path, text, { flag: 'wx', mode: name.endsWith('.sh') ? 0o755 : 0o644 });
    written.push(path);
  }
  return written;
}

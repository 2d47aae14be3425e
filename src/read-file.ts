import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/**
 * Reading a file a user (or a config in a pull request) names: profiles, configs, baselines,
 * reports to merge, --input tensors. Each may be a device (/dev/zero never ends), a FIFO (opening
 * it blocks until a writer comes) or far larger than it should be. So the file is opened without
 * blocking, checked through that same descriptor (no swap between check and read), and read no
 * further than the limit.
 */
/** The bytes, or what is wrong in a few words ("file not found", "not a file", "file is N bytes; ..."). */
export type FileRead = { ok: true; bytes: Buffer } | { ok: false; problem: string };

export function readRegularFile(path: string, limit: { maxBytes: number; says: string }): FileRead {
  const { maxBytes } = limit;
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    return { ok: false, problem: describeOpenError(err) };
  }
  try {
    const info = fstatSync(fd);
    // A folder, a device (/dev/zero never ends), a FIFO or a socket.
    if (!info.isFile()) return { ok: false, problem: 'not a file' };
    if (info.size > maxBytes) return { ok: false, problem: `file is ${info.size} bytes; ${limit.says}` };
    // The file may grow after fstat: read at most one byte past the limit to notice.
    const bytes = Buffer.allocUnsafe(Math.min(info.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, bytes, length, bytes.length - length, null);
      if (n === 0) break;
      length += n;
      if (length === bytes.length) break;
    }
    if (length > maxBytes) return { ok: false, problem: `file is over ${maxBytes} bytes; ${limit.says}` };
    return { ok: true, bytes: bytes.subarray(0, length) };
  } catch (err) {
    return { ok: false, problem: describeOpenError(err) };
  } finally {
    closeSync(fd);
  }
}

function describeOpenError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'file not found';
  if (code === 'EISDIR') return 'not a file';
  return `cannot read: ${code ?? String(err)}`;
}

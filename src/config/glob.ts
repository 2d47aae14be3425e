/**
 * Path globs for the config file (`model: models/**\/*.onnx`): `**` spans folders, `*` and `?`
 * stay within one path segment, `{a,b}` picks one of several, `[abc]` one of a set. A pattern
 * without a slash matches the file name alone, as in .gitignore. Paths use forward slashes.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let i = 0;
  let inBraces = false;
  while (i < glob.length) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // "**/" matches zero or more whole folders; a trailing "**" matches everything below.
        const slash = glob[i + 2] === '/';
        re += slash ? '(?:[^/]*/)*?' : '.*';
        i += slash ? 3 : 2;
        continue;
      }
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '{' && !inBraces) {
      inBraces = true;
      re += '(?:';
    } else if (c === '}' && inBraces) {
      inBraces = false;
      re += ')';
    } else if (c === ',' && inBraces) {
      re += '|';
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end > i + 1) {
        const body = glob.slice(i + 1, end).replace(/\\/g, '\\\\').replace(/^!/, '^');
        re += `[${body}]`;
        i = end + 1;
        continue;
      }
      re += '\\[';
    } else {
      re += c.replace(/[.+^$()|\\\]{}]/g, '\\$&');
    }
    i += 1;
  }
  if (inBraces) throw new Error(`unclosed '{' in glob '${glob}'`);
  return new RegExp(`^${re}$`);
}

/** Whether a forward-slash path matches the glob (by file name alone when the glob has no slash). */
export function matchesGlob(path: string, glob: string): boolean {
  const subject = glob.includes('/') ? path : path.slice(path.lastIndexOf('/') + 1);
  return globToRegExp(glob).test(subject);
}

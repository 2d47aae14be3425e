/**
 * Path globs for the config file (`model: models/**\/*.onnx`): `**` spans folders, `*` and `?`
 * stay within one path segment, `{a,b}` picks one of several, `[abc]` one of a set. A pattern
 * without a slash matches the file name alone, as in .gitignore. Paths use forward slashes.
 *
 * A config file comes with the repository it sits in, so a glob is untrusted input. A glob turned
 * into a RegExp backtracks: `*a*a*a*a*a*a*a*a*a*a*a*ab` against a 40-character name runs for
 * minutes. Globs are compiled to a small automaton instead and matched by keeping the set of
 * states reached, which costs at most (glob length × path length) steps whatever the pattern.
 */

/** Longer globs are refused: a config names folders and file patterns, not essays. */
export const MAX_GLOB_CHARS = 1024;

/** One automaton state: edges that consume a character, and epsilon edges that do not. */
interface State {
  edges: { accepts: (c: string) => boolean; to: number }[];
  next: number[];
}

export interface GlobMatcher {
  /** Whether the whole of `path` matches. */
  test(path: string): boolean;
}

const notSlash = (c: string): boolean => c !== '/';
const anyChar = (): boolean => true;

/** Compiles a glob; throws an Error saying what is wrong with a malformed one. */
export function compileGlob(glob: string): GlobMatcher {
  if (glob.length > MAX_GLOB_CHARS) throw new Error(`glob of ${glob.length} characters; at most ${MAX_GLOB_CHARS}`);
  const states: State[] = [];
  const add = (): number => states.push({ edges: [], next: [] }) - 1;
  const start = add();
  let cur = start;
  /** The brace group being read: where its branches start, and where each one ended. */
  let group: { from: number; ends: number[] } | undefined;
  const consume = (accepts: (c: string) => boolean): void => {
    const to = add();
    states[cur]!.edges.push({ accepts, to });
    cur = to;
  };
  /** A fresh state after an epsilon edge, so a loop on it cannot be entered from elsewhere. */
  const fresh = (): number => {
    const s = add();
    states[cur]!.next.push(s);
    return s;
  };

  // By code point, as paths are matched: `?` is one character even outside the BMP.
  const g = Array.from(glob);
  let i = 0;
  while (i < g.length) {
    const c = g[i]!;
    if (c === '*') {
      if (g[i + 1] === '*') {
        const slash = g[i + 2] === '/';
        const loop = fresh();
        if (slash) {
          // "**/": zero or more whole folders, i.e. ([^/]*/)*
          const inSegment = add();
          states[loop]!.edges.push({ accepts: notSlash, to: inSegment }, { accepts: (ch) => ch === '/', to: loop });
          states[inSegment]!.edges.push({ accepts: notSlash, to: inSegment }, { accepts: (ch) => ch === '/', to: loop });
        } else {
          // A trailing "**" (or "**" inside a name) matches everything, slashes included.
          states[loop]!.edges.push({ accepts: anyChar, to: loop });
        }
        cur = loop;
        i += slash ? 3 : 2;
        continue;
      }
      const loop = fresh();
      states[loop]!.edges.push({ accepts: notSlash, to: loop });
      cur = loop;
    } else if (c === '?') {
      consume(notSlash);
    } else if (c === '{' && !group) {
      group = { from: cur, ends: [] };
      cur = fresh();
    } else if (c === ',' && group) {
      group.ends.push(cur);
      cur = add();
      states[group.from]!.next.push(cur);
    } else if (c === '}' && group) {
      group.ends.push(cur);
      const join = add();
      for (const end of group.ends) states[end]!.next.push(join);
      cur = join;
      group = undefined;
    } else if (c === '[' && g.indexOf(']', i + 1) > i + 1) {
      const end = g.indexOf(']', i + 1);
      consume(characterClass(g.slice(i + 1, end).join('')));
      i = end + 1;
      continue;
    } else {
      consume((ch) => ch === c);
    }
    i += 1;
  }
  if (group) throw new Error(`unclosed '{' in glob '${glob}'`);
  const accept = cur;

  return {
    test(path: string): boolean {
      let current = closure(states, [start]);
      for (const ch of path) {
        const reached: number[] = [];
        for (const s of current) for (const e of states[s]!.edges) if (e.accepts(ch)) reached.push(e.to);
        if (reached.length === 0) return false;
        current = closure(states, reached);
      }
      return current.has(accept);
    },
  };
}

/** The states reachable from `from` through epsilon edges (from included). */
function closure(states: State[], from: number[]): Set<number> {
  const seen = new Set<number>(from);
  const stack = [...from];
  while (stack.length > 0) {
    for (const n of states[stack.pop()!]!.next) {
      if (!seen.has(n)) {
        seen.add(n);
        stack.push(n);
      }
    }
  }
  return seen;
}

/**
 * `[abc]`, `[a-z]`, `[!abc]` (none of them) as a one-character test. A one-character RegExp
 * cannot backtrack; it is built once per class, and a malformed range is an error here.
 */
function characterClass(body: string): (c: string) => boolean {
  const source = body.replace(/\\/g, '\\\\').replace(/^!/, '^');
  let re: RegExp;
  try {
    re = new RegExp(`^[${source}]$`, 'u');
  } catch {
    throw new Error(`bad character class '[${body}]'`);
  }
  return (c) => re.test(c);
}

/** Whether a forward-slash path matches the glob (by file name alone when the glob has no slash). */
export function matchesGlob(path: string, glob: string): boolean {
  const subject = glob.includes('/') ? path : path.slice(path.lastIndexOf('/') + 1);
  return compileGlob(glob).test(subject);
}

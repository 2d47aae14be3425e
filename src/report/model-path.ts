import path from 'node:path';

/** Where a report's model paths are relative to, and the folder locations are given from. */
export interface PathBase {
  /** The folder relative model paths are relative to (the CLI's working directory). */
  baseDir?: string | undefined;
  /**
   * The repository root (found from `.git`, or `--root` / the config's `root`): SARIF, Code
   * Climate, JUnit, annotations and baselines name models relative to it, so that a run from a
   * subfolder points at the same files as one from the root.
   */
  rootDir?: string | undefined;
}

/**
 * The model path as a repository-relative, forward-slash path: what SARIF locations, GitHub
 * annotations and baseline fingerprints need, whatever folder the run started from and whatever
 * the platform's separator. Without a root (or for a model outside it), absolute paths are made
 * relative to `baseDir` and relative paths are kept as given (minus a leading "./").
 */
export function repoRelativePath(modelPath: string, base: PathBase | string | undefined): string {
  const { baseDir, rootDir } = typeof base === 'string' ? { baseDir: base, rootDir: undefined } : (base ?? {});
  let p = modelPath;
  const fromRoot = rootDir !== undefined && baseDir !== undefined ? path.relative(rootDir, path.resolve(baseDir, p)) : undefined;
  if (fromRoot !== undefined && fromRoot !== '' && !fromRoot.startsWith('..') && !path.isAbsolute(fromRoot)) p = fromRoot;
  else if (baseDir !== undefined && path.isAbsolute(p)) p = path.relative(baseDir, p);
  p = p.split('\\').join('/');
  while (p.startsWith('./')) p = p.slice(2);
  return p;
}

/** A relative URI reference for a path: each segment percent-encoded, the slashes kept. */
export function pathToUriReference(p: string): string {
  return p
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

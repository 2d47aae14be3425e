import path from 'node:path';

/**
 * The model path as a repository-relative, forward-slash path: what SARIF locations, GitHub
 * annotations and baseline fingerprints need, whatever folder the run started from and whatever
 * the platform's separator. Relative paths are kept as given (minus a leading "./").
 */
export function repoRelativePath(modelPath: string, baseDir?: string): string {
  let p = modelPath;
  if (baseDir !== undefined && path.isAbsolute(p)) p = path.relative(baseDir, p);
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

import { readFileSync } from 'node:fs';
import { packageRoot } from './package-root.js';

let cached: string | undefined;

/** The package version, read once from package.json. */
export function toolVersion(): string {
  cached ??= (JSON.parse(readFileSync(`${packageRoot()}/package.json`, 'utf8')) as { version: string }).version;
  return cached;
}

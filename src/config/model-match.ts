import path from 'node:path';
import { matchesGlob } from './glob.js';

/**
 * Whether a model path (as the report shows it, relative to `baseDir` unless absolute) matches a
 * config glob, which is relative to the config file's folder.
 */
export function modelMatches(modelPath: string, glob: string, configDir: string, baseDir: string): boolean {
  const relative = path.relative(configDir, path.resolve(baseDir, modelPath)).split(path.sep).join('/');
  return matchesGlob(relative, glob);
}

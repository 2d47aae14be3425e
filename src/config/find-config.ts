import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Finding the config file, apart from reading it (load-config.ts): most runs have no config, and
 * the CLI loads the YAML parser and the schema only when there is one.
 */

/** The names looked for in each folder, walking up from the working directory. */
export const CONFIG_FILE_NAMES = ['port-check.config.yaml', 'port-check.config.yml'] as const;

/** The nearest config file in `startDir` or a folder above it, or undefined. */
export function findConfigFile(startDir: string): string | undefined {
  for (let dir = path.resolve(startDir); ; dir = path.dirname(dir)) {
    for (const name of CONFIG_FILE_NAMES) {
      const file = path.join(dir, name);
      if (existsSync(file) && statSync(file).isFile()) return file;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The config file to use: the one given (`--config FILE`, relative to `cwd`), else the nearest one above `cwd`. */
export function configFileFor(options: { cwd: string; file?: string }): string | undefined {
  return options.file !== undefined ? path.resolve(options.cwd, options.file) : findConfigFile(options.cwd);
}

import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { configSchema, type ConfigData } from './schema.js';
import { parseValidatedYaml } from '../yaml-schema.js';

/** The names looked for in each folder, walking up from the working directory. */
export const CONFIG_FILE_NAMES = ['port-check.config.yaml', 'port-check.config.yml'] as const;

/** A config is a few lines; anything this large is a mistake, and is not read. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export interface PortCheckConfig extends ConfigData {
  /** The config file, as found or given. */
  file: string;
  /** Its folder: model globs, `output` and `root` are relative to it. */
  dir: string;
}

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

/**
 * The config to use: the file given (`--config FILE`, which must exist), else the nearest one
 * above `cwd`, else undefined. `output` and `root` come back resolved against the config's folder.
 */
export function resolveConfig(options: { cwd: string; file?: string }): PortCheckConfig | undefined {
  const file = options.file !== undefined ? path.resolve(options.cwd, options.file) : findConfigFile(options.cwd);
  return file === undefined ? undefined : loadConfigFile(file);
}

/** Reads and validates a config file; every failure is a ConfigError naming the file and line. */
export function loadConfigFile(file: string): PortCheckConfig {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new ConfigError(file, '', 'not a file');
    size = stat.size;
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(file, '', code === 'ENOENT' || code === 'ENOTDIR' ? 'file not found' : `cannot read: ${code ?? (err as Error).message}`);
  }
  if (size > MAX_CONFIG_BYTES) throw new ConfigError(file, '', `file is ${size} bytes; a config may be at most 1 MiB`);
  const config = parseConfigText(readFileSync(file, 'utf8'), file);
  const dir = path.dirname(path.resolve(file));
  return {
    ...config, file, dir,
    ...(config.output !== undefined && { output: path.resolve(dir, config.output) }),
    ...(config.llmConfig !== undefined && { llmConfig: path.resolve(dir, config.llmConfig) }),
    ...(config.root !== undefined && { root: path.resolve(dir, config.root) }),
  };
}

/** Parses and validates config YAML; `file` is only used in messages. An empty file is an empty config. */
export function parseConfigText(text: string, file: string): ConfigData {
  return parseValidatedYaml(text, configSchema, (where, reason, line) => new ConfigError(file, where, reason, line), {}).data;
}

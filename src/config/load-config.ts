import path from 'node:path';
import { ConfigError } from '../errors.js';
import { readRegularFile } from '../read-file.js';
import { configSchema, type ConfigData } from './schema.js';
import { parseValidatedYaml } from '../yaml-schema.js';
import { configFileFor } from './find-config.js';

export { CONFIG_FILE_NAMES, findConfigFile } from './find-config.js';

/** A config is a few lines; anything this large is a mistake, and is not read. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export interface PortCheckConfig extends ConfigData {
  /** The config file, as found or given. */
  file: string;
  /** Its folder: model globs, `output` and `root` are relative to it. */
  dir: string;
}

/**
 * The config to use: the file given (`--config FILE`, which must exist), else the nearest one
 * above `cwd`, else undefined. `output` and `root` come back resolved against the config's folder.
 */
export function resolveConfig(options: { cwd: string; file?: string }): PortCheckConfig | undefined {
  const file = configFileFor(options);
  return file === undefined ? undefined : loadConfigFile(file);
}

/** Reads and validates a config file; every failure is a ConfigError naming the file and line. */
export function loadConfigFile(file: string): PortCheckConfig {
  const read = readRegularFile(file, { maxBytes: MAX_CONFIG_BYTES, says: 'a config may be at most 1 MiB' });
  if (!read.ok) throw new ConfigError(file, '', read.problem);
  const config = parseConfigText(read.bytes.toString('utf8'), file);
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

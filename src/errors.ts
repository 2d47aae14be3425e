/**
 * Typed errors. Each maps to exit code 2 (the input or the usage is wrong) and prints as one line;
 * anything else that escapes is an internal error (exit 3).
 */
export class PortCheckError extends Error {
  readonly exitCode = 2;
}

/** The model file cannot be read or decoded as ONNX. */
export class ModelLoadError extends PortCheckError {
  constructor(readonly file: string, readonly reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'ModelLoadError';
  }
}

/** A profile (built-in or --profile) is missing or does not match the schema. */
export class ProfileError extends PortCheckError {
  constructor(readonly file: string, readonly location: string, reason: string, readonly line?: number) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${location ? `${location}: ` : ''}${reason}`);
    this.name = 'ProfileError';
  }
}

/** A config file (port-check.config.yaml) is broken. */
export class ConfigError extends PortCheckError {
  constructor(readonly file: string, readonly location: string, reason: string, readonly line?: number) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${location ? `${location}: ` : ''}${reason}`);
    this.name = 'ConfigError';
  }
}

/** Flags or arguments that make no sense (unknown target, unknown format...). */
export class UsageError extends PortCheckError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

import ora, { type Ora } from 'ora';
import type { CliIO } from './io.js';

export interface Spinner {
  update(text: string): void;
  stop(): void;
}

/**
 * An ora spinner on stderr for long steps; silent when stderr is not a terminal or under CI, so
 * logs and pipes get no escape codes.
 */
export function createSpinner(io: CliIO, label: string): Spinner {
  if (!io.stderrIsTTY || io.env.CI) return { update: () => {}, stop: () => {} };
  const spinner: Ora = ora({ text: label, stream: process.stderr, color: 'cyan', isEnabled: true }).start();
  return {
    update: (text) => (spinner.text = `${label} ${text}`),
    stop: () => spinner.stop(),
  };
}

import type { CliIO } from './io.js';

export interface Spinner {
  update(text: string): void;
  stop(): void;
}

/**
 * An ora spinner on stderr for long steps; silent when stderr is not a terminal or under CI, so
 * logs and pipes get no escape codes. ora (and the Unicode width tables it brings) is loaded only
 * for a terminal.
 */
export async function createSpinner(io: CliIO, label: string): Promise<Spinner> {
  if (!io.stderrIsTTY || io.env.CI) return { update: () => {}, stop: () => {} };
  const { default: ora } = await import('ora');
  const spinner = ora({ text: label, stream: process.stderr, color: 'cyan', isEnabled: true }).start();
  return {
    update: (text) => (spinner.text = `${label} ${text}`),
    stop: () => spinner.stop(),
  };
}

import { main } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process, as a user would from a non-TTY shell in `cwd`. */
export async function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: opts.env ?? {},
    stdoutIsTTY: false,
    stderrIsTTY: false,
    cwd: opts.cwd ?? process.cwd(),
  });
  return { code, stdout, stderr };
}

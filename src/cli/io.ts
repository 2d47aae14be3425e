/** What the CLI needs from the outside world, so tests can run it in-process. */
export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: Record<string, string | undefined>;
  /** Whether stdout / stderr are terminals (colour, spinner). */
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  cwd: string;
}

/**
 * Runs the shell steps of action.yml and the script of the GitLab job template as their runners
 * would: bash with `-eo pipefail`, the step's env with its `${{ }}` expressions evaluated, outputs
 * written to $GITHUB_OUTPUT, the job summary to $GITHUB_STEP_SUMMARY. Steps that `uses:` another
 * action (setup-node, upload-sarif) are not run; their `with:` values are evaluated and returned,
 * so a test can check what they would receive.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

interface ActionStep {
  id?: string;
  name: string;
  if?: string;
  uses?: string;
  with?: Record<string, string>;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}

interface ActionFile {
  inputs: Record<string, { default?: string; required?: boolean }>;
  runs: { using: string; steps: ActionStep[] };
}

export interface StepResult {
  name: string;
  /** Absent for a skipped step. */
  code?: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  /** For `uses:` steps: the evaluated `with:`. */
  with?: Record<string, string>;
}

export function readAction(file = 'action.yml'): ActionFile {
  return parse(readFileSync(file, 'utf8')) as ActionFile;
}

interface Context {
  inputs: Record<string, string>;
  runner: { temp: string };
  steps: Record<string, { outputs: Record<string, string> }>;
}

function lookup(expr: string, ctx: Context): string {
  const parts = expr.trim().split('.');
  let v: unknown = ctx;
  for (const p of parts) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  return v === undefined ? '' : String(v);
}

/** `${{ a.b }}` in a string; nothing else of the expression language is used in action.yml. */
function interpolate(s: string, ctx: Context): string {
  return s.replace(/\$\{\{([^}]*)\}\}/g, (_, expr: string) => lookup(expr, ctx));
}

/** The `if:` forms action.yml uses: terms joined by &&, each always(), `x == 'lit'` or `x != 'lit'`. */
function condition(expr: string, ctx: Context): boolean {
  return expr.split('&&').every((term) => {
    const t = term.trim();
    if (t === 'always()') return true;
    const m = /^([\w.-]+)\s*(==|!=)\s*'([^']*)'$/.exec(t);
    if (!m) throw new Error(`unsupported condition in action.yml: ${t}`);
    return (lookup(m[1]!, ctx) === m[3]) === (m[2] === '==');
  });
}

function readOutputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

/**
 * Runs the action's steps in `workspace` until one fails, as the runner does. `skip` names steps
 * (by id) not to run, with the outputs to pretend they gave (the install step, which needs the
 * registry).
 */
export function runActionSteps(
  action: ActionFile,
  options: { workspace: string; with: Record<string, string>; skip?: Record<string, Record<string, string>> },
): { steps: StepResult[]; summary: string } {
  const temp = mkdtempSync(path.join(tmpdir(), 'port-check-runner-'));
  const summaryFile = path.join(temp, 'step-summary.md');
  writeFileSync(summaryFile, '');
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, options.with[k] ?? v.default ?? '']));
  const ctx: Context = { inputs, runner: { temp }, steps: {} };
  const results: StepResult[] = [];
  for (const [i, step] of action.runs.steps.entries()) {
    if (step.if !== undefined && !condition(step.if, ctx)) {
      results.push({ name: step.name, stdout: '', stderr: '', outputs: {} });
      continue;
    }
    if (step.id !== undefined && options.skip?.[step.id]) {
      ctx.steps[step.id] = { outputs: options.skip[step.id]! };
      results.push({ name: step.name, code: 0, stdout: '', stderr: '', outputs: options.skip[step.id]! });
      continue;
    }
    if (step.uses !== undefined) {
      const withValues = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx)]));
      results.push({ name: step.name, code: 0, stdout: '', stderr: '', outputs: {}, with: withValues });
      continue;
    }
    const outputFile = path.join(temp, `output-${i}`);
    writeFileSync(outputFile, '');
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx)]));
    const cwd = path.resolve(options.workspace, interpolate(step['working-directory'] ?? '.', ctx));
    const run = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
      cwd,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME, RUNNER_TEMP: temp, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, ...env },
    });
    const outputs = readOutputs(outputFile);
    if (step.id !== undefined) ctx.steps[step.id] = { outputs };
    results.push({ name: step.name, code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr, outputs });
    if (run.status !== 0) break;
  }
  return { steps: results, summary: readFileSync(summaryFile, 'utf8') };
}

/** Runs the `script` lines of a GitLab job in one bash, as the GitLab runner does, with the job's variables. */
export function runGitlabScript(
  file: string, job: string, options: { cwd: string; variables?: Record<string, string>; path: string },
): { code: number; stdout: string; stderr: string } {
  const jobs = parse(readFileSync(file, 'utf8')) as Record<string, { variables?: Record<string, string>; script: string[] }>;
  const spec = jobs[job]!;
  const script = ['set -eo pipefail', ...spec.script].join('\n');
  const run = spawnSync('bash', ['--noprofile', '--norc', '-c', script], {
    cwd: options.cwd,
    encoding: 'utf8',
    env: { PATH: `${options.path}${path.delimiter}${process.env.PATH}`, HOME: process.env.HOME, ...spec.variables, ...options.variables },
  });
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

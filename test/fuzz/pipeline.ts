/**
 * The static pipeline as `check()` runs it without --run (load, inspect, checks, estimate,
 * report), on bytes in memory (no file written), then every output format on the report. A case ends in one of two ways a user may see: a report, or a
 * PortCheckError (the CLI's exit 2, one line). Anything else is rethrown for the test to fail on.
 */
import { XMLValidator } from 'fast-xml-parser';
import { expect } from 'vitest';
import { checkLoaded } from '../../src/check.js';
import { PortCheckError } from '../../src/errors.js';
import { RULES } from '../../src/rules.js';
import { decodeModel } from '../../src/onnx/decode.js';
import { resolveExternalData } from '../../src/onnx/external-data.js';
import { describeNonOnnx } from '../../src/onnx/sniff.js';
import { resolveTargets } from '../../src/profiles/load.js';
import type { FormatOptions } from '../../src/report/format-options.js';
import { githubJobSummary } from '../../src/report/github.js';
import { FORMATTERS, type Formatter } from '../../src/report/index.js';
import type { Report } from '../../src/report/types.js';

export const FUZZ_TARGETS = ['h20', 'ascend-910b', 'ascend-910c'];

/** Every output format, and the GitHub job summary beside them. */
export const ALL_FORMATTERS: Record<string, Formatter> = { ...FORMATTERS, 'github job summary': githubJobSummary };

const FORMAT_OPTIONS: FormatOptions = { rules: RULES, baseDir: '/fuzz' };

export type Outcome =
  | { kind: 'report'; report: Report; outputs: Record<string, string> }
  | { kind: 'error'; message: string };

/**
 * Runs load (sniff + decode + external data inside `modelDir`), then the static check of
 * src/check.ts on every target, the report and every format. `modelDir` should be an empty folder: external-data references in
 * a mutant are resolved there and must all come out as problems.
 */
export async function runPipeline(bytes: Uint8Array, file: string, modelDir: string): Promise<Outcome> {
  const profiles = resolveTargets(FUZZ_TARGETS, []);
  let report: Report;
  try {
    const notOnnx = describeNonOnnx(bytes);
    if (notOnnx) return { kind: 'error', message: `${file}: ${notOnnx}` };
    const model = decodeModel(bytes, { path: file });
    await resolveExternalData(model, modelDir);
    report = await checkLoaded(model, bytes, profiles, file, { targets: FUZZ_TARGETS });
  } catch (err) {
    if (err instanceof PortCheckError) return { kind: 'error', message: err.message };
    throw err;
  }
  return { kind: 'report', report, outputs: formatAll(report) };
}

/** Every format of one report; throws (with the format's name) if one crashes. */
export function formatAll(report: Report): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const [name, format] of Object.entries(ALL_FORMATTERS)) {
    try {
      outputs[name] = format([report], FORMAT_OPTIONS);
    } catch (err) {
      throw new Error(`format ${name} crashed: ${err instanceof Error ? err.stack : String(err)}`);
    }
  }
  return outputs;
}

/** What must hold of any outcome: a one-line error naming the file, or outputs that parse. */
export function expectSaneOutcome(outcome: Outcome, file: string): void {
  if (outcome.kind === 'error') {
    const shown = JSON.stringify(outcome.message);
    expect(outcome.message, shown).not.toMatch(/[\r\n]/);
    expect(outcome.message, shown).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(outcome.message.startsWith(`${file}: `), shown).toBe(true);
    return;
  }
  const { outputs } = outcome;
  JSON.parse(outputs.json!);
  JSON.parse(outputs.sarif!);
  expect(XMLValidator.validate(outputs.junit!)).toBe(true);
  expect(outputs.text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
  for (const line of outputs.github!.split('\n')) {
    if (line !== '') expect(line).toMatch(/^(::(error|warning|notice) |port-check: )/);
  }
}

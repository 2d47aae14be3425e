/**
 * `--run` executes a model from a pull request in a child process per model, watched from
 * outside. A Loop whose trip count is 2^62 runs past --run-timeout; a Loop that doubles a tensor
 * each iteration runs past --run-memory-mb. Either is stopped and becomes a `run/run-aborted`
 * finding for that model; its static report and the other models' reports still come out, and the
 * exit code follows the findings.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GraphSpec, ModelSpec } from '../../src/onnx/model-spec.js';
import { tensorFromInts } from '../../src/onnx/tensor-data.js';
import type { Report } from '../../src/report/types.js';
import { runCli } from '../cli/run-cli.js';
import { f32, tempFolder, writeModel } from './hostile-files.js';

const dir = tempFolder('run-budget');
mkdirSync(join(dir, 'models'));

/** A Loop of `trips` iterations over a float vector of `size`; `grow` doubles it each time (Concat). */
function loopModel(trips: bigint, grow: boolean, size = 1024): ModelSpec {
  const body: GraphSpec = {
    name: 'body',
    nodes: [
      { opType: 'Identity', inputs: ['cond_in'], outputs: ['cond_out'] },
      grow
        ? { opType: 'Concat', inputs: ['v_in', 'v_in'], outputs: ['v_out'], attributes: { axis: { i: 0 } } }
        : { opType: 'Identity', inputs: ['v_in'], outputs: ['v_out'] },
    ],
    inputs: [{ name: 'i', dtype: 'INT64', dims: [] }, { name: 'cond_in', dtype: 'BOOL', dims: [] }, { name: 'v_in', dtype: 'FLOAT', dims: [null] }],
    outputs: [{ name: 'cond_out', dtype: 'BOOL', dims: [] }, { name: 'v_out', dtype: 'FLOAT', dims: [null] }],
  };
  return {
    opsets: { 'ai.onnx': 17 },
    graph: {
      nodes: [
        { opType: 'Relu', inputs: ['x'], outputs: ['r'] },
        { opType: 'Loop', name: 'bomb', inputs: ['trips', 'go', 'r'], outputs: ['y'], attributes: { body: { g: body } } },
      ],
      inputs: [f32('x', [size])],
      outputs: [f32('y', [null])],
      initializers: [tensorFromInts('trips', [], [trips], 'INT64'), tensorFromInts('go', [], [1], 'BOOL')],
    },
  };
}

writeModel(join(dir, 'models'), 'a-forever.onnx', loopModel(2n ** 62n, false));
writeModel(join(dir, 'models'), 'b-doubling.onnx', loopModel(64n, true, 2 ** 20)); // 4 MB, then 8, 16, ...
writeModel(join(dir, 'models'), 'c-fine.onnx', loopModel(3n, false));

describe('--run under a time and a memory budget', () => {
  it('a Loop bomb of each kind is stopped with a run/run-aborted finding; every model is reported', async () => {
    const started = performance.now();
    const r = await runCli(['models', '--target', 'h20', '--run', '--format', 'json', '--run-timeout', '15', '--run-memory-mb', '400', '--iterations', '1', '--jobs', '2'], { cwd: dir });
    expect(performance.now() - started).toBeLessThan(120_000);
    expect(r.code, r.stderr).toBe(0); // run-aborted is a warning: the exit code follows the findings
    const reports = (JSON.parse(r.stdout) as { reports: Report[] }).reports;
    const aborted = (name: string) => reports.find((x) => x.model.path.endsWith(name))!.targets[0]!.findings.filter((f) => f.rule === 'run' && f.code === 'run-aborted');
    expect(aborted('a-forever.onnx')).toHaveLength(1);
    expect(String(aborted('a-forever.onnx')[0]!.args.reason)).toMatch(/past --run-timeout 15 s/);
    expect(aborted('b-doubling.onnx')).toHaveLength(1);
    expect(String(aborted('b-doubling.onnx')[0]!.args.reason)).toMatch(/past --run-memory-mb 400/);
    expect(aborted('c-fine.onnx')).toEqual([]);
    const fine = reports.find((x) => x.model.path.endsWith('c-fine.onnx'))!;
    expect(fine.run?.status).toBe('ok');
    // The static report of the stopped models is whole: the Loop's control-flow finding is there.
    expect(reports.find((x) => x.model.path.endsWith('a-forever.onnx'))!.targets[0]!.findings.some((f) => f.rule === 'control-flow')).toBe(true);
  }, 180_000);

  it('--run-timeout and --run-memory-mb are checked, and need --run', async () => {
    expect((await runCli(['models', '--run', '--run-timeout', '0'], { cwd: dir })).stderr).toMatch(/^port-check: --run-timeout takes a whole number from 1 to/);
    expect((await runCli(['models', '--run-memory-mb', '500'], { cwd: dir })).stderr).toBe('port-check: --run-memory-mb needs --run\n');
  });
});

import { describe, expect, it } from 'vitest';
import { closestName } from '../../src/did-you-mean.js';
import { runCli } from './run-cli.js';

const MODEL = 'models/control-flow.onnx';

describe('target ids and commands: case and typos', () => {
  it('matches a target id whatever its case', async () => {
    const mixed = await runCli([MODEL, '--target', 'ascend-910C,H20', '--format', 'json']);
    expect(mixed.stderr).toBe('');
    const report = JSON.parse(mixed.stdout) as { targets: { id: string }[] };
    expect(report.targets.map((t) => t.id)).toEqual(['ascend-910c', 'h20']);
  });

  it('a mistyped target: exit 2, one line with the likely id and the choices', async () => {
    const r = await runCli([MODEL, '--target', 'ascend-91c']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      "port-check: unknown target 'ascend-91c': did you mean 'ascend-910c'? choose one of h20, ascend-910b, ascend-910c, or pass --profile FILE\n",
    );
  });

  it('a mistyped command: exit 2 with the command it resembles, not "file not found"', async () => {
    const r = await runCli(['taregts']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("port-check: unknown command 'taregts': did you mean 'targets'? (a model must be an existing file)\n");
    expect((await runCli(['rulse'])).stderr).toMatch(/did you mean 'rules'\?/);
  });

  it('suggests only a close and unambiguous name', () => {
    expect(closestName('ascend-910x', ['h20', 'ascend-910b', 'ascend-910c'])).toBeUndefined();
    expect(closestName('h2O', ['h20', 'ascend-910b'])).toBe('h20');
    expect(closestName('model', ['targets', 'rules', 'baseline', 'merge'])).toBeUndefined();
    expect(closestName('mrege', ['targets', 'rules', 'baseline', 'merge'])).toBe('merge');
  });
});

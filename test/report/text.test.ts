import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';

const SAMPLES = ['models/control-flow.onnx', 'models/llm-attention-block.onnx', 'models/quantized-fp8.onnx', 'models/resnet-block.onnx'];
const TARGETS = 'h20,ascend-910b,ascend-910c';

describe('the text view', () => {
  it('shows the four sample models on three targets in at most 60 lines of at most 120 columns (reviewed snapshot)', async () => {
    const r = await runCli([...SAMPLES, '--target', TARGETS]);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(60);
    for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(120);
    await expect(r.stdout).toMatchFileSnapshot('snapshots/sample-models.txt');
  });

  it('prints a finding identical on several targets once, under the targets it is on', async () => {
    const r = await runCli(['models/llm-attention-block.onnx', '--target', TARGETS]);
    const lines = r.stdout.split('\n');
    const attention = lines.filter((l) => /com\.microsoft::Attention \(1 node\) has no kernel/.test(l));
    expect(attention).toHaveLength(1);
    const heading = lines.slice(0, lines.indexOf(attention[0]!)).reverse().find((l) => /^ {2}\S/.test(l));
    expect(heading).toBe('  ascend-910b, ascend-910c');
  });

  it('ends with the totals per target', async () => {
    const r = await runCli([...SAMPLES, '--target', TARGETS]);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^4 models · errors\/warnings\/info: h20 \d+\/\d+\/\d+ · ascend-910b \d+\/\d+\/\d+ · ascend-910c \d+\/\d+\/\d+$/);
  });

  it('with one target, no target headings: one line per finding', async () => {
    const r = await runCli(['models/resnet-block.onnx']);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^models\/resnet-block\.onnx · opset ai\.onnx 17 · /),
      expect.stringMatching(/^ {2}ascend-910c {2}RUNS WITH CHANGES {2}0 errors, 1 warning, 1 info/),
      expect.stringMatching(/^ {2}▲ warning {2}Model inputs with dynamic dims: image\[batch, 3, 32, 32\]; .* {2}dynamic-shapes$/),
      expect.stringMatching(/^ {2}ℹ info {5}fp32 tensors will be computed in fp16 .* {2}precision$/),
      '',
      '1 model · errors/warnings/info: ascend-910c 0/1/1',
    ]);
  });
});

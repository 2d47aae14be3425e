import { writeFileSync } from 'node:fs';
import { test } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { resolveConfig } from '../../src/config/index.js';
test('e', async () => {
  writeFileSync('/tmp/p1.yaml', 'schemaVersion: 1\n"\\e[31mevil\\e]8;;http://x\\a": 1\n');
  console.log(JSON.stringify(await runCli(['models/resnet-block.onnx', '--profile', '/tmp/p1.yaml'])));
  writeFileSync('/tmp/p2.yaml', 'schemaVersion: 1\nid: "\\e[31m"\n  bad: [\n');
  console.log(JSON.stringify(await runCli(['models/resnet-block.onnx', '--profile', '/tmp/p2.yaml'])));
  writeFileSync('/tmp/c1.yaml', '"\\e[31mevil": 1\n');
  try { resolveConfig({ cwd: '/tmp', file: '/tmp/c1.yaml' }); } catch (e) { console.log(JSON.stringify((e as Error).message)); }
  writeFileSync('/tmp/c2.yaml', 'targets: ["\\e[31mevil"]\nformat: "\\e[31m"\n');
  try { resolveConfig({ cwd: '/tmp', file: '/tmp/c2.yaml' }); } catch (e) { console.log(JSON.stringify((e as Error).message)); }
});

import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

/** The native libraries this process has mapped (Linux only). */
function nativeLibraries(): string {
  return readFileSync('/proc/self/maps', 'utf8');
}

test.runIf(process.platform === 'linux')('importing the run stage does not load onnxruntime-node; running does', async () => {
  const runtime = await import('../../src/runtime/index.js');
  expect(typeof runtime.runModel).toBe('function');
  expect(nativeLibraries()).not.toContain('libonnxruntime');
  await runtime.probeProviders(['cpu']);
  expect(nativeLibraries()).toContain('libonnxruntime');
});

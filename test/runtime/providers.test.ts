import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { howToGet, probeProviders } from '../../src/runtime/index.js';
import { explain } from '../../src/runtime/providers.js';

describe('provider probe', () => {
  test('cpu works; each GPU provider either works or says why not and how to get it', async () => {
    const providers = await probeProviders();
    expect(providers.map((p) => p.name)).toEqual(['cpu', 'cuda', 'tensorrt', 'webgpu']);
    expect(providers[0]).toEqual({ name: 'cpu', status: 'ok' });
    for (const p of providers.slice(1)) {
      if (p.status === 'ok') continue;
      expect(p.reason, p.name).toMatch(/\w/);
      expect(p.howTo, p.name).toMatch(/\w/);
    }
    // On linux/x64 onnxruntime-node lists CUDA and TensorRT; without their libraries they are unavailable.
    const cuda = providers.find((p) => p.name === 'cuda')!;
    if (cuda.status !== 'ok' && process.platform === 'linux' && process.arch === 'x64') {
      expect(cuda.howTo).toContain('`npm install onnxruntime-node --onnxruntime-node-install=cuda12`');
    }
  });

  test('a provider library missing from onnxruntime-node is named without starting a probe process', async () => {
    const ortRoot = dirname(dirname(createRequire(import.meta.url).resolve('onnxruntime-node')));
    const folder = join(ortRoot, 'bin', 'napi-v6', process.platform, process.arch);
    const providers = await probeProviders(['cuda', 'tensorrt']);
    for (const name of ['cuda', 'tensorrt'] as const) {
      const p = providers.find((s) => s.name === name)!;
      if (process.platform !== 'linux' || existsSync(join(folder, `libonnxruntime_providers_${name}.so`))) continue;
      // The child probe would have reported ONNX Runtime's "Failed to load shared library" instead.
      expect(p).toMatchObject({ status: 'unavailable', reason: `the ${name === 'cuda' ? 'CUDA' : 'TensorRT'} provider library is not installed in onnxruntime-node (no libonnxruntime_providers_${name}.so beside its binding)` });
    }
  });

  test('asking for some providers probes only those (and cpu), from the cache', async () => {
    const started = performance.now();
    const providers = await probeProviders(['cuda']);
    expect(providers.map((p) => p.name)).toEqual(['cpu', 'cuda']);
    expect(performance.now() - started).toBeLessThan(50);
  });

  test("ONNX Runtime's provider failures in words that say what is missing", () => {
    expect(explain('cuda', 'OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library')).toBe(
      'the CUDA provider library is not installed in onnxruntime-node (ONNX Runtime: Failed to load shared library)',
    );
    expect(explain('cuda', 'Failed to load library libonnxruntime_providers_cuda.so with error: libcublasLt.so.12: cannot open shared object file')).toBe(
      'the CUDA 12 / cuDNN 9 runtime libraries are not on the library path (libcublasLt.so.12 not found)',
    );
    expect(explain('tensorrt', 'libnvinfer.so.10: cannot open shared object file')).toBe(
      'the TensorRT libraries are not on the library path (libnvinfer.so.10 not found)',
    );
    expect(howToGet('cpu')).toBeUndefined();
  });
});

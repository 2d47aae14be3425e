import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { loadOrt } from './load-ort.js';
import { plainOrtReason } from './ort-errors.js';
import { probeModelBytes } from './probe-model.js';
import { PROVIDER_NAMES, type ProviderName, type ProviderStatus } from './types.js';
import { append } from '../arrays.js';

/** How long a provider may take to come up in the probe (TensorRT builds an engine). */
const PROBE_TIMEOUT_MS = 120_000;

const cache = new Map<ProviderName, Promise<ProviderStatus>>();

/**
 * Which execution providers really work here: cpu always; cuda, tensorrt and webgpu only when this
 * onnxruntime-node build lists them and a session on a one-node model can be created and run on
 * them. A provider that does not work comes with the reason in plain words and how to get it.
 * Results are cached for the process.
 *
 * GPU providers are probed in a child process: a broken driver can abort the process that loads
 * it, and their native loaders print to stderr, which is not the probe's to show.
 */
export async function probeProviders(only: readonly ProviderName[] = PROVIDER_NAMES): Promise<ProviderStatus[]> {
  const wanted = PROVIDER_NAMES.filter((p) => p === 'cpu' || only.includes(p));
  const missing = wanted.filter((p) => !cache.has(p));
  if (missing.length > 0) {
    const fresh = probeUncached(missing);
    for (const p of missing) cache.set(p, fresh.then((all) => all.find((s) => s.name === p)!));
  }
  return Promise.all(wanted.map((p) => cache.get(p)!));
}

async function probeUncached(names: ProviderName[]): Promise<ProviderStatus[]> {
  const ort = await loadOrt();
  const listed = new Set(ort.listSupportedBackends().map((b) => b.name));
  const out: ProviderStatus[] = [];
  const inChild: ProviderName[] = [];
  for (const name of names) {
    if (name === 'cpu') out.push(await probeCpu());
    else if (!listed.has(name)) {
      out.push({
        name, status: 'absent',
        reason: `this onnxruntime-node build (${process.platform}/${process.arch}) does not include the ${label(name)} provider`,
        howTo: howToGet(name),
      });
    } else {
      const missing = missingLibrary(name);
      if (missing) out.push({ name, status: 'unavailable', reason: missing, howTo: howToGet(name) });
      else inChild.push(name);
    }
  }
  if (inChild.length > 0) append(out, await probeInChild(inChild));
  return out;
}

/**
 * A provider whose shared library is certainly not there fails in the probe for that reason alone,
 * so the probe's child process (about a quarter of a second of every --run on a small model, where
 * the provider list is the default) is skipped. Anything less certain is left to the real probe: a
 * library that is present, or a platform whose loader rules this does not model.
 */
function missingLibrary(name: ProviderName): string | undefined {
  if (process.platform !== 'linux') return undefined;
  if (name === 'cuda' || name === 'tensorrt') {
    const binding = ortBindingFolder();
    if (binding && !existsSync(join(binding, `libonnxruntime_providers_${name}.so`))) {
      return `the ${label(name)} provider library is not installed in onnxruntime-node (no libonnxruntime_providers_${name}.so beside its binding)`;
    }
  }
  if (name === 'webgpu' && !vulkanLoaderFound()) {
    return 'no WebGPU adapter: the Vulkan loader libvulkan.so.1 is not installed, so no GPU driver can be reached';
  }
  return undefined;
}

/** The folder of onnxruntime-node's native binding, where its provider libraries sit. */
function ortBindingFolder(): string | undefined {
  try {
    const root = dirname(dirname(createRequire(import.meta.url).resolve('onnxruntime-node')));
    const folder = join(root, 'bin', 'napi-v6', process.platform, process.arch);
    return existsSync(join(folder, 'onnxruntime_binding.node')) ? folder : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the dynamic loader could find libvulkan.so.1: LD_LIBRARY_PATH, the ld.so cache, the usual folders. */
function vulkanLoaderFound(): boolean {
  const lib = 'libvulkan.so.1';
  const folders = (process.env.LD_LIBRARY_PATH ?? '').split(delimiter).filter(Boolean);
  folders.push('/lib', '/usr/lib', '/lib64', '/usr/lib64', `/usr/lib/${process.arch === 'x64' ? 'x86_64' : 'aarch64'}-linux-gnu`, '/usr/local/lib');
  if (folders.some((f) => existsSync(join(f, lib)))) return true;
  try {
    // The cache names every library the loader knows.
    return readFileSync('/etc/ld.so.cache').includes(lib);
  } catch {
    return true; // no cache to read: let the real probe decide
  }
}

/**
 * The CPU provider is part of every onnxruntime-node build: once the library loads, it is there.
 * No session is made for it (that was a fixed cost of every run, about a tenth of a small model's
 * whole run); a model that cannot run on it says why when its own session is created.
 */
async function probeCpu(): Promise<ProviderStatus> {
  try {
    const ort = await loadOrt();
    if (ort.listSupportedBackends().some((b) => b.name === 'cpu')) return { name: 'cpu', status: 'ok' };
    return { name: 'cpu', status: 'unavailable', reason: 'this onnxruntime-node build lists no CPU backend' };
  } catch (e) {
    return { name: 'cpu', status: 'unavailable', reason: plainOrtReason(e) };
  }
}

/** The child prints one JSON line per provider: {name, ok, error?}. */
const CHILD_SCRIPT = `
const ort = require(process.env.PORT_CHECK_ORT);
const model = Buffer.from(process.env.PORT_CHECK_PROBE_MODEL, 'base64');
(async () => {
  for (const name of process.env.PORT_CHECK_PROVIDERS.split(',')) {
    try {
      const s = await ort.InferenceSession.create(model, { executionProviders: [name], logSeverityLevel: 4 });
      await s.run({ x: new ort.Tensor('float32', new Float32Array(4), [1, 4]) });
      await s.release();
      process.stdout.write(JSON.stringify({ name, ok: true }) + '\\n');
    } catch (e) {
      process.stdout.write(JSON.stringify({ name, ok: false, error: String((e && e.message) || e) }) + '\\n');
    }
  }
})();
`;

function probeInChild(names: ProviderName[]): Promise<ProviderStatus[]> {
  const ortPath = createRequire(import.meta.url).resolve('onnxruntime-node');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', CHILD_SCRIPT], {
      env: {
        ...process.env,
        PORT_CHECK_ORT: ortPath,
        PORT_CHECK_PROBE_MODEL: Buffer.from(probeModelBytes()).toString('base64'),
        PORT_CHECK_PROVIDERS: names.join(','),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    // Kept (bounded) only to explain a crash.
    child.stderr.on('data', (d: Buffer) => { if (stderr.length < 8192) stderr += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), PROBE_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seen = new Map<string, { ok: boolean; error?: string }>();
      for (const line of stdout.split('\n')) {
        try {
          const r = JSON.parse(line) as { name: string; ok: boolean; error?: string };
          seen.set(r.name, r);
        } catch { /* not a result line */ }
      }
      resolve(names.map((name): ProviderStatus => {
        const r = seen.get(name);
        if (r?.ok) return { name, status: 'ok' };
        const reason = r
          ? explain(name, r.error ?? '')
          : signal === 'SIGKILL'
            ? `the probe did not finish within ${PROBE_TIMEOUT_MS / 1000} s`
            : `the probe process ended (${signal ?? `exit code ${code}`}) before reporting: ${lastLine(stderr)}`;
        return { name, status: 'unavailable', reason, howTo: howToGet(name) };
      }));
    });
  });
}

function lastLine(text: string): string {
  const lines = text.replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((l) => l.trim()).filter(Boolean);
  return lines[lines.length - 1]?.slice(0, 300) ?? 'no message';
}

/** ONNX Runtime's failure, in words that say what is missing. */
export function explain(name: ProviderName, error: string): string {
  const ort = plainOrtReason(error);
  if (/Failed to load (shared )?library|providers_(cuda|tensorrt|shared)\.so/i.test(error) && !/lib(cudart|cublas|cudnn|nvinfer|cufft|curand)/.test(error)) {
    return `the ${label(name)} provider library is not installed in onnxruntime-node (ONNX Runtime: ${ort})`;
  }
  const cudaLib = /lib(cudart|cublas\w*|cudnn\w*|cufft|curand)\.so[.\d]*/.exec(error)?.[0];
  if (cudaLib) return `the CUDA 12 / cuDNN 9 runtime libraries are not on the library path (${cudaLib} not found)`;
  const trtLib = /libnvinfer\w*\.so[.\d]*/.exec(error)?.[0];
  if (trtLib) return `the TensorRT libraries are not on the library path (${trtLib} not found)`;
  if (/no CUDA-capable device|CUDA failure 100|cudaErrorNoDevice/i.test(error)) return 'no NVIDIA GPU is visible to CUDA';
  if (/No supported adapters|Failed to get a WebGPU adapter/i.test(error)) {
    return 'no WebGPU adapter: no GPU with a usable driver (Vulkan on Linux, D3D12 on Windows, Metal on macOS) is visible';
  }
  return ort;
}

function label(name: ProviderName): string {
  return { cpu: 'CPU', cuda: 'CUDA', tensorrt: 'TensorRT', webgpu: 'WebGPU' }[name];
}

/**
 * Where each provider comes from in onnxruntime-node 1.30: its install script
 * (script/install.js, install-metadata.js) downloads the CUDA and TensorRT provider libraries for
 * linux/x64 from NuGet (Microsoft.ML.OnnxRuntime.Gpu.Linux) at install time, unless
 * `--onnxruntime-node-install=skip`; an offline install leaves them out. WebGPU is bundled.
 */
export function howToGet(name: ProviderName): string | undefined {
  const linuxX64 = process.platform === 'linux' && process.arch === 'x64';
  const install = 'npm install onnxruntime-node --onnxruntime-node-install=cuda12';
  switch (name) {
    case 'cpu':
      return undefined;
    case 'cuda':
      return linuxX64
        ? `onnxruntime-node downloads its CUDA provider from NuGet (api.nuget.org) when it is installed on linux/x64, ` +
          'unless told to skip it (`onnxruntime-node-install=skip` in an .npmrc) or offline; reinstall it where NuGet is ' +
          `reachable: \`${install}\`. It needs an NVIDIA GPU, CUDA 12 and cuDNN 9.`
        : `onnxruntime-node 1.30 ships the CUDA provider for linux/x64 only; run on a linux/x64 machine with an NVIDIA GPU.`;
    case 'tensorrt':
      return linuxX64
        ? `the TensorRT provider comes with the same NuGet download as CUDA's (\`${install}\`) and needs TensorRT 10 (libnvinfer) on the library path, besides CUDA 12 and cuDNN 9.`
        : `onnxruntime-node 1.30 ships the TensorRT provider for linux/x64 only.`;
    case 'webgpu':
      return 'needs a GPU and its driver visible to the process (on Linux, the Vulkan loader libvulkan.so.1 and the GPU vendor\'s Vulkan driver).';
  }
}

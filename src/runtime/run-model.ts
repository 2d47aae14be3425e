import { readFile } from 'node:fs/promises';
import type { ModelIR } from '../onnx/ir.js';
import { externalDataRefusal, hasExternalData } from './external-data-guard.js';
import { prepareInputs, type PreparedInput } from './inputs.js';
import { loadOrt, type OrtModule } from './load-ort.js';
import { observeShapes } from './observe-shapes.js';
import { profileOps, type OpProfile } from './op-profile.js';
import { plainOrtReason } from './ort-errors.js';
import { probeProviders } from './providers.js';
import { referenceCopy, referenceLabel, upcastCandidate, type UpcastFrom } from './reference-upcast.js';
import { timeBackend } from './timed-run.js';
import { PROVIDER_NAMES, type BackendRun, type ProviderName, type ProviderStatus, type RunOptions, type RunResult } from './types.js';
import { nameRecord } from '../own-keys.js';

/**
 * Runs a model for real on every execution provider that works here (or those asked for): times
 * session creation and iterations, profiles per op, and observes the shape of every main-graph
 * value. Never throws for what the model does: a model ONNX Runtime cannot load or run gives
 * `status: 'failed'` with the reason in plain words. Throws UsageError for options that make no
 * sense for this model (an input it does not have, an unreadable input file).
 *
 * `model` is the decoded IR of `modelPath` (loadModel); the file is handed to ONNX Runtime only
 * after its external data, if any, has been checked to stay inside the model's folder.
 */
export async function runModel(modelPath: string, model: ModelIR, options: RunOptions = {}): Promise<RunResult> {
  const result: RunResult = { status: 'failed', providers: [], backends: [], inputs: [], assumptions: [] };
  const refusal = await externalDataRefusal(modelPath, model);
  if (refusal) return { ...result, reason: refusal };

  let ort: OrtModule;
  try {
    ort = await loadOrt();
  } catch (e) {
    return { ...result, reason: `onnxruntime-node cannot be loaded here: ${plainOrtReason(e)}` };
  }
  result.onnxruntimeVersion = ort.env.versions?.node;
  result.providers = await probeProviders(options.backends ?? PROVIDER_NAMES);
  const chosen = options.backends ?? result.providers.filter((p) => p.status === 'ok').map((p) => p.name);

  const first = await attempt(ort, modelPath, modelPath, model, options, chosen, result.providers);
  if (first.status === 'ok') return { ...result, ...first };

  // The model as it is cannot run: try a faithful fp32 copy when a missing bf16/fp16 kernel is why.
  if (chosen.includes('cpu') && !hasExternalData(model) && upcastCandidate(model, failureText(first))) {
    const bytes = await readFile(modelPath).catch(() => undefined);
    const copy = bytes ? referenceCopy(model, bytes, { failure: failureText(first) }) : { error: 'the model file could not be read again' };
    if (copy && 'bytes' in copy) {
      const second = await attempt(ort, copy.bytes, modelPath, model, options, chosen, result.providers, copy.from);
      if (second.status === 'ok') {
        return {
          ...result,
          ...second,
          reference: referenceLabel(copy.from),
          assumptions: [
            `the model as it is does not run on ONNX Runtime here (${failureText(first)}); ` +
              `the run used a copy with every ${copy.from} tensor upcast to FLOAT (exact), so its timings and ` +
              `shapes are a reference, not the model's speed in ${copy.from}`,
            ...second.assumptions,
          ],
        };
      }
    } else if (copy) {
      first.assumptions.push(`an fp32 reference copy could not be made: ${copy.error}`);
    }
  }
  return { ...result, ...first, reason: failureText(first) };
}

type Attempt = Pick<RunResult, 'status' | 'reason' | 'backends' | 'inputs' | 'observedShapes' | 'assumptions'>;

/** Why an attempt failed: its own reason, else the CPU backend's (the reference), else any backend's. */
function failureText(a: Attempt): string {
  const backend = a.backends.find((b) => b.provider === 'cpu' && b.reason) ?? a.backends.find((b) => b.reason);
  return a.reason ?? backend?.reason ?? 'unknown reason';
}

async function attempt(
  ort: OrtModule, source: string | Uint8Array, modelPath: string, model: ModelIR, options: RunOptions,
  chosen: ProviderName[], providers: ProviderStatus[], upcastFrom?: UpcastFrom,
): Promise<Attempt> {
  const prepared = await prepareInputs(model, options, upcastFrom);
  const inputs = prepared.inputs.map(({ name, dtype, dims, source: from, detail }) => ({ name, dtype, dims, source: from, detail }));
  if (!prepared.ok) {
    return { status: 'failed', reason: `not run: ${prepared.reason}`, backends: [], inputs, assumptions: prepared.assumptions };
  }
  const assumptions = [...prepared.assumptions];
  let feeds: Record<string, unknown>;
  try {
    feeds = toFeeds(ort, prepared.inputs);
  } catch (e) {
    return { status: 'failed', reason: `not run: onnxruntime-node refused the inputs: ${plainOrtReason(e)}`, backends: [], inputs, assumptions };
  }
  const backends: BackendRun[] = [];
  const profiled = new Map<ProviderName, Pick<OpProfile, 'outputShapes'>>();
  for (const provider of chosen) {
    const probe = providers.find((p) => p.name === provider);
    if (probe && probe.status !== 'ok') {
      backends.push({
        provider, status: 'failed',
        reason: `the ${provider} provider is not usable here: ${probe.reason ?? probe.status}${probe.howTo ? `. To get it: ${probe.howTo}` : ''}`,
      });
      continue;
    }
    const run = await timeBackend(ort, source, feeds, provider, options);
    if (run.status === 'ok' && options.profile !== false) {
      try {
        const profile = await profileOps(ort, source, feeds, provider, model, options);
        const { outputBytes: _bytes, outputShapes, ...shares } = profile;
        Object.assign(run, shares);
        profiled.set(provider, { outputShapes });
      } catch (e) {
        assumptions.push(`no per-op profile on ${provider}: ${plainOrtReason(e)}`);
      }
    }
    backends.push(run);
  }
  const ok = backends.filter((b) => b.status === 'ok');
  if (ok.length === 0) {
    const why = providers.filter((p) => p.status !== 'ok').map((p) => `${p.name}: ${p.reason ?? p.status}`).join('; ');
    const reason = backends.length === 0 ? `not run: no execution provider works here${why ? ` (${why})` : ''}` : undefined;
    return { status: 'failed', ...(reason ? { reason } : {}), backends, inputs, assumptions };
  }
  // Shapes come from the profiled run's own records: no extra run.
  const on = ok.find((b) => b.provider === 'cpu' && profiled.has('cpu')) ?? ok.find((b) => profiled.has(b.provider));
  const shapes = on && options.observeShapes !== false ? profiled.get(on.provider)?.outputShapes : undefined;
  const observedShapes = on && shapes ? observeShapes(model, on.provider, shapes, options.maxObservedValues) : undefined;
  if (options.observeShapes !== false && !observedShapes) assumptions.push('shapes not observed: no profiled run recorded them');
  return { status: 'ok', backends, inputs, ...(observedShapes ? { observedShapes } : {}), assumptions };
}

function toFeeds(ort: OrtModule, inputs: PreparedInput[]): Record<string, unknown> {
  const feeds = nameRecord<unknown>();
  for (const i of inputs) feeds[i.name] = new ort.Tensor(i.ortType, i.data as never, i.dims);
  return feeds;
}

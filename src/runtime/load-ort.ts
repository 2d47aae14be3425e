import type * as Ort from 'onnxruntime-node';

export type OrtModule = typeof Ort;

let loading: Promise<OrtModule> | undefined;

/**
 * onnxruntime-node, loaded on first use: its native library takes a noticeable time and memory to
 * load, and a static check never needs it.
 */
export function loadOrt(): Promise<OrtModule> {
  loading ??= import('onnxruntime-node').then((m) => {
    // CommonJS under ESM: the named exports are also on the default export.
    const mod = m as OrtModule & { default?: OrtModule };
    return mod.InferenceSession ? mod : (mod.default as OrtModule);
  });
  return loading;
}

import type * as Ort from 'onnxruntime-node';

export type OrtModule = typeof Ort;

let loading: Promise<OrtModule> | undefined;

/**
 * ONNX Runtime's own log lines (ANSI-coloured warnings about initializers, fallbacks) would land
 * on the user's terminal between port-check's lines. Its process-wide log level is set once, when
 * the first session is made: 'fatal' unless --debug asked to see them (showOrtLogs).
 */
let ortLogLevel: 'fatal' | 'warning' = 'fatal';

/** --debug: let ONNX Runtime's warnings through. Call before the first run. */
export function showOrtLogs(): void {
  ortLogLevel = 'warning';
}

/**
 * onnxruntime-node, loaded on first use: its native library takes a noticeable time and memory to
 * load, and a static check never needs it.
 */
export function loadOrt(): Promise<OrtModule> {
  loading ??= import('onnxruntime-node').then((m) => {
    // CommonJS under ESM: the named exports are also on the default export.
    const mod = m as OrtModule & { default?: OrtModule };
    const ort = mod.InferenceSession ? mod : (mod.default as OrtModule);
    ort.env.logLevel = ortLogLevel;
    return ort;
  });
  return loading;
}

import type { OpEngine } from '../checks/op-table.js';
import type { TargetReport } from './types.js';

/** How each engine reads in every view: the words msit and ONNX Runtime use for them. */
export const ENGINE_WORDS: Record<OpEngine, string> = {
  aicore: 'AI Core',
  aicpu: 'AI CPU',
  decomposed: 'AI Core (subgraph)',
  ge: 'GE built-in',
  host: 'host',
  cuda: 'CUDA',
  tensorrt: 'TensorRT',
  'cpu-fallback': 'CPU fallback',
  'ort-builtin': 'ORT built-in',
  none: 'none',
  unknown: 'unknown',
};

/** "hicann/ops-nn@e5c3fa9 (2026-08-22)": one evidence version, short. */
export function evidenceWords(e: NonNullable<TargetReport['evidence']>[number]): string {
  const what = e.component.includes(': ') ? e.component.slice(e.component.lastIndexOf(': ') + 2) : e.component;
  const commit = e.commit ? `@${e.commit.slice(0, 9)}` : '';
  const extra = [e.version, e.date].filter(Boolean).join(', ');
  return `${what}${commit}${extra ? ` (${extra})` : ''}`;
}

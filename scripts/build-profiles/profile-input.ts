import type { z } from 'zod';
import type { profileSchema } from '../../src/profiles/schema.js';

/** A profile as the generator writes it (before the schema's defaults are applied). */
export type ProfileInput = z.input<typeof profileSchema>;
export type OpEntryInput = ProfileInput['ops']['entries'][number];
export type FigureInput = ProfileInput['hardware']['memoryGiB'];

/** Stable entry order: ai.onnx first, then other domains; by op name, then opset. */
export function compareEntries(a: OpEntryInput, b: OpEntryInput): number {
  const rank = (d: string | undefined): string => ((d ?? 'ai.onnx') === 'ai.onnx' ? '' : d!);
  return cmp(rank(a.domain), rank(b.domain)) || cmp(a.op, b.op) || (a.since ?? -1) - (b.since ?? -1);
}

/** Code-point order: locale-independent, so the output does not depend on the machine. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

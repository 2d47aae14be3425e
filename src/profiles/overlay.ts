import { z } from 'zod';
import { profileSchema, type Profile } from './schema.js';

/**
 * A user profile that changes a few op verdicts of a built-in target and keeps the rest:
 *
 *   extends: ascend-910b
 *   sources:
 *     our-atc-run: { title: "atc on CANN 8.0.RC3, 2026-11-30: Erf compiled to AI CPU" }
 *   ops:
 *     entries:
 *       - { op: Erf, level: degraded, engine: aicpu, note: "...", source: [our-atc-run] }
 *
 * Each entry replaces every entry of the built-in for the same domain::op (all its opset ranges);
 * sources are added to the built-in's. The result keeps the built-in's id, so it replaces that
 * target (give `id` and `name` to check both side by side), and its evidence names the override.
 */
const full = profileSchema.shape;

export const overlaySchema = z.strictObject({
  extends: z.string().min(1),
  id: full.id.optional(),
  name: full.name.optional(),
  sources: full.sources.default({}),
  ops: z.strictObject({ entries: full.ops.shape.entries.min(1) }),
});

export type ProfileOverlay = z.infer<typeof overlaySchema>;

/** Whether profile YAML is an overlay: a top-level `extends:` key. */
export function isOverlayText(text: string): boolean {
  return /^extends\s*:/m.test(text);
}

export function applyOverlay(base: Profile, overlay: ProfileOverlay, file: string): Profile {
  const replaced = new Set(overlay.ops.entries.map((e) => `${e.domain}::${e.op}`));
  const kept = base.ops.entries.filter((e) => !replaced.has(`${e.domain}::${e.op}`));
  const keys = Object.keys(overlay.sources);
  return {
    ...base,
    id: overlay.id ?? base.id,
    name: overlay.name ?? base.name,
    sources: { ...base.sources, ...overlay.sources },
    ops: { ...base.ops, entries: [...kept, ...overlay.ops.entries] },
    evidence: [
      ...base.evidence,
      {
        component: `user override (${file}): ${[...replaced].map((k) => k.replace(/^ai\.onnx::/, '')).join(', ')}`,
        source: keys.length > 0 ? [keys[0]!] : overlay.ops.entries[0]!.source,
      },
    ],
  };
}

import type { ModelIR } from '../onnx/ir.js';
import { keepDtypeLines } from '../precision/keep-dtype.js';
import type { NodeAt } from '../precision/types.js';
import type { Profile } from '../profiles/schema.js';

export interface KeepDtypeFile {
  /** The file's text (empty when nothing can be listed). */
  text: string;
  lines: string[];
  /** Nodes that cannot be a line of the file (a line break or NUL in the name), for PORTING.md. */
  unlisted: NodeAt[];
}

/**
 * keep_dtype.cfg in ATC's format: one original node name a line (or OpType::<Ascend IR type> for a
 * node the model leaves unnamed), "\n" after each. ATC reads the file a line at a time, so a name
 * holding a line break cannot be listed; such nodes are returned for the kit to say so.
 */
export function keepDtypeFile(profile: Profile, model: ModelIR, nodes: readonly NodeAt[]): KeepDtypeFile {
  const listable = nodes.filter((n) => !/[\r\n\0]/.test(n.node));
  const unlisted = nodes.filter((n) => /[\r\n\0]/.test(n.node));
  const lines = keepDtypeLines(profile, model, listable);
  return { text: lines.map((l) => `${l}\n`).join(''), lines, unlisted };
}

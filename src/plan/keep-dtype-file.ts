import type { ModelIR } from '../onnx/ir.js';
import { keepDtypeLines } from '../precision/keep-dtype.js';
import type { NodeAt } from '../precision/types.js';
import type { Profile } from '../profiles/schema.js';
import { breaksLog } from '../report/log-safe.js';

export interface KeepDtypeFile {
  /** The file's text (empty when nothing can be listed). */
  text: string;
  lines: string[];
  /** Nodes that cannot be a line of the file (see keepDtypeFile), for PORTING.md. */
  unlisted: NodeAt[];
}

/**
 * keep_dtype.cfg in ATC's format: one original node name a line (or OpType::<Ascend IR type> for a
 * node the model leaves unnamed), "\n" after each. ATC reads the file a line at a time, so a name
 * holding a line break cannot be listed; nor one that would not be inert when the file is printed
 * in a CI job log (a control character, a leading `::`: report/log-safe), since the file has no
 * escapes. Such nodes are returned for the kit to say so.
 */
export function keepDtypeFile(profile: Profile, model: ModelIR, nodes: readonly NodeAt[]): KeepDtypeFile {
  const unlistable = (n: NodeAt): boolean => n.node.includes('\n') || breaksLog(n.node);
  const listable = nodes.filter((n) => !unlistable(n));
  const unlisted = nodes.filter(unlistable);
  const lines = keepDtypeLines(profile, model, listable);
  return { text: lines.map((l) => `${l}\n`).join(''), lines, unlisted };
}

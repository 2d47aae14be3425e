import type { InputUsed } from '../runtime/types.js';
import type { NodeAt, OutputComparison, Thresholds } from '../precision/types.js';

/**
 * The narrow interface the keep-fp32 search drives: one probe is one emulation pass of the model
 * under the target's policy with a set of nodes kept in their own precision. Everything the search
 * knows about the model comes through here, so the emulation behind it can change (today's
 * emulate-model copies, or the run stage's one-pass layer-wise graph) without touching the search.
 */
export interface KeepProbe {
  /** Main-graph nodes a keep set may name, in topological order. */
  readonly nodes: readonly ProbeNode[];
  /** The inputs every pass is fed (their shapes are what ATC's --input_shape is given). */
  readonly inputs: readonly InputUsed[];
  readonly thresholds: Thresholds;
  /** What the emulation assumed, in plain words. */
  readonly notes: readonly string[];
  /**
   * One emulation pass with `keep` (names of `nodes`) computed in their own precision. `perNode`
   * asks for the drift of every node too ('when-failing': only when some output fails, which is
   * all the search needs); an implementation may give it always.
   */
  run(keep: ReadonlySet<string>, options?: { perNode?: boolean | 'when-failing' }): Promise<ProbeOutcome>;
  close(): Promise<void>;
}

export interface ProbeNode {
  /** The name a keep set uses: the node's name in the graph the emulation runs. */
  readonly name: string;
  /** The node as the user's model names it (what keep_dtype.cfg lists). */
  readonly at: NodeAt;
  /** Names of the nodes whose float outputs it reads. */
  readonly producers: readonly string[];
}

export type ProbeOutcome =
  | { ok: true; pass: boolean; outputs: OutputComparison[]; nodes?: ReadonlyMap<string, NodeDrift> }
  | { ok: false; reason: string };

/** How far a node's output moved from the reference in one pass. */
export interface NodeDrift {
  /**
   * 0 (identical) to 1 (unrelated, or new NaN/Inf): the relative Euclidean distance of its worst
   * output, capped at 1 (1 − cosine where the reference is all zero).
   */
  drift: number;
  /** Its output (or a weight only kept nodes may keep) holds values beyond fp16's range in the reference. */
  overflow: boolean;
}

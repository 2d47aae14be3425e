import type { NodeIR } from '../onnx/ir.js';
import { attrInts } from './node-attributes.js';
import type { InferredValue } from './shape-math.js';

/** What a shape rule sees of one node: its attributes and what is known of its inputs. */
export interface RuleContext {
  node: NodeIR;
  /** The opset the graph imports for the node's domain (0 when it imports none). */
  opset: number;
  /** Whether input i is given (ONNX marks an omitted optional input with an empty name). */
  has(i: number): boolean;
  /** Input i's shape, or undefined when it is omitted or unknown. */
  input(i: number): InferredValue | undefined;
  dims(i: number): number[] | undefined;
  /** The values of input i when it is a small constant or a shape computation. */
  values(i: number): number[] | undefined;
  /** The values of a constant tensor by name (initializers, Constant nodes), when read. */
  constant(name: string): number[] | undefined;
}

/** Output shapes in output order, or a reason why they cannot be known statically. */
export type ShapeRule = (ctx: RuleContext) => InferredValue[] | string;

export const UNKNOWN_INPUT = 'an input shape is unknown';

/**
 * The axes of Squeeze / Unsqueeze / Reduce*: the attribute (older opsets) or input `inputIndex`
 * (newer ones); 'unknown' when the input is computed at run time, undefined when neither is given.
 */
export function axesOf(ctx: RuleContext, inputIndex: number): number[] | undefined | 'unknown' {
  const fromAttr = attrInts(ctx.node, 'axes');
  if (fromAttr) return fromAttr;
  if (ctx.has(inputIndex)) return ctx.values(inputIndex) ?? 'unknown';
  return undefined;
}

import type { AttributeIR, NodeIR } from '../onnx/ir.js';

/**
 * Typed reads of a node's attributes. A model is untrusted: an attribute of the wrong type reads
 * as absent, never as an exception.
 */
function find(node: NodeIR, name: string): AttributeIR | undefined {
  for (const a of node.attributes) if (a.name === name) return a;
  return undefined;
}

export function attrInt(node: NodeIR, name: string): number | undefined;
export function attrInt(node: NodeIR, name: string, fallback: number): number;
export function attrInt(node: NodeIR, name: string, fallback?: number): number | undefined {
  const a = find(node, name);
  return a?.i !== undefined && Number.isFinite(a.i) ? a.i : fallback;
}

export function attrInts(node: NodeIR, name: string): number[] | undefined {
  return find(node, name)?.ints;
}

export function attrFloat(node: NodeIR, name: string, fallback: number): number {
  const a = find(node, name);
  return a?.f !== undefined && Number.isFinite(a.f) ? a.f : fallback;
}

export function attrFloats(node: NodeIR, name: string): number[] | undefined {
  return find(node, name)?.floats;
}

export function attrString(node: NodeIR, name: string, fallback: string): string {
  return find(node, name)?.s ?? fallback;
}

export function attr(node: NodeIR, name: string): AttributeIR | undefined {
  return find(node, name);
}

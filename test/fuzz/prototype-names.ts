/**
 * Names that collide with Object.prototype members, put into a real model where a model names
 * things: a node, an op type, a graph input, output or initializer (renamed everywhere it is
 * used, so the model stays valid and goes through every check), an attribute, a domain (with its
 * opset import) and the model's metadata. A lookup in a plain object keyed by such a name finds
 * the prototype's member instead of nothing, or sets the prototype instead of a key.
 */
import { cloneField, serialize, sitesOf, WT, type MessageType, type ProtoField } from './proto-tree.js';
import type { Mutant, Seed } from './mutate.js';

export const PROTOTYPE_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'] as const;

export const NAME_POSITIONS = ['node', 'op', 'input', 'output', 'initializer', 'attribute', 'domain', 'metadata'] as const;
export type NamePosition = (typeof NAME_POSITIONS)[number];

const text = (f: ProtoField | undefined): string | undefined => (f?.bytes ? new TextDecoder().decode(f.bytes) : undefined);
const bytesOf = (s: string): Uint8Array => new TextEncoder().encode(s);
const child = (fields: ProtoField[] | undefined, no: number): ProtoField | undefined => fields?.find((f) => f.no === no);
const stringField = (owner: MessageType, no: number, value: string): ProtoField => ({ no, wt: WT.ld, in: owner, at: 0, bytes: bytesOf(value) });
const varintField = (owner: MessageType, no: number, value: bigint): ProtoField => ({ no, wt: WT.varint, in: owner, at: 0, varint: value });
const message = (owner: MessageType, no: number, children: ProtoField[]): ProtoField => ({ no, wt: WT.ld, in: owner, at: 0, children });

/** Sets a string field of a message, adding it when absent. */
function setString(fields: ProtoField[], owner: MessageType, no: number, value: string): void {
  const f = child(fields, no);
  if (f) f.bytes = bytesOf(value);
  else fields.push(stringField(owner, no, value));
}

/** Where value names live: node inputs and outputs, value infos, tensors. */
const VALUE_NAME_FIELDS: readonly [MessageType, number][] = [['Node', 1], ['Node', 2], ['ValueInfo', 1], ['Tensor', 8]];

/** Renames a value everywhere it is named, in every graph, so producers and readers still meet. */
function renameValue(tree: ProtoField[], from: string, to: string): void {
  for (const { field } of sitesOf(tree)) {
    if (VALUE_NAME_FIELDS.some(([m, no]) => field.in === m && field.no === no) && text(field) === from) field.bytes = bytesOf(to);
  }
}

/**
 * The seed with `name` put at `position`; undefined when the seed has nothing there (no
 * initializer, say). The seed's own tree is left as it was.
 */
export function withPrototypeName(seed: Seed, position: NamePosition, name: string): Mutant | undefined {
  const tree = seed.tree.map(cloneField);
  const graph = child(tree, 7)?.children;
  if (!graph) return undefined;
  const nodes = graph.filter((f) => f.no === 1).map((f) => f.children!);
  const first = nodes[0];
  const what = `${position} named ${JSON.stringify(name)}`;
  switch (position) {
    case 'node':
      if (!first) return undefined;
      setString(first, 'Node', 3, name);
      break;
    case 'op':
      if (!first) return undefined;
      setString(first, 'Node', 4, name);
      break;
    case 'input':
    case 'output':
    case 'initializer': {
      const holder = graph.find((f) => f.no === (position === 'input' ? 11 : position === 'output' ? 12 : 5));
      const from = text(child(holder?.children, position === 'initializer' ? 8 : 1));
      if (from === undefined || from === '') return undefined;
      renameValue(tree, from, name);
      break;
    }
    case 'attribute': {
      const attribute = nodes.flatMap((n) => n.filter((f) => f.no === 5))[0];
      if (attribute) setString(attribute.children!, 'Attribute', 1, name);
      // No attribute anywhere: one the op does not define (type INT = 2).
      else if (first) first.push(message('Node', 5, [stringField('Attribute', 1, name), varintField('Attribute', 3, 1n), varintField('Attribute', 20, 2n)]));
      else return undefined;
      break;
    }
    case 'domain':
      if (!first) return undefined;
      setString(first, 'Node', 7, name);
      tree.push(message('Model', 8, [stringField('OpsetId', 1, name), varintField('OpsetId', 2, 1n)]));
      break;
    case 'metadata':
      tree.push(message('Model', 14, [stringField('Entry', 1, name), stringField('Entry', 2, name)]));
      break;
  }
  return { bytes: serialize(tree), steps: [what] };
}

/**
 * Seeded mutations of real ONNX files. Byte-level ones (truncate, flip, overwrite, splice, huge
 * length prefixes, broken tags) aim at the bytes that carry structure (tags and lengths, found by
 * parsing the seed model once), not at weights, where most random damage would go unnoticed.
 * Tree-level ones (hostile dims and numbers, wrong wire types, hostile strings, dropped,
 * duplicated or transplanted fields) edit one field and re-encode, so every other length stays
 * right and the decoder meets exactly that one fault.
 */
import { NAME_POSITIONS, PROTOTYPE_NAMES, withPrototypeName } from './prototype-names.js';
import {
  WT, cloneField, encodeVarint, isStringField, messageTypeOf, parseModel, serialize, sitesOf,
  type ProtoField, type Site,
} from './proto-tree.js';

/** mulberry32: small, fast, and the same sequence on every machine for a given seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Random {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** A seed model, parsed once: its bytes, its field tree and where its structure lies. */
export interface Seed {
  name: string;
  bytes: Uint8Array;
  tree: ProtoField[];
  sites: Site[];
  /** Offsets of tags and length prefixes: the bytes worth damaging. */
  structuralOffsets: number[];
  /** Length-delimited fields: offset and size of their length varint. */
  lengths: { at: number; size: number }[];
}

export function seedFrom(name: string, bytes: Uint8Array): Seed {
  const tree = parseModel(bytes);
  const sites = sitesOf(tree);
  const structuralOffsets: number[] = [];
  const lengths: { at: number; size: number }[] = [];
  for (const { field } of sites) {
    structuralOffsets.push(field.at);
    if (field.lengthAt !== undefined) {
      structuralOffsets.push(field.lengthAt);
      lengths.push({ at: field.lengthAt, size: field.lengthSize! });
    }
  }
  return { name, bytes, tree, sites, structuralOffsets, lengths };
}

export interface Mutant {
  bytes: Uint8Array;
  /** What was done, to replay a failing case by hand. */
  steps: string[];
}

/** Values a hostile file puts where a count, dim or type code goes. */
const HOSTILE_NUMBERS: readonly bigint[] = [
  0n, -1n, -2n, 1n, 2n ** 31n - 1n, 2n ** 31n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 60n, 2n ** 63n - 1n,
  -(2n ** 63n), -(2n ** 31n), 255n, 4096n, 99999n,
];

/** Strings that have broken parsers, paths, prototypes and reports before. */
export const HOSTILE_STRINGS: readonly string[] = [
  '', '\0', '<script>alert(1)</script>', ']]>', '&amp;', '\u001b[31mred\u001b[0m', '\u001b]8;;http://x\u0007link\u001b]8;;\u0007',
  'line1\nline2', '\r\n', '__proto__', 'constructor', 'toString', '../../../etc/passwd', '/etc/passwd', 'C:\\x',
  '%s%n{0}${x}', 'x'.repeat(5000), '\ud800', '\u202e', '| a | b |', '`code`', '@channel', '::error::x', 'If', 'Loop',
  'com.microsoft', 'ai.onnx.ml', 'Conv', 'Relu', 'MatMul', 'Constant', 'main',
];

type Mutator = (seed: Seed, bytes: Uint8Array, rnd: Random, donors: Seed[]) => Mutant;

const structuralOffset = (seed: Seed, bytes: Uint8Array, rnd: Random): number => {
  const at = rnd.chance(0.8) && seed.structuralOffsets.length > 0 ? rnd.pick(seed.structuralOffsets) : rnd.int(bytes.length);
  return Math.min(at, bytes.length - 1);
};

function splice(bytes: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  at = Math.max(0, Math.min(at, bytes.length));
  remove = Math.max(0, Math.min(remove, bytes.length - at));
  const out = new Uint8Array(bytes.length - remove + insert.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(insert, at);
  out.set(bytes.subarray(at + remove), at + insert.length);
  return out;
}

const BYTE_MUTATORS: Record<string, Mutator> = {
  truncate(seed, bytes, rnd) {
    // Half the cuts land on a field boundary, where a reader is most likely to think it is done.
    const end = rnd.chance(0.5) ? structuralOffset(seed, bytes, rnd) : rnd.int(bytes.length);
    return { bytes: bytes.subarray(0, end), steps: [`truncate at ${end}`] };
  },
  flipBits(seed, bytes, rnd) {
    const out = bytes.slice();
    const steps: string[] = [];
    for (let k = 1 + rnd.int(8); k > 0; k--) {
      const at = structuralOffset(seed, out, rnd);
      const bit = rnd.int(8);
      out[at]! ^= 1 << bit;
      steps.push(`flip bit ${bit} at ${at}`);
    }
    return { bytes: out, steps };
  },
  overwrite(seed, bytes, rnd) {
    const out = bytes.slice();
    const at = structuralOffset(seed, out, rnd);
    const n = 1 + rnd.int(16);
    const fill = rnd.pick(['random', 0x00, 0xff, 0x80] as const);
    for (let i = at; i < Math.min(out.length, at + n); i++) out[i] = fill === 'random' ? rnd.int(256) : fill;
    return { bytes: out, steps: [`overwrite ${n} bytes at ${at} with ${fill}`] };
  },
  hugeLength(seed, bytes, rnd) {
    if (seed.lengths.length === 0) return { bytes, steps: ['no length field'] };
    const { at, size } = rnd.pick(seed.lengths);
    if (at + size > bytes.length) return { bytes, steps: ['length field cut off'] };
    if (rnd.chance(0.5)) {
      // Same width, largest value: the rest of the file keeps its offsets.
      const out = bytes.slice();
      for (let i = 0; i < size - 1; i++) out[at + i] = 0xff;
      out[at + size - 1] = 0x7f;
      return { bytes: out, steps: [`length at ${at} set to the largest ${size}-byte varint`] };
    }
    const value = rnd.pick([2n ** 31n - 1n, 2n ** 31n, 2n ** 32n + 5n, 2n ** 62n, -1n, -(2n ** 40n), BigInt(bytes.length)]);
    return { bytes: splice(bytes, at, size, encodeVarint(value)), steps: [`length at ${at} set to ${value}`] };
  },
  brokenTag(seed, bytes, rnd) {
    const out = bytes.slice();
    const { field } = rnd.pick(seed.sites);
    const wt = rnd.pick([0, 1, 2, 3, 4, 5, 6, 7]);
    out[field.at] = (out[field.at]! & ~7) | wt;
    return { bytes: out, steps: [`wire type of the tag at ${field.at} set to ${wt}`] };
  },
  spliceBytes(seed, bytes, rnd, donors) {
    const donor = rnd.pick(donors);
    const from = structuralOffset(donor, donor.bytes, rnd);
    const piece = donor.bytes.subarray(from, from + 1 + rnd.int(512));
    const at = structuralOffset(seed, bytes, rnd);
    const remove = rnd.int(64);
    return { bytes: splice(bytes, at, remove, piece), steps: [`splice ${piece.length} bytes of ${donor.name}@${from} at ${at}, removing ${remove}`] };
  },
};

/** Applies an edit to the seed's tree, serializes, and undoes the edit (the tree is shared). */
function editTree(seed: Seed, edit: () => (() => void) | undefined, what: string): Mutant {
  const undo = edit();
  try {
    return { bytes: serialize(seed.tree), steps: [what] };
  } finally {
    undo?.();
  }
}

function pickSite(seed: Seed, rnd: Random, wanted: (s: Site) => boolean): Site | undefined {
  // Rejection sampling first (cheap), then a scan for rare kinds.
  for (let k = 0; k < 40; k++) {
    const s = rnd.pick(seed.sites);
    if (wanted(s)) return s;
  }
  const all = seed.sites.filter(wanted);
  return all.length > 0 ? rnd.pick(all) : undefined;
}

function setField(f: ProtoField, patch: Partial<ProtoField>): () => void {
  const saved = { ...f };
  for (const k of Object.keys(patch) as (keyof ProtoField)[]) (f as unknown as Record<string, unknown>)[k] = patch[k];
  return () => {
    for (const k of Object.keys(f) as (keyof ProtoField)[]) delete f[k];
    Object.assign(f, saved);
  };
}

function editList(list: ProtoField[], change: (l: ProtoField[]) => void): () => void {
  const saved = list.slice();
  change(list);
  return () => list.splice(0, list.length, ...saved);
}

const isDim = (s: Site): boolean =>
  (s.field.in === 'Dimension' && s.field.no === 1 && s.field.wt === WT.varint) ||
  (s.field.in === 'Tensor' && s.field.no === 1);

const TREE_MUTATORS: Record<string, Mutator> = {
  hostileDim(seed, _bytes, rnd) {
    const site = pickSite(seed, rnd, isDim);
    const value = rnd.pick(HOSTILE_NUMBERS);
    return editTree(seed, () => {
      if (!site) return undefined;
      const f = site.field;
      if (f.packed) {
        const i = rnd.int(Math.max(1, f.packed.length));
        const packed = [...f.packed];
        packed[i] = value;
        return setField(f, { packed });
      }
      return setField(f, { varint: value });
    }, `dim at ${site?.path ?? '(none)'} set to ${value}`);
  },
  hostileNumber(seed, _bytes, rnd) {
    const site = pickSite(seed, rnd, (s) => s.field.wt === WT.varint);
    const value = rnd.pick(HOSTILE_NUMBERS);
    return editTree(seed, () => (site ? setField(site.field, { varint: value }) : undefined), `varint at ${site?.path ?? '(none)'} set to ${value}`);
  },
  wrongWireType(seed, _bytes, rnd) {
    const site = rnd.pick(seed.sites);
    const wt = rnd.pick([WT.varint, WT.bit64, WT.ld, WT.bit32].filter((w) => w !== site.field.wt));
    const payload: Partial<ProtoField> =
      wt === WT.varint ? { varint: rnd.pick(HOSTILE_NUMBERS), bytes: undefined, children: undefined, packed: undefined }
      : wt === WT.ld ? { bytes: Uint8Array.from({ length: rnd.int(12) }, () => rnd.int(256)), children: undefined, packed: undefined }
      : { bytes: new Uint8Array(wt === WT.bit64 ? 8 : 4).fill(rnd.int(256)), children: undefined, packed: undefined };
    return editTree(seed, () => setField(site.field, { wt, ...payload }), `${site.path} rewritten with wire type ${wt}`);
  },
  hostileString(seed, _bytes, rnd) {
    const site = pickSite(seed, rnd, (s) => isStringField(s.field));
    const text = rnd.pick(HOSTILE_STRINGS);
    return editTree(
      seed,
      () => (site ? setField(site.field, { bytes: new TextEncoder().encode(text) }) : undefined),
      `string at ${site?.path ?? '(none)'} set to ${JSON.stringify(text.slice(0, 40))}`,
    );
  },
  dropField(seed, _bytes, rnd) {
    const site = rnd.pick(seed.sites);
    return editTree(seed, () => editList(site.list, (l) => l.splice(l.indexOf(site.field), 1)), `drop ${site.path}`);
  },
  duplicateField(seed, _bytes, rnd) {
    const site = rnd.pick(seed.sites);
    const copies = rnd.pick([1, 2, 50]);
    return editTree(
      seed,
      () => editList(site.list, (l) => l.splice(l.indexOf(site.field), 0, ...Array.from({ length: copies }, () => cloneField(site.field)))),
      `duplicate ${site.path} ×${copies}`,
    );
  },
  swapFields(seed, _bytes, rnd) {
    const site = rnd.pick(seed.sites);
    const other = rnd.pick(site.list);
    return editTree(seed, () => editList(site.list, (l) => {
      const i = l.indexOf(site.field);
      const j = l.indexOf(other);
      [l[i], l[j]] = [l[j]!, l[i]!];
    }), `swap ${site.path} with its sibling field ${other.no}`);
  },
  transplant(seed, _bytes, rnd, donors) {
    // A message from another model (a node, a tensor, a graph, a type) put where one of its kind goes.
    const donor = rnd.pick(donors);
    const from = pickSite(donor, rnd, (s) => s.field.children !== undefined);
    const type = from ? messageTypeOf(from.field) : undefined;
    const into = pickSite(seed, rnd, (s) => s.field.children !== undefined && messageTypeOf(s.field) === type);
    return editTree(seed, () => {
      if (!from || !into) return undefined;
      return editList(into.list, (l) => l.splice(l.indexOf(into.field), rnd.int(2), cloneField(from.field)));
    }, `transplant ${donor.name}:${from?.path ?? '(none)'} at ${into?.path ?? '(none)'}`);
  },
  prototypeName(seed, bytes, rnd) {
    // A name from Object.prototype where the model names something, renamed consistently.
    const position = rnd.pick(NAME_POSITIONS);
    const name = rnd.pick(PROTOTYPE_NAMES);
    return withPrototypeName(seed, position, name) ?? { bytes, steps: [`no ${position} to name ${name}`] };
  },
};

export const MUTATORS: Record<string, Mutator> = { ...BYTE_MUTATORS, ...TREE_MUTATORS };
const NAMES = Object.keys(MUTATORS);

/**
 * One fuzz case, chosen by `rnd`: any one mutation of `seed`, then in a quarter of the cases one
 * or two byte mutations of the result (a damaged file has no tree to edit, so only the first may
 * be a tree edit). Most byte damage ends in a load error, most tree edits in a report: this mix
 * gives about as many of each, so the checks and formats see odd models, not only the decoder.
 */
export function mutate(seed: Seed, rnd: Random, donors: Seed[]): Mutant {
  const steps: string[] = [];
  let bytes = seed.bytes;
  const first = rnd.pick(NAMES);
  let m = MUTATORS[first]!(seed, bytes, rnd, donors);
  bytes = m.bytes;
  steps.push(`${first}: ${m.steps.join('; ')}`);
  for (let k = rnd.chance(0.25) ? 1 + rnd.int(2) : 0; k > 0 && bytes.length > 0; k--) {
    const name = rnd.pick(Object.keys(BYTE_MUTATORS));
    // Byte mutations after the first aim at the seed's structure offsets, which still mostly hold.
    m = BYTE_MUTATORS[name]!(seed, bytes, rnd, donors);
    bytes = m.bytes;
    steps.push(`${name}: ${m.steps.join('; ')}`);
  }
  return { bytes, steps };
}

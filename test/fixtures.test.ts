/**
 * The real-model fixtures are on disk, are the models test/fixtures/README.md describes, and load in
 * ONNX Runtime (CPU). The graph facts come from a small protobuf scan kept here on purpose: it is an
 * oracle independent of the project's own ONNX reader.
 */
import { readFile, stat } from 'node:fs/promises';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { REAL_MODELS, REAL_MODEL_FILES, realModel, type RealModelName } from './fixtures/real-models.js';

type Dim = number | string;

interface Expected {
  readonly mib: readonly [number, number];
  readonly opset: number;
  readonly inputs: readonly (readonly [name: string, type: string, shape: readonly Dim[]])[];
  readonly outputs: readonly string[];
  /** Op type → count over the main graph and every subgraph. */
  readonly ops: Readonly<Record<string, number>>;
  readonly initializerTypes: readonly string[];
}

const PADDLE_DYNAMIC = (n: number): string => `p2o.DynamicDimension.${n}`;
const SILERO_16K_INPUTS = [
  ['input', 'float32', ['batch', 'sequence']],
  ['state', 'float32', [2, 'batch', 128]],
  ['sr', 'int64', []],
] as const;
const ISNET_OUTPUTS = ['output', '1890', '1891', '1892', '1893', '1894'];
const ISNET_SIDE_OUTPUTS = ['input.1252', 'input.1088', 'input.948', 'input.832', 'input.740', 'input.656'];
const SILERO_OPSET18: Expected = {
  mib: [2, 4],
  opset: 18,
  inputs: [
    ['input', 'float32', ['batch', 'sequence']],
    ['sr', 'int64', []],
    ['state', 'float32', [2, 'batch', 128]],
  ],
  outputs: ['output', 'stateN'],
  ops: { If: 1, LSTM: 0, Gemm: 4 },
  initializerTypes: ['float32', 'int64'],
};

const EXPECTED: Record<RealModelName, Expected> = {
  paddleocrDet: {
    mib: [4, 6],
    opset: 11,
    inputs: [['x', 'float32', [PADDLE_DYNAMIC(0), 3, PADDLE_DYNAMIC(1), PADDLE_DYNAMIC(2)]]],
    outputs: ['sigmoid_0.tmp_0'],
    ops: { Conv: 62, ConvTranspose: 2, Resize: 6, HardSigmoid: 10, If: 0 },
    initializerTypes: [],
  },
  paddleocrRec: {
    mib: [9, 12],
    opset: 9,
    inputs: [['x', 'float32', [PADDLE_DYNAMIC(0), 3, 48, PADDLE_DYNAMIC(1)]]],
    outputs: ['softmax_11.tmp_0'],
    ops: { MatMul: 13, Softmax: 3, ReduceMean: 10, If: 0 },
    initializerTypes: [],
  },
  paddleocrCls: {
    mib: [0.4, 0.8],
    opset: 9,
    inputs: [['x', 'float32', [PADDLE_DYNAMIC(0), 3, PADDLE_DYNAMIC(1), PADDLE_DYNAMIC(2)]]],
    outputs: ['softmax_0.tmp_0'],
    ops: { Conv: 53, MaxPool: 1, Softmax: 1, If: 0 },
    initializerTypes: [],
  },
  sileroVad: {
    mib: [2, 3],
    opset: 16,
    inputs: [
      ['input', 'float32', ['', '']],
      ['state', 'float32', [2, '', 128]],
      ['sr', 'int64', []],
    ],
    outputs: ['output', 'stateN'],
    ops: { If: 25, LSTM: 4 },
    initializerTypes: [],
  },
  sileroVad16k: {
    mib: [1, 2],
    opset: 15,
    inputs: SILERO_16K_INPUTS,
    outputs: ['output', 'stateN'],
    ops: { If: 12, LSTM: 2 },
    initializerTypes: ['float32'],
  },
  sileroVadHalf: {
    mib: [1, 2],
    opset: 16,
    inputs: SILERO_16K_INPUTS.slice(0, 2),
    outputs: ['output', 'stateN'],
    ops: { If: 12, LSTM: 2 },
    initializerTypes: ['float32'],
  },
  sileroVadOpset18: SILERO_OPSET18,
  sileroVadNoIf: SILERO_OPSET18,
  isnetFp16: {
    mib: [80, 90],
    opset: 15,
    inputs: [['input', 'float32', [1, 3, 1024, 1024]]],
    outputs: [...ISNET_OUTPUTS, ...ISNET_SIDE_OUTPUTS],
    ops: { Conv: 119, ConvInteger: 0, Cast: 91 },
    initializerTypes: ['float16'],
  },
  isnetUint8: {
    mib: [40, 45],
    opset: 15,
    inputs: [['input', 'float32', [1, 3, 1024, 1024]]],
    outputs: [...ISNET_OUTPUTS, ...ISNET_SIDE_OUTPUTS],
    ops: { Conv: 0, ConvInteger: 119, DynamicQuantizeLinear: 119 },
    initializerTypes: ['float32', 'int64', 'uint8'],
  },
};

const names = Object.keys(REAL_MODELS) as RealModelName[];

describe('real-model fixtures', () => {
  it('names every fixture the README describes, and nothing else', () => {
    expect(names.sort()).toEqual((Object.keys(EXPECTED) as RealModelName[]).sort());
  });

  it.each(names)('%s is on disk at its pinned size', async (name) => {
    const { size } = await stat(realModel(name));
    expect(size).toBe(REAL_MODEL_FILES[name].bytes);
    const [low, high] = EXPECTED[name].mib;
    expect(size / 2 ** 20).toBeGreaterThanOrEqual(low);
    expect(size / 2 ** 20).toBeLessThanOrEqual(high);
  });

  it.each(names)('%s has the opset, operators and initializer types the README lists', async (name) => {
    const scan = scanModel(await readFile(realModel(name)));
    const expected = EXPECTED[name];
    expect(scan.opsets.get('')).toBe(expected.opset);
    for (const [op, count] of Object.entries(expected.ops)) expect([op, scan.ops.get(op) ?? 0]).toEqual([op, count]);
    expect([...scan.initializerTypes].sort()).toEqual([...expected.initializerTypes]);
  });

  it.each(names)('%s opens in ONNX Runtime (CPU) with the inputs and outputs the README lists', async (name) => {
    // Severity 3 (error): the opset-18 Silero export makes ORT warn about unused initializers.
    const session = await ort.InferenceSession.create(realModel(name), {
      executionProviders: ['cpu'],
      logSeverityLevel: 3,
    });
    try {
      const inputs = session.inputMetadata.map((meta) =>
        meta.isTensor ? [meta.name, meta.type, meta.shape] : [meta.name, 'non-tensor', []],
      );
      expect(inputs).toEqual(EXPECTED[name].inputs);
      expect(session.outputNames).toEqual(EXPECTED[name].outputs);
    } finally {
      await session.release();
    }
  });

  it('realModel rejects a name it does not know', () => {
    expect(() => realModel('nope' as RealModelName)).toThrow(/Unknown real-model fixture "nope"/);
  });
});

interface ModelScan {
  /** Domain ('' for ai.onnx) → version. */
  readonly opsets: Map<string, number>;
  readonly ops: Map<string, number>;
  readonly initializerTypes: Set<string>;
}

const TENSOR_TYPES: Record<number, string> = { 1: 'float32', 2: 'uint8', 3: 'int8', 6: 'int32', 7: 'int64', 10: 'float16' };

/** Reads ModelProto.opset_import (8), and walks graph (7) nodes (1) and initializers (5), subgraphs included. */
function scanModel(bytes: Buffer): ModelScan {
  const scan: ModelScan = { opsets: new Map(), ops: new Map(), initializerTypes: new Set() };
  for (const field of protoFields(bytes, 0, bytes.length)) {
    if (field.number === 8 && field.end !== undefined) {
      let domain = '';
      let version = 0;
      for (const f of protoFields(bytes, field.start, field.end)) {
        if (f.number === 1 && f.end !== undefined) domain = bytes.toString('utf8', f.start, f.end);
        if (f.number === 2 && f.value !== undefined) version = f.value;
      }
      scan.opsets.set(domain === 'ai.onnx' ? '' : domain, version);
    }
    if (field.number === 7 && field.end !== undefined) scanGraph(bytes, field.start, field.end, scan, 0);
  }
  return scan;
}

function scanGraph(bytes: Buffer, start: number, end: number, scan: ModelScan, depth: number): void {
  if (depth > 16) throw new Error('subgraphs nested deeper than 16');
  for (const field of protoFields(bytes, start, end)) {
    if (field.end === undefined) continue;
    if (field.number === 5) {
      for (const f of protoFields(bytes, field.start, field.end)) {
        if (f.number === 2 && f.value !== undefined) scan.initializerTypes.add(TENSOR_TYPES[f.value] ?? `type ${f.value}`);
      }
    }
    if (field.number !== 1) continue;
    for (const f of protoFields(bytes, field.start, field.end)) {
      if (f.end === undefined) continue;
      if (f.number === 4) {
        const op = bytes.toString('utf8', f.start, f.end);
        scan.ops.set(op, (scan.ops.get(op) ?? 0) + 1);
      }
      // AttributeProto.g (6) and .graphs (11) hold If/Loop/Scan bodies.
      if (f.number === 5) {
        for (const a of protoFields(bytes, f.start, f.end)) {
          if ((a.number === 6 || a.number === 11) && a.end !== undefined) scanGraph(bytes, a.start, a.end, scan, depth + 1);
        }
      }
    }
  }
}

interface ProtoField {
  readonly number: number;
  /** Varint fields: the value (exact below 2^53). */
  readonly value?: number;
  /** Length-delimited fields: the payload's byte range. */
  readonly start: number;
  readonly end?: number;
}

function* protoFields(bytes: Buffer, start: number, end: number): Generator<ProtoField> {
  let pos = start;
  const varint = (): number => {
    let result = 0;
    for (let shift = 0; shift < 64; shift += 7) {
      if (pos >= end) throw new Error(`truncated varint at byte ${pos}`);
      const byte = bytes[pos++]!;
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
    }
    throw new Error(`varint too long at byte ${pos}`);
  };
  while (pos < end) {
    const key = varint();
    const number = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) yield { number, value: varint(), start: pos };
    else if (wire === 2) {
      const length = varint();
      if (pos + length > end) throw new Error(`field ${number} overruns its message at byte ${pos}`);
      yield { number, start: pos, end: pos + length };
      pos += length;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`unsupported wire type ${wire} at byte ${pos}`);
  }
}

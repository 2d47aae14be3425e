import { halfBitsToFloat } from '../onnx/float-bits.js';
import { extname } from 'node:path';
import type { DataTypeName } from '../onnx/data-types.js';
import { UsageError } from '../errors.js';
import { readRegularFile } from '../read-file.js';

/** A tensor read from a user's file, before conversion to the input's element type. */
export interface FileTensor {
  /** The file's own element type (.npy), or undefined for JSON numbers. */
  dtype?: DataTypeName;
  dims: number[];
  values: ArrayLike<number | bigint | boolean | string>;
}

/**
 * Reads `--input name=FILE`: a NumPy .npy file (format 1.0 to 3.0, little-endian, C order) or a
 * .json file holding nested arrays or `{ "dims": [...], "data": [...] }`. Files larger than
 * `maxBytes` are refused before they are read.
 */
export async function readInputFile(inputName: string, path: string, maxBytes: number): Promise<FileTensor> {
  const read = readRegularFile(path, { maxBytes, says: `above --max-input-mb ${maxBytes / 2 ** 20}` });
  if (!read.ok) throw new UsageError(`--input ${inputName}=${path}: ${read.problem}`);
  const bytes = read.bytes;
  const ext = extname(path).toLowerCase();
  try {
    if (ext === '.npy') return parseNpy(bytes);
    if (ext === '.json') return parseJsonTensor(bytes.toString('utf8'));
  } catch (e) {
    throw new UsageError(`--input ${inputName}=${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  throw new UsageError(`--input ${inputName}=${path}: expected a .npy or .json file`);
}

const NPY_TYPES: Record<string, DataTypeName> = {
  f2: 'FLOAT16', f4: 'FLOAT', f8: 'DOUBLE', i1: 'INT8', u1: 'UINT8', i2: 'INT16', u2: 'UINT16',
  i4: 'INT32', u4: 'UINT32', i8: 'INT64', u8: 'UINT64', b1: 'BOOL',
};

export function parseNpy(bytes: Uint8Array): FileTensor {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) throw new Error('not a .npy file (bad magic)');
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new Error('truncated .npy header');
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new Error(`unsupported .npy format version ${major}`);
  }
  const dataStart = headerStart + headerLen;
  if (dataStart > bytes.length) throw new Error('truncated .npy header');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw new Error('unreadable .npy header');
  if (fortran === 'True') throw new Error('Fortran-order arrays are not supported; save with np.ascontiguousarray');
  const order = descr[0];
  const code = descr.slice(1);
  const dtype = NPY_TYPES[code];
  if (!dtype || !'<|='.includes(order ?? '')) {
    throw new Error(`unsupported .npy dtype '${descr}' (little-endian numbers and booleans only)`);
  }
  const dims = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new Error(`bad .npy shape (${shapeText})`);
  const count = dims.reduce((a, b) => a * b, 1);
  const itemSize = Number(code.slice(1));
  if (bytes.length - dataStart !== count * itemSize) {
    throw new Error(`.npy data is ${bytes.length - dataStart} bytes; shape (${dims.join(', ')}) of ${descr} needs ${count * itemSize}`);
  }
  // Copy into a buffer of its own, aligned: the data offset need not be a multiple of the item
  // size, and a Node Buffer's slice() would share (not copy) its pooled memory.
  const data = new Uint8Array(bytes.length - dataStart);
  data.set(bytes.subarray(dataStart));
  return { dtype, dims, values: typedView(dtype, data.buffer) };
}

function typedView(dtype: DataTypeName, buf: ArrayBuffer): ArrayLike<number | bigint | boolean> {
  switch (dtype) {
    case 'FLOAT16': return Array.from(new Uint16Array(buf), halfBitsToFloat);
    case 'FLOAT': return new Float32Array(buf);
    case 'DOUBLE': return new Float64Array(buf);
    case 'INT8': return new Int8Array(buf);
    case 'UINT8': return new Uint8Array(buf);
    case 'BOOL': return Array.from(new Uint8Array(buf), (b) => b !== 0);
    case 'INT16': return new Int16Array(buf);
    case 'UINT16': return new Uint16Array(buf);
    case 'INT32': return new Int32Array(buf);
    case 'UINT32': return new Uint32Array(buf);
    case 'INT64': return new BigInt64Array(buf);
    case 'UINT64': return new BigUint64Array(buf);
    default: throw new Error(`unsupported dtype ${dtype}`);
  }
}


/** Nested arrays, or { dims, data } with data flat or nested. */
export function parseJsonTensor(text: string): FileTensor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
    const obj = parsed as { dims?: unknown; data?: unknown };
    if (!Array.isArray(obj.dims) || obj.data === undefined) throw new Error('a JSON object needs "dims" and "data"');
    const dims = obj.dims.map(Number);
    if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new Error('"dims" must be non-negative integers');
    const values = flatten(obj.data).values;
    const count = dims.reduce((a, b) => a * b, 1);
    if (values.length !== count) throw new Error(`"data" has ${values.length} values; dims [${dims.join(', ')}] need ${count}`);
    return { dims, values };
  }
  const { dims, values } = flatten(parsed);
  return { dims, values };
}

function flatten(value: unknown): { dims: number[]; values: (number | boolean | string)[] } {
  const values: (number | boolean | string)[] = [];
  const dims: number[] = [];
  // Iterative walk: a hostile file can nest arrays deeper than the call stack.
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 0 }];
  let leafDepth: number | undefined;
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    if (Array.isArray(v)) {
      if (dims[depth] === undefined) dims[depth] = v.length;
      else if (dims[depth] !== v.length) throw new Error('nested arrays are not rectangular');
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], depth: depth + 1 });
      continue;
    }
    if (typeof v !== 'number' && typeof v !== 'boolean' && typeof v !== 'string') {
      throw new Error(`values must be numbers, booleans or strings, found ${v === null ? 'null' : typeof v}`);
    }
    if (leafDepth === undefined) leafDepth = depth;
    else if (leafDepth !== depth) throw new Error('nested arrays are not rectangular');
    values.push(v);
  }
  return { dims: dims.slice(0, leafDepth ?? dims.length), values };
}

import { writeFileSync, mkdirSync } from 'node:fs';
import { test } from 'vitest';
import { msg, modelAround } from '../onnx/raw-proto.js';
import { decodeModel } from '../../src/onnx/decode.js';
test('m', () => {
  mkdirSync('/tmp/dupext/model', { recursive: true });
  writeFileSync('/tmp/dupext/model/safe.bin', new Uint8Array(16));
  writeFileSync('/tmp/dupext/secret.bin', new Uint8Array(16).fill(7));
  const entry = (k: string, v: string) => [13, 'bytes', msg([1, 'bytes', k], [2, 'bytes', v])] as const;
  const mk = (...entries: ReturnType<typeof entry>[]) => {
    const tensor = msg([1, 'varint', 4], [2, 'varint', 1], [8, 'bytes', 'w'], ...entries, [14, 'varint', 1]);
    const vi = (n: string) => msg([1, 'bytes', n], [2, 'bytes', msg([1, 'bytes', msg([1, 'varint', 1], [2, 'bytes', msg([1, 'bytes', msg([1, 'varint', 4])])])])]);
    const node = msg([1, 'bytes', 'x'], [1, 'bytes', 'w'], [2, 'bytes', 'y'], [4, 'bytes', 'Add']);
    return modelAround(msg([1, 'bytes', node], [5, 'bytes', tensor], [11, 'bytes', vi('x')], [12, 'bytes', vi('y')]));
  };
  writeFileSync('/tmp/dupext/model/dup.onnx', mk(entry('location', 'safe.bin'), entry('location', '../secret.bin')));
  writeFileSync('/tmp/dupext/model/dotdot.onnx', mk(entry('location', '../secret.bin')));
  writeFileSync('/tmp/dupext/model/abs.onnx', mk(entry('location', '/tmp/dupext/secret.bin')));
  writeFileSync('/tmp/dupext/model/ok.onnx', mk(entry('location', 'safe.bin')));
  console.log(JSON.stringify(decodeModel(mk(entry('location', 'safe.bin'), entry('location', '../secret.bin'))).graphs[0]!.initializers[0]!.external));
});

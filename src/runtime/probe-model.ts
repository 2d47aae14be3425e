import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';

/**
 * A one-node model (y = Relu(x), x float [1, 4], opset 13) that every execution provider supports:
 * creating a session on it and running it proves a provider works here. Built in code so the probe
 * reads no file.
 */
export function probeModelBytes(): Uint8Array {
  const w = new BinaryWriter();
  w.tag(1, WireType.Varint).int64(8); // ir_version
  w.tag(2, WireType.LengthDelimited).string('port-check-probe');
  w.tag(8, WireType.LengthDelimited).fork().tag(2, WireType.Varint).int64(13).join(); // opset ai.onnx 13
  w.tag(7, WireType.LengthDelimited).fork(); // graph
  w.tag(1, WireType.LengthDelimited).fork() // node
    .tag(1, WireType.LengthDelimited).string('x')
    .tag(2, WireType.LengthDelimited).string('y')
    .tag(3, WireType.LengthDelimited).string('relu')
    .tag(4, WireType.LengthDelimited).string('Relu')
    .join();
  w.tag(2, WireType.LengthDelimited).string('probe');
  for (const [field, name] of [[11, 'x'], [12, 'y']] as const) {
    w.tag(field, WireType.LengthDelimited).fork().tag(1, WireType.LengthDelimited).string(name);
    w.tag(2, WireType.LengthDelimited).fork().tag(1, WireType.LengthDelimited).fork(); // type.tensor_type
    w.tag(1, WireType.Varint).int32(1); // FLOAT
    w.tag(2, WireType.LengthDelimited).fork(); // shape
    for (const d of [1, 4]) w.tag(1, WireType.LengthDelimited).fork().tag(1, WireType.Varint).int64(d).join();
    w.join().join().join().join();
  }
  w.join();
  return w.finish();
}

export const PROBE_INPUT = { name: 'x', dims: [1, 4] } as const;

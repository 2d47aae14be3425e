/**
 * Recognises files that are clearly not ONNX before decoding them, so the error can say what the
 * file is instead of "invalid protobuf" (a Git LFS pointer, an HTML error page, a PyTorch zip...).
 * Returns the reason, or undefined when the bytes may be an ONNX model.
 */
export function describeNonOnnx(bytes: Uint8Array): string | undefined {
  const head = bytes.subarray(0, 4096);
  const ascii = latin1(head.subarray(0, 256));
  const trimmed = ascii.trimStart().toLowerCase();

  if (ascii.startsWith('version https://git-lfs')) {
    return 'is a Git LFS pointer, not the model itself; run `git lfs pull` to fetch the real file';
  }
  if (trimmed.startsWith('<!doctype html') || trimmed.startsWith('<html')) {
    return 'is an HTML page, not an ONNX model (a failed or redirected download?)';
  }
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    return 'is a zip archive (a PyTorch .pt/.pth checkpoint, or a zipped model?), not an ONNX model; export it with torch.onnx.export or unzip it first';
  }
  if (startsWith(head, [0x1f, 0x8b])) return 'is gzip-compressed; decompress it first';
  if (startsWith(head, [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return 'is an HDF5 file (a Keras .h5 model?), not an ONNX model; convert it with tf2onnx first';
  }
  if (head.length >= 2 && head[0] === 0x80 && head[1]! >= 2 && head[1]! <= 5) {
    return 'looks like a Python pickle (a PyTorch or NumPy checkpoint?), not an ONNX model';
  }
  if (isSafetensors(bytes)) return 'is a safetensors weights file, not an ONNX model (it holds weights, not a graph)';
  if (looksLikeText(head)) {
    return 'looks like a text file, not an ONNX model (ModelProto); ONNX models are binary protobuf files';
  }
  return undefined;
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/** safetensors: an 8-byte little-endian header length, then a JSON header starting with '{'. */
function isSafetensors(bytes: Uint8Array): boolean {
  if (bytes.length < 10 || bytes[8] !== 0x7b) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const headerLength = view.getBigUint64(0, true);
  return headerLength > 1n && headerLength < BigInt(bytes.length);
}

/**
 * Text has no control bytes besides tab / newline / carriage return / form feed and is valid
 * UTF-8. A serialized ModelProto cannot pass: its first field tags (0x08 ir_version, 0x12 ...) and
 * the short lengths after them are control bytes.
 */
function looksLikeText(head: Uint8Array): boolean {
  if (startsWith(head, [0xef, 0xbb, 0xbf]) || startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) {
    return true;
  }
  for (const b of head) {
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) || b === 0x7f) return false;
  }
  try {
    // stream: a multi-byte character cut at the end of the sample is not an error
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

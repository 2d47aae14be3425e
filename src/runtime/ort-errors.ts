/**
 * ONNX Runtime's error messages carry C++ source paths, function signatures, status codes and
 * nested "while running X node" chains. A user needs the innermost cause and the node it hit.
 */
export function plainOrtReason(error: unknown): string {
  let text = error instanceof Error ? error.message : String(error);
  text = text.split('\n').filter((line) => !/^\s+at /.test(line)).join(' ');
  text = text
    .replace(/\x1b\[[0-9;]*m/g, '')
    .replace(/\[ONNXRuntimeError\]\s*:\s*\d+\s*:\s*\w+\s*:\s*/g, '')
    .replace(/\/?[\w./-]*\/[\w.-]+\.(?:cc|cpp|h|hpp):\d+\s*/g, '')
    .replace(/(?:[\w]+::)+[\w~<>]+\([^()]*(?:\([^()]*\)[^()]*)*\)(?:\s*const)?(?:::<lambda\(\)>)?\s*/g, '')
    .replace(/^OrtSessionOptionsAppendExecutionProvider_\w+:\s*/, '');

  // "while running If node ... Status Message: while running Pad node. Name:'p' Status Message: why"
  const chain = [...text.matchAll(/running (\w+) node\. Name:'([^']*)' Status Message: /g)];
  if (chain.length > 0) {
    const last = chain[chain.length - 1]!;
    const cause = text.slice(last.index! + last[0].length);
    text = `${last[1]} node '${last[2]}' failed: ${cause}`;
  }
  // "<check> was false. <message>": the check is for developers, the message for users.
  text = text.replace(/^.*? was false\.\s*(?=\S)/, '');
  text = text.replace(/^Load model from .*? failed:\s*(Fatal error:\s*)?/, '');
  const unregistered = /^([\w.]*):(\w+)\((-?\d+)\) is not a registered function\/op/.exec(text);
  if (unregistered) {
    const [, domain, op] = unregistered;
    text = domain && domain !== 'ai.onnx'
      ? `op '${op}' of domain '${domain}' is not registered (a custom op: ONNX Runtime needs the library that implements it)`
      : `op '${op}' is not known to this ONNX Runtime at the opset the model imports`;
  }
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

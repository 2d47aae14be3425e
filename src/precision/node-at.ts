import type { NodeIR } from '../onnx/ir.js';
import type { NodeAt } from './types.js';

export function nodeAt(node: NodeIR): NodeAt {
  return {
    node: node.name !== '' ? node.name : `#${node.index} ${node.opType}`,
    opType: node.opType,
    index: node.index,
    named: node.name !== '',
  };
}

import type { NodeRef } from '../findings/finding.js';
import type { GraphIR, NodeIR } from '../onnx/ir.js';

/** How a finding names a node: its own name, or "#<index> <OpType>" when the exporter left it unnamed. */
export function nodeRef(node: NodeIR, graph: GraphIR): NodeRef {
  return {
    name: node.name !== '' ? node.name : `#${node.index} ${node.opType}`,
    graph: graph.path,
    index: node.index,
  };
}

import { dataTypeOf, type DataTypeName } from '../onnx/data-types.js';
import type { AttributeIR, ModelIR, NodeIR } from '../onnx/ir.js';

/** The dtype a Constant node produces, from whichever value_* attribute it carries. */
export function constantDtype(node: NodeIR): DataTypeName | undefined {
  for (const a of node.attributes) {
    switch (a.name) {
      case 'value':
      case 'sparse_value':
        return a.tensors?.[0]?.dtype;
      case 'value_float':
      case 'value_floats':
        return 'FLOAT';
      case 'value_int':
      case 'value_ints':
        return 'INT64';
      case 'value_string':
      case 'value_strings':
        return 'STRING';
    }
  }
  return undefined;
}

/** The dtype named by an INT attribute holding a TensorProto.DataType code (Cast's `to`, `dtype`...). */
export function dtypeAttribute(node: NodeIR, name: string): DataTypeName | undefined {
  const a = findAttribute(node, name);
  if (a?.type !== 'INT' || a.i === undefined) return undefined;
  const t = dataTypeOf(a.i);
  return t && t.name !== 'UNDEFINED' ? t.name : undefined;
}

export function findAttribute(node: NodeIR, name: string): AttributeIR | undefined {
  return node.attributes.find((a) => a.name === name);
}

/** What a node's first output is known to be without shape inference. */
function producedDtype(node: NodeIR): DataTypeName | undefined {
  if (node.domain !== 'ai.onnx') return undefined;
  switch (node.opType) {
    case 'Constant':
      return constantDtype(node);
    case 'Cast':
      return dtypeAttribute(node, 'to');
    case 'ConstantOfShape':
      return findAttribute(node, 'value')?.tensors?.[0]?.dtype ?? 'FLOAT';
    case 'Shape':
    case 'Size':
    case 'NonZero':
      return 'INT64';
    default:
      return undefined;
  }
}

/**
 * Element types of the model's named values, per graph, from what the file states (graph I/O,
 * value_info, initializers) plus the few nodes whose output type needs no inference. A subgraph
 * may read values of the graphs around it, so a lookup walks up the parent chain.
 */
export class TensorDtypes {
  private readonly byGraph: Map<string, DataTypeName>[];
  private readonly parentOf: (number | undefined)[];

  constructor(model: ModelIR) {
    this.byGraph = [];
    this.parentOf = [];
    for (const graph of model.graphs) {
      const map = new Map<string, DataTypeName>();
      const note = (name: string, dtype: DataTypeName | undefined): void => {
        if (name !== '' && dtype !== undefined && dtype !== 'UNDEFINED') map.set(name, dtype);
      };
      for (const v of graph.inputs) note(v.name, v.dtype);
      for (const v of graph.outputs) note(v.name, v.dtype);
      for (const v of graph.valueInfo) note(v.name, v.dtype);
      for (const t of graph.initializers) note(t.name, t.dtype);
      for (const t of graph.sparseInitializers) note(t.name, t.dtype);
      for (const node of graph.nodes) {
        const out = node.outputs[0];
        if (out !== undefined && !map.has(out)) note(out, producedDtype(node));
      }
      this.byGraph[graph.id] = map;
      this.parentOf[graph.id] = graph.parent?.graphId;
    }
  }

  lookup(graphId: number, name: string): DataTypeName | undefined {
    if (name === '') return undefined;
    // Bounded by the number of graphs, so a corrupt parent chain that loops cannot hang us.
    let id: number | undefined = graphId;
    for (let steps = 0; id !== undefined && steps <= this.byGraph.length; steps++) {
      const found = this.byGraph[id]?.get(name);
      if (found !== undefined) return found;
      id = this.parentOf[id];
    }
    return undefined;
  }
}

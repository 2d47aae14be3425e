import type { GraphIR, NodeIR } from '../onnx/ir.js';

/** Ops that pass index values through unchanged, followed from an input to its Gather. */
const PASS_THROUGH = new Set(['Cast', 'Reshape', 'Unsqueeze', 'Squeeze', 'Flatten', 'Identity']);
const MAX_HOPS = 4;

export interface IndexBound {
  /** Valid indices are 0..bound-1. */
  bound: number;
  /** The Gather and table that set it, for the input's detail. */
  via: string;
}

/**
 * For each main-graph input used as the indices of a Gather (directly or through a few
 * pass-through ops), the size of the gathered axis of the table, when the model tells it
 * (initializer, Constant, or declared shape). Random indices outside it would make the run fail.
 */
export function gatherIndexBounds(main: GraphIR, inputNames: string[]): Map<string, IndexBound> {
  const consumers = new Map<string, NodeIR[]>();
  for (const node of main.nodes) {
    for (const name of node.inputs) {
      if (!name) continue;
      let list = consumers.get(name);
      if (!list) consumers.set(name, (list = []));
      list.push(node);
    }
  }
  const bounds = new Map<string, IndexBound>();
  for (const input of inputNames) {
    let frontier = [input];
    const seen = new Set(frontier);
    for (let hop = 0; hop <= MAX_HOPS && frontier.length > 0; hop++) {
      const next: string[] = [];
      for (const value of frontier) {
        for (const node of consumers.get(value) ?? []) {
          if (node.opType === 'Gather' && node.domain === 'ai.onnx' && node.inputs[1] === value) {
            const size = gatheredAxisSize(main, node);
            if (size !== undefined && size > 0) {
              const prev = bounds.get(input);
              if (!prev || size < prev.bound) {
                bounds.set(input, { bound: size, via: `Gather '${node.name || `#${node.index}`}' on '${node.inputs[0]}'` });
              }
            }
          } else if (PASS_THROUGH.has(node.opType) && node.inputs[0] === value) {
            for (const out of node.outputs) if (out && !seen.has(out)) { seen.add(out); next.push(out); }
          }
        }
      }
      frontier = next;
    }
  }
  return bounds;
}

function gatheredAxisSize(main: GraphIR, gather: NodeIR): number | undefined {
  const table = gather.inputs[0];
  if (!table) return undefined;
  const dims = tableDims(main, table);
  if (!dims) return undefined;
  const axisAttr = gather.attributes.find((a) => a.name === 'axis')?.i ?? 0;
  const axis = axisAttr < 0 ? axisAttr + dims.length : axisAttr;
  const size = dims[axis];
  return typeof size === 'number' ? size : undefined;
}

function tableDims(main: GraphIR, name: string): (number | string | null)[] | undefined {
  const init = main.initializers.find((t) => t.name === name);
  if (init) return init.dims;
  const constant = main.nodes.find((n) => n.opType === 'Constant' && n.outputs[0] === name);
  const value = constant?.attributes.find((a) => a.name === 'value')?.tensors?.[0];
  if (value) return value.dims;
  const declared = [...main.inputs, ...main.valueInfo].find((v) => v.name === name);
  return declared?.dims;
}

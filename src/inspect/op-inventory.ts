import type { DataTypeName } from '../onnx/data-types.js';
import type { GraphIR, NodeIR } from '../onnx/ir.js';
import { MAX_NODE_REFS } from '../findings/finding.js';
import type { OpUse } from './facts.js';
import { nodeRef } from './node-ref.js';

interface OpTally {
  use: OpUse;
  dtypes: Set<DataTypeName>;
  mainInputDtypes: Set<DataTypeName>;
}

/**
 * One entry per (domain, opType). The opset is the import of the graph where the op is first seen
 * (the main graph comes first); a function body importing another version is rare enough not to
 * split the entry.
 */
export class OpInventory {
  private readonly tallies = new Map<string, OpTally>();

  add(node: NodeIR, graph: GraphIR, dtypes: Iterable<DataTypeName>, mainInputDtype: DataTypeName | undefined): void {
    const key = `${node.domain}\u0000${node.opType}`;
    let tally = this.tallies.get(key);
    if (!tally) {
      const opset = ownNumber(graph.opsetImports, node.domain);
      tally = {
        use: {
          domain: node.domain,
          opType: node.opType,
          ...(opset !== undefined && { opset }),
          nodeCount: 0,
          nodes: [],
          dtypes: [],
        },
        dtypes: new Set(),
        mainInputDtypes: new Set(),
      };
      this.tallies.set(key, tally);
    }
    tally.use.nodeCount += 1;
    if (tally.use.nodes.length < MAX_NODE_REFS) tally.use.nodes.push(nodeRef(node, graph));
    for (const d of dtypes) tally.dtypes.add(d);
    if (mainInputDtype !== undefined) tally.mainInputDtypes.add(mainInputDtype);
  }

  /** Sorted by domain, then op type, so that every listing built from it reads the same way. */
  result(): OpUse[] {
    return [...this.tallies.values()]
      .sort((a, b) => compare(a.use.domain, b.use.domain) || compare(a.use.opType, b.use.opType))
      .map(({ use, dtypes, mainInputDtypes }) => ({
      ...use,
      dtypes: [...dtypes].sort(),
      mainInputDtypes: [...mainInputDtypes].sort(),
    }));
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A record's own numeric value: a domain named "constructor" must not find Object's. */
export function ownNumber(record: Record<string, number>, key: string): number | undefined {
  if (!Object.hasOwn(record, key)) return undefined;
  const value = record[key];
  return typeof value === 'number' ? value : undefined;
}

import { familyOf, type DataTypeName } from '../onnx/data-types.js';
import type { GraphIR, ModelIR, NodeIR } from '../onnx/ir.js';
import { dataflowOf } from '../onnx/topological-order.js';
import { MAX_NODE_REFS, type NodeRef } from '../findings/finding.js';
import { functionKey, isContribDomain, isStandardDomain } from './domains.js';
import { DtypeUses, finite } from './dtype-uses.js';
import type { ModelFacts, QuantScheme, QuantizationFacts } from './facts.js';
import { nodeRef } from './node-ref.js';
import { OpInventory } from './op-inventory.js';
import { quantSchemeOfOp, zeroPointInputs, zeroPointOutputs } from './quantization-ops.js';
import { TensorDtypes, constantDtype, dtypeAttribute } from './tensor-dtypes.js';

const CONTROL_FLOW_OPS: ReadonlySet<string> = new Set(['If', 'Loop', 'Scan']);

/** Ops whose data input is not input 0 (Where's is X, after the condition). */
const MAIN_INPUT_INDEX: ReadonlyMap<string, number> = new Map([['Where', 1]]);

/**
 * The facts every check needs, in one pass over every graph (main, subgraphs, function bodies).
 * Graphs are a flat list, so there is no recursion; the work is linear in nodes + tensors.
 */
export function inspectModel(model: ModelIR): ModelFacts {
  const dtypesOf = new TensorDtypes(model);
  const inventory = new OpInventory();
  const uses = new DtypeUses();
  const schemes = new SchemeTally();
  const localFunctions = new Set(model.functions.map((f) => functionKey(f.domain, f.name)));
  let nodeCount = 0;
  let parameterCount = 0;
  let parameterBytes = 0;
  let externalDataBytes = 0;

  for (const graph of model.graphs) {
    const initializerNames = new Set<string>();
    for (const t of [...graph.initializers, ...graph.sparseInitializers]) {
      initializerNames.add(t.name);
      uses.add(t.dtype, 'initializer', t.name);
      uses.addInitializerBytes(t.dtype, t.byteSize);
      parameterCount += finite(t.elementCount);
      parameterBytes += finite(t.byteSize);
      if (t.location === 'external') externalDataBytes += finite(t.byteSize);
    }
    // IR < 4 models list initializers among the inputs too: those are weights, not inputs.
    for (const v of graph.inputs) if (!initializerNames.has(v.name)) uses.add(v.dtype, 'graph_input', v.name);
    for (const v of graph.outputs) uses.add(v.dtype, 'graph_output', v.name);
    for (const v of graph.valueInfo) uses.add(v.dtype, 'value_info', v.name);

    for (const node of graph.nodes) {
      nodeCount += 1;
      const ref = nodeRef(node, graph);
      const nodeDtypes = new Set<DataTypeName>();
      for (const name of node.inputs) addDefined(nodeDtypes, dtypesOf.lookup(graph.id, name));
      for (const name of node.outputs) addDefined(nodeDtypes, dtypesOf.lookup(graph.id, name));
      inventory.add(node, graph, nodeDtypes, mainInputDtype(node, graph, dtypesOf));
      // Exporters like paddle2onnx keep every weight in a Constant node: those are parameters too.
      if (node.opType === 'Constant' && node.domain === 'ai.onnx') {
        for (const a of node.attributes) {
          for (const t of a.tensors ?? []) {
            parameterCount += finite(t.elementCount);
            parameterBytes += finite(t.byteSize);
            if (t.location === 'external') externalDataBytes += finite(t.byteSize);
          }
        }
      }
      noteNodeDtypes(node, graph, ref, dtypesOf, uses);

      const scheme = quantSchemeOfOp(node.opType);
      if (scheme) schemes.add(scheme, node.opType, ref);
      for (const d of nodeDtypes) {
        const family = familyOf(d);
        if (family === 'fp8') schemes.add('fp8', node.opType, ref);
        else if (family === 'int4') schemes.add('int4-blocks', node.opType, ref);
      }
    }
  }

  const ops = inventory.result();
  const customDomains = new Set<string>();
  for (const op of ops) {
    const ownDomain = !isStandardDomain(op.domain) && !isContribDomain(op.domain);
    if (ownDomain && !localFunctions.has(functionKey(op.domain, op.opType))) customDomains.add(op.domain);
  }

  return {
    ops,
    dtypes: uses.result(),
    dynamicInputs: dynamicInputs(model.graphs[0]),
    controlFlow: ops.filter((op) => op.domain === 'ai.onnx' && CONTROL_FLOW_OPS.has(op.opType)),
    quantization: schemes.result(),
    parameterCount: Math.min(parameterCount, Number.MAX_SAFE_INTEGER),
    parameterBytes: Math.min(parameterBytes, Number.MAX_SAFE_INTEGER),
    externalDataBytes: Math.min(externalDataBytes, Number.MAX_SAFE_INTEGER),
    customDomains: [...customDomains].sort(),
    localFunctions,
    nodeCount,
    dataflows: model.graphs.map((g) => dataflowOf(g)),
  };
}

function addDefined(set: Set<DataTypeName>, d: DataTypeName | undefined): void {
  if (d !== undefined) set.add(d);
}

function mainInputDtype(node: NodeIR, graph: GraphIR, dtypesOf: TensorDtypes): DataTypeName | undefined {
  if (node.inputs.length === 0) return dtypesOf.lookup(graph.id, node.outputs[0] ?? '');
  return dtypesOf.lookup(graph.id, node.inputs[MAIN_INPUT_INDEX.get(node.opType) ?? 0] ?? '');
}

/** Dtypes a node states itself: cast targets, zero points, constants, dtype attributes. */
function noteNodeDtypes(node: NodeIR, graph: GraphIR, ref: NodeRef, dtypesOf: TensorDtypes, uses: DtypeUses): void {
  const standard = node.domain === 'ai.onnx';
  if (standard && node.opType === 'Cast') uses.add(dtypeAttribute(node, 'to'), 'cast_target', ref.name);
  if (standard && node.opType === 'CastLike') uses.add(dtypesOf.lookup(graph.id, node.inputs[1] ?? ''), 'cast_target', ref.name);
  for (const i of zeroPointInputs(node.opType)) {
    const name = node.inputs[i];
    if (name) uses.add(dtypesOf.lookup(graph.id, name), 'zero_point', name);
  }
  for (const i of zeroPointOutputs(node.opType)) {
    const name = node.outputs[i];
    if (name) uses.add(dtypesOf.lookup(graph.id, name) ?? 'UINT8', 'zero_point', name);
  }
  if (standard && node.opType === 'Constant') {
    uses.add(constantDtype(node), 'constant', node.outputs[0] ?? ref.name);
    return;
  }
  for (const a of node.attributes) {
    for (const t of a.tensors ?? []) uses.add(t.dtype, 'attribute', ref.name);
    if (standard && a.type === 'INT' && (a.name === 'dtype' || a.name === 'output_dtype')) {
      uses.add(dtypeAttribute(node, a.name), 'attribute', ref.name);
    }
  }
}

function dynamicInputs(main: GraphIR | undefined): ModelFacts['dynamicInputs'] {
  if (!main) return [];
  const initializerNames = new Set(main.initializers.map((t) => t.name));
  const out: ModelFacts['dynamicInputs'] = [];
  for (const v of main.inputs) {
    if (initializerNames.has(v.name)) continue;
    if (v.dims === undefined) {
      out.push({ name: v.name, dims: [], symbolic: [], unknownRank: true });
      continue;
    }
    if (v.dims.every((d) => typeof d === 'number')) continue;
    const symbolic = [...new Set(v.dims.filter((d): d is string => typeof d === 'string'))];
    out.push({ name: v.name, dims: v.dims, symbolic });
  }
  return out;
}

class SchemeTally {
  private readonly schemes = new Map<QuantScheme, { ops: Set<string>; nodeCount: number; nodes: NodeRef[]; last?: NodeRef }>();

  add(scheme: QuantScheme, opType: string, ref: NodeRef): void {
    let s = this.schemes.get(scheme);
    if (!s) this.schemes.set(scheme, (s = { ops: new Set(), nodeCount: 0, nodes: [] }));
    // A node touching several fp8 tensors is one node of the scheme, not several.
    if (s.last === ref) return;
    s.last = ref;
    s.ops.add(opType);
    s.nodeCount += 1;
    if (s.nodes.length < MAX_NODE_REFS) s.nodes.push(ref);
  }

  result(): QuantizationFacts {
    const order: QuantScheme[] = ['qdq', 'qlinear', 'integer-ops', 'dynamic-quantize', 'matmul-nbits', 'fp8', 'int4-blocks'];
    return {
      schemes: order.flatMap((scheme) => {
        const s = this.schemes.get(scheme);
        return s ? [{ scheme, ops: [...s.ops].sort(), nodeCount: s.nodeCount, nodes: s.nodes }] : [];
      }),
    };
  }
}

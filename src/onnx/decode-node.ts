import type { AttributeIR, AttributeType, NodeIR, TensorMetaIR } from './ir.js';
import { HEAP_COST, type DecodeContext } from './decode-context.js';
import { decodeSparseTensorMeta, decodeTensorMeta, within } from './decode-tensor.js';
import { WireType, eachFloat, eachInt64, expectWireType, type WireReader } from './wire-reader.js';
import { ATTRIBUTE, ATTRIBUTE_TYPE_CODES, NODE } from './wire-fields.js';

/** A subgraph found in a node's attribute: decoded later from the work queue, not recursively. */
export interface PendingSubgraph {
  /** The attribute that holds it, so its graphIds can be filled in once ids are given. */
  attribute: AttributeIR;
  /** e.g. "then_branch" or "branches[2]" for a GRAPHS attribute. */
  label: string;
  /** Where its GraphProto lies in the file's bytes. */
  start: number;
  end: number;
}

/** The default ONNX domain is written '' or 'ai.onnx'; the IR always says 'ai.onnx'. */
export function normaliseDomain(domain: string): string {
  return domain === '' ? 'ai.onnx' : domain;
}

/**
 * NodeProto (the message `r` has entered) → NodeIR. Subgraphs found in its attributes are added
 * to `subgraphs` (emptied by the caller before each node), to be decoded later from the queue.
 */
export function decodeNode(r: WireReader, graphId: number, index: number, subgraphs: PendingSubgraph[], ctx: DecodeContext): NodeIR {
  ctx.spend(HEAP_COST.node);
  const node: NodeIR = { index, graphId, name: '', opType: '', domain: 'ai.onnx', inputs: NO_NAMES, outputs: NO_NAMES, attributes: NO_ATTRIBUTES };
  // Names are gathered in shared scratch lists and copied once to arrays of their exact length:
  // an array grown by push() from empty reserves 17 slots, 150 bytes for the usual one name. The
  // lists are only ever written up to a count (setting their length each time is a slow path).
  let inputCount = 0;
  let outputCount = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    const fieldNo = tag >>> 3;
    const wt = tag & 7;
    switch (fieldNo) {
      case NODE.input:
        inputs[inputCount++] = ctx.name(r, wt, 'NodeProto.input');
        break;
      case NODE.output:
        outputs[outputCount++] = ctx.name(r, wt, 'NodeProto.output');
        ctx.spend(HEAP_COST.value);
        break;
      case NODE.name:
        node.name = ctx.name(r, wt, 'NodeProto.name');
        break;
      case NODE.opType:
        node.opType = ctx.name(r, wt, 'NodeProto.op_type');
        break;
      case NODE.domain:
        node.domain = normaliseDomain(ctx.name(r, wt, 'NodeProto.domain'));
        break;
      case NODE.attribute: {
        const outer = r.enter(wt, 'NodeProto.attribute');
        const attribute = decodeAttribute(r, subgraphs, ctx);
        r.leave(outer);
        if (node.attributes === NO_ATTRIBUTES) node.attributes = [];
        node.attributes.push(attribute);
        break;
      }
      default:
        r.skip(wt, fieldNo);
    }
  }
  node.inputs = inputs.slice(0, inputCount);
  node.outputs = outputs.slice(0, outputCount);
  // A node with a million inputs must not keep the scratch lists that long afterwards.
  if (inputCount > 1024) inputs.length = 0;
  if (outputCount > 1024) outputs.length = 0;
  return node;
}

const inputs: string[] = [];
const outputs: string[] = [];
const NO_NAMES: string[] = [];

/**
 * The attributes of every node that has none: most nodes of a big graph (Relu, Add, ...) have
 * none, and an empty array each is a million arrays for a million nodes. Frozen, so that code
 * that pushed into a node's attributes would fail loudly rather than give every node the attribute.
 */
const NO_ATTRIBUTES: AttributeIR[] = Object.freeze([]) as unknown as AttributeIR[];

const attributeTypeByCode = new Map<number, AttributeType>(
  Object.entries(ATTRIBUTE_TYPE_CODES).map(([name, code]) => [code, name as AttributeType]),
);

/** The value of an attribute, decoded into `attribute`; graphs are queued in `subgraphs`. */
export function decodeAttribute(r: WireReader, subgraphs: PendingSubgraph[], ctx: DecodeContext): AttributeIR {
  ctx.spend(HEAP_COST.attribute);
  const attr: AttributeIR = { name: '', type: 'UNDEFINED' };
  let typeCode = 0;
  // Ranges of the GraphProtos of a GRAPHS attribute, start and end in turn.
  const graphs: number[] = [];
  let singleGraph: { start: number; end: number } | undefined;
  const tensors: TensorMetaIR[] = [];
  let sawSparse = false;
  let sawTypeProto = false;
  while (r.pos < r.end) {
    const tag = r.tag();
    const fieldNo = tag >>> 3;
    const wt = tag & 7;
    switch (fieldNo) {
      case ATTRIBUTE.name:
        attr.name = ctx.name(r, wt, 'AttributeProto.name');
        break;
      case ATTRIBUTE.type:
        expectWireType(wt, WireType.Varint, 'AttributeProto.type');
        typeCode = r.int32();
        break;
      case ATTRIBUTE.f:
        expectWireType(wt, WireType.Bit32, 'AttributeProto.f');
        attr.f = r.float();
        break;
      case ATTRIBUTE.i:
        expectWireType(wt, WireType.Varint, 'AttributeProto.i');
        attr.i = clampInt(r.int64(), attr.name, ctx);
        break;
      case ATTRIBUTE.s:
        attr.s = ctx.name(r, wt, 'AttributeProto.s');
        break;
      case ATTRIBUTE.t:
        tensors.push(within(r, wt, 'AttributeProto.t', ctx, decodeTensorMeta));
        break;
      case ATTRIBUTE.g: {
        const start = r.span(wt, 'AttributeProto.g');
        singleGraph = { start, end: r.pos };
        break;
      }
      case ATTRIBUTE.floats:
        attr.floats ??= [];
        eachFloat(r, wt, 'AttributeProto.floats', (v) => {
          ctx.spend(HEAP_COST.number);
          attr.floats!.push(v);
        });
        break;
      case ATTRIBUTE.ints:
        attr.ints ??= [];
        eachInt64(r, wt, 'AttributeProto.ints', (v) => {
          ctx.spend(HEAP_COST.number);
          attr.ints!.push(clampInt(v, attr.name, ctx));
        });
        break;
      case ATTRIBUTE.strings:
        (attr.strings ??= []).push(ctx.name(r, wt, 'AttributeProto.strings'));
        break;
      case ATTRIBUTE.tensors:
        tensors.push(within(r, wt, 'AttributeProto.tensors', ctx, decodeTensorMeta));
        break;
      case ATTRIBUTE.graphs:
        ctx.spend(HEAP_COST.byteView);
        graphs.push(r.span(wt, 'AttributeProto.graphs'), r.pos);
        break;
      case ATTRIBUTE.sparseTensor:
      case ATTRIBUTE.sparseTensors:
        sawSparse = true;
        tensors.push(within(r, wt, 'AttributeProto.sparse_tensor', ctx, decodeSparseTensorMeta));
        break;
      case ATTRIBUTE.tp:
      case ATTRIBUTE.typeProtos:
        sawTypeProto = true;
        r.skip(wt, fieldNo);
        break;
      case ATTRIBUTE.refAttrName:
        attr.refAttrName = ctx.name(r, wt, 'AttributeProto.ref_attr_name');
        break;
      default:
        r.skip(wt, fieldNo);
    }
  }
  if (tensors.length > 0) attr.tensors = tensors;
  attr.type = attributeType(typeCode, attr, { singleGraph, graphs, sawSparse, sawTypeProto, tensors: tensors.length }, ctx);

  if (singleGraph) subgraphs.push({ attribute: attr, label: attr.name, ...singleGraph });
  for (let k = 0; k < graphs.length; k += 2) {
    subgraphs.push({ attribute: attr, label: `${attr.name}[${k / 2}]`, start: graphs[k]!, end: graphs[k + 1]! });
  }
  return attr;
}

/** The declared type, or (files from IR < 3 leave it out) the one implied by the field that is set. */
function attributeType(
  code: number,
  attr: AttributeIR,
  seen: { singleGraph?: { start: number; end: number } | undefined; graphs: number[]; sawSparse: boolean; sawTypeProto: boolean; tensors: number },
  ctx: DecodeContext,
): AttributeType {
  if (code !== 0) {
    const known = attributeTypeByCode.get(code);
    if (known) return known;
    ctx.warn(`attribute "${attr.name}" has unknown type code ${code}`);
    return 'UNDEFINED';
  }
  if (attr.refAttrName !== undefined) return 'UNDEFINED';
  if (seen.singleGraph) return 'GRAPH';
  if (seen.graphs.length > 0) return 'GRAPHS';
  if (seen.sawSparse) return seen.tensors > 1 ? 'SPARSE_TENSORS' : 'SPARSE_TENSOR';
  if (seen.sawTypeProto) return 'TYPE_PROTO';
  if (seen.tensors > 0) return seen.tensors > 1 ? 'TENSORS' : 'TENSOR';
  if (attr.f !== undefined) return 'FLOAT';
  if (attr.i !== undefined) return 'INT';
  if (attr.s !== undefined) return 'STRING';
  if (attr.floats) return 'FLOATS';
  if (attr.ints) return 'INTS';
  if (attr.strings) return 'STRINGS';
  return 'UNDEFINED';
}

function clampInt(v: number, attrName: string, ctx: DecodeContext): number {
  if (Number.isSafeInteger(v)) return v;
  ctx.warn(`attribute "${attrName}" holds ${v}, beyond 2^53; kept as ${v > 0 ? 'MAX' : 'MIN'}_SAFE_INTEGER`);
  return v > 0 ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
}

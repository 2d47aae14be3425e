import type { AttributeIR, AttributeType, NodeIR, TensorMetaIR } from './ir.js';
import { HEAP_COST, type DecodeContext } from './decode-context.js';
import { decodeSparseTensorMeta, decodeTensorMeta } from './decode-tensor.js';
import { BinaryReader, WireType, expectWireType, readFloats, readInt64, readInt64s, readMessage } from './wire-reader.js';
import { ATTRIBUTE, ATTRIBUTE_TYPE_CODES, NODE } from './wire-fields.js';

/** A subgraph found in a node's attribute: decoded later from the work queue, not recursively. */
export interface PendingSubgraph {
  /** The attribute that holds it, so its graphIds can be filled in once ids are given. */
  attribute: AttributeIR;
  /** e.g. "then_branch" or "branches[2]" for a GRAPHS attribute. */
  label: string;
  bytes: Uint8Array;
}

export interface DecodedNode {
  node: NodeIR;
  subgraphs: PendingSubgraph[];
}

/** The default ONNX domain is written '' or 'ai.onnx'; the IR always says 'ai.onnx'. */
export function normaliseDomain(domain: string): string {
  return domain === '' ? 'ai.onnx' : domain;
}

export function decodeNode(bytes: Uint8Array, graphId: number, index: number, ctx: DecodeContext): DecodedNode {
  ctx.spend(HEAP_COST.node);
  const r = new BinaryReader(bytes);
  const node: NodeIR = { index, graphId, name: '', opType: '', domain: 'ai.onnx', inputs: [], outputs: [], attributes: [] };
  const subgraphs: PendingSubgraph[] = [];
  while (r.pos < r.len) {
    const [fieldNo, wt] = r.tag();
    switch (fieldNo) {
      case NODE.input:
        node.inputs.push(ctx.name(r, wt, 'NodeProto.input'));
        break;
      case NODE.output:
        node.outputs.push(ctx.name(r, wt, 'NodeProto.output'));
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
      case NODE.attribute:
        node.attributes.push(decodeAttribute(readMessage(r, wt, 'NodeProto.attribute'), subgraphs, ctx));
        break;
      default:
        r.skip(wt, fieldNo);
    }
  }
  return { node, subgraphs };
}

const attributeTypeByCode = new Map<number, AttributeType>(
  Object.entries(ATTRIBUTE_TYPE_CODES).map(([name, code]) => [code, name as AttributeType]),
);

/** The value of an attribute, decoded into `attribute`; graphs are queued in `subgraphs`. */
export function decodeAttribute(bytes: Uint8Array, subgraphs: PendingSubgraph[], ctx: DecodeContext): AttributeIR {
  ctx.spend(HEAP_COST.attribute);
  const r = new BinaryReader(bytes);
  const attr: AttributeIR = { name: '', type: 'UNDEFINED' };
  let typeCode = 0;
  const graphs: Uint8Array[] = [];
  let singleGraph: Uint8Array | undefined;
  const tensors: TensorMetaIR[] = [];
  let sawSparse = false;
  let sawTypeProto = false;
  while (r.pos < r.len) {
    const [fieldNo, wt] = r.tag();
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
        attr.i = clampInt(readInt64(r), attr.name, ctx);
        break;
      case ATTRIBUTE.s:
        attr.s = ctx.name(r, wt, 'AttributeProto.s');
        break;
      case ATTRIBUTE.t:
        tensors.push(decodeTensorMeta(readMessage(r, wt, 'AttributeProto.t'), ctx));
        break;
      case ATTRIBUTE.g:
        singleGraph = readMessage(r, wt, 'AttributeProto.g');
        break;
      case ATTRIBUTE.floats:
        attr.floats ??= [];
        readFloats(r, wt, 'AttributeProto.floats', (v) => {
          ctx.spend(HEAP_COST.number);
          attr.floats!.push(v);
        });
        break;
      case ATTRIBUTE.ints:
        attr.ints ??= [];
        readInt64s(r, wt, 'AttributeProto.ints', (v) => {
          ctx.spend(HEAP_COST.number);
          attr.ints!.push(clampInt(v, attr.name, ctx));
        });
        break;
      case ATTRIBUTE.strings:
        (attr.strings ??= []).push(ctx.name(r, wt, 'AttributeProto.strings'));
        break;
      case ATTRIBUTE.tensors:
        tensors.push(decodeTensorMeta(readMessage(r, wt, 'AttributeProto.tensors'), ctx));
        break;
      case ATTRIBUTE.graphs:
        ctx.spend(HEAP_COST.byteView);
        graphs.push(readMessage(r, wt, 'AttributeProto.graphs'));
        break;
      case ATTRIBUTE.sparseTensor:
      case ATTRIBUTE.sparseTensors:
        sawSparse = true;
        tensors.push(decodeSparseTensorMeta(readMessage(r, wt, 'AttributeProto.sparse_tensor'), ctx));
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

  if (singleGraph) subgraphs.push({ attribute: attr, label: attr.name, bytes: singleGraph });
  graphs.forEach((g, k) => subgraphs.push({ attribute: attr, label: `${attr.name}[${k}]`, bytes: g }));
  return attr;
}

/** The declared type, or (files from IR < 3 leave it out) the one implied by the field that is set. */
function attributeType(
  code: number,
  attr: AttributeIR,
  seen: { singleGraph?: Uint8Array; graphs: Uint8Array[]; sawSparse: boolean; sawTypeProto: boolean; tensors: number },
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

import type { FunctionIR, ModelIR } from './ir.js';
import { ModelLoadError, PortCheckError } from '../errors.js';
import { printable } from '../printable.js';
import { DecodeContext, HEAP_COST } from './decode-context.js';
import { GraphListBuilder } from './decode-graphs.js';
import { decodeOpsetImport, setOwn } from './decode-opset.js';
import { decodeStringEntry, within } from './decode-tensor.js';
import { MalformedModelError, NamePool, WireReader, WireType, describeWireError, expectWireType } from './wire-reader.js';
import { MODEL } from './wire-fields.js';

/** IR 3 is ONNX 1.0; IR 12 is the newest this decoder knows (ONNX 1.19-1.20, FLOAT8E8M0, INT2). */
export const OLDEST_IR_VERSION = 3;
export const NEWEST_KNOWN_IR_VERSION = 12;

export interface DecodeOptions {
  /** The file name to put in errors and in ModelIR.path. */
  path?: string;
  /**
   * Bound on the estimated heap of the decoded IR (default: MAX_DECODED_HEAP_BYTES, 1.5 GiB, or
   * half the JS heap limit when that is smaller; see defaultDecodedHeapBytes).
   */
  maxDecodedHeapBytes?: number;
  /** Subgraphs nested deeper than this are refused (default MAX_SUBGRAPH_DEPTH, 65,536). */
  maxSubgraphDepth?: number;
}

/**
 * ONNX ModelProto bytes → ModelIR. Pure (no I/O): external data is recorded, not resolved; see
 * resolveExternalData. Throws ModelLoadError for bytes that are not an ONNX model; never
 * recurses on the model's structure, never decodes or copies weights.
 */
export function decodeModel(bytes: Uint8Array, opts: DecodeOptions = {}): ModelIR {
  // Errors name the file as printable text: a path can hold escape sequences too.
  const ctx = new DecodeContext(printable(opts.path ?? '<model bytes>', 4096), opts.maxDecodedHeapBytes, opts.maxSubgraphDepth);
  try {
    return decodeModelProto(bytes, opts, ctx);
  } catch (err) {
    if (err instanceof PortCheckError) throw err;
    if (!isWireError(err)) throw err; // a bug in port-check, not a bad file: let it show as one
    throw new ModelLoadError(
      ctx.file,
      `is not a valid ONNX model: ${printable(describeWireError(err))} (in ${printable(ctx.where)}); re-export it or check the download`,
    );
  }
}

/** Errors the protobuf reader (or our own schema checks) raise on bad bytes. */
function isWireError(err: unknown): boolean {
  return (
    err instanceof MalformedModelError ||
    err instanceof RangeError ||
    (err instanceof Error && err.constructor === Error)
  );
}

function decodeModelProto(bytes: Uint8Array, opts: DecodeOptions, ctx: DecodeContext): ModelIR {
  const r = new WireReader(bytes);
  ctx.pool = new NamePool(bytes);
  let irVersion: number | undefined;
  let producerName = '';
  let producerVersion = '';
  let domain = '';
  let modelVersion = 0;
  let docString = '';
  let graphStart = -1;
  let graphEnd = -1;
  // Function ranges, start and end in turn.
  const functionRanges: number[] = [];
  const opsetImports: Record<string, number> = {};
  const metadata: Record<string, string> = {};

  while (r.pos < r.end) {
    const tag = r.tag();
    const fieldNo = tag >>> 3;
    const wt = tag & 7;
    switch (fieldNo) {
      case MODEL.irVersion:
        expectWireType(wt, WireType.Varint, 'ModelProto.ir_version');
        irVersion = r.int64();
        break;
      case MODEL.producerName:
        producerName = ctx.name(r, wt, 'ModelProto.producer_name');
        break;
      case MODEL.producerVersion:
        producerVersion = ctx.name(r, wt, 'ModelProto.producer_version');
        break;
      case MODEL.domain:
        domain = ctx.name(r, wt, 'ModelProto.domain');
        break;
      case MODEL.modelVersion:
        expectWireType(wt, WireType.Varint, 'ModelProto.model_version');
        modelVersion = r.int64();
        break;
      case MODEL.docString:
        docString = ctx.doc(r, wt, 'ModelProto.doc_string');
        break;
      case MODEL.graph:
        graphStart = r.span(wt, 'ModelProto.graph');
        graphEnd = r.pos;
        break;
      case MODEL.opsetImport: {
        ctx.where = 'ModelProto.opset_import';
        ctx.spend(HEAP_COST.entry);
        const [d, version] = within(r, wt, 'ModelProto.opset_import', ctx, decodeOpsetImport);
        if (Object.hasOwn(opsetImports, d) && opsetImports[d] !== version) {
          ctx.warn(`opset of domain "${d}" is imported twice (${opsetImports[d]} and ${version}); using ${version}`);
        }
        setOwn(opsetImports, d, version);
        ctx.where = 'ModelProto';
        break;
      }
      case MODEL.metadataProps: {
        ctx.spend(HEAP_COST.entry);
        const [key, value] = within(r, wt, 'ModelProto.metadata_props', ctx, decodeStringEntry);
        setOwn(metadata, key, value);
        break;
      }
      case MODEL.functions:
        ctx.spend(HEAP_COST.byteView);
        functionRanges.push(r.span(wt, 'ModelProto.functions'), r.pos);
        break;
      default:
        // training_info and anything newer: not needed to say what runs where.
        r.skip(wt, fieldNo);
    }
  }

  if (graphStart < 0) {
    throw new ModelLoadError(
      ctx.file,
      irVersion === undefined ? 'has no graph and no IR version: not an ONNX model' : 'has no graph: not an ONNX model',
    );
  }
  checkIrVersion(irVersion, ctx);

  const builder = new GraphListBuilder(ctx, r);
  builder.addMainGraph(graphStart, graphEnd, opsetImports);
  builder.drain();
  const functions: FunctionIR[] = [];
  for (let k = 0; k < functionRanges.length; k += 2) {
    ctx.where = `function #${k / 2}`;
    functions.push(builder.addFunction(functionRanges[k]!, functionRanges[k + 1]!, opsetImports));
    builder.drain();
  }

  return {
    ...(opts.path !== undefined ? { path: opts.path } : {}),
    fileBytes: bytes.length,
    irVersion: irVersion ?? 0,
    producerName,
    producerVersion,
    domain,
    modelVersion,
    docString,
    opsetImports,
    metadata,
    graphs: builder.graphs,
    functions,
    warnings: ctx.finishWarnings(),
  };
}

function checkIrVersion(irVersion: number | undefined, ctx: DecodeContext): void {
  if (irVersion === undefined || irVersion === 0) {
    ctx.warn('the model has no IR version (ir_version is missing)');
  } else if (irVersion < OLDEST_IR_VERSION) {
    ctx.warn(`IR version ${irVersion} predates ONNX 1.0 (IR ${OLDEST_IR_VERSION}); opset information may be missing`);
  } else if (irVersion > NEWEST_KNOWN_IR_VERSION) {
    ctx.warn(
      `IR version ${irVersion} is newer than port-check knows (up to ${NEWEST_KNOWN_IR_VERSION}); decoded anyway, new fields are ignored`,
    );
  }
}

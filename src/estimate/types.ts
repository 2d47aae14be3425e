import type { InterconnectEstimate } from './interconnect.js';
import type { MemoryEstimate } from './memory.js';

/**
 * The estimate for one target: plain serialisable data that goes into the JSON report under each
 * target as `estimate`. Every number comes with the assumptions behind it.
 */
export interface TargetEstimate {
  /** Roofline latency of one inference on one chip, a lower bound (see assumptions). */
  latencyMs: number;
  /** Share of the latency in compute-bound / memory-bound nodes, 0..1 (they sum to 1). */
  computeBoundShare: number;
  memoryBoundShare: number;
  /** The lowest confidence of the profile figures used, lowered when nodes could not be costed. */
  confidence: 'high' | 'medium' | 'low';
  bottleneck: 'compute' | 'memory' | 'interconnect' | 'unknown';
  /** Precision families the costed nodes compute in on this target, e.g. ['fp16']. */
  computePrecisions: string[];
  flops: number;
  bytesMoved: number;
  /** Op types by estimated time, largest first (at most TOP_N). */
  topOpTypes: OpTypeTime[];
  /** Nodes by estimated time, largest first (at most TOP_N). */
  topNodes: NodeTimeSummary[];
  nodesCosted: number;
  nodesNotCosted: { count: number; examples: NotCostedNode[] };
  memory: MemoryEstimate;
  /** Present when the model needs more than one chip (or `chips` asked for more). */
  interconnect?: InterconnectEstimate;
  /** Present when the target cuts the graph into device and host partitions: their crossings' cost, included in latencyMs. */
  hostTransfer?: HostTransferEstimate;
  assumptions: string[];
}

export interface HostTransferEstimate {
  /** The link the crossings go over, e.g. 'PCIe Gen5 x16', and its per-direction figure. */
  link: string;
  bandwidthGBs: number;
  confidence: 'high' | 'medium' | 'low';
  crossings: number;
  bytes: number;
  /** Crossings whose size is unknown: counted for their synchronisation only. */
  unsizedCrossings: number;
  /** Bytes over the link plus a synchronisation per crossing, per inference. */
  ms: number;
}

export interface OpTypeTime {
  opType: string;
  domain: string;
  nodes: number;
  ms: number;
  share: number;
  /** Where most of this op type's time is bound. */
  bound: 'compute' | 'memory';
}

export interface NodeTimeSummary {
  name: string;
  opType: string;
  domain: string;
  ms: number;
  share: number;
  bound: 'compute' | 'memory';
  flops: number;
  bytes: number;
}

export interface NotCostedNode {
  name: string;
  opType: string;
  domain: string;
  reason: string;
}

export type { InterconnectEstimate, MemoryEstimate };

import { dataTypeByName, type DataTypeName } from '../onnx/data-types.js';
import type { ModelIR } from '../onnx/ir.js';
import type { NodeSpec, TensorSpec } from '../onnx/model-spec.js';
import type { RoundingType } from '../profiles/precision-policy.js';
import { TYPE_LABEL } from './type-labels.js';

/** Cast needs opset 13 for bfloat16; below it, bf16 rounding is done with an exact split instead. */
export const BF16_CAST_OPSET = 13;

/** Whether a value of `dtype` can be rounded through `steps` at this opset (bf16 of an fp16 value needs Cast to bfloat16). */
export function canRound(opset: number, dtype: DataTypeName, steps: readonly RoundingType[]): boolean {
  return !(opset < BF16_CAST_OPSET && steps.includes('BFLOAT16') && dtype !== 'FLOAT' && dtype !== 'DOUBLE');
}

/** Writes the nodes that round a value, with names no other value or node of the model has. */
export class RoundingWriter {
  readonly nodes: NodeSpec[] = [];
  readonly initializers: TensorSpec[] = [];
  readonly opset: number;
  usedSplit = false;
  private readonly taken = new Set<string>();
  private readonly splitConstants = new Map<DataTypeName, string>();

  constructor(model: ModelIR) {
    this.opset = model.opsetImports['ai.onnx'] ?? 1;
    for (const g of model.graphs) {
      for (const v of [...g.inputs, ...g.outputs, ...g.valueInfo, ...g.initializers, ...g.sparseInitializers]) this.taken.add(v.name);
      for (const n of g.nodes) {
        this.taken.add(n.name);
        for (const v of [...n.inputs, ...n.outputs]) this.taken.add(v);
      }
    }
  }

  unique(base: string): string {
    let name = base;
    for (let k = 1; this.taken.has(name); k++) name = `${base}_${k}`;
    this.taken.add(name);
    return name;
  }

  /**
   * Nodes computing `to` = `from` rounded through each step in turn, at type `dtype`; false (and
   * nothing written) when a step cannot be written at this opset.
   */
  chain(from: string, to: string, dtype: DataTypeName, steps: RoundingType[]): boolean {
    if (!canRound(this.opset, dtype, steps)) return false;
    let current = from;
    for (let k = 0; k < steps.length; k++) {
      const next = k === steps.length - 1 ? to : this.unique(`${to}__pc_step${k}`);
      this.round(current, next, dtype, steps[k]!);
      current = next;
    }
    return true;
  }

  private round(input: string, output: string, dtype: DataTypeName, through: RoundingType): void {
    if (through === 'BFLOAT16' && this.opset < BF16_CAST_OPSET) {
      this.splitToBfloat16(input, output, dtype as 'FLOAT' | 'DOUBLE');
      return;
    }
    const label = TYPE_LABEL[through] ?? through;
    const mid = this.unique(`${output}__pc_${label}`);
    this.nodes.push(
      { opType: 'Cast', name: this.unique(`${output}__pc_to_${label}`), inputs: [input], outputs: [mid], attributes: { to: { i: dataTypeByName(through).code } } },
      { opType: 'Cast', name: this.unique(`${output}__pc_back`), inputs: [mid], outputs: [output], attributes: { to: { i: dataTypeByName(dtype).code } } },
    );
  }

  /**
   * Veltkamp's split: with c = x·(2^(p−8) + 1), c − (c − x) is x rounded to 8 significant bits,
   * bf16's precision, in exact IEEE arithmetic (p = 24 for fp32, 53 for fp64). ONNX Runtime runs
   * Mul and Sub as single IEEE operations when the graph is not optimised. Values above ~5e33
   * overflow c; no activation of a working model is that large.
   */
  private splitToBfloat16(input: string, output: string, dtype: 'FLOAT' | 'DOUBLE'): void {
    this.usedSplit = true;
    let constant = this.splitConstants.get(dtype);
    if (!constant) {
      constant = this.unique(`__pc_bf16_split_${TYPE_LABEL[dtype]}`);
      this.splitConstants.set(dtype, constant);
      const factor = dtype === 'FLOAT' ? 2 ** 16 + 1 : 2 ** 45 + 1;
      const raw = new Uint8Array(dtype === 'FLOAT' ? 4 : 8);
      const view = new DataView(raw.buffer);
      if (dtype === 'FLOAT') view.setFloat32(0, factor, true);
      else view.setFloat64(0, factor, true);
      this.initializers.push({ name: constant, dtype, dims: [], raw });
    }
    const c = this.unique(`${output}__pc_split_c`);
    const t = this.unique(`${output}__pc_split_t`);
    this.nodes.push(
      { opType: 'Mul', name: this.unique(`${output}__pc_split_mul`), inputs: [input, constant], outputs: [c] },
      { opType: 'Sub', name: this.unique(`${output}__pc_split_sub1`), inputs: [c, input], outputs: [t] },
      { opType: 'Sub', name: this.unique(`${output}__pc_split_sub2`), inputs: [c, t], outputs: [output] },
    );
  }
}

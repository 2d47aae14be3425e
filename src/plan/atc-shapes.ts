import type { ModelIR } from '../onnx/ir.js';
import { checkGivenShape, resolveInputDims } from '../runtime/input-dims.js';
import { gearCombinations } from './gears.js';
import { append } from '../arrays.js';
import { ownValue } from '../own-keys.js';

/** What ATC's --input_shape and --dynamic_dims get. */
export interface AtcShapes {
  /** Per graph input: its dims, -1 where a gear decides. */
  inputs: { name: string; dims: number[] }[];
  /** Per gear: a value for each -1 of `inputs`, in order. Empty: static shapes. */
  gears: number[][];
  /** The defaults taken for dims nobody gave, in plain words. */
  notes: string[];
  /** Inputs whose shape could not be told (no declared shape, no --shape). */
  unknown: string[];
}

/**
 * The input shapes of the ATC command: --shape wins, then --dim (a dim given several values is a
 * gear: -1 in --input_shape, its values in --dynamic_dims), then the defaults the emulation feeds
 * (runtime/input-dims: the same function prepares the probe's inputs, so the kit compiles the
 * shapes that were emulated).
 */
export function atcShapes(
  model: ModelIR, dims: ReadonlyMap<string, readonly number[]>, shapes: Readonly<Record<string, number[]>>,
): AtcShapes {
  const main = model.graphs[0];
  const initializers = new Set(main?.initializers.map((t) => t.name));
  const declared = (main?.inputs ?? []).filter((i) => !initializers.has(i.name));
  const first = Object.fromEntries([...dims].map(([name, values]) => [name, values[0]!]));
  const named = new Map<string, number>();
  const out: AtcShapes = { inputs: [], gears: [], notes: [], unknown: [] };
  const gearAxes: string[] = [];
  for (const input of declared) {
    // ATC reads the names back out of the one --input_shape string, and no argument can hold NUL.
    if (/[\0;]/.test(input.name)) {
      out.unknown.push(input.name);
      continue;
    }
    const given = ownValue(shapes, input.name);
    if (given) {
      const wrong = checkGivenShape(input, given);
      if (wrong) out.notes.push(`--shape ${input.name}: ${wrong}`);
      out.inputs.push({ name: input.name, dims: [...given] });
      continue;
    }
    const resolved = resolveInputDims(input, first, named);
    if ('error' in resolved) {
      out.unknown.push(input.name);
      continue;
    }
    append(out.notes, resolved.notes);
    const atc = resolved.dims.map((d, axis) => {
      const symbol = input.dims?.[axis];
      if (typeof symbol === 'string' && (dims.get(symbol)?.length ?? 0) > 1) {
        gearAxes.push(symbol);
        return -1;
      }
      return d;
    });
    out.inputs.push({ name: input.name, dims: atc });
  }
  if (gearAxes.length > 0) {
    out.gears = gearCombinations(dims).map((g) => gearAxes.map((symbol) => g.get(symbol)!));
  }
  return out;
}

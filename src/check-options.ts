import type { PrecisionMode, Thresholds } from './precision/types.js';
import type { RunOptions } from './runtime/types.js';
import type { ServeOptions } from './plan-serving.js';

export interface CheckOptions {
  /** Built-in target ids (see `port-check targets`) or ids of profiles given in `profileFiles`. */
  targets: string[];
  /** Extra profile files (YAML); their ids can be named in `targets`. */
  profileFiles?: string[];
  /** How the model path appears in the report; default: the path as given, with forward slashes. */
  displayPath?: string;
  /** Run the model for real on ONNX Runtime; absent: static check only. */
  run?: RunOptions;
  /** With `run`: emulate each target's precision policy and compare outputs. Default on with `run`. */
  precision?: { mode?: PrecisionMode; thresholds?: Partial<Thresholds> } | false;
  /** Options of the speed/memory estimate; false leaves the estimate out of the report. */
  estimate?: { dims?: Record<string, number>; batch?: number; seqLen?: number } | false;
  /** The LLM serving plan (`--serve`, `--llm-config`): absent, none is made. */
  serve?: ServeOptions;
}

import { printable } from '../printable.js';
import type { AtcSettings } from '../profiles/schema.js';
import type { AtcShapes } from './atc-shapes.js';
import { shellQuote } from './shell-quote.js';

export interface AtcCommand {
  /** The model's file name: the script's default for its first argument. */
  modelFile: string;
  /** The offline model's name (ATC appends .om), written beside the script. */
  outputName: string;
  targetName: string;
  atc: AtcSettings;
  soc: string;
  shapes: AtcShapes;
  /** The keep_dtype file beside the script, when the kit keeps nodes. */
  keepFile?: string;
}

/**
 * atc.sh: the ATC command that compiles the model for the target. Every value is one single-quoted
 * shell word (shellQuote): input names come from the model. The script runs from anywhere: files
 * of the kit are found beside it, and the model is its first argument (default: the model's file
 * name in the current folder).
 */
export function atcScript(c: AtcCommand): string {
  const kitFile = (name: string): string => `"$kit"/${shellQuote(name)}`;
  const flags: string[] = [
    `--model="$model"`,
    `--framework=${shellQuote('5')}`,
    `--output=${kitFile(c.outputName)}`,
    `--soc_version=${shellQuote(c.soc)}`,
  ];
  const known = c.shapes.inputs;
  if (known.length > 0) {
    if (c.shapes.gears.length > 0) flags.push(`--input_format=${shellQuote('ND')}`);
    flags.push(`--input_shape=${shellQuote(known.map((i) => `${i.name}:${i.dims.join(',')}`).join(';'))}`);
    if (c.shapes.gears.length > 0) flags.push(`--dynamic_dims=${shellQuote(c.shapes.gears.map((g) => g.join(',')).join(';'))}`);
  }
  flags.push(`--precision_mode=${shellQuote(c.atc.precisionMode)}`);
  if (c.keepFile) flags.push(`--keep_dtype=${kitFile(c.keepFile)}`);

  const others = c.atc.socVersions.filter((s) => s !== c.soc);
  const lines = [
    '#!/bin/sh',
    `# Compiles ${comment(c.modelFile)} for ${comment(c.targetName)} with ATC (made by port-check plan; see PORTING.md).`,
    '# On a machine with CANN: source /usr/local/Ascend/ascend-toolkit/set_env.sh, then: sh atc.sh [MODEL.onnx]',
    `# --soc_version must name your chip (npu-smi info, or ascend-dmi -i -dt)${others.length > 0 ? `; the other ${comment(c.targetName)} SoCs: ${others.join(', ')}` : ''}.`,
    ...(c.shapes.unknown.length > 0
      ? [`# No --input_shape for ${c.shapes.unknown.map(comment).join(', ')}: the model declares no shape; add it to --input_shape.`]
      : []),
    'set -eu',
    'kit=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)',
    `model=\${1:-${shellQuote(c.modelFile)}}`,
    'atc \\',
    ...flags.map((f, i) => `  ${f}${i < flags.length - 1 ? ' \\' : ''}`),
  ];
  return lines.join('\n') + '\n';
}

/** Text safe inside a shell comment: one line, no control characters. */
function comment(s: string): string {
  return printable(s.replace(/[\r\n]+/g, ' '), 200);
}

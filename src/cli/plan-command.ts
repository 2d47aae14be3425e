import type { Command } from 'commander';
import { DEFAULT_PROBE_BUDGET } from '../plan/keep-search.js';
import type { CliIO } from './io.js';
import { collect } from './run-flags.js';

export const DEFAULT_KIT_DIR = 'port-check-kit';

export interface PlanFlags {
  target?: string;
  profile?: string[];
  config?: string;
  output?: string;
  force?: boolean;
  dim?: string[];
  shape?: string[];
  input?: string[];
  inputValue?: string[];
  seed?: string;
  maxInputMb?: string;
  threshold?: string[];
  keep?: string[];
  budget?: string;
  soc?: string;
}

/** `port-check plan MODEL --target ascend-910b [-o DIR]`: writes the migration kit. */
export function addPlanCommand(
  program: Command, io: CliIO, outcome: { code: number },
): void {
  program
    .command('plan')
    .description('write a migration kit for one model: atc.sh, keep_dtype.cfg (the fewest ops to keep in fp32), PORTING.md with the effort, report.json')
    .argument('<model>', 'the ONNX model')
    .option('-t, --target <ids>', 'comma-separated target ids (default: the config file\'s, else ascend-910c)')
    .option('-o, --output <dir>', `the kit's folder (default ${DEFAULT_KIT_DIR}); must be new or empty`)
    .option('--force', 'write into a folder that is not empty, replacing the kit\'s files there')
    .option('--profile <file>', 'a target profile YAML of your own (repeatable)', collect)
    .option('--config <file>', 'config file (default: port-check.config.yaml found upward from here)')
    .option('--dim <name=N[,N...]>', 'value of a symbolic input dim (repeatable); several values become ATC gears (--dynamic_dims)', collect)
    .option('--shape <input=dims>', 'full shape of an input (repeatable), e.g. --shape x=1x3x640x640', collect)
    .option('--input <name=file>', 'real data for an input from a .npy or .json file (repeatable)', collect)
    .option('--input-value <name=value>', 'fill an input with one value (repeatable)', collect)
    .option('--seed <n>', 'seed of the synthesised inputs')
    .option('--max-input-mb <n>', 'refuse synthesised inputs larger than this')
    .option('--threshold <name=value>', 'a pass threshold of the emulation (repeatable), e.g. --threshold cosine=0.999', collect)
    .option('--keep <nodes>', 'node names or op types to keep in fp32, comma-separated (repeatable): tried as given instead of searched', collect)
    .option('--budget <n>', `emulation passes the keep-fp32 search may take (default ${DEFAULT_PROBE_BUDGET})`)
    .option('--soc <name>', "ATC --soc_version (default: the target profile's first)")
    .option('--debug', 'print stack traces of errors')
    .action(async (model: string, flags: PlanFlags) => {
      // What the command does is loaded when it runs (see program.ts): --help needs only the flags.
      outcome.code = await (await import('./plan-run.js')).planCommand(model, flags, io);
    });
}

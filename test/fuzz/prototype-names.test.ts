/**
 * Every real seed of the fuzz suite with a name from Object.prototype ("constructor", "toString",
 * "__proto__", "hasOwnProperty", "valueOf") as a node, op type, graph input, output, initializer,
 * attribute, domain and metadata key: each still gives a report, every format renders it, the
 * name reads as itself where the report shows it, and nothing of the prototype shows through
 * (a function's source, "[object Object]").
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { decodeModel } from '../../src/onnx/decode.js';
import type { ModelIR } from '../../src/onnx/ir.js';
import { realModel } from '../fixtures/real-models.js';
import { seedFrom, type Seed } from './mutate.js';
import { expectSaneOutcome, runPipeline } from './pipeline.js';
import { NAME_POSITIONS, PROTOTYPE_NAMES, withPrototypeName, type NamePosition } from './prototype-names.js';

const seeds: Seed[] = [
  ...['control-flow', 'resnet-block', 'quantized-fp8', 'llm-attention-block'].map((n) => seedFrom(n, readFileSync(`models/${n}.onnx`))),
  seedFrom('paddleocrCls', readFileSync(realModel('paddleocrCls'))),
  seedFrom('sileroVad16k', readFileSync(realModel('sileroVad16k'))),
];

const root = mkdtempSync(join(tmpdir(), 'port-check-proto-'));
const emptyDir = join(root, 'empty');
mkdirSync(emptyDir);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** What a prototype member looks like when it leaks into text. */
const LEAKS = /\[native code\]|\[object Object\]|function \w*\(|Object\.prototype/;

/** Where the report shows the name whatever the target: the model's interface, unknown ops and domains. */
const SHOWN: Partial<Record<NamePosition, (json: string, name: string) => boolean>> = {
  input: (json, name) => json.includes(`"name": ${JSON.stringify(name)}`),
  output: (json, name) => json.includes(`"name": ${JSON.stringify(name)}`),
  op: (json, name) => json.includes(JSON.stringify(name)),
  domain: (json, name) => json.includes(JSON.stringify(name)),
};

/** The name as the decoded model holds it at that position (an own key, not an inherited member). */
const HELD: Record<NamePosition, (m: ModelIR, name: string) => boolean> = {
  node: (m, name) => m.graphs[0]!.nodes[0]!.name === name,
  op: (m, name) => m.graphs[0]!.nodes[0]!.opType === name,
  input: (m, name) => m.graphs[0]!.inputs.some((i) => i.name === name),
  output: (m, name) => m.graphs[0]!.outputs.some((o) => o.name === name),
  initializer: (m, name) => m.graphs[0]!.initializers.some((t) => t.name === name),
  attribute: (m, name) => m.graphs[0]!.nodes.some((n) => n.attributes.some((a) => a.name === name)),
  domain: (m, name) => m.graphs[0]!.nodes[0]!.domain === name && Object.hasOwn(m.opsetImports, name) && m.opsetImports[name] === 1,
  metadata: (m, name) => Object.hasOwn(m.metadata, name) && m.metadata[name] === name,
};

describe.each(NAME_POSITIONS)('a %s named after an Object.prototype member', (position) => {
  test.each(seeds.map((s) => s.name))('in %s: a report, every format renders, the name is itself', async (seedName) => {
    const seed = seeds.find((s) => s.name === seedName)!;
    let tried = 0;
    for (const name of PROTOTYPE_NAMES) {
      const mutant = withPrototypeName(seed, position, name);
      if (!mutant) continue;
      tried++;
      const file = `proto/${seed.name}-${position}-${name}.onnx`;
      expect(HELD[position](decodeModel(mutant.bytes, { path: file }), name), `${file}: decoded`).toBe(true);
      const outcome = await runPipeline(mutant.bytes, file, emptyDir);
      expect(outcome.kind === 'error' ? outcome.message : 'report', `${file}`).toBe('report');
      expectSaneOutcome(outcome, file);
      if (outcome.kind !== 'report') continue;
      for (const [format, out] of Object.entries(outcome.outputs)) {
        expect(out.match(LEAKS)?.[0], `${file}: ${format}`).toBeUndefined();
      }
      const shown = SHOWN[position];
      if (shown) expect(shown(outcome.outputs.json!, name), `${file}: json names ${name}`).toBe(true);
    }
    // Every position exists in at least the seeds that have it; none is skipped for all names.
    if (position === 'node' || position === 'op' || position === 'domain' || position === 'metadata' || position === 'attribute') {
      expect(tried).toBe(PROTOTYPE_NAMES.length);
    }
  }, 60_000);
});

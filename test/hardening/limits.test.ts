/**
 * Every documented limit, proven at its boundary: at the limit the input passes, one past it the
 * limit acts (refused with a one-line error, cut with a warning, or counted instead of listed).
 * Where the default is large (2 GiB files, 1.5 GiB of heap), the option that lowers it is used,
 * plus a cheap check that the default itself is in force.
 */
import { writeFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check.js';
import { MAX_NODE_REFS } from '../../src/findings/finding.js';
import { MAX_GLOB_CHARS, compileGlob } from '../../src/config/glob.js';
import { MAX_CONFIG_BYTES, loadConfigFile } from '../../src/config/load-config.js';
import { ConfigError, ModelLoadError, ProfileError } from '../../src/errors.js';
import {
  MAX_DECODED_HEAP_BYTES, MAX_DOC_BYTES, MAX_NAME_BYTES, MAX_SUBGRAPH_DEPTH, defaultDecodedHeapBytes,
} from '../../src/onnx/decode-context.js';
import { decodeModel } from '../../src/onnx/decode.js';
import { MAX_MODEL_FILE_BYTES, loadModel } from '../../src/onnx/load.js';
import { encodeModel } from '../../src/onnx/writer.js';
import { MAX_PROFILE_BYTES, loadProfileFile } from '../../src/profiles/load.js';
import { DEFAULT_MAX_INPUT_MB, prepareInputs } from '../../src/runtime/inputs.js';
import { runCli } from '../cli/run-cli.js';
import { TARGETS, deepIfModel, f32, modelOf, tempFolder, usageErrorLine, writeModel } from './hostile-files.js';

const dir = tempFolder('limits');
const tiny = encodeModel(modelOf({ nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['y'] }], inputs: [f32('x')], outputs: [f32('y')] }));

describe(`largest model file read into memory: MAX_MODEL_FILE_BYTES (${MAX_MODEL_FILE_BYTES} bytes)`, () => {
  it('a file at the bound is read, one byte over is refused before reading (maxFileBytes lowers the bound)', async () => {
    const file = writeModel(dir, 'tiny.onnx', tiny);
    await expect(loadModel(file, { maxFileBytes: tiny.length })).resolves.toMatchObject({ fileBytes: tiny.length });
    await expect(loadModel(file, { maxFileBytes: tiny.length - 1 })).rejects.toThrow(
      new ModelLoadError(file, `is ${tiny.length} bytes, more than the ${tiny.length - 1} bytes one ONNX file can hold; save large models with external data (onnx.save_model(..., save_as_external_data=True))`),
    );
  });

  it('the default: a (sparse) file of 2 GiB is refused by the CLI from its size alone, at once', async () => {
    const file = join(dir, 'two-gib.onnx');
    writeFileSync(file, tiny);
    truncateSync(file, MAX_MODEL_FILE_BYTES + 1);
    const started = performance.now();
    const line = usageErrorLine(await runCli(['two-gib.onnx'], { cwd: dir }));
    expect(performance.now() - started).toBeLessThan(5000);
    expect(line).toBe(`port-check: ${file}: is 2.0 GiB, more than the 2.0 GiB one ONNX file can hold; save large models with external data (onnx.save_model(..., save_as_external_data=True))`);
  });
});

describe(`decoded heap: MAX_DECODED_HEAP_BYTES (${MAX_DECODED_HEAP_BYTES / 2 ** 20} MiB, or half the JS heap if smaller)`, () => {
  /** The smallest budget a model decodes under, to 1% (the decoder's own estimate of its IR). */
  function estimatedHeap(bytes: Uint8Array): number {
    let lo = 1;
    let hi = 2 ** 31;
    while (hi - lo > hi / 100) {
      const mid = Math.floor((lo + hi) / 2);
      try {
        decodeModel(bytes, { maxDecodedHeapBytes: mid });
        hi = mid;
      } catch (err) {
        expect(err).toBeInstanceOf(ModelLoadError);
        lo = mid;
      }
    }
    return hi;
  }

  it('decodes under its estimate and refuses one byte less, with a one-line error', () => {
    const bytes = deepIfModel(200);
    const need = estimatedHeap(bytes);
    expect(() => decodeModel(bytes, { maxDecodedHeapBytes: need })).not.toThrow();
    expect(() => decodeModel(bytes, { path: 'm.onnx', maxDecodedHeapBytes: Math.floor(need * 0.98) })).toThrow(
      /^m\.onnx: describes more graph structure than port-check decodes \(over 0 MiB of nodes, names and attributes\); is it a real model or a generated stress file\?$/,
    );
  });

  it('the estimate keeps up with the real heap of deep nesting (paths counted), so the bound bounds memory', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const bytes = deepIfModel(20_000);
    const need = estimatedHeap(bytes);
    gc();
    const before = process.memoryUsage().heapUsed;
    const model = decodeModel(bytes);
    gc();
    const used = process.memoryUsage().heapUsed - before;
    expect(model.graphs).toHaveLength(20_001);
    // Measured: real/estimate ≈ 0.9 here (1.38 before graph paths were counted).
    expect(used / need).toBeLessThan(1.25);
    expect(used / need).toBeGreaterThan(0.5);
  });

  it('the default is MAX_DECODED_HEAP_BYTES capped at half of this process\'s heap limit', () => {
    expect(defaultDecodedHeapBytes()).toBe(Math.min(MAX_DECODED_HEAP_BYTES, Math.floor(v8.getHeapStatistics().heap_size_limit / 2)));
  });
});

describe(`deepest subgraph nesting: MAX_SUBGRAPH_DEPTH (${MAX_SUBGRAPH_DEPTH} levels)`, () => {
  it('nesting at the bound decodes; one level more is refused (maxSubgraphDepth lowers it)', () => {
    expect(decodeModel(deepIfModel(40), { maxSubgraphDepth: 40 }).graphs).toHaveLength(41);
    expect(() => decodeModel(deepIfModel(41), { path: 'deep.onnx', maxSubgraphDepth: 40 })).toThrow(
      /^deep\.onnx: nests subgraphs \(If\/Loop\/Scan bodies\) more than 40 levels deep, at graph "main\/If#0\.then_branch\/.*", node #0; no runtime loads that \(ONNX Runtime stops at about 30\): is it a real model or a generated stress file\?$/,
    );
  });

  it('loadModel passes the option through', async () => {
    const file = writeModel(dir, 'deep-41.onnx', deepIfModel(41));
    await expect(loadModel(file, { maxSubgraphDepth: 40 })).rejects.toThrow(/more than 40 levels deep/);
    await expect(loadModel(file, { maxSubgraphDepth: 41 })).resolves.toMatchObject({ graphs: expect.any(Array) });
  });
});

describe(`longest name kept: MAX_NAME_BYTES (${MAX_NAME_BYTES}), doc strings MAX_DOC_BYTES (${MAX_DOC_BYTES})`, () => {
  it('a node name at the bound is kept whole; one byte more is cut to the bound with a warning; the report shows the cut name', async () => {
    const named = (name: string) => encodeModel(modelOf({ nodes: [{ opType: 'NonZero', name, inputs: ['x'], outputs: ['y'] }], inputs: [f32('x')], outputs: [{ name: 'y', dtype: 'INT64' }] }));
    const atBound = decodeModel(named('n'.repeat(MAX_NAME_BYTES)));
    expect(atBound.graphs[0]!.nodes[0]!.name).toHaveLength(MAX_NAME_BYTES);
    expect(atBound.warnings).toEqual([]);
    const over = decodeModel(named('n'.repeat(MAX_NAME_BYTES + 1)));
    expect(over.graphs[0]!.nodes[0]!.name).toHaveLength(MAX_NAME_BYTES);
    expect(over.warnings).toEqual([expect.stringMatching(/^NodeProto\.name of 4097 bytes was cut to 4096 bytes/)]);

    const file = writeModel(dir, 'long-name.onnx', named('n'.repeat(2 ** 20)));
    const report = await check(file, { targets: ['ascend-910b'] });
    const refs = report.targets[0]!.findings.flatMap((f) => f.nodes);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref.name).toHaveLength(MAX_NAME_BYTES);
  });

  it('a doc string at the bound is kept; one byte more is cut', () => {
    const doc = (n: number) => decodeModel(encodeModel({ ...modelOf({ nodes: [], inputs: [], outputs: [] }), docString: 'd'.repeat(n) }));
    expect(doc(MAX_DOC_BYTES).docString).toHaveLength(MAX_DOC_BYTES);
    const over = doc(MAX_DOC_BYTES + 1);
    expect(over.docString).toHaveLength(MAX_DOC_BYTES);
    expect(over.warnings).toEqual([`ModelProto.doc_string of ${MAX_DOC_BYTES + 1} bytes was cut to ${MAX_DOC_BYTES} bytes`]);
  });
});

describe(`profile and config file size: MAX_PROFILE_BYTES (${MAX_PROFILE_BYTES}), MAX_CONFIG_BYTES (${MAX_CONFIG_BYTES})`, () => {
  /** A YAML file of exactly `size` bytes: a comment, then padding, then `tail`. */
  function yamlOfSize(name: string, size: number, tail: string): string {
    const file = join(dir, name);
    writeFileSync(file, `#${' '.repeat(size - tail.length - 2)}\n${tail}`);
    return file;
  }

  it('a profile at the bound is parsed (and found wanting); one byte more is refused unread', () => {
    const at = yamlOfSize('profile-at.yaml', MAX_PROFILE_BYTES, 'schemaVersion: 1\n');
    expect(() => loadProfileFile(at)).toThrow(new ProfileError(at, 'id', "missing required key 'id'", 2));
    const over = yamlOfSize('profile-over.yaml', MAX_PROFILE_BYTES + 1, 'schemaVersion: 1\n');
    expect(() => loadProfileFile(over)).toThrow(
      new ProfileError(over, '', `file is ${MAX_PROFILE_BYTES + 1} bytes; a profile may be at most ${MAX_PROFILE_BYTES} bytes (8 MiB)`),
    );
  });

  it('a config at the bound is read; one byte more is refused unread', () => {
    const at = yamlOfSize('config-at.yaml', MAX_CONFIG_BYTES, 'failOn: never\n');
    expect(loadConfigFile(at)).toMatchObject({ failOn: 'never' });
    const over = yamlOfSize('config-over.yaml', MAX_CONFIG_BYTES + 1, 'failOn: never\n');
    expect(() => loadConfigFile(over)).toThrow(new ConfigError(over, '', `file is ${MAX_CONFIG_BYTES + 1} bytes; a config may be at most 1 MiB`));
  });

  it(`a config glob of ${MAX_GLOB_CHARS} characters compiles; one more is refused`, () => {
    expect(compileGlob('a'.repeat(MAX_GLOB_CHARS)).test('a'.repeat(MAX_GLOB_CHARS))).toBe(true);
    expect(() => compileGlob('a'.repeat(MAX_GLOB_CHARS + 1))).toThrow(`glob of ${MAX_GLOB_CHARS + 1} characters; at most ${MAX_GLOB_CHARS}`);
  });
});

describe(`largest synthesised input: DEFAULT_MAX_INPUT_MB (${DEFAULT_MAX_INPUT_MB} MB, --max-input-mb)`, () => {
  const floatsInput = (n: number | string) => decodeModel(encodeModel(modelOf({
    nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['y'] }],
    inputs: [f32('x', [n])],
    outputs: [f32('y', [n])],
  })));

  it('an input of exactly the bound is synthesised; 4 bytes more is refused before anything is allocated', async () => {
    const oneMiBOfFloats = 2 ** 20 / 4;
    const at = await prepareInputs(floatsInput(oneMiBOfFloats), { maxInputMB: 1 });
    expect(at.ok).toBe(true);
    const over = await prepareInputs(floatsInput(oneMiBOfFloats + 1), { maxInputMB: 1 });
    expect(over).toMatchObject({ ok: false, reason: expect.stringMatching(/^the inputs would take 1\.0 MiB .*above the limit of 1\.0 MiB; give smaller dims with --dim\/--shape, or raise --max-input-mb$/) });
  });

  it('the default bound refuses a dynamic dim set past 512 MB without allocating it', async () => {
    const heapBefore = process.memoryUsage().arrayBuffers;
    const floats = (DEFAULT_MAX_INPUT_MB * 2 ** 20) / 4;
    const over = await prepareInputs(floatsInput('n'), { dims: { n: floats + 1 } });
    expect(over).toMatchObject({ ok: false, reason: expect.stringMatching(/above the limit of 512 MiB/) });
    expect(process.memoryUsage().arrayBuffers - heapBefore).toBeLessThan(64 * 2 ** 20);
  });
});

describe(`node references per finding: MAX_NODE_REFS (${MAX_NODE_REFS})`, () => {
  const customOps = (n: number) => modelOf({
    nodes: Array.from({ length: n }, (_, i) => ({ opType: 'Evil', domain: 'com.evil', name: `evil${i}`, inputs: [i === 0 ? 'x' : `t${i - 1}`], outputs: [`t${i}`] })),
    inputs: [f32('x')],
    outputs: [f32(`t${n - 1}`)],
  }, { opsets: { 'ai.onnx': 17, 'com.evil': 1 } });

  it(`${MAX_NODE_REFS} nodes are all listed; ${MAX_NODE_REFS + 1} list ${MAX_NODE_REFS} and count ${MAX_NODE_REFS + 1}`, async () => {
    for (const n of [MAX_NODE_REFS, MAX_NODE_REFS + 1, 10_000]) {
      const file = writeModel(dir, `custom-${n}.onnx`, customOps(n));
      const report = await check(file, { targets: [...TARGETS] });
      for (const t of report.targets) {
        const finding = t.findings.find((f) => f.op === 'Evil' && f.nodeCount > 1)!;
        expect(finding, t.id).toMatchObject({ nodeCount: n });
        expect(finding.nodes).toHaveLength(Math.min(n, MAX_NODE_REFS));
      }
    }
  });
});

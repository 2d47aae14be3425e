/**
 * One-op models for every ai.onnx op at opsets 13 and 17, built with the project's writer, checked
 * against each Ascend target; the op table's engine and level must be what the raw evidence says:
 * CANN's parser registrations (atc_onnx_parser_registrations.tsv) and the engine each plugin
 * declares (cann_onnx_imply_types.tsv), read here straight from knowledge/, not from the profiles.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { opTable } from '../../src/assess/op-table.js';
import { inspectModel } from '../../src/inspect/inspect.js';
import { singleOp, roundTrip } from './models.js';
import { ASCEND, TARGETS, profile } from './run-checks.js';

const KNOWLEDGE = join(import.meta.dirname, '..', '..', 'knowledge');

function rows(file: string): string[][] {
  return readFileSync(join(KNOWLEDGE, file), 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => l.split('\t'));
}

function covers(opsets: string, v: number): boolean {
  return opsets.split(',').some((part) => {
    const [a, b] = part.split('-').map(Number);
    return v >= a! && v <= (b ?? a!);
  });
}

const registrations = rows('atc_onnx_parser_registrations.tsv').filter(([d]) => d === 'ai.onnx');
const implyTypes = rows('cann_onnx_imply_types.tsv').filter(([d]) => d === 'ai.onnx');
const missing = new Set(rows('atc_missing_standard_onnx_ops.txt').map(([op]) => op!.trim()));
const ortOps = rows('ort_operator_kernels.tsv').filter(([, d, op]) => d === 'ai.onnx' && op !== 'Op Name').map(([, , op]) => op!);
/** Standard ops defined as ONNX functions, which no runtime registers a kernel for. */
const FUNCTION_OPS = ['NegativeLogLikelihoodLoss', 'SequenceMap', 'SoftmaxCrossEntropyLoss', 'Mish', 'LayerNormalization', 'GroupNormalization'];
/** Built into the GE ONNX parser (header of atc_missing_standard_onnx_ops.txt). */
const GE_BUILTIN = new Set(['Constant', 'FileConstant']);

const ALL_OPS = [...new Set([...ortOps, ...registrations.map(([, op]) => op!), ...missing, ...FUNCTION_OPS])].sort();

/** What the evidence says for an ai.onnx op at an opset on Ascend: level and engine. */
function expected(op: string, opset: number): { level: string; engine: string } | undefined {
  if (GE_BUILTIN.has(op)) return { level: 'supported', engine: 'ge' };
  const regs = registrations.filter(([, o, opsets]) => o === op && covers(opsets!, opset));
  if (regs.length === 0) return { level: 'unsupported', engine: 'none' }; // ATC: E16002 "No parser is registered"
  const engines = new Set(implyTypes.filter(([, o, opsets]) => o === op && covers(opsets!, opset)).map(([, , , , engine]) => engine));
  if (engines.size === 0) return undefined; // a registration without a plugin file (msit's map): no engine evidence
  const aiCore = engines.has('aicore') || engines.has('custom');
  if (!aiCore && engines.has('aicpu')) return { level: 'degraded', engine: 'aicpu' };
  if (!aiCore && engines.has('ge-local')) return { level: 'supported', engine: 'ge' };
  const cannOps = regs.flatMap(([, , , cann]) => cann!.split('|'));
  return { level: 'supported', engine: cannOps.every((c) => c === 'PartitionedCall') ? 'decomposed' : 'aicore' };
}

describe('op table: every ai.onnx op as a one-op model', () => {
  it('covers the standard op set, sequence and function ops included', () => {
    expect(ALL_OPS.length).toBeGreaterThan(200);
    for (const op of ['Conv', 'SequenceAt', 'NegativeLogLikelihoodLoss', 'SequenceMap', 'TfIdfVectorizer', 'Upsample']) expect(ALL_OPS).toContain(op);
  });

  for (const opset of [13, 17]) {
    for (const target of ASCEND) {
      it(`${target}, opset ${opset}: engine and level match CANN's parser registrations and ImplyTypes`, () => {
        const mismatches: string[] = [];
        let checked = 0;
        for (const op of ALL_OPS) {
          const want = expected(op, opset);
          if (!want) continue;
          const model = roundTrip(singleOp({ opType: op, name: op }, { opsets: { 'ai.onnx': opset } }));
          const [row] = opTable(inspectModel(model), profile(target));
          checked += 1;
          if (!row || row.level !== want.level || row.engine !== want.engine) {
            mismatches.push(`${op}: got ${row?.level}/${row?.engine}, evidence says ${want.level}/${want.engine}`);
          }
        }
        expect(mismatches).toEqual([]);
        expect(checked).toBeGreaterThan(200);
      });
    }
  }

  it('gives every op a row on every target, with an engine, and evidence that resolves in the profile', () => {
    for (const target of TARGETS) {
      const p = profile(target);
      for (const op of ALL_OPS) {
        const [row] = opTable(inspectModel(roundTrip(singleOp({ opType: op }))), p);
        expect(row, `${op} on ${target}`).toBeDefined();
        expect(row!.evidence.sources.length, op).toBeGreaterThan(0);
        for (const s of row!.evidence.sources) expect(Object.keys(p.sources), `${op}: ${s}`).toContain(s);
        if (row!.level === 'unsupported') expect(row!.engine, op).toBe('none');
        if (row!.engine === 'aicpu' || row!.engine === 'cpu-fallback') expect(row!.level, op).toBe('degraded');
      }
    }
  });

  it('shows where 910B and 910C differ: an AI Core kernel open-sourced with dtypes for one SoC, declared only for the other', () => {
    const model = roundTrip(singleOp({ opType: 'Exp' }));
    const [b] = opTable(inspectModel(model), profile('ascend-910b'));
    const [c] = opTable(inspectModel(model), profile('ascend-910c'));
    expect(b).toMatchObject({ engine: 'aicore', targetOp: 'Exp' });
    expect(b!.dtypes).toContain('fp16');
    expect(c).toMatchObject({ engine: 'aicore', targetOp: 'Exp' });
    expect(c!.dtypes).toBeUndefined();
  });

  it('on the H20, runs what has a CUDA kernel on CUDA and what has only a CPU kernel on the CPU fallback', () => {
    const h20 = profile('h20');
    const cases: [string, string, string][] = [['Conv', 'cuda', 'supported'], ['Acos', 'cpu-fallback', 'degraded'], ['STFT', 'cpu-fallback', 'degraded']];
    for (const [op, engine, level] of cases) {
      const [row] = opTable(inspectModel(roundTrip(singleOp({ opType: op }))), h20);
      expect(row, op).toMatchObject({ engine, level, targetOp: op });
    }
  });
});

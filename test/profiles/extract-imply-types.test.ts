import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { opsetList, registrationsOf } from '../../scripts/extract-imply-types.js';

/** Shapes of registration copied from hicann/ops-math and ops-nn plugin files. */
const SEQUENCE = `
// register SequenceAt op info to GE
REGISTER_CUSTOM_OP("SequenceAt")
    .FrameworkType(ONNX)
    .OriginOpType(
        {ge::AscendString("ai.onnx::11::SequenceAt"), ge::AscendString("ai.onnx::12::SequenceAt"),
         ge::AscendString("ai.onnx::13::SequenceAt")})
    .ParseParamsFn(ParseParamsSequenceAt)
    .ImplyType(ImplyType::AI_CPU);
/* REGISTER_CUSTOM_OP("Commented").FrameworkType(ONNX).OriginOpType("ai.onnx::11::Commented").ImplyType(ImplyType::TVM); */
`;

const MACRO = `
#define REGISTER_CUSTOM_ONNX_OP(ONNX_OPP, ATC_OPP, FUN) \\
    REGISTER_PARSE_PARAMS_OP(FUN)                       \\
    REGISTER_CUSTOM_OP(#ATC_OPP)                        \\
        .FrameworkType(ONNX)                            \\
        .OriginOpType(#ONNX_OPP)                        \\
        .ParseParamsFn(ParseParams##FUN)                \\
        .ImplyType(ImplyType::TVM)

REGISTER_CUSTOM_ONNX_OP(ai.onnx::11::Where, SelectV2, WhereV11);
REGISTER_CUSTOM_ONNX_OP(ai.onnx::8::Not, LogicalNot, NotV8);
`;

describe('extract-imply-types', () => {
  it('reads a registration chain: CANN op, origin op types, ImplyType; comments are not code', () => {
    expect(registrationsOf(SEQUENCE, 'f.cpp').map((r) => `${r.domain}::${r.opset}::${r.op} ${r.cannOp} ${r.implyType}`)).toEqual([
      'ai.onnx::11::SequenceAt SequenceAt AI_CPU',
      'ai.onnx::12::SequenceAt SequenceAt AI_CPU',
      'ai.onnx::13::SequenceAt SequenceAt AI_CPU',
    ]);
  });

  it('expands the function-like macros plugins register through', () => {
    expect(registrationsOf(MACRO, 'f.cpp').map((r) => `${r.opset}::${r.op} ${r.cannOp} ${r.implyType}`)).toEqual([
      '11::Where SelectV2 TVM',
      '8::Not LogicalNot TVM',
    ]);
  });

  it('writes opset lists with their gaps', () => {
    expect(opsetList([8, 9, 11, 12, 13, 16, 14, 15])).toBe('8-9,11-16');
  });

  it('agrees with the parser registrations: the same ai.onnx ops, each with an engine', () => {
    const dir = join(import.meta.dirname, '..', '..', 'knowledge');
    const read = (f: string) => readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t'));
    const registered = new Set(read('atc_onnx_parser_registrations.tsv').filter(([d]) => d === 'ai.onnx').map(([, op]) => op));
    const implied = new Set(read('cann_onnx_imply_types.tsv').filter(([d]) => d === 'ai.onnx').map(([, op]) => op));
    expect([...implied].filter((op) => !registered.has(op))).toEqual([]);
    expect([...registered].filter((op) => !implied.has(op))).toEqual([]);
    const header = readFileSync(join(dir, 'cann_onnx_imply_types.tsv'), 'utf8');
    expect(header).toMatch(/hicann\/ops-nn@[0-9a-f]{40}/);
    expect(header).toMatch(/# regenerate: .*extract-imply-types/);
  });
});

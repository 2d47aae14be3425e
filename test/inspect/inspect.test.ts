import { describe, expect, it } from 'vitest';
import { MAX_NODE_REFS } from '../../src/findings/finding.js';
import { inspectModel } from '../../src/inspect/inspect.js';
import type { GraphSpec, ModelSpec } from '../../src/onnx/model-spec.js';
import { convRelu, f32, roundTrip, singleOp, weights } from '../checks/models.js';

const inspect = (spec: ModelSpec) => inspectModel(roundTrip(spec));

describe('inspectModel: op inventory', () => {
  it('counts each (domain, op) once with its opset, node refs and dtypes', () => {
    const facts = inspect(convRelu(17));
    expect(facts.nodeCount).toBe(2);
    expect(facts.ops.map((o) => [o.domain, o.opType, o.opset, o.nodeCount])).toEqual([
      ['ai.onnx', 'Conv', 17, 1],
      ['ai.onnx', 'Relu', 17, 1],
    ]);
    const conv = facts.ops.find((o) => o.opType === 'Conv')!;
    expect(conv.nodes).toEqual([{ name: 'conv', graph: 'main', index: 0 }]);
    expect(conv.dtypes).toEqual(['FLOAT']);
    expect(conv.mainInputDtypes).toEqual(['FLOAT']);
  });

  it('names unnamed nodes "#<index> <OpType>" and keeps at most MAX_NODE_REFS refs, counting all', () => {
    const n = MAX_NODE_REFS + 7;
    const nodes = Array.from({ length: n }, (_, i) => ({ opType: 'Relu', inputs: [i === 0 ? 'x' : `t${i - 1}`], outputs: [i === n - 1 ? 'y' : `t${i}`] }));
    const facts = inspect({ opsets: { 'ai.onnx': 17 }, graph: { nodes, inputs: [f32('x')], outputs: [f32('y')] } });
    const relu = facts.ops[0]!;
    expect(relu.nodeCount).toBe(n);
    expect(relu.nodes).toHaveLength(MAX_NODE_REFS);
    expect(relu.nodes[3]).toEqual({ name: '#3 Relu', graph: 'main', index: 3 });
  });

  it('walks subgraphs: ops inside If branches are inventoried with their graph path', () => {
    const branch = (op: string): GraphSpec => ({
      nodes: [{ opType: op, name: `${op.toLowerCase()}_in_branch`, inputs: ['x'], outputs: [`${op}_out`] }],
      inputs: [],
      outputs: [f32(`${op}_out`)],
    });
    const facts = inspect({
      opsets: { 'ai.onnx': 17 },
      graph: {
        nodes: [{ opType: 'If', name: 'if0', inputs: ['cond'], outputs: ['y'], attributes: { then_branch: { g: branch('Relu') }, else_branch: { g: branch('Sigmoid') } } }],
        inputs: [f32('x'), { name: 'cond', dtype: 'BOOL', dims: [] }],
        outputs: [f32('y')],
      },
    });
    expect(facts.nodeCount).toBe(3);
    expect(facts.controlFlow.map((o) => o.opType)).toEqual(['If']);
    const relu = facts.ops.find((o) => o.opType === 'Relu')!;
    expect(relu.nodes[0]!.graph).toMatch(/^main\/if0\.then_branch/);
    // The branch reads x from the main graph: its dtype is found through the parent scope.
    expect(relu.dtypes).toEqual(['FLOAT']);
  });

  it('records model-local functions, and leaves their domain out of customDomains', () => {
    const facts = inspect({
      opsets: { 'ai.onnx': 17, 'my.fns': 1, 'vendor.ops': 1 },
      graph: {
        nodes: [
          { opType: 'Swish', domain: 'my.fns', name: 'swish', inputs: ['x'], outputs: ['s'] },
          { opType: 'FancyNorm', domain: 'vendor.ops', name: 'norm', inputs: ['s'], outputs: ['y'] },
        ],
        inputs: [f32('x')],
        outputs: [f32('y')],
      },
      functions: [{
        domain: 'my.fns', name: 'Swish', inputs: ['X'], outputs: ['Y'], opsets: { 'ai.onnx': 17 },
        nodes: [
          { opType: 'Sigmoid', inputs: ['X'], outputs: ['S'] },
          { opType: 'Mul', inputs: ['X', 'S'], outputs: ['Y'] },
        ],
      }],
    });
    expect([...facts.localFunctions]).toEqual(['my.fns::Swish']);
    expect(facts.customDomains).toEqual(['vendor.ops']);
    expect(facts.ops.map((o) => `${o.domain}::${o.opType}`)).toEqual(
      expect.arrayContaining(['ai.onnx::Sigmoid', 'ai.onnx::Mul', 'my.fns::Swish', 'vendor.ops::FancyNorm']),
    );
    expect(facts.nodeCount).toBe(4);
  });
});

describe('inspectModel: dtypes by site', () => {
  it('finds initializer, cast target, zero point, constant and value_info dtypes, with examples', () => {
    const facts = inspect({
      opsets: { 'ai.onnx': 21 },
      graph: {
        nodes: [
          { opType: 'Cast', name: 'to_bf16', inputs: ['x'], outputs: ['xb'], attributes: { to: { i: 16 } } },
          { opType: 'Constant', name: 'k', inputs: [], outputs: ['kd'], attributes: { value: { t: weights('kv', [2], 'DOUBLE') } } },
          { opType: 'QuantizeLinear', name: 'q', inputs: ['x', 'scale', 'zp'], outputs: ['xq'] },
          { opType: 'DequantizeLinear', name: 'dq', inputs: ['xq', 'scale', 'zp'], outputs: ['y'] },
        ],
        inputs: [f32('x')],
        outputs: [f32('y')],
        valueInfo: [{ name: 'xb', dtype: 'BFLOAT16', dims: [1, 3, 8, 8] }],
        initializers: [weights('scale', [], 'FLOAT'), weights('zp', [], 'UINT8'), weights('w16', [4, 4], 'FLOAT16')],
      },
    });
    const sites = (dtype: string) => facts.dtypes.find((d) => d.dtype === dtype)?.sites.map((s) => `${s.site}:${s.count}:${s.examples.join('|')}`);
    expect(sites('BFLOAT16')).toEqual(['value_info:1:xb', 'cast_target:1:to_bf16']);
    expect(sites('DOUBLE')).toEqual(['constant:1:kd']);
    expect(sites('UINT8')).toEqual(['initializer:1:zp', 'zero_point:2:zp|zp']);
    expect(sites('FLOAT16')).toEqual(['initializer:1:w16']);
    expect(facts.dtypes.find((d) => d.dtype === 'FLOAT16')!.initializerBytes).toBe(32);
    // dtype-code order: FLOAT(1) UINT8(2) FLOAT16(10) DOUBLE(11) BFLOAT16(16)
    expect(facts.dtypes.map((d) => d.dtype)).toEqual(['FLOAT', 'UINT8', 'FLOAT16', 'DOUBLE', 'BFLOAT16']);
  });
});

describe('inspectModel: inputs, quantization, parameters', () => {
  it('lists main-graph inputs with symbolic or unknown dims, naming the symbols', () => {
    const facts = inspect({
      opsets: { 'ai.onnx': 17 },
      graph: {
        nodes: [
          { opType: 'Add', inputs: ['ids', 'mask'], outputs: ['s'] },
          { opType: 'Add', inputs: ['s', 'fixed'], outputs: ['t'] },
          { opType: 'Add', inputs: ['t', 'norank'], outputs: ['y'] },
        ],
        inputs: [
          f32('ids', ['batch', 'seq']),
          f32('mask', ['batch', null]),
          f32('fixed', [1, 4]),
          { name: 'norank', dtype: 'FLOAT' },
        ],
        outputs: [f32('y', ['batch', 'seq'])],
      },
    });
    expect(facts.dynamicInputs).toEqual([
      { name: 'ids', dims: ['batch', 'seq'], symbolic: ['batch', 'seq'] },
      { name: 'mask', dims: ['batch', null], symbolic: ['batch'] },
      { name: 'norank', dims: [], symbolic: [], unknownRank: true },
    ]);
  });

  it('names the quantization schemes with their ops and nodes', () => {
    const facts = inspect({
      opsets: { 'ai.onnx': 17, 'com.microsoft': 1 },
      graph: {
        nodes: [
          { opType: 'DynamicQuantizeLinear', name: 'dql', inputs: ['x'], outputs: ['xq', 'xs', 'xz'] },
          { opType: 'ConvInteger', name: 'ci', inputs: ['xq', 'wq', 'xz', 'wz'], outputs: ['acc'] },
          { opType: 'Cast', name: 'cast', inputs: ['acc'], outputs: ['accf'], attributes: { to: { i: 1 } } },
          { opType: 'MatMulNBits', domain: 'com.microsoft', name: 'mm4', inputs: ['accf', 'w4', 's4'], outputs: ['m'], attributes: { K: { i: 8 }, N: { i: 4 }, bits: { i: 4 }, block_size: { i: 16 } } },
          { opType: 'Add', name: 'add8', inputs: ['m', 'f8'], outputs: ['y'] },
        ],
        inputs: [f32('x')],
        outputs: [f32('y')],
        initializers: [weights('wq', [4, 3, 3, 3], 'UINT8'), weights('wz', [], 'UINT8'), weights('w4', [4, 1, 8], 'UINT8'), weights('s4', [4], 'FLOAT'), weights('f8', [4], 'FLOAT8E4M3FN')],
      },
    });
    const schemes = Object.fromEntries(facts.quantization.schemes.map((s) => [s.scheme, [s.ops, s.nodeCount, s.nodes.map((n) => n.name)]]));
    expect(schemes).toEqual({
      'integer-ops': [['ConvInteger'], 1, ['ci']],
      'dynamic-quantize': [['DynamicQuantizeLinear'], 1, ['dql']],
      'matmul-nbits': [['MatMulNBits'], 1, ['mm4']],
      fp8: [['Add'], 1, ['add8']],
    });
    const zeroPoints = facts.dtypes.find((d) => d.dtype === 'UINT8')!.sites.find((s) => s.site === 'zero_point')!;
    expect(zeroPoints.examples).toEqual(['xz', 'wz']);
  });

  it('sums parameters and bytes over every graph, external bytes apart', () => {
    const facts = inspect({
      opsets: { 'ai.onnx': 17 },
      graph: {
        nodes: [{ opType: 'Add', inputs: ['x', 'a'], outputs: ['t'] }, { opType: 'Add', inputs: ['t', 'b'], outputs: ['y'] }],
        inputs: [f32('x', [4])],
        outputs: [f32('y', [4])],
        initializers: [
          weights('a', [4], 'FLOAT'),
          { name: 'b', dtype: 'FLOAT16', dims: [1000], external: { location: 'b.bin', offset: 0, length: 2000 } },
        ],
      },
    });
    expect(facts.parameterCount).toBe(1004);
    expect(facts.parameterBytes).toBe(16 + 2000);
    expect(facts.externalDataBytes).toBe(2000);
  });
});

// How fast: bench/inspect-scale.mjs (inspect against decoding the same bytes, side by side).
describe('inspectModel at 50,000 nodes', () => {
  it('counts every node of a 50,000-node chain, both op types, refs capped, dtypes from the graph I/O', () => {
    const n = 50_000;
    const nodes = Array.from({ length: n }, (_, i) => ({ opType: i % 2 ? 'Relu' : 'Sigmoid', inputs: [i === 0 ? 'x' : `t${i - 1}`], outputs: [i === n - 1 ? 'y' : `t${i}`] }));
    const facts = inspectModel(roundTrip({ opsets: { 'ai.onnx': 17 }, graph: { nodes, inputs: [f32('x')], outputs: [f32('y')] } }));
    expect(facts.nodeCount).toBe(n);
    expect(facts.ops.map((o) => [o.opType, o.nodeCount, o.nodes.length])).toEqual([
      ['Relu', n / 2, MAX_NODE_REFS],
      ['Sigmoid', n / 2, MAX_NODE_REFS],
    ]);
    expect(facts.ops[0]!.nodes.at(-1)).toEqual({ name: `#${2 * MAX_NODE_REFS - 1} Relu`, graph: 'main', index: 2 * MAX_NODE_REFS - 1 });
    expect(facts.dtypes.map((d) => d.dtype)).toEqual(['FLOAT']);
    expect([facts.controlFlow, facts.customDomains, facts.parameterCount]).toEqual([[], [], 0]);
  });
});

it('singleOp builds a one-node model (sanity of the test helper)', () => {
  const facts = inspect(singleOp({ opType: 'Relu' }));
  expect(facts.ops.map((o) => o.opType)).toEqual(['Relu']);
});

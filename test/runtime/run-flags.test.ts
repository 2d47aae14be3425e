import { expect, test } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseBackends, parseDimFlags, parseInputFlags, parseInputValueFlags, parseShapeFlags } from '../../src/runtime/index.js';

test('run flags parse as the user typed them, or say what was expected', () => {
  expect(parseBackends('cpu, CUDA,cpu')).toEqual(['cpu', 'cuda']);
  expect(() => parseBackends('cpu,rocm')).toThrow(new UsageError('--backend rocm: unknown execution provider; choose from cpu, cuda, tensorrt, webgpu'));
  expect(parseDimFlags(['batch=1', 'p2o.DynamicDimension.1=320'])).toEqual({ batch: 1, 'p2o.DynamicDimension.1': 320 });
  expect(() => parseDimFlags(['seq=-1'])).toThrow('--dim seq=-1: the value must be a non-negative integer');
  expect(parseShapeFlags(['x=1x3x224x224', 'sr='])).toEqual({ x: [1, 3, 224, 224], sr: [] });
  expect(() => parseShapeFlags(['x=1x3xHxW'])).toThrow('--shape x=1x3xHxW: expected dims like 1x3x224x224');
  expect(parseInputFlags(['x=data/a=b.npy'])).toEqual({ x: 'data/a=b.npy' });
  expect(() => parseInputFlags(['x.npy'])).toThrow('--input x.npy: expected name=value');
  expect(parseInputValueFlags(['sr=8000'])).toEqual({ sr: 8000 });
  expect(() => parseInputValueFlags(['sr=fast'])).toThrow('--input-value sr=fast: the value must be a number');
});

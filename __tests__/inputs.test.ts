/**
 * Bad inputs, special values and memory, for every activation on every backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as act from '../src';
import type { AnyDefinition } from '../src';
import { describeEachBackend } from './helpers/backends';

const defs = act.all() as AnyDefinition[];
const opOf = (id: string) => (act.ops as unknown as Record<string, (x: unknown, p?: unknown) => tf.Tensor>)[id];

describeEachBackend(() => {
  describe.each(defs.map((d) => [d.id] as const))('%s', (id) => {
    const op = opOf(id);

    it.each(['int32', 'bool', 'string'] as const)('rejects a %s tensor in tfjs\'s wording', (dtype) => {
      const x = dtype === 'string' ? tf.tensor(['a']) : tf.tensor([1, 0], undefined, dtype);
      expect(() => op(x)).toThrow(`Argument 'x' passed to '${id}' must be float32 tensor, but got ${dtype} tensor`);
      x.dispose();
    });

    it('rejects strings, booleans and non-tensors given directly', () => {
      expect(() => op(['a', 'b'])).toThrow(`Argument 'x' passed to '${id}' must be float32 tensor, but got string tensor`);
      expect(() => op([[true, false]])).toThrow(`Argument 'x' passed to '${id}' must be float32 tensor, but got bool tensor`);
      expect(() => op(null)).toThrow(`Argument 'x' passed to '${id}' must be a Tensor or TensorLike, but got 'null'`);
      expect(() => op({ a: 1 })).toThrow(`Argument 'x' passed to '${id}' must be a Tensor or TensorLike, but got 'Object'`);
    });

    it('accepts numbers, nested arrays and typed arrays, keeping the shape', () => {
      const a = op(0.5);
      const b = op([[0.5, -1], [2, 3]]);
      const c = op(new Float32Array([0.5, -1]));
      expect(a.shape).toEqual([]);
      expect(b.shape).toEqual([2, 2]);
      expect(c.shape).toEqual([2]);
      expect(b.dataSync()[0]).toBe(a.dataSync()[0]);
      tf.dispose([a, b, c]);
    });

    it('handles empty tensors', () => {
      const x = tf.tensor2d([], [0, 3]);
      const y = op(x);
      expect(y.shape).toEqual([0, 3]);
      tf.dispose([x, y]);
    });

    it('NaN in gives NaN out, for the value and both derivatives', () => {
      const x = tf.tensor1d([NaN, 1]);
      const f = (t: tf.Tensor) => op(t);
      const outs = [f(x), tf.grad(f)(x), tf.grad(tf.grad(f))(x)];
      for (const o of outs) expect(Number.isNaN(o.dataSync()[0])).toBe(true);
      tf.dispose([x, ...outs]);
    });

    it('+0 and -0 give the same value', () => {
      const y = op([0, -0]);
      const [a, b] = y.dataSync();
      expect(a === b).toBe(true);  // 0 === -0 in JS; signs of zero are not part of the contract
      y.dispose();
    });

    it('leaks no tensors: op, gradient, second gradient, and failing calls', () => {
      const x = tf.tensor1d([-2, -0.5, 0.25, 3]);
      const before = tf.memory().numTensors;
      const f = (t: tf.Tensor) => op(t);
      tf.dispose([f(x), tf.grad(f)(x), tf.grad(tf.grad(f))(x)]);
      tf.dispose(op([1, 2, 3]));
      expect(() => op([1], { nope: 1 })).toThrow();
      expect(() => op(['a'])).toThrow();
      tf.tidy(() => { tf.grad(f)(x); });
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
    });
  });
});

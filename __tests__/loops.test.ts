/**
 * The dedicated kernel loops (src/engine/loops.ts) compute exactly what the definition computes:
 * every output equals fround(f(x)) and fround(dy·f′(x)) evaluated here from the definition, with
 * default and non-default parameters, NaN and ±Infinity, on every backend.
 */
import * as tf from '@tensorflow/tfjs';
import * as act from '../src';
import type { AnyDefinition } from '../src';
import { DEDICATED_LOOPS } from '../src/engine/loops';
import { describeEachBackend } from './helpers/backends';
import { uniform } from '../demos/lib/bench-harness';

const opOf = (id: string) => (act.ops as unknown as Record<string, (x: tf.Tensor, p?: object) => tf.Tensor>)[id];

const PARAMS: Record<string, object[]> = { elu: [{}, { alpha: 0.7 }], softplus: [{}, { beta: 2.5 }] };

const xs = Float32Array.from([
  ...uniform(2000, -30, 30, 11), ...uniform(500, -1e-3, 1e-3, 12), -100, 100, -0, 0, 1e-30, -1e-30,
  88.5, 89, -104, NaN, Infinity, -Infinity,
]);

describeEachBackend(() => {
  it('covers definitions that exist', () => {
    for (const id of Object.keys(DEDICATED_LOOPS)) expect(act.has(id)).toBe(true);
  });

  describe.each(Object.keys(DEDICATED_LOOPS))('%s', (id) => {
    const def = act.get(id as act.ActivationId) as AnyDefinition;

    it('is the loop the kernels run (forward and gradient)', () => {
      const loops = DEDICATED_LOOPS[id] as { forward: (...a: unknown[]) => void; grad1: (...a: unknown[]) => void };
      const forward = jest.spyOn(loops, 'forward');
      const grad1 = jest.spyOn(loops, 'grad1');
      try {
        const x = tf.tensor1d([-1, 0.5, 2]);
        tf.dispose([opOf(id)(x), tf.grad((t: tf.Tensor) => opOf(id)(t))(x), x]);
        expect([forward.mock.calls.length, grad1.mock.calls.length]).toEqual([2, 1]);
      } finally {
        forward.mockRestore();
        grad1.mockRestore();
      }
    });

    it.each((PARAMS[id] ?? [{}]).map((p) => [JSON.stringify(p), p]))('value and gradient equal the definition bit for bit, params %s', (_label, given) => {
      const defaults = Object.fromEntries(Object.entries(def.params as Record<string, { default: unknown }>).map(([k, s]) => [k, s.default]));
      const p = { ...defaults, ...given } as never;
      const x = tf.tensor1d(xs);
      const dy = tf.tensor1d(uniform(xs.length, -2, 2, 13));
      const y = opOf(id)(x, given);
      const g = tf.grad((t: tf.Tensor) => tf.mul(opOf(id)(t, given), dy))(x);
      const yv = Array.from(y.dataSync());
      const gv = Array.from(g.dataSync());
      const dyv = dy.dataSync();
      const wantY = Array.from(xs, (v) => Math.fround(v !== v ? NaN : def.forward(v, p)));
      const wantG = Array.from(xs, (v, i) => Math.fround(v !== v ? NaN : dyv[i] * def.derivative(v, p)));
      expect(yv).toEqual(wantY);
      expect(gv).toEqual(wantG);
      tf.dispose([x, dy, y, g]);
    });
  });
});

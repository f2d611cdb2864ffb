/**
 * The kernels' loops (src/engine/loops.ts, one compiled copy per definition and backend) compute
 * exactly what the definition computes: every output equals fround(f(x)) and fround(dy·f′(x))
 * evaluated here from the definition, with default and non-default parameters, NaN and ±Infinity,
 * on every backend; they are the loops the kernels run; and where compiling is forbidden (a strict
 * Content-Security-Policy) the uncompiled templates give the same bits.
 */
import * as tf from '@tensorflow/tfjs';
import * as act from '../src';
import type { AnyDefinition } from '../src';
import { kernelLoops, setCompiledLoops } from '../src/engine/loops';
import { describeEachBackend } from './helpers/backends';
import { uniform } from '../demos/lib/bench-harness';

// The exact kernels (float64 loops), which fast.test.ts does not cover.
beforeAll(() => act.setPrecision('exact'));
afterAll(() => act.setPrecision('default'));

const opOf = (id: string) => (act.ops as unknown as Record<string, (x: tf.Tensor, p?: object) => tf.Tensor>)[id];


const xs = Float32Array.from([
  ...uniform(2000, -30, 30, 11), ...uniform(500, -1e-3, 1e-3, 12), -100, 100, -0, 0, 1e-30, -1e-30,
  88.5, 89, -104, NaN, Infinity, -Infinity,
]);

describeEachBackend(() => {
  describe.each(act.list())('%s', (id) => {
    const def = act.get(id as act.ActivationId) as AnyDefinition;

    it('is the loop the kernels run (forward and gradient)', () => {
      const loops = kernelLoops(def, tf.getBackend());
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

    it.each([{}, ...def.testing.referenceParams].map((p) => [JSON.stringify(p), p]))('value and gradient equal the definition bit for bit, params %s', (_label, given) => {
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

describe('without compiling (strict Content-Security-Policy)', () => {
  afterAll(() => setCompiledLoops(true));

  it.each(act.list())('%s: the uncompiled loops give the same bits as the compiled ones', (id) => {
    const def = act.get(id as act.ActivationId) as AnyDefinition;
    const p = Object.fromEntries(Object.entries(def.params as Record<string, { default: unknown }>).map(([k, s]) => [k, s.default]));
    const dys = uniform(xs.length, -2, 2, 13);
    const run = (loops: ReturnType<typeof kernelLoops>) => {
      const outs = [new Float32Array(xs.length), new Float32Array(xs.length), new Float32Array(xs.length)];
      loops.forward(xs, outs[0], p);
      loops.grad1(dys, xs, outs[1], p);
      loops.grad2(dys, xs, outs[2], p);
      return outs.map((o) => Array.from(o));
    };
    setCompiledLoops(true);
    const compiled = run(kernelLoops(def, 'test-compiled'));
    setCompiledLoops(false);
    const plain = run(kernelLoops(def, 'test-plain'));
    expect(plain).toEqual(compiled);
  });
});

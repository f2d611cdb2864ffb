/**
 * The generated element-wise layers, on every backend: output equals the op, shapes, config and
 * model save/load round trips (memory, and file:// with tfjs-node), learnable parameters (gradients
 * against finite differences, training lowers the loss), and argument validation.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import * as act from '../src';
import type { AnyDefinition } from '../src';
import { applyWithTensorParams, numericParams } from '../src/engine/parametric';
import { BACKENDS, describeEachBackend } from './helpers/backends';
import { roundTripMemory } from './helpers/models';
import * as internal from '../src/internal';

const defs = act.all() as AnyDefinition[];
const factory = (id: string) => (act.layers as unknown as Record<string, (a?: object) => tf.layers.Layer>)[id];
const opOf = (id: string) => (act.ops as unknown as Record<string, (x: tf.Tensor, p?: object) => tf.Tensor>)[id];

/** Non-default but valid parameters for a definition, to prove they are kept. */
function nonDefaultParams(def: AnyDefinition): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(def.params as Record<string, { type: string; default: unknown }>)) {
    out[k] = s.type === 'boolean' ? !s.default : typeof s.default === 'number' ? (s.default as number) + 0.25 : 5;
  }
  return def.check?.(out as never) === undefined ? out : {};
}

describeEachBackend((backend) => {
  describe.each(defs.map((d) => [d.id, d] as const))('%s layer', (id, def) => {
    const params = nonDefaultParams(def);

    it('computes exactly what the op computes, keeping the shape', () => {
      const x = tf.randomNormal([3, 4, 5], 0, 3, 'float32', 1);
      const layer = factory(id)(params);
      const y = layer.apply(x) as tf.Tensor;
      const z = opOf(id)(x, params);
      expect(y.shape).toEqual([3, 4, 5]);
      expect(Array.from(y.dataSync())).toEqual(Array.from(z.dataSync()));
      expect(layer.computeOutputShape([null, 4, 5])).toEqual([null, 4, 5]);
      tf.dispose([x, y, z]);
    });

    it('getConfig/fromConfig keeps every parameter', () => {
      const layer = factory(id)({ ...params, name: `cfg_${id}` });
      const config = layer.getConfig();
      for (const [k, v] of Object.entries(params)) expect(config[k]).toBe(v);
      const cls = internal.layerClassFor(def) as unknown as { fromConfig: (c: unknown, cfg: object) => tf.layers.Layer };
      const clone = cls.fromConfig(cls, config);
      expect(clone.getConfig()).toEqual(config);
    });

    it('a model using it saves and loads through memory with identical predictions and parameters', async () => {
      const model = tf.sequential({
        layers: [tf.layers.dense({ units: 6, inputShape: [3] }), factory(id)(params), tf.layers.dense({ units: 2 })],
      });
      const x = tf.randomNormal([5, 3], 0, 2, 'float32', 2);
      const loaded = await roundTripMemory(model);
      const a = model.predict(x) as tf.Tensor;
      const b = loaded.predict(x) as tf.Tensor;
      expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
      const cfg = loaded.layers[1].getConfig();
      for (const [k, v] of Object.entries(params)) expect(cfg[k]).toBe(v);
      tf.dispose([x, a, b]);
      model.dispose();
      loaded.dispose();
    });

    const numeric = numericParams(def).filter((k) => (def.params as Record<string, { default: unknown }>)[k].default !== null);
    if (numeric.length) {
      it.each(numeric)(`the gradient with respect to a learnable %s matches finite differences (${backend})`, (key) => {
        const base = Object.fromEntries(Object.entries(def.params as Record<string, { default: unknown }>).map(([k, s]) => [k, s.default]));
        const xs = [-2.7, -1.3, -0.6, 0.4, 1.1, 2.9];
        const start = (base[key] as number) + 0.3;
        const p = tf.tensor1d(xs.map((_, i) => start + 0.05 * i));
        const x = tf.tensor1d(xs);
        const dp = tf.grad((t: tf.Tensor) => tf.sum(applyWithTensorParams(def, x, base, { [key]: t })))(p);
        const got = dp.dataSync();
        const pv = p.dataSync();
        xs.forEach((xv, i) => {
          const fx = Math.fround(xv);
          const pi = pv[i];
          const h = 1e-6 * Math.max(1, Math.abs(pi));
          const f = (v: number) => def.forward(fx, { ...base, [key]: v } as never);
          const fd = (f(pi + h) - f(pi - h)) / (2 * h);
          const kinkNear = def.kinks({ ...base, [key]: pi } as never).some((k) => Math.abs(k.at - fx) < 1e-3);
          if (!kinkNear) expect(got[i]).toBeCloseTo(fd, 3);
        });
        tf.dispose([p, x, dp]);
      });
    }
  });

  describe('learnable parameters train', () => {
    const cases: Array<[string, string, object]> = [
      ['PReLU: leakyRelu with learnable alpha', 'leakyRelu', { learnable: ['alpha'], alpha: 0.25 }],
      ['Swish-beta', 'swish', { learnable: ['beta'] }],
      ['snake with learnable frequency', 'snake', { learnable: ['frequency'], sharedAxes: [1] }],
    ];
    it.each(cases)('%s: the loss falls and the parameter moves', async (_label, id, args) => {
      const layer = factory(id)(args);
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 8, inputShape: [2], kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }), layer, tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) })] });
      model.compile({ optimizer: tf.train.adam(0.03), loss: 'meanSquaredError' });
      const x = tf.randomUniform([64, 2], -2, 2, 'float32', 5);
      const y = tf.tidy(() => tf.sin(tf.sum(x, 1, true)));
      const before = layer.getWeights()[0].dataSync().slice();
      const history = await model.fit(x, y, { epochs: 30, batchSize: 64, verbose: 0, shuffle: false });
      const losses = history.history.loss as number[];
      expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.8);
      const after = layer.getWeights()[0].dataSync();
      expect(Array.from(after)).not.toEqual(Array.from(before));
      tf.dispose([x, y]);
      model.dispose();
    });

    // Parameters in their own shapes (broadcast inside the kernels, never to x's size): value,
    // d/dx and d/dp against the float64 definition, with every broadcast index worked out here.
    const X_SHAPE = [2, 3, 4];
    const layouts: Array<[string, Record<string, number[]>]> = [
      ['leakyRelu', { alpha: [4] }],
      ['leakyRelu', { alpha: [3, 1] }],
      ['leakyRelu', { alpha: [2, 1, 4] }],
      ['leakyRelu', { alpha: [1, 1, 1] }],
      ['leakyRelu', { alpha: [2, 3, 4] }],
      ['hardTanh', { minVal: [4], maxVal: [3, 1] }],
      ['hardTanh', { minVal: [2, 1, 1], maxVal: [1, 3, 4] }],
    ];
    it.each(layouts)('%s with parameter shapes %j: value and gradients match the definition per element', (id, shapes) => {
      const def = act.get(id as act.ActivationId) as AnyDefinition;
      const base = Object.fromEntries(Object.entries(def.params as Record<string, { default: unknown }>).map(([k, s]) => [k, s.default]));
      const names = Object.keys(shapes);
      const x = tf.randomNormal(X_SHAPE, 0, 1.5, 'float32', 4);
      const dy = tf.randomUniform(X_SHAPE, 0.5, 1.5, 'float32', 5);
      // minVal around -0.6, maxVal around +0.6, alpha around 0.3; distinct values per element.
      const start: Record<string, number> = { alpha: 0.3, minVal: -0.6, maxVal: 0.6 };
      const ps = names.map((n) => {
        const size = shapes[n].reduce((a, b) => a * b, 1);
        return tf.tensor(Array.from({ length: size }, (_, i) => start[n] + 0.03 * i), shapes[n]);
      });
      const f = (xt: tf.Tensor, ...pt: tf.Tensor[]) =>
        tf.sum(tf.mul(dy, applyWithTensorParams(def, xt, base, Object.fromEntries(names.map((n, j) => [n, pt[j]])))));
      const y = applyWithTensorParams(def, x, base, Object.fromEntries(names.map((n, j) => [n, ps[j]])));
      const [dx, ...dps] = tf.grads(f)([x, ...ps]);
      expect(y.shape).toEqual(X_SHAPE);
      dps.forEach((g, j) => expect(g.shape).toEqual(shapes[names[j]]));
      const xv = x.dataSync();
      const dyv = dy.dataSync();
      const pvs = ps.map((t) => t.dataSync());
      const yv = y.dataSync();
      const dxv = dx.dataSync();
      const dpExpected = names.map((n) => new Float64Array(pvs[names.indexOf(n)].length));
      /** Index into a parameter of `shape` (right-aligned) of the element at x coordinates `c`. */
      const indexOf = (shape: number[], c: number[]) =>
        shape.reduce((idx, d, k) => idx * d + (d === 1 ? 0 : c[c.length - shape.length + k]), 0);
      for (let i = 0; i < xv.length; i++) {
        const c = [Math.floor(i / 12), Math.floor(i / 4) % 3, i % 4];
        const idx = names.map((n) => indexOf(shapes[n], c));
        const p = { ...base, ...Object.fromEntries(names.map((n, j) => [n, pvs[j][idx[j]]])) };
        const close = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want)));
        close(yv[i], def.forward(xv[i], p as never));
        close(dxv[i], dyv[i] * def.derivative(xv[i], p as never));
        names.forEach((n, j) => (dpExpected[j][idx[j]] += dyv[i] * def.paramDerivatives[n]!(xv[i], p as never)));
      }
      dps.forEach((g, j) => {
        const got = g.dataSync();
        dpExpected[j].forEach((want, k) => expect(Math.abs(got[k] - want)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want))));
      });
      tf.dispose([x, dy, y, dx, ...ps, ...dps]);
    });

    it('a parameter that does not broadcast to the input is an error naming the shapes', () => {
      const def = act.get('leakyRelu') as AnyDefinition;
      expect(() => applyWithTensorParams(def, tf.zeros([2, 3]), { alpha: 0.2 }, { alpha: tf.ones([2]) })).toThrow(/broadcast/i);
    });

    it('sharedAxes shares a parameter across an axis (one alpha per channel for conv features)', () => {
      const layer = factory('leakyRelu')({ learnable: ['alpha'], sharedAxes: [1, 2] });
      layer.apply(tf.zeros([1, 5, 5, 3]));
      expect(layer.getWeights()[0].shape).toEqual([1, 1, 3]);
    });
  });
});

describe('layer argument validation', () => {
  it('names the layer, the argument, the constraint and the value', () => {
    expect(() => act.layers.leakyRelu({ alpha: NaN })).toThrow('LeakyRelu layer: `alpha` must be a finite number. Received: alpha=NaN');
    expect(() => act.layers.celu({ alpha: 0 })).toThrow('Celu layer: `alpha` must be a finite number > 0. Received: alpha=0');
    expect(() => act.layers.elu({ learnable: ['beta' as 'alpha'] })).toThrow(
      "Elu layer: `learnable` must list numeric parameters of elu (alpha). Received: learnable=['beta']",
    );
    expect(() => act.layers.mish({ learnable: ['x' as never] })).toThrow('none: it has no numeric parameters');
    expect(() => act.layers.relu({ learnable: ['maxValue'] })).toThrow('cannot learn `maxValue` while it is null');
    expect(() => act.layers.mish({ units: 3 } as never)).toThrow('Mish layer: unknown argument `units`');
    expect(() => act.layers.leakyRelu({ sharedAxes: [0] })).toThrow('`sharedAxes` must be a list of input axes >= 1');
  });
  it('a learnable parameter over an axis of unknown size must be shared', () => {
    const layer = act.layers.leakyRelu({ learnable: ['alpha'] });
    expect(() => layer.build([null, null, 3])).toThrow('needs a known size on input axis 1');
  });
});

const fileIo = BACKENDS.includes('tensorflow') ? describe : describe.skip;
fileIo('file:// round trip (tfjs-node)', () => {
  beforeAll(() => tf.setBackend('tensorflow'));
  it.each(defs.map((d) => [d.id, d] as const))('%s survives model.save(file://) and loadLayersModel', async (id, def) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tfjs-act-${id}-`));
    try {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3] }), factory(id)(nonDefaultParams(def))] });
      await model.save(`file://${dir}`);
      const loaded = await tf.loadLayersModel(`file://${dir}/model.json`);
      const x = tf.randomNormal([4, 3], 0, 2, 'float32', 9);
      const a = model.predict(x) as tf.Tensor;
      const b = loaded.predict(x) as tf.Tensor;
      expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
      tf.dispose([x, a, b]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

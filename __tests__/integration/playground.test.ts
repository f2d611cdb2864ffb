/**
 * The browser build and the playground's logic, in Node: what the bundles import, and the training
 * session behind each panel (same seed ⇒ same start, loss falls, units counted, nothing leaked).
 */
import * as tf from '@tensorflow/tfjs';
import * as act from '../../src';
import { buildLibrary } from '../../scripts/build-browser';
import { curves, Session, withDefaults } from '../../demos/browser/playground/session';
import { saturatedUnits } from '../../demos/lib/unit-stats';

describe('browser bundles', () => {
  let meta: Awaited<ReturnType<typeof buildLibrary>>;
  beforeAll(async () => {
    meta = await buildLibrary();
  }, 60_000);

  test('the ES module imports only the tfjs peers, and bundles the browser twin of the Node-only module', () => {
    const outputs = Object.entries(meta.esm.outputs).filter(([file]) => file.endsWith('.esm.js'));
    expect(outputs).toHaveLength(1);
    const imports = new Set(outputs[0][1].imports.map((i) => i.path));
    expect([...imports].sort()).toEqual(['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers']);
    // (A Node built-in would be an unresolved import, i.e. a build error, or an external in `imports` above.)
    const inputs = Object.keys(meta.esm.inputs);
    expect(inputs.filter((f) => f.includes('local-files'))).toEqual(['src/keras/local-files.browser.ts']);
  });

  test('the script-tag bundle imports nothing (tfjs comes from the page)', () => {
    for (const [file, out] of Object.entries(meta.global.outputs)) if (file.endsWith('.min.js')) expect(out.imports).toEqual([]);
  });
});

describe('playground session', () => {
  const options = { dataset: 'moons' as const, hidden: [8, 8], learningRate: 0.05, seed: 3, points: 120 };

  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  test('two panels with the same seed start from the same weights', () => {
    const a = new Session('relu', {}, options);
    const b = new Session('relu', {}, options);
    const wa = a.model.getWeights().map((w) => Array.from(w.dataSync()));
    const wb = b.model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(wa).toEqual(wb);
    const c = new Session('gelu', {}, options);
    expect(c.model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(wa);
    [a, b, c].forEach((s) => s.dispose());
  });

  test('training lowers the loss, and accuracy, boundary and unit counts are well-formed; nothing leaks', async () => {
    const before = tf.memory().numTensors;
    const s = new Session('swish', { beta: 2 }, options);
    const first = await s.train(1);
    const last = await s.train(60);
    expect(s.losses).toHaveLength(61);
    expect(last).toBeLessThan(0.7 * first);
    expect(await s.accuracy()).toBeGreaterThan(0.8);
    const b = await s.boundary(10);
    expect(b.p).toHaveLength(100);
    b.p.forEach((p) => expect(p >= 0 && p <= 1).toBe(true));
    const u = await s.units();
    expect(u.units).toBe(16);
    expect(u.dead + u.saturated).toBeLessThanOrEqual(16);
    s.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  test('bad parameters raise the plugin error that the page shows', () => {
    expect(() => new Session('snake', { frequency: -1 }, options)).toThrow(/frequency.*Received/);
  });

  test('dead units are counted from the registry derivative: a network driven negative is all dead with relu', async () => {
    const s = new Session('relu', {}, { ...options, hidden: [4] });
    // Every pre-activation negative: kernel 0, bias −1.
    const dense = s.model.layers[1];
    dense.setWeights([tf.zeros([2, 4]), tf.fill([4], -1)]);
    expect(await s.units()).toEqual({ units: 4, dead: 4, saturated: 0 });
    s.dispose();
  });

  test('curves are the registry functions (float32), with parameters and defaults', async () => {
    expect(withDefaults('elu', {})).toEqual({ alpha: 1 });
    const c = await curves('elu', { alpha: 0.5 }, -2, 2, 5);
    const def = act.get('elu');
    c.x.forEach((x, i) => {
      expect(c.f[i]).toBeCloseTo(def.forward(x, { alpha: 0.5 }), 6);
      expect(c.d1[i]).toBeCloseTo(def.derivative(x, { alpha: 0.5 }), 6);
      expect(c.d2[i]).toBeCloseTo(def.secondDerivative(x, { alpha: 0.5 }), 6);
    });
  });
});

describe('saturatedUnits', () => {
  const sigmoidPrime = (z: number) => act.get('sigmoid').derivative(z, {} as never);
  // Three units over 10 rows: one always at z = 0 (peak gradient), one at z = 12 on 9 rows (saturated),
  // one at z = 12 on 8 rows only (below the 90 % share).
  const rows = 10;
  const data = new Float64Array(rows * 3);
  for (let r = 0; r < rows; r++) {
    data[r * 3] = 0;
    data[r * 3 + 1] = r < 9 ? 12 : 0;
    data[r * 3 + 2] = r < 8 ? 12 : 0;
  }

  test('counts units with |f′| ≤ 5 % of the peak on at least 90 % of the rows', () => {
    expect(saturatedUnits({ data, rows, units: 3 }, sigmoidPrime, 0.25)).toBe(1);
    expect(saturatedUnits({ data, rows, units: 3 }, sigmoidPrime, 0.25, { share: 0.8 })).toBe(2);
  });

  test('a unit with no gradient anywhere is dead, not saturated', () => {
    const relu = (z: number) => (z > 0 ? 1 : 0);
    expect(saturatedUnits({ data: [-1, -2, -3], rows: 3, units: 1 }, relu, 1)).toBe(0);
  });
});

/**
 * The webgl and webgpu kernels in headless Chromium (SwiftShader for both): one generated program
 * per order, the fast bar for every reference case (computed in the page, checked here against the
 * fixtures and the float64 definitions), NaN and ±Infinity, learnable parameters broadcast inside
 * the shader, program caching, the precision modes (webgl's exact host copies; webgpu, which cannot
 * read synchronously, runs its fast kernels for 'exact'), and training a model.
 *
 * WebGPU needs --enable-unsafe-webgpu and a page on http://127.0.0.1 (launchChromium, servePage).
 * Without an adapter the webgpu tests warn and pass, unless TFJS_ACTIVATIONS_REQUIRE_BROWSER=1 (CI),
 * where they fail.
 */
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import * as act from '../../src';
import type { AnyDefinition } from '../../src/definition';
import { resolveDefinitionParams } from '../../src/engine/op';
import { browserMissing, browserRequired, launchChromium, servePage } from '../helpers/browser';
import { caseErrors, describePoint, loadReference, parseTruth, TOLERANCE_EPS, type ReferenceCase } from '../support/accuracy';
import { casePoints, violations, worstRatios } from '../support/fast-bar';
import { backwardBar, centralDifference, EPS32 } from '../support/stability';
import * as internal from '../../src/internal';

const missing = browserMissing();
if (missing) console.warn(`browser tests skipped: ${missing}`);
const describeInBrowser = missing ? describe.skip : describe;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
type Mode = { precision: 'fast' | 'exact' | 'default'; composite?: boolean };

const reference = loadReference();
const label = (c: { id: string; params: object }) => (Object.keys(c.params).length ? `${c.id} ${JSON.stringify(c.params)}` : c.id);
const decode = (s: string): Float32Array => new Float32Array(Uint8Array.from(Buffer.from(s, 'base64')).buffer);

/** Worst |error| / bar per backend, printed at the end (the report's numbers). */
const worstByBackend: Record<string, { ratio: number; where: string }> = {};

describeInBrowser('webgl and webgpu kernels in Chromium', () => {
  let browser: Browser;
  let site: { url: string; stop: () => Promise<void> };
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    site = await servePage(path.join(__dirname, 'pages/harness.ts'));
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(site.url);
    await page.waitForFunction(() => (window as Any).harness !== undefined, undefined, { timeout: 90_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await site?.stop();
    for (const [backend, w] of Object.entries(worstByBackend)) {
      console.log(`fast bar on ${backend}: worst |error| / bar = ${w.ratio.toFixed(3)} (${w.where})`);
    }
  });

  afterEach(() => expect(pageErrors.splice(0)).toEqual([]));

  const call = <T,>(method: string, ...args: unknown[]): Promise<T> =>
    page.evaluate(([m, a]) => (window as Any).harness[m as string](...(a as unknown[])), [method, args] as const) as Promise<T>;

  /** f, f′, f″ of cases at xs on the page's backend. */
  async function orders(cases: Array<{ id: string; params: object }>, xs: number[], mode: Mode): Promise<Float32Array[][]> {
    const raw = await call<string[][]>('orders', cases.map((c) => ({ id: c.id, params: c.params })), xs, mode);
    return raw.map((r) => r.map(decode));
  }

  describe.each(['webgl', 'webgpu'])('on %s', (backend) => {
    /** Why this backend cannot run here, if it cannot. */
    let unavailable: string | undefined;

    beforeAll(async () => {
      const r = await call<{ backend: string; adapter?: string; error?: string }>('use', backend);
      if (r.backend !== backend || r.error) {
        unavailable = `tf.setBackend('${backend}') failed in Chromium: ${r.error ?? `active backend is ${r.backend}`}`;
        if (browserRequired()) throw new Error(`${unavailable} (TFJS_ACTIVATIONS_REQUIRE_BROWSER=1: the ${backend} tests are required)`);
        console.warn(`${backend} tests skipped: ${unavailable}`);
      } else if (r.adapter) {
        console.log(`${backend} adapter: ${r.adapter}`);
      }
    }, 60_000);

    /** False (and a warning) when the backend is missing; only possible when not required. */
    const available = () => unavailable === undefined;

    // First on each backend: nothing of leakyRelu or celu compiled yet.
    test('a new parameter value runs the compiled program again (uniforms); so does a new batch size, where shapes are uniforms', async () => {
      if (!available()) return;
      await call('run', 'leakyRelu', { alpha: 0.1 }, [64, 32]);
      const compiled = await call<number>('compiledPrograms');
      expect(compiled).toBeGreaterThan(0);
      const programs = await call<string[]>('run', 'leakyRelu', { alpha: 0.3 }, [64, 32]);
      expect(programs.filter((p) => /^tfjsActivations/.test(p))).toHaveLength(2);
      expect(await call<number>('compiledPrograms')).toBe(compiled);
      // A new batch size: webgpu's flat programs never see shapes; webgl bakes them like tfjs's own
      // programs (f and dy·f′ compiled again) unless WEBGL_USE_SHAPES_UNIFORMS is on.
      await call('run', 'leakyRelu', { alpha: 0.3 }, [96, 32]);
      expect(await call<number>('compiledPrograms')).toBe(compiled + (backend === 'webgl' ? 2 : 0));
      if (backend === 'webgl') {
        await call('setFlag', 'WEBGL_USE_SHAPES_UNIFORMS', true);
        try {
          await call('run', 'celu', { alpha: 0.7 }, [64, 32]);
          const withUniforms = await call<number>('compiledPrograms');
          await call('run', 'celu', { alpha: 0.7 }, [96, 32]);
          expect(await call<number>('compiledPrograms')).toBe(withUniforms);
        } finally {
          await call('setFlag', 'WEBGL_USE_SHAPES_UNIFORMS', false);
        }
      }
    });

    test('one kernel and one GPU program for f, for dy·f′ and for dy·f″, and never more kernels than tfjs', async () => {
      if (!available()) return;
      const rows = await call<Array<Record<string, Any>>>('kernels', [64, 64]);
      expect(rows.map((r) => r.id)).toEqual(act.list());
      const table: string[] = [];
      for (const r of rows) {
        const names = internal.kernelNames(r.id);
        expect([r.id, r.forward]).toEqual([r.id, [names.forward]]);
        expect([r.id, r.forwardBackward]).toEqual([r.id, [names.forward, names.grad1]]);
        expect([r.id, r.grad2]).toEqual([r.id, [names.grad2]]);
        // Second order through autodiff: f, dy·f′, then g·dy·f″ as one kernel (no separate multiplication).
        // (tf.grad's own Cast of the seed aside.)
        const second = r.secondOrder as string[];
        expect([r.id, second.filter((n) => n.startsWith('TfjsActivations')), second.filter((n) => n === 'Multiply')])
          .toEqual([r.id, [names.forward, names.grad1, names.grad2Scaled], []]);
        // f, dy·f′, dy·f″: three of our programs and nothing else (no pack/unpack, no helpers).
        expect([r.id, r.programs.length, r.programs.filter((p: string) => !/^tfjsActivations/.test(p))]).toEqual([r.id, 3, []]);
        if (r.tfjs) {
          expect([r.id, r.forward.length <= r.tfjsForward.length]).toEqual([r.id, true]);
          expect([r.id, r.forwardBackward.length <= r.tfjsForwardBackward.length]).toEqual([r.id, true]);
        }
        table.push(`${r.id}: ours ${r.forward.length} + ${r.forwardBackward.length - r.forward.length}` +
          (r.tfjs ? `, ${r.tfjs} ${r.tfjsForward.length} + ${r.tfjsForwardBackward.length - r.tfjsForward.length}` : ''));
      }
      console.log(`kernels (forward + backward) on ${backend}:\n  ${table.join('\n  ')}`);
    }, 120_000);

    test.each(reference.cases.map((c) => [label(c), c] as const))('fast: %s, f, f′, f″ backward stable within 4 eps', async (_l, c) => {
      if (!available()) return;
      const [results] = await orders([c], casePoints(c), { precision: 'fast' });
      expect(violations(c, results)).toEqual([]);
      for (const [order, w] of worstRatios(c, results).entries()) {
        const current = worstByBackend[backend];
        if (!current || w.ratio > current.ratio) worstByBackend[backend] = { ratio: w.ratio, where: `${label(c)} ${['f', "f'", "f''"][order]} at x = ${w.x}` };
      }
    }, 60_000);

    test('fast: the limits at ±Infinity, and NaN in gives NaN out, for every order of every case', async () => {
      if (!available()) return;
      const cases = reference.cases;
      const results = await orders(cases, [Infinity, -Infinity, NaN, 1], { precision: 'fast' });
      const wrong: string[] = [];
      for (const l of reference.limits) {
        const i = cases.findIndex((c) => c.id === l.id && JSON.stringify(c.params) === JSON.stringify(l.params));
        const at = l.at === 'inf' ? 0 : 1;
        [l.y, l.dy, l.d2y].map(parseTruth).forEach((want, order) => {
          const got = results[i][order][at];
          if (!(Object.is(got, want) || Math.abs(got - want) <= 4 * EPS32 * Math.abs(want) || (Number.isNaN(got) && Number.isNaN(want)))) {
            wrong.push(`${label(l)} order ${order} at ${l.at}: ${got}, expected ${want}`);
          }
        });
      }
      cases.forEach((c, i) => results[i].forEach((r, order) => {
        if (!Number.isNaN(r[2]) || Number.isNaN(r[3])) wrong.push(`${label(c)} order ${order}: NaN → ${r[2]}, 1 → ${r[3]}`);
      }));
      expect(wrong).toEqual([]);
    }, 60_000);

    test.each(backend === 'webgl' ? [false, true] : [false])('every rank from 0 to 6, odd sizes: f and dy·f′ in place (WEBGL_USE_SHAPES_UNIFORMS %s)', async (shapeUniforms) => {
      if (!available()) return;
      const shapes = [[], [1], [3], [5, 7], [2, 3, 5], [3, 1, 4, 5], [2, 3, 1, 2, 3], [2, 1, 3, 1, 2, 3]];
      const xs = [-7.5, -1.25, -0.3, 0, 0.1, 0.75, 2, 9];
      const dys = [0.5, -1, 2, -0.25, 1.5];
      const def = act.get('gelu') as AnyDefinition;
      const p = resolveDefinitionParams(def, {});
      if (shapeUniforms) await call('setFlag', 'WEBGL_USE_SHAPES_UNIFORMS', true);
      const results = await call<Array<[string, string]>>('shapes', 'gelu', {}, shapes, xs, dys).finally(() => call('setFlag', 'WEBGL_USE_SHAPES_UNIFORMS', false));
      const bad: string[] = [];
      results.forEach(([y, dx], k) => {
        const [yv, dxv] = [decode(y), decode(dx)];
        yv.forEach((v, i) => {
          const x = xs[i % xs.length];
          const dy = dys[i % dys.length];
          const want = [def.forward(x, p), dy * def.derivative(x, p)];
          const got = [v, dxv[i]];
          const bars = [backwardBar((t) => def.forward(t, p), x, (t) => def.derivative(t, p)), backwardBar((t) => dy * def.derivative(t, p), x, (t) => dy * def.secondDerivative(t, p))];
          got.forEach((g, o) => {
            if (!(Math.abs(g - want[o]) <= bars[o])) bad.push(`[${shapes[k]}] ${o ? 'dx' : 'y'}[${i}] at x = ${x}: ${g}, expected ${want[o]}`);
          });
        });
      });
      expect(bad.slice(0, 8)).toEqual([]);
    }, 60_000);

    describe('learnable parameters, broadcast inside the shader', () => {
      const xShape = [2, 5, 7, 16];
      const size = xShape.reduce((a, b) => a * b, 1);
      const xs = Array.from({ length: size }, (_, i) => Math.fround(((i * 7919) % 1601) / 100 - 8));
      const dys = Array.from({ length: size }, (_, i) => Math.fround(((i * 104729) % 997) / 500 - 1));
      interface Layout {
        id: string;
        fixed: Record<string, unknown>;
        /** Shapes of the learnable parameters. */
        shapes: Record<string, number[]>;
        xShape: number[];
        /** webgl with WEBGL_USE_SHAPES_UNIFORMS on. */
        shapeUniforms?: boolean;
      }
      const layouts: Layout[] = [
        { id: 'leakyRelu', fixed: {}, shapes: { alpha: [16] }, xShape },
        { id: 'elu', fixed: {}, shapes: { alpha: [7, 1] }, xShape },
        { id: 'softplus', fixed: {}, shapes: { beta: [1, 5, 1, 16] }, xShape },
        { id: 'snake', fixed: {}, shapes: { frequency: [] }, xShape },
        { id: 'relu', fixed: { maxValue: 6 }, shapes: { negativeSlope: [16], threshold: [5, 1, 1] }, xShape },
        { id: 'relu', fixed: {}, shapes: { negativeSlope: xShape }, xShape },
        // Rank 5: no shape uniforms on webgl.
        { id: 'celu', fixed: {}, shapes: { alpha: [4, 1, 1] }, xShape: [3, 2, 4, 5, 3] },
        ...(backend === 'webgl' ? [{ id: 'relu', fixed: { maxValue: 6 }, shapes: { negativeSlope: [16], threshold: [5, 1, 1] }, xShape, shapeUniforms: true }] : []),
      ];

      test.each(layouts.map((l) => [`${l.id} ${JSON.stringify(l.shapes)} on [${l.xShape}]${l.shapeUniforms ? ' (shape uniforms)' : ''}`, l] as const))(
        '%s: f, dx and dp match float64',
        async (_l, { id, fixed: fixedGiven, shapes, xShape: shape, shapeUniforms }) => {
          if (!available()) return;
          const n = shape.reduce((a, b) => a * b, 1);
          const x = Array.from({ length: n }, (_, i) => xs[i % size]);
          const dy = Array.from({ length: n }, (_, i) => dys[(i * 3) % size]);
          const def = act.get(id as act.ActivationId) as AnyDefinition;
          const fixed = resolveDefinitionParams(def, fixedGiven) as Record<string, number | boolean | null>;
          const params = Object.fromEntries(Object.entries(shapes).map(([name, s], j) => {
            const m = s.reduce((a, b) => a * b, 1);
            const base = fixed[name] as number;
            // Values around the fixed one, all valid (frequency > 0, …).
            return [name, { shape: s, values: Array.from({ length: m }, (_, i) => Math.fround(base + 0.5 + ((i * 37 + j * 11) % 13) / 10)) }];
          }));
          if (shapeUniforms) await call('setFlag', 'WEBGL_USE_SHAPES_UNIFORMS', true);
          const r = await call<Record<string, string>>('learnable', id, shape, fixed, params, x, dy, { precision: 'fast' })
            .finally(() => call('setFlag', 'WEBGL_USE_SHAPES_UNIFORMS', false));
          const got = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, decode(v)]));
          const bad = checkLearnable(def, shape, fixed, params, x, dy, got);
          expect(bad.slice(0, 8)).toEqual([]);
        },
        60_000,
      );
    });

    if (backend === 'webgl') {
      test.each(reference.cases.map((c) => [label(c), c] as const))(`exact (host copies): %s within ${TOLERANCE_EPS} eps of the truth`, async (_l, c) => {
        const [results] = await orders([c], c.x, { precision: 'exact' });
        const bad = caseErrors(c, results).filter((e) => !(e.errorEps <= TOLERANCE_EPS));
        expect(bad.slice(0, 10).map(describePoint)).toEqual([]);
      }, 60_000);

      test("exact runs no program of ours; fast runs one per kernel", async () => {
        await call('setPrecision', 'exact');
        expect(await call('precision')).toBe('exact');
        const exact = await call<string[]>('run', 'gelu', {}, [32, 32]);
        await call('setPrecision', 'default');
        expect(await call('precision')).toBe('fast');
        const fast = await call<string[]>('run', 'gelu', {}, [32, 32]);
        expect(exact.filter((p) => /^tfjsActivations/.test(p))).toEqual([]);
        expect(fast.filter((p) => /^tfjsActivations/.test(p))).toHaveLength(2);
      });
    }

    if (backend === 'webgpu') {
      test("'exact' falls back to the fast kernels (webgpu cannot read synchronously), with the same results", async () => {
        if (!available()) return;
        await call('setPrecision', 'exact');
        expect(await call('precision')).toBe('fast');
        const programs = await call<string[]>('run', 'gelu', {}, [32, 32]);
        await call('setPrecision', 'default');
        expect(programs.filter((p) => /^tfjsActivations/.test(p))).toHaveLength(2);
        const c = reference.cases.find((k) => k.id === 'mish')! as ReferenceCase;
        const [exact] = await orders([c], c.x, { precision: 'exact' });
        const [fast] = await orders([c], c.x, { precision: 'fast' });
        expect(exact.map((a) => Array.from(a))).toEqual(fast.map((a) => Array.from(a)));
      });

      test('a model with our activations (by name, and a learnable leaky ReLU) trains', async () => {
        if (!available()) return;
        const r = await call<{ losses: number[]; finite: boolean; activationKernels: string[] }>('train', 30);
        console.log(`training on webgpu: loss ${r.losses[0].toFixed(4)} → ${r.losses[r.losses.length - 1].toFixed(4)} in ${r.losses.length} epochs`);
        expect(r.finite).toBe(true);
        expect(r.activationKernels).toEqual([internal.kernelNames('gelu').forward, internal.kernelNames('mish').forward, `${internal.kernelNames('leakyRelu').forward}_param`].sort());
        expect(r.losses[r.losses.length - 1]).toBeLessThan(0.5 * r.losses[0]);
      }, 120_000);
    }

    test('leaves no tensors behind', async () => {
      if (!available()) return;
      const before = await call<number>('memory');
      await orders(reference.cases.slice(0, 5), [-1, 0, 1], { precision: 'fast' });
      await call('run', 'elu', {}, [8, 8]);
      expect(await call<number>('memory')).toBe(before);
    });
  });

  describe('on webgl 1 (no bit operations in GLSL ES 1.00)', () => {
    let webgl1: Page;
    beforeAll(async () => {
      webgl1 = await browser.newPage();
      webgl1.on('pageerror', (e) => pageErrors.push(e.message));
      await webgl1.goto(`${site.url}?webgl1`);
      await webgl1.waitForFunction(() => (window as Any).harness !== undefined, undefined, { timeout: 90_000 });
      const r = await webgl1.evaluate(() => (window as Any).harness.use('webgl'));
      expect(r.error).toBeUndefined();
    }, 120_000);
    afterAll(() => webgl1?.close());
    const on1 = <T,>(method: string, ...args: unknown[]): Promise<T> =>
      webgl1.evaluate(([m, a]) => (window as Any).harness[m as string](...(a as unknown[])), [method, args] as const) as Promise<T>;

    test('the kernels evaluate the expressions on the host: fast bar, no GPU program of ours', async () => {
      expect(await on1<number>('webglVersion')).toBe(1);
      for (const c of reference.cases.filter((k) => ['gelu', 'elu', 'snake'].includes(k.id))) {
        const raw = await on1<string[][]>('orders', [{ id: c.id, params: c.params }], casePoints(c), { precision: 'fast' });
        expect([label(c), violations(c, raw[0].map(decode))]).toEqual([label(c), []]);
      }
      const programs = await on1<string[]>('run', 'mish', {}, [16, 16]);
      expect(programs.filter((p) => /^tfjsActivations/.test(p))).toEqual([]);
    }, 120_000);

    test('learnable parameters broadcast on the host too', async () => {
      const shape = [3, 4, 5];
      const n = 60;
      const x = Array.from({ length: n }, (_, i) => Math.fround(i / 6 - 5));
      const dy = Array.from({ length: n }, (_, i) => Math.fround(((i * 7) % 11) / 5 - 1));
      const def = act.get('elu') as AnyDefinition;
      const fixed = resolveDefinitionParams(def, {}) as Record<string, number | boolean | null>;
      const params = { alpha: { shape: [4, 1], values: [0.5, 1, 1.5, 2] } };
      const r = await on1<Record<string, string>>('learnable', 'elu', shape, fixed, params, x, dy, { precision: 'fast' });
      const got = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, decode(v)]));
      expect(checkLearnable(def, shape, fixed, params, x, dy, got)).toEqual([]);
    }, 60_000);
  });
});

/**
 * Learnable-parameter results against float64: f and dx per element within the backward bar, dp
 * (a sum over the broadcast elements) within the sum of the terms' bars plus float32 summation.
 */
function checkLearnable(
  def: AnyDefinition,
  shape: number[],
  fixed: Record<string, number | boolean | null>,
  params: Record<string, { shape: number[]; values: number[] }>,
  x: number[],
  dy: number[],
  got: Record<string, Float32Array>,
): string[] {
  const bad: string[] = [];
  const names = Object.keys(params);
  const index = names.map((n) => broadcastIndex(shape, params[n].shape));
  const at = (i: number) => ({ ...fixed, ...Object.fromEntries(names.map((n, j) => [n, params[n].values[index[j](i)]])) }) as never;
  const sums = names.map((n) => ({ exact: new Float64Array(params[n].values.length), bound: new Float64Array(params[n].values.length), count: new Float64Array(params[n].values.length) }));
  for (let i = 0; i < x.length; i++) {
    const p = at(i);
    const f = (v: number) => def.forward(v, p);
    const d1 = (v: number) => dy[i] * def.derivative(v, p);
    const d2 = (v: number) => dy[i] * def.secondDerivative(v, p);
    for (const [name, g, dg, value] of [['y', f, (v: number) => def.derivative(v, p), got.y[i]], ['dx', d1, d2, got.dx[i]]] as const) {
      const want = g(x[i]);
      if (!(Math.abs(value - want) <= backwardBar(g, x[i], dg))) bad.push(`${name}[${i}] at x = ${x[i]}: ${value}, expected ${want}`);
    }
    names.forEach((n, j) => {
      const term = (v: number) => dy[i] * (def.paramDerivatives[n] as (v: number, q: never) => number)(v, p);
      const k = index[j](i);
      sums[j].exact[k] += term(x[i]);
      sums[j].bound[k] += backwardBar(term, x[i], centralDifference(term));
      sums[j].count[k] += 1;
    });
  }
  names.forEach((n, j) => {
    const g = got[`d_${n}`];
    if (g.length !== params[n].values.length) bad.push(`d_${n} has ${g.length} values, expected ${params[n].values.length}`);
    sums[j].exact.forEach((want, k) => {
      // Summation in float32: at most (count − 1)·eps of the running magnitude, bounded by Σ|terms| ≈ bound/(4 eps).
      const bound = sums[j].bound[k] * (1 + sums[j].count[k] / 4);
      if (!(Math.abs(g[k] - want) <= bound)) bad.push(`d_${n}[${k}]: ${g[k]}, expected ${want} (bound ${bound.toExponential(2)})`);
    });
  });
  return bad;
}

/** Flat index of x → flat index of a parameter of `pShape` broadcast to it (right-aligned). */
function broadcastIndex(xShape: number[], pShape: number[]): (i: number) => number {
  const offset = xShape.length - pShape.length;
  const pStrides = pShape.map((_, a) => pShape.slice(a + 1).reduce((m, d) => m * d, 1));
  return (i) => {
    let j = 0;
    for (let a = xShape.length - 1, r = i; a >= 0; a--) {
      const c = r % xShape[a];
      r = Math.floor(r / xShape[a]);
      if (a >= offset && pShape[a - offset] > 1) j += c * pStrides[a - offset];
    }
    return j;
  };
}

/**
 * End to end in headless Chromium: the plain-page examples (ES module with an import map, and script
 * tags), the check page (webgl's and webgpu's kernels, and the forced composite path, against cpu for
 * every activation), and the playground driven through its controls on webgl, webgpu and cpu: two
 * activations picked, a parameter set, a few training steps, the loss falling and every chart drawn.
 * Screenshots go to demos/out/screenshots/. The webgpu tests warn and pass without a WebGPU adapter,
 * unless TFJS_ACTIVATIONS_REQUIRE_BROWSER=1 (then webgpuMissing throws).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import * as act from '../../src';
import { serveSite } from '../../demos/browser/site';
import { browserMissing, launchChromium, webgpuMissing } from '../helpers/browser';

const missing = browserMissing();
if (missing) console.warn(`browser tests skipped: ${missing}`);
const describeInBrowser = missing ? describe.skip : describe;

const SCREENSHOTS = path.join(__dirname, '../../demos/out/screenshots');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

describeInBrowser('in Chromium', () => {
  let browser: Browser;
  let site: { url: string; stop: () => Promise<void> };
  let page: Page;
  const pageErrors: string[] = [];
  /** Why webgpu cannot run here, if it cannot. */
  let noWebGPU: string | undefined;

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    site = await serveSite({ port: 0 });
    browser = await launchChromium();
    noWebGPU = await webgpuMissing(browser, site.url + 'check.html?backend=cpu');
    if (noWebGPU) console.warn(`webgpu browser tests skipped: ${noWebGPU}`);
  }, 120_000);

  /** False for webgpu without an adapter (only possible when the browser tests are not required). */
  const runs = (backend: string) => backend !== 'webgpu' || noWebGPU === undefined;

  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  });

  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    pageErrors.length = 0;
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  afterEach(async () => {
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  async function open(file: string, global: string): Promise<Any> {
    await page.goto(site.url + file);
    await page.waitForFunction((g) => (window as Any)[g] !== undefined, global, { timeout: 90_000 });
    return page.evaluate((g) => (window as Any)[g], global);
  }

  /** Float32 results against the registry's float64 functions. */
  function expectClose(got: number[], want: number[], rel = 3e-5, abs = 1e-6): void {
    got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThanOrEqual(abs + rel * Math.abs(want[i])));
  }

  describe.each(['webgl', 'cpu'])('plain pages on %s', (backend) => {
    test('ES module with an import map: ops, gradients, a layer by name, training, save and load', async () => {
      const r = await open(`esm.html?backend=${backend}`, 'esm');
      expect(r.error).toBeUndefined();
      expect(r.backend).toBe(backend);
      expectClose(r.gelu, r.x.map((x: number) => act.get('gelu').forward(x, { approximate: false } as never)));
      expectClose(r.mishGrad, r.x.map((x: number) => act.get('mish').derivative(x, {} as never)));
      expect(r.losses[r.losses.length - 1]).toBeLessThan(r.losses[0] / 2);
      expect(r.after).toEqual(r.before);
      expect(r.layerClasses).toContain(act.layers.swish().getClassName());
    });

    test('script tags: the global tfjsActivations on top of the global tf', async () => {
      const r = await open(`global.html?backend=${backend}`, 'global');
      expect(r.error).toBeUndefined();
      expect(r.backend).toBe(backend);
      expect(r.activations).toBe(act.list().length);
      expect(r.denseOutputShape).toEqual([1, 3]);
      expectClose(r.gelu, r.x.map((x: number) => act.get('gelu').forward(x, { approximate: false } as never)));
    });
  });

  test.each([
    ['webgl', 'composite'],
    ['webgl', 'kernels'],
    ['webgpu', 'kernels'],
  ])('check page: every activation on %s (%s) matches cpu within float32 tolerance', async (backend, kind) => {
    if (!runs(backend)) return;
    const r = await open(`check.html?backend=${backend}${kind === 'composite' ? '&path=composite' : ''}`, 'check');
    expect(r.error).toBeUndefined();
    expect(r.backend).toBe(backend);
    expect(r.rows.map((row: Any) => row.id)).toEqual(act.list());
    // The forced composite runs tfjs ops; otherwise every activation runs the backend's generated kernels.
    expect(r.rows.filter((row: Any) => row.composite !== (kind === 'composite')).map((row: Any) => row.id)).toEqual([]);
    const worst = Math.max(...r.rows.flatMap((row: Any) => row.worst));
    console.log(`check on ${backend} (${kind}): worst |Δ| / (${r.tolerance.abs} + ${r.tolerance.rel}·|cpu|) = ${worst.toFixed(3)}`);
    expect(r.rows.filter((row: Any) => !row.pass)).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, `check-${backend}-${kind}.png`), fullPage: true });
  });

  describe.each(['webgl', 'webgpu', 'cpu'])('playground on %s', (backend) => {
    const state = (): Promise<Any> => page.evaluate(() => (window as Any).playground.state());

    async function start(): Promise<void> {
      expect(runs(backend)).toBe(true);
      await page.goto(`${site.url}index.html?backend=${backend}`);
      await page.waitForFunction(() => (window as Any).playground !== undefined, undefined, { timeout: 90_000 });
      expect((await state()).backend).toBe(backend);
    }

    test('pick two activations and a parameter, train a few steps: the loss falls and every chart is drawn', async () => {
      if (!runs(backend)) return;
      await start();
      await page.selectOption('#dataset', 'moons');
      await page.selectOption('.panel[data-panel="A"] select.activation', 'mish');
      await page.selectOption('.panel[data-panel="B"] select.activation', 'leakyRelu');
      await page.fill('.panel[data-panel="B"] .params input[name="alpha"]', '0.2');
      await page.press('.panel[data-panel="B"] .params input[name="alpha"]', 'Enter');
      await page.waitForFunction(() => !(document.querySelector('#train') as HTMLButtonElement).disabled);
      await page.click('#train');
      // webgpu on SwiftShader trains about 2x slower than webgl.
      await page.waitForFunction(() => (window as Any).playground.state().step >= 100, undefined, { timeout: 240_000 });
      await page.click('#pause');
      await page.waitForFunction(() => !(window as Any).playground.state().running && !(document.querySelector('#train') as HTMLButtonElement).disabled);

      const s = await state();
      expect(s.panels.map((p: Any) => p.activation)).toEqual(['mish', 'leakyRelu']);
      expect(s.panels.map((p: Any) => p.error)).toEqual(['', '']);
      // Every backend here has kernels of ours (float64 JavaScript on cpu, generated programs on webgl and webgpu).
      expect(s.panels.map((p: Any) => p.usesPluginKernels)).toEqual([true, true]);
      console.log(`playground on ${backend}, ${s.step} steps: ` + s.panels.map((p: Any) => `${p.activation} loss ${p.losses[0].toFixed(3)} → ${p.losses[p.losses.length - 1].toFixed(4)}, dead ${p.units.dead}/${p.units.units}, saturated ${p.units.saturated}/${p.units.units}`).join('; '));
      for (const p of s.panels) {
        expect(p.losses.length).toBe(s.step);
        expect(p.losses[p.losses.length - 1]).toBeLessThan(0.6 * p.losses[0]);
        expect(p.units.units).toBe(32);
        expect(p.units.dead + p.units.saturated).toBeLessThanOrEqual(p.units.units);
      }
      // The parameter typed into panel B reached its model's activation layers.
      expect(s.panels[1].layerConfig.alpha).toBe(0.2);
      expect(s.panels[0].layerConfig.name).toMatch(/mish/);

      // Every chart drawn, and drawn with something on it (several colours on its canvas).
      expect(Object.keys(s.charts)).toHaveLength(6);
      for (const [name, renders] of Object.entries(s.charts)) expect([name, renders]).not.toEqual([name, 0]);
      const colours = await page.evaluate(() =>
        Array.from(document.querySelectorAll('.chart canvas')).map((c) => {
          const canvas = c as HTMLCanvasElement;
          const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          const seen = new Set<number>();
          for (let i = 0; i < data.length; i += 4 * 7) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
          return seen.size;
        }),
      );
      expect(colours).toHaveLength(6);
      colours.forEach((n) => expect(n).toBeGreaterThan(5));
      await page.screenshot({ path: path.join(SCREENSHOTS, `playground-${backend}.png`), fullPage: true });
    }, 300_000);

    test('bad input is reported where it was typed, and training stays off until it is fixed', async () => {
      if (!runs(backend)) return;
      await start();
      const trainDisabled = () => page.isDisabled('#train');
      const waitForText = (selector: string, empty: boolean) =>
        page.waitForFunction(([sel, e]) => (document.querySelector(sel as string)!.textContent === '') === e, [selector, empty] as const);
      expect(await trainDisabled()).toBe(false);

      // Shared options: a bad learning rate turns Train off; fixing it turns it back on.
      await page.fill('#lr', '-0.1');
      await page.press('#lr', 'Enter');
      await waitForText('#error', false);
      expect(await page.textContent('#error')).toMatch(/learning rate.*Received: -0.1/);
      expect(await trainDisabled()).toBe(true);
      await page.fill('#seed', '');
      await page.press('#seed', 'Enter');
      await page.fill('#lr', '0.05');
      await page.press('#lr', 'Enter');
      await page.waitForFunction(() => /seed/.test(document.querySelector('#error')!.textContent!));
      expect(await trainDisabled()).toBe(true);
      await page.fill('#seed', '2');
      await page.press('#seed', 'Enter');
      await waitForText('#error', true);
      await page.waitForFunction(() => !(document.querySelector('#train') as HTMLButtonElement).disabled);

      // A parameter: out of range, or emptied (not silently 0), is the plugin's error in that panel.
      await page.selectOption('.panel[data-panel="A"] select.activation', 'snake');
      await page.fill('.panel[data-panel="A"] .params input[name="frequency"]', '-1');
      await page.press('.panel[data-panel="A"] .params input[name="frequency"]', 'Enter');
      await waitForText('.panel[data-panel="A"] .error', false);
      expect(await page.textContent('.panel[data-panel="A"] .error')).toMatch(/frequency.*Received/);
      expect(await trainDisabled()).toBe(true);
      await page.selectOption('.panel[data-panel="B"] select.activation', 'leakyRelu');
      await page.fill('.panel[data-panel="B"] .params input[name="alpha"]', '');
      await page.press('.panel[data-panel="B"] .params input[name="alpha"]', 'Enter');
      await waitForText('.panel[data-panel="B"] .error', false);
      expect(await page.textContent('.panel[data-panel="B"] .error')).toMatch(/alpha.*Received: alpha=NaN/);
      await page.fill('.panel[data-panel="A"] .params input[name="frequency"]', '2');
      await page.press('.panel[data-panel="A"] .params input[name="frequency"]', 'Enter');
      await page.fill('.panel[data-panel="B"] .params input[name="alpha"]', '0.1');
      await page.press('.panel[data-panel="B"] .params input[name="alpha"]', 'Enter');
      await waitForText('.panel[data-panel="A"] .error', true);
      await waitForText('.panel[data-panel="B"] .error', true);
      await page.waitForFunction(() => !(document.querySelector('#train') as HTMLButtonElement).disabled);
      const s = await state();
      expect(s.panels.map((p: Any) => [p.layerConfig.frequency, p.layerConfig.alpha])).toEqual([[2, undefined], [undefined, 0.1]]);
    });
  });
});

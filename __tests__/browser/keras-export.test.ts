/**
 * The Keras export in headless Chromium, from the library's ES module bundle: with 'h5wasm' in the
 * page's import map, saveModel(model) returns a .keras file that loadModel reads back as the same
 * model; with the module handed over by act.keras.useH5wasm() it works without the import map; with
 * neither it fails saying what to do. Pages and files are served from disk through request routing.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { browserTwins, common } from '../../scripts/build-browser';
import { browserMissing, launchChromium } from '../helpers/browser';

const missing = browserMissing();
if (missing) console.warn(`browser export tests skipped: ${missing}`);
const describeInBrowser = missing ? describe.skip : describe;

const ROOT = path.join(__dirname, '..', '..');
const ORIGIN = 'http://export.test';

/** The page: tfjs and the plugin from the import map, a model with custom objects, exported and imported back. */
const page = (importMap: Record<string, string>, handOver: boolean) => `<!doctype html><meta charset="utf-8">
<script type="importmap">${JSON.stringify({ imports: importMap })}</script>
<script type="module">
  import * as tf from '@tensorflow/tfjs';
  import * as act from 'tfjs-activations';
  try {
    await tf.setBackend('cpu');
    ${handOver ? "act.keras.useH5wasm(await import('/h5wasm/hdf5_hl.js'));" : ''}
    const x = tf.input({ shape: [4] });
    let h = tf.layers.dense({ units: 6, activation: act.name('snake'), kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }).apply(x);
    h = act.layers.swish({ learnable: ['beta'] }).apply(h);
    h = act.layers.sparsemax().apply(tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }).apply(h));
    const model = tf.model({ inputs: x, outputs: h });
    const xs = tf.tensor2d([[0.1, -0.4, 2, 1], [1, 2, -3, 0.5]]);
    const { bytes, customObjects } = await act.keras.saveModel(model);
    const back = await act.keras.loadModel(bytes);
    window.result = {
      size: bytes.length, zip: Array.from(bytes.slice(0, 2)), customObjects,
      before: Array.from(model.predict(xs).dataSync()), after: Array.from(back.predict(xs).dataSync()),
    };
  } catch (e) {
    window.result = { error: String(e && e.message || e) };
  }
</script>`;

describeInBrowser('Keras export in Chromium', () => {
  let browser: Browser;
  let tab: Page;
  let bundle: string;

  beforeAll(async () => {
    // The library's ES module bundle, built in memory as npm run build builds it.
    const r = await esbuild.build({ ...common, entryPoints: [path.join(ROOT, 'src/index.ts')], format: 'esm', external: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers'],
      plugins: [browserTwins], write: false, outdir: '/out', sourcemap: false, metafile: false });
    bundle = r.outputFiles.find((f) => f.path.endsWith('.js'))!.text;
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => browser?.close());

  async function open(html: string): Promise<Record<string, unknown>> {
    tab = await browser.newPage();
    const files: Record<string, () => string | Buffer> = {
      '/index.html': () => html,
      '/tf.fesm.js': () => fs.readFileSync(path.join(ROOT, 'node_modules/@tensorflow/tfjs/dist/tf.fesm.js')),
      '/tfjs-activations.esm.js': () => bundle,
    };
    await tab.route(`${ORIGIN}/**`, async (route) => {
      const p = new URL(route.request().url()).pathname;
      const h5 = p.startsWith('/h5wasm/') ? path.join(ROOT, 'node_modules/h5wasm/dist/esm', path.basename(p)) : undefined;
      const body = files[p]?.() ?? (h5 && fs.existsSync(h5) ? fs.readFileSync(h5) : undefined);
      if (body === undefined) return route.fulfill({ status: 404, body: 'not found' });
      return route.fulfill({ status: 200, body, contentType: p.endsWith('.html') ? 'text/html' : 'text/javascript' });
    });
    await tab.goto(`${ORIGIN}/index.html`);
    await tab.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, undefined, { timeout: 90_000 });
    const result = await tab.evaluate(() => (window as unknown as { result: Record<string, unknown> }).result);
    await tab.close();
    return result;
  }

  const base = { '@tensorflow/tfjs': '/tf.fesm.js', '@tensorflow/tfjs-core': '/tf.fesm.js', '@tensorflow/tfjs-layers': '/tf.fesm.js', 'tfjs-activations': '/tfjs-activations.esm.js' };

  test("with 'h5wasm' in the import map, saveModel's bytes load back as the same model", async () => {
    const r = await open(page({ ...base, h5wasm: '/h5wasm/hdf5_hl.js' }, false));
    expect(r.error).toBeUndefined();
    expect(r.zip).toEqual([0x50, 0x4b]);
    expect(r.customObjects).toEqual(['TfjsActivations>Sparsemax', 'TfjsActivations>Swish', 'TfjsActivations>snake']);
    expect(r.after).toEqual(r.before);
  });

  test('with the module handed over by act.keras.useH5wasm, no import map entry is needed', async () => {
    const r = await open(page(base, true));
    expect(r.error).toBeUndefined();
    expect(r.after).toEqual(r.before);
  });

  test('with neither, saveModel fails saying what to do', async () => {
    const r = await open(page(base, false));
    expect(r.error).toContain("the Keras export writes model.weights.h5 with h5wasm, which could not be loaded");
    expect(r.error).toContain("in a web page, add 'h5wasm' to the import map or call act.keras.useH5wasm(module)");
  });
});

/**
 * The wasm backend's SIMD kernels in headless Chromium (__tests__/browser/wasm-page.ts): on a
 * plain page (tfjs's SIMD build, memory not shared) and on a cross-origin-isolated page (COOP and
 * COEP headers: the threaded build, whose memory is shared and which our modules must import as
 * such). On the main thread the modules compile asynchronously: the first calls run the JavaScript
 * loops, the later ones the compiled kernels, and both give the definitions' values.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import * as esbuild from 'esbuild';
import type { Browser } from 'playwright-core';
import * as act from '../../src';
import { browserTwins, common } from '../../scripts/build-browser';
import { browserMissing, launchChromium } from '../helpers/browser';

const missing = browserMissing();
if (missing) console.warn(`browser tests skipped: ${missing}`);
const describeInBrowser = missing ? describe.skip : describe;

const WASM_DIST = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
const PAGES: Record<string, Record<string, string>> = {
  plain: {},
  isolated: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

describeInBrowser('the wasm backend in Chromium', () => {
  let browser: Browser;
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    const built = await esbuild.build({
      ...common,
      entryPoints: [path.join(__dirname, 'wasm-page.ts')],
      format: 'iife',
      write: false,
      sourcemap: false,
      metafile: false,
      plugins: [browserTwins],
    });
    const bundle = built.outputFiles[0].contents;
    server = http.createServer((req, res) => {
      const { pathname } = new URL(req.url ?? '/', 'http://localhost');
      const page = pathname.split('/')[1];
      const headers = { ...(PAGES[page] ?? {}), 'Cross-Origin-Resource-Policy': 'same-origin' };
      if (pathname === `/${page}/` && PAGES[page]) {
        res.writeHead(200, { ...headers, 'Content-Type': 'text/html' });
        res.end(`<!doctype html><meta charset="utf-8"><script src="/${page}/bundle.js"></script>`);
      } else if (pathname.endsWith('/bundle.js')) {
        res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' });
        res.end(bundle);
      } else if (pathname.startsWith('/wasm/') && fs.existsSync(path.join(WASM_DIST, path.basename(pathname)))) {
        res.writeHead(200, { ...headers, 'Content-Type': 'application/wasm' });
        res.end(fs.readFileSync(path.join(WASM_DIST, path.basename(pathname))));
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it.each(Object.keys(PAGES))('%s page: every activation, while compiling (JavaScript) and compiled (SIMD)', async (name) => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}/${name}/`);
    await page.waitForFunction(() => (window as Any).wasmReport !== undefined, undefined, { timeout: 90_000 });
    const r = await page.evaluate(() => (window as Any).wasmReport);
    await page.close();
    expect(errors).toEqual([]);
    expect(r.error).toBeUndefined();
    expect([r.backend, r.precision]).toEqual(['wasm', 'fast']);
    expect([r.crossOriginIsolated, r.threads, r.sharedMemory]).toEqual(name === 'isolated' ? [true, true, true] : [false, false, false]);
    // Asynchronous compile: the first pass is the JavaScript loops'; after it, only SIMD kernels run.
    expect(r.countsWhileCompiling.javascript).toBeGreaterThan(0);
    expect(r.countsCompiled.javascript).toBe(0);
    expect(r.countsCompiled.simd).toBe(3 * act.list().length);  // f, then f and dy·f′ inside tf.grad
    const bad = (worst: Record<string, number>) => Object.entries(worst).filter(([, w]) => !(w <= 1));
    expect(Object.keys(r.compiled)).toEqual(act.list());
    expect(bad(r.whileCompiling)).toEqual([]);
    expect(bad(r.compiled)).toEqual([]);
    expect(r.tensorsLeft).toBe(0);
    console.log(`wasm in Chromium (${name}): worst |error| / (1e-6 + 1e-5·|f|) over value and gradient, compiled: ` +
      `${Math.max(...(Object.values(r.compiled) as number[])).toFixed(3)}`);
  }, 120_000);
});

/**
 * Headless Chromium for the browser tests (Debian's /usr/bin/chromium, driven by playwright-core).
 * Without Chromium the browser tests are skipped with a printed reason; CI installs it and sets
 * TFJS_ACTIVATIONS_REQUIRE_BROWSER=1, which turns a missing browser (or a missing WebGPU adapter)
 * into a failure.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as esbuild from 'esbuild';
import type { Browser } from 'playwright-core';
import { browserTwins, common } from '../../scripts/build-browser';
import { CHROMIUM_PATH, launchChromium } from '../../scripts/lib/chromium';

export { CHROMIUM_PATH, launchChromium };

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserMissing(): string | undefined {
  if (fs.existsSync(CHROMIUM_PATH)) return undefined;
  const reason = `no Chromium at ${CHROMIUM_PATH} (install Debian's 'chromium' package, or set TFJS_ACTIVATIONS_CHROMIUM)`;
  if (process.env.TFJS_ACTIVATIONS_REQUIRE_BROWSER === '1') {
    throw new Error(`the browser tests are required here (TFJS_ACTIVATIONS_REQUIRE_BROWSER=1), but there is ${reason}`);
  }
  return reason;
}

/** True when a missing browser or WebGPU adapter must fail the run (CI). */
export const browserRequired = (): boolean => process.env.TFJS_ACTIVATIONS_REQUIRE_BROWSER === '1';

/**
 * Why WebGPU cannot run in this Chromium for pages on `url` (no navigator.gpu, no adapter), or
 * undefined when it can. Throws instead when TFJS_ACTIVATIONS_REQUIRE_BROWSER=1.
 */
export async function webgpuMissing(browser: Browser, url: string): Promise<string | undefined> {
  const page = await browser.newPage();
  try {
    await page.goto(url);
    const reason = await page.evaluate(async () => {
      const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      if (!gpu) return 'navigator.gpu is missing (not a secure context, or WebGPU disabled)';
      return (await gpu.requestAdapter()) ? undefined : 'navigator.gpu.requestAdapter() found no adapter (is --enable-unsafe-webgpu passed?)';
    });
    if (reason && browserRequired()) {
      throw new Error(`WebGPU is required here (TFJS_ACTIVATIONS_REQUIRE_BROWSER=1), but in ${CHROMIUM_PATH}: ${reason}`);
    }
    return reason ?? undefined;
  } finally {
    await page.close();
  }
}

/**
 * Bundles `entry` (a page script) with esbuild into a temporary directory with an index.html that
 * loads it, and serves it on http://127.0.0.1 (a secure context: WebGPU needs one).
 */
export async function servePage(entry: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-activations-page-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><script src="page.js"></script>\n');
  const ctx = await esbuild.context({ ...common, entryPoints: { page: entry }, format: 'iife', outdir: dir, plugins: [browserTwins] });
  await ctx.rebuild();
  const { hosts, port } = await ctx.serve({ servedir: dir, host: '127.0.0.1' });
  return {
    url: `http://${hosts[0]}:${port}/`,
    stop: async () => {
      await ctx.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

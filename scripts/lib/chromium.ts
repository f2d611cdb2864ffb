/**
 * Headless Chromium as the browser tests and the browser benchmark run it: Debian's
 * /usr/bin/chromium (or TFJS_ACTIVATIONS_CHROMIUM) through playwright-core, no sandbox (CI runs as
 * root), no GPU (webgl and webgpu both on SwiftShader), no network chatter, and
 * --enable-unsafe-webgpu so that pages on http://127.0.0.1 get a WebGPU adapter.
 */
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.TFJS_ACTIVATIONS_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--enable-unsafe-webgpu',
      '--disable-background-networking', '--disable-component-update', '--no-first-run',
    ],
  });
}

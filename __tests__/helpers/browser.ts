/**
 * Headless Chromium for the browser tests (Debian's /usr/bin/chromium, driven by playwright-core).
 * Without Chromium the browser tests are skipped with a printed reason; CI installs it and sets
 * TFJS_ACTIVATIONS_REQUIRE_BROWSER=1, which turns a missing browser into a failure.
 */
import * as fs from 'fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.TFJS_ACTIVATIONS_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserMissing(): string | undefined {
  if (fs.existsSync(CHROMIUM_PATH)) return undefined;
  const reason = `no Chromium at ${CHROMIUM_PATH} (install Debian's 'chromium' package, or set TFJS_ACTIVATIONS_CHROMIUM)`;
  if (process.env.TFJS_ACTIVATIONS_REQUIRE_BROWSER === '1') {
    throw new Error(`the browser tests are required here (TFJS_ACTIVATIONS_REQUIRE_BROWSER=1), but there is ${reason}`);
  }
  return reason;
}

/** Chromium as the issue prescribes: headless, no sandbox (CI runs as root), no GPU, no network chatter. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

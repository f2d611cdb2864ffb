/**
 * The playground site, with esbuild:
 *   site     demos/out/playground/  the playground, the check page, the browser benchmark and two plain-page examples
 *   serve    builds the site and serves it on localhost, printing the URL; a reload rebuilds the playground and
 *            check bundles from changed sources (pages, styles and the library bundles are copied once, at start)
 * The library bundles come from scripts/build-browser.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as esbuild from 'esbuild';
import { Command } from 'commander';
import { browserTwins, buildLibrary, common, ESM_BUNDLE, GLOBAL_BUNDLE, ROOT } from '../../scripts/build-browser';

const PAGES = path.join(__dirname, 'playground');
export const SITE_DIR = path.join(ROOT, 'demos/out/playground');

/** Options for the site's own bundles (playground, check, bench: tfjs and the plugin bundled together, one tfjs). */
function siteOptions(): esbuild.BuildOptions {
  return {
    ...common,
    entryPoints: { playground: path.join(PAGES, 'main.ts'), check: path.join(PAGES, 'check.ts'), bench: path.join(PAGES, 'bench.ts') },
    format: 'iife',
    outdir: SITE_DIR,
    plugins: [browserTwins],
  };
}

/** Static files: the pages, the library bundles and tfjs's own builds for the plain-page examples. */
function copyStatic(): void {
  fs.mkdirSync(path.join(SITE_DIR, 'vendor'), { recursive: true });
  fs.mkdirSync(path.join(SITE_DIR, 'lib'), { recursive: true });
  for (const f of fs.readdirSync(PAGES)) if (/\.(html|css)$/.test(f)) fs.copyFileSync(path.join(PAGES, f), path.join(SITE_DIR, f));
  const tfjsDist = path.join(path.dirname(require.resolve('@tensorflow/tfjs/package.json')), 'dist');
  for (const f of ['tf.fesm.js', 'tf.min.js']) fs.copyFileSync(path.join(tfjsDist, f), path.join(SITE_DIR, 'vendor', f));
  for (const f of [ESM_BUNDLE, GLOBAL_BUNDLE]) fs.copyFileSync(f, path.join(SITE_DIR, 'lib', path.basename(f)));
}

/** Builds the library bundles and the whole site into SITE_DIR. */
export async function buildSite(): Promise<void> {
  await buildLibrary();
  copyStatic();
  await esbuild.build(siteOptions());
}

/** Builds the site and serves it (a reload rebuilds the playground and check bundles when their sources changed). */
export async function serveSite(opts: { host?: string; port?: number } = {}): Promise<{ url: string; stop: () => Promise<void> }> {
  await buildLibrary();
  copyStatic();
  const ctx = await esbuild.context(siteOptions());
  const { hosts, port } = await ctx.serve({ servedir: SITE_DIR, host: opts.host ?? '127.0.0.1', port: opts.port });
  return { url: `http://${hosts[0]}:${port}/`, stop: () => ctx.dispose() };
}

if (require.main === module) {
  const program = new Command('site').description('the tfjs-activations playground site');
  program.command('site').description(`the playground and examples, into ${path.relative(ROOT, SITE_DIR)}`).action(async () => {
    await buildSite();
    console.log(`wrote ${path.relative(ROOT, SITE_DIR)}/`);
  });
  program
    .command('serve')
    .description('serve the playground on localhost')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (default: 8000 or the next free one)', (v) => Number(v))
    .action(async (o: { host: string; port?: number }) => {
      const { url } = await serveSite(o);
      console.log(`Playground:       ${url}\nCheck:            ${url}check.html (?backend=webgpu, ?path=composite)\nBenchmark:        ${url}bench.html?backend=webgl\nPlain ES module:  ${url}esm.html\nScript tags:      ${url}global.html\n(Ctrl-C stops)`);
    });
  program.parseAsync().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}

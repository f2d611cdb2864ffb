/**
 * Browser builds, with esbuild:
 *   library  dist/browser/tfjs-activations.esm.js  ES module; imports @tensorflow/tfjs-core and -layers (the page's tfjs)
 *            dist/browser/tfjs-activations.min.js  script tag; reads the global `tf`, defines `tfjsActivations`
 *   site     demos/out/playground/                 the playground, the composite check and two plain-page examples
 *   serve    builds the site and serves it on localhost, printing the URL; a reload rebuilds the playground and
 *            check bundles from changed sources (pages, styles and the library bundles are copied once, at start)
 * Node-only modules never reach a bundle: src/keras/local-files.ts is swapped for its .browser.ts twin.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as esbuild from 'esbuild';
import { Command } from 'commander';

const ROOT = path.resolve(__dirname, '../..');
const PAGES = path.join(__dirname, 'playground');
export const LIBRARY_DIR = path.join(ROOT, 'dist/browser');
export const SITE_DIR = path.join(ROOT, 'demos/out/playground');
export const ESM_BUNDLE = path.join(LIBRARY_DIR, 'tfjs-activations.esm.js');
export const GLOBAL_BUNDLE = path.join(LIBRARY_DIR, 'tfjs-activations.min.js');
const TFJS_PEERS = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers'];

/** Swaps modules that have a `.browser.ts` twin (reading local files) for the twin. */
const browserTwins: esbuild.Plugin = {
  name: 'browser-twins',
  setup(build) {
    build.onResolve({ filter: /[\\/]local-files$/ }, (args) => ({ path: path.join(args.resolveDir, `${path.basename(args.path)}.browser.ts`) }));
  },
};

/** For the script-tag build: tfjs-core and tfjs-layers are the page's global `tf` (the union bundle exports both). */
const tfjsFromGlobal: esbuild.Plugin = {
  name: 'tfjs-from-global',
  setup(build) {
    build.onResolve({ filter: /^@tensorflow\/tfjs-(core|layers)$/ }, (args) => ({ path: args.path, namespace: 'tf-global' }));
    build.onLoad({ filter: /.*/, namespace: 'tf-global' }, () => ({
      contents: "if (!globalThis.tf) throw new Error('tfjs-activations: load TensorFlow.js (the global tf) before tfjs-activations.min.js'); module.exports = globalThis.tf;",
      loader: 'js',
    }));
  },
};

const common: esbuild.BuildOptions = {
  bundle: true,
  platform: 'browser',
  target: 'es2020',
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
};

/** The two library bundles; returns esbuild's metafiles (inputs and imports, checked by the tests). */
export async function buildLibrary(): Promise<{ esm: esbuild.Metafile; global: esbuild.Metafile }> {
  const entry = path.join(ROOT, 'src/index.ts');
  const esm = await esbuild.build({ ...common, entryPoints: [entry], format: 'esm', external: TFJS_PEERS, outfile: ESM_BUNDLE, plugins: [browserTwins] });
  const global = await esbuild.build({
    ...common,
    entryPoints: [entry],
    format: 'iife',
    globalName: 'tfjsActivations',
    minify: true,
    outfile: GLOBAL_BUNDLE,
    plugins: [browserTwins, tfjsFromGlobal],
  });
  return { esm: esm.metafile!, global: global.metafile! };
}

/** Options for the site's own bundles (playground and check: tfjs and the plugin bundled together, one tfjs). */
function siteOptions(): esbuild.BuildOptions {
  return {
    ...common,
    entryPoints: { playground: path.join(PAGES, 'main.ts'), check: path.join(PAGES, 'check.ts') },
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
  const program = new Command('build').description('browser builds of tfjs-activations');
  program.command('library').description('dist/browser: the ES module and the script-tag bundle').action(async () => {
    await buildLibrary();
    console.log(`wrote ${path.relative(ROOT, ESM_BUNDLE)} and ${path.relative(ROOT, GLOBAL_BUNDLE)}`);
  });
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
      console.log(`Playground:       ${url}\nComposite check:  ${url}check.html\nPlain ES module:  ${url}esm.html\nScript tags:      ${url}global.html\n(Ctrl-C stops)`);
    });
  program.parseAsync().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}

/**
 * The library's browser bundles, with esbuild (part of `npm run build`):
 *   dist/browser/tfjs-activations.esm.js  ES module; imports @tensorflow/tfjs-core and -layers (the page's tfjs)
 *   dist/browser/tfjs-activations.min.js  script tag; reads the global `tf`, defines `tfjsActivations`
 * Node-only modules never reach a bundle: src/keras/local-files.ts is swapped for its .browser.ts twin.
 * The playground site (demos/browser/site.ts) reuses these bundles and this configuration.
 */
import * as path from 'path';
import * as esbuild from 'esbuild';

export const ROOT = path.resolve(__dirname, '..');
export const LIBRARY_DIR = path.join(ROOT, 'dist/browser');
export const ESM_BUNDLE = path.join(LIBRARY_DIR, 'tfjs-activations.esm.js');
export const GLOBAL_BUNDLE = path.join(LIBRARY_DIR, 'tfjs-activations.min.js');
const TFJS_PEERS = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers'];

/** Swaps modules that have a `.browser.ts` twin (reading local files) for the twin. */
export const browserTwins: esbuild.Plugin = {
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

export const common: esbuild.BuildOptions = {
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

if (require.main === module) {
  buildLibrary()
    .then(() => console.log(`wrote ${path.relative(ROOT, ESM_BUNDLE)} and ${path.relative(ROOT, GLOBAL_BUNDLE)}`))
    .catch((e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    });
}

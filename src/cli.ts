#!/usr/bin/env node
/**
 * tfjs-activations command line.
 *
 *   npx tfjs-activations convert model.keras out_dir/ [--sparsemax=exact] [--limit maxWeightsBytes=4e9]
 *   npx tfjs-activations export model.json out.keras [--no-python-module]
 *
 * convert writes out_dir/model.json + out_dir/weights.bin, a standard tfjs layers model that
 * `tf.loadLayersModel('file://out_dir/model.json')` loads once `tfjs-activations` is imported.
 * export writes the tfjs model as a Keras 3 .keras file, and tfjs_activations_keras.py next to it when
 * the model uses this plugin's custom objects (`import tfjs_activations_keras` before load_model).
 * A failure is one line on stderr and exit code 1. `--` ends the options (a file named `--x.keras`).
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { convert, DEFAULT_LIMITS, PYTHON_MODULE, saveModel, type ImportLimits } from './keras';
import { register } from './register';

/** Any tfjs backend will do: conversion only creates and reads tensors. */
function loadBackend(): void {
  // libtensorflow (tfjs-node) logs its CPU features to stderr when it loads; the user asked for a
  // conversion, so its output starts with the answer. An explicit setting still wins.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  for (const pkg of ['@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs']) {
    try {
      require(pkg);
      return;
    } catch {
      // try the next one
    }
  }
  throw new Error('no tfjs backend found: install @tensorflow/tfjs (or @tensorflow/tfjs-node).');
}

/** A message on one line (tfjs's and commander's can span several). */
const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();

/** `--limit name=value`, collected into an object (checked by the import, which names what is wrong). */
function limit(value: string, previous: Partial<ImportLimits>): Partial<ImportLimits> {
  const m = /^(\w+)=(.+)$/.exec(value);
  if (!m) throw new InvalidArgumentError(`expected name=value, e.g. maxWeightsBytes=4e9. Received: ${value}`);
  return { ...previous, [m[1]]: Number(m[2]) };
}

/** A tfjs layers model from model.json and its weight files on disk (on any backend: no tfjs-node file handler needed). */
async function readLayersModel(modelJson: string): Promise<tfl.LayersModel> {
  let json: tfc.io.ModelJSON;
  try {
    json = JSON.parse(await fs.readFile(modelJson, 'utf8')) as tfc.io.ModelJSON;
  } catch (e) {
    throw new Error(`cannot read the tfjs model '${modelJson}': ${(e as Error).message}`);
  }
  if (!json.modelTopology) throw new Error(`${modelJson} is not a tfjs layers model (it has no modelTopology)`);
  const specs: tfc.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of json.weightsManifest ?? []) {
    for (const p of group.paths) buffers.push(new Uint8Array(await fs.readFile(path.join(path.dirname(modelJson), p))));
    specs.push(...group.weights);
  }
  const weightData = new Uint8Array(buffers.reduce((n, b) => n + b.byteLength, 0));
  buffers.reduce((offset, b) => (weightData.set(b, offset), offset + b.byteLength), 0);
  return tfl.loadLayersModel(tfc.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData: weightData.buffer }));
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command('tfjs-activations')
    .description('Activation functions for TensorFlow.js, and Keras 3 model conversion.')
    .exitOverride()
    .configureOutput({ outputError: (message, write) => write(`${oneLine(message)}\n`) });
  program
    .command('convert')
    .description('Convert a Keras 3 .keras model into a tfjs layers model (model.json + weights.bin).\n' +
      "Load it with: import 'tfjs-activations'; await tf.loadLayersModel('file://<out_dir>/model.json')")
    .argument('<model.keras>', 'the Keras 3 model file')
    .argument('<out_dir>', 'the directory to write model.json and weights.bin into')
    .addOption(new Option('--sparsemax <mode>', "'exact' imports Keras's 'sparsemax' as true sparsemax (Keras 3's differs)")
      .choices(['refuse', 'exact']).default('refuse'))
    .option('--limit <name=value>', `raise an import budget, repeatable (${Object.keys(DEFAULT_LIMITS).join(', ')})`, limit, {})
    .action(async (input: string, outDir: string, opts: { sparsemax: 'refuse' | 'exact'; limit: Partial<ImportLimits> }) => {
      loadBackend();
      register();
      await tfc.ready();
      const r = await convert(pathToFileURL(path.resolve(input)), outDir, { sparsemax: opts.sparsemax, limits: opts.limit });
      console.log(`Converted ${input} (${r.layers} tfjs layers, ${r.weightBytes} bytes of weights) on backend '${tfc.getBackend()}':`);
      console.log(`  ${r.modelJsonPath}\n  ${r.weightsPath}`);
    });
  program
    .command('export')
    .description('Export a tfjs layers model (model.json + weights) as a Keras 3 .keras file, with the Python module ' +
      `${PYTHON_MODULE}.py next to it when the model uses this plugin's custom objects.\n` +
      `Load it with: import ${PYTHON_MODULE}; keras.saving.load_model('<out.keras>')`)
    .argument('<model.json>', 'the tfjs layers model (its weight files next to it)')
    .argument('<out.keras>', 'the Keras file to write')
    .option('--no-python-module', `do not write ${PYTHON_MODULE}.py`)
    .action(async (input: string, output: string, opts: { pythonModule: boolean }) => {
      loadBackend();
      register();
      await tfc.ready();
      const model = await readLayersModel(input);
      try {
        const r = await saveModel(model, output, { pythonModule: opts.pythonModule });
        console.log(`Exported ${input} (${model.layers.length} layers) as Keras 3:`);
        for (const f of r.files) console.log(`  ${f}`);
        if (r.customObjects.length) {
          console.log(`It uses this plugin's custom objects (${r.customObjects.join(', ')}): \`import ${PYTHON_MODULE}\` before keras.saving.load_model.`);
        }
      } finally {
        model.dispose();
      }
    });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 1;  // commander printed it (one line)
    console.error(`tfjs-activations: ${oneLine((e as Error)?.message ?? String(e))}`);
    return 1;
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}

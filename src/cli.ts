#!/usr/bin/env node
/**
 * tfjs-activations command line.
 *
 *   npx tfjs-activations convert model.keras out_dir/ [--sparsemax=exact] [--limit maxWeightsBytes=4e9]
 *
 * Writes out_dir/model.json + out_dir/weights.bin, a standard tfjs layers model that
 * `tf.loadLayersModel('file://out_dir/model.json')` loads once `tfjs-activations` is imported.
 * A failure is one line on stderr and exit code 1. `--` ends the options (a file named `--x.keras`).
 */
import * as path from 'path';
import { pathToFileURL } from 'url';
import * as tfc from '@tensorflow/tfjs-core';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { convert, DEFAULT_LIMITS, type ImportLimits } from './keras';
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

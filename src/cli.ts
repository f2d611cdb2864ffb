#!/usr/bin/env node
/**
 * tfjs-activations command line.
 *
 *   npx tfjs-activations convert model.keras out_dir/ [--sparsemax=exact]
 *
 * Writes out_dir/model.json + out_dir/weights.bin, a standard tfjs layers model that
 * `tf.loadLayersModel('file://out_dir/model.json')` loads once `tfjs-activations` is imported.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { convert, KerasImportError } from './keras';
import { register } from './register';

const USAGE = `Usage: tfjs-activations convert <model.keras> <out_dir> [--sparsemax=exact]

Converts a Keras 3 .keras model into a tfjs layers model (model.json + weights.bin).
Load it with: import 'tfjs-activations'; await tf.loadLayersModel('file://<out_dir>/model.json')

  --sparsemax=exact   import Keras's 'sparsemax' as true sparsemax (Keras 3's differs; refused otherwise)`;

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

export async function main(argv: string[]): Promise<number> {
  const flags = argv.filter((a) => a.startsWith('--'));
  const args = argv.filter((a) => !a.startsWith('--'));
  if (flags.includes('--help') || flags.includes('-h') || args.length === 0) {
    console.log(USAGE);
    return args.length === 0 && !flags.includes('--help') ? 1 : 0;
  }
  const unknown = flags.filter((f) => f !== '--sparsemax=exact');
  if (args[0] !== 'convert' || args.length !== 3 || unknown.length > 0) {
    console.error(USAGE);
    return 1;
  }
  const [, input, outDir] = args;
  loadBackend();
  register();
  await tfc.ready();
  try {
    const r = await convert(`file://${input}`, outDir, { sparsemax: flags.includes('--sparsemax=exact') ? 'exact' : 'refuse' });
    console.log(`Converted ${input} (${r.layers} tfjs layers, ${r.weightBytes} bytes of weights) on backend '${tfc.getBackend()}':`);
    console.log(`  ${r.modelJsonPath}\n  ${r.weightsPath}`);
    return 0;
  } catch (e) {
    console.error(e instanceof KerasImportError ? e.message : `Conversion failed: ${(e as Error).stack ?? e}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}

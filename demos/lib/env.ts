/** Backend choice (tfjs-node, else wasm, else cpu) plus what a report needs to say about the machine. */
import * as fs from 'fs';
import * as os from 'os';
import * as tf from '@tensorflow/tfjs';
import { chooseBackend, type BackendChoice } from './backend';
import { installWasmConv2dFilterGrad } from './wasm-conv-shim';
import * as act from '../../src';
import { runsFast } from '../../src/engine/kernels';

export interface RunEnv {
  backend: string;
  backendNote: string;
  /** True when tfjs-node (native TensorFlow) runs; the demos pick smaller defaults otherwise. */
  native: boolean;
  cpus: number;
  cpuModel: string;
  node: string;
  tfjs: string;
  date: string;
  notes: string[];
}

export function cpuModel(): string {
  try {
    const m = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m);
    if (m) return m[1].trim();
  } catch {
    /* not linux */
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

export async function setupBackend(preferred?: string): Promise<RunEnv> {
  const choice: BackendChoice = await chooseBackend(preferred);
  const notes: string[] = [];
  if (choice.name === 'wasm' && installWasmConv2dFilterGrad()) {
    notes.push("wasm: registered a Conv2DBackpropFilter bridge (via wasm's Conv3DBackpropFilterV2, stride 1) so conv layers can train");
  }
  return {
    backend: choice.name,
    backendNote: choice.note,
    native: choice.name === 'tensorflow',
    cpus: typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length,
    cpuModel: cpuModel(),
    node: process.version,
    tfjs: tf.version.tfjs,
    date: new Date().toISOString(),
    notes,
  };
}

export function describeEnv(e: RunEnv): string {
  return `backend: ${e.backendNote} | ${e.cpus} CPU(s), ${e.cpuModel} | node ${e.node}, tfjs ${e.tfjs} | ${e.date.slice(0, 16).replace('T', ' ')} UTC`;
}

/** "tensorflow: our activations at precision 'fast' (fused float32 kernels)", as the reports state it. */
export function precisionNote(backend: string): string {
  const kernels = runsFast(backend) ? 'fused float32 kernels' : 'float64 JavaScript kernels';
  return `${backend}: our activations at precision '${act.getPrecision(backend)}' (${kernels})`;
}

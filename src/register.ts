/**
 * register(): puts every kernel, gradient, layer class and activation name into tfjs's registries. Idempotent by asking tfjs
 * (not by a flag), so importing the plugin twice, or after a backend has loaded, is fine.
 */
import type { AnyDefinition } from './definition';
import { definitions } from './definitions';
import { registerGradientsFor } from './engine/gradients';
import { kernelBackends, registerKernelsFor } from './engine/kernels';
import { kernelNames } from './engine/names';
import { registerParametricGradientFor, registerParametricKernelsFor } from './engine/parametric';
import { registerLayers } from './layers';
// The backends' fused kernels register themselves as they load.
import './engine/generate/tensorflow';
import './engine/generate/webgl';
import './engine/generate/webgpu';
import './engine/generate/wasm';

export function register(): void {
  for (const def of definitions as readonly AnyDefinition[]) {
    const names = kernelNames(def.id);
    for (const backendName of kernelBackends()) registerKernelsFor(def, names, backendName);
    registerGradientsFor(def, names);
    for (const backendName of kernelBackends()) registerParametricKernelsFor(def, backendName);
    registerParametricGradientFor(def);
  }
  registerLayers();
}

/**
 * Gradient configs: the derivative of each kernel is another of our kernels (see kernels.ts).
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { AnyDefinition } from '../definition';
import { claim, markOurs } from './claim';
import type { KernelNames } from './names';
import { runOrder, runScaledSecondOrder, thirdDerivativeError } from './run';
import { throwFromGradient } from './tfjs-adapter';

/** Registers the gradients of the four kernels of `def`; skips those already registered by us. */
export function registerGradientsFor(def: AnyDefinition, names: KernelNames): void {
  const configs: tfc.GradConfig[] = [
    {
      kernelName: names.forward,
      inputsToSave: ['x'],
      gradFunc: (dy, saved, attrs) => {
        const [x] = saved;
        return { x: () => runOrder(def, 1, dy as tfc.Tensor, x, attrs) };
      },
    },
    {
      kernelName: names.grad1,
      inputsToSave: ['dy', 'x'],
      gradFunc: (g, saved, attrs) => {
        const [dy, x] = saved;
        return {
          dy: () => runOrder(def, 1, g as tfc.Tensor, x, attrs),
          x: () => runScaledSecondOrder(def, g as tfc.Tensor, dy, x, attrs),
        };
      },
    },
    {
      kernelName: names.grad2,
      inputsToSave: ['dy', 'x'],
      gradFunc: (g, saved, attrs) => {
        const [, x] = saved;
        return {
          dy: () => runOrder(def, 2, g as tfc.Tensor, x, attrs),
          x: () => throwFromGradient(thirdDerivativeError(def)),
        };
      },
    },
    {
      kernelName: names.grad2Scaled,
      inputsToSave: ['dy', 'scale', 'x'],
      gradFunc: (g, saved, attrs) => {
        const [dy, scale, x] = saved;
        return {
          dy: () => runScaledSecondOrder(def, g as tfc.Tensor, scale, x, attrs),
          scale: () => runScaledSecondOrder(def, g as tfc.Tensor, dy, x, attrs),
          x: () => throwFromGradient(thirdDerivativeError(def)),
        };
      },
    },
  ];
  for (const config of configs) {
    claim(`a gradient for '${config.kernelName}'`, tfc.getGradient(config.kernelName), () => tfc.registerGradient(markOurs({ ...config })));
  }
}

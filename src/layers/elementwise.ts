/**
 * A Keras-style layer for every element-wise definition, generated from the registry: parameters
 * live in the layer config, and any numeric parameter can be learned (per element, or shared over
 * `sharedAxes` like PReLU), trained with the definition's explicit parameter derivatives.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { AnyDefinition } from '../definition';
import { applyResolved, resolveDefinitionParams, toFloatTensor } from '../engine/op';
import { applyWithTensorParams } from '../engine/parametric';
import { formatValue, type ParamSpec } from '../params';
import {
  claimWeight,
  LAYER_PREFIX,
  oneShape,
  oneTensor,
  pascal,
  registerPluginClass,
  splitArgs,
  uniqueLayerName,
} from './common';

/** Layer-only arguments of every element-wise layer. */
export interface LearnableArgs<Name extends string = string> {
  /** Parameters to learn, e.g. ['alpha'] (leakyRelu with a learnable alpha is PReLU). */
  learnable?: Name[];
  /** Input axes (1-based, batch is 0) along which a learnable parameter is shared, e.g. [1, 2] for H, W. */
  sharedAxes?: number[] | null;
}

export type ElementwiseLayer = tfl.layers.Layer & {
  readonly definition: AnyDefinition;
  readonly params: Readonly<Record<string, number | boolean | null>>;
  readonly learnable: readonly string[];
  readonly sharedAxes: readonly number[] | null;
};

const classes = new Map<string, tfc.serialization.SerializableConstructor<tfl.layers.Layer>>();

/** The layer class for a definition (created once). */
export function layerClassFor(def: AnyDefinition): tfc.serialization.SerializableConstructor<tfl.layers.Layer> & { className: string } {
  const existing = classes.get(def.id);
  if (existing) return existing as never;
  const className = `${LAYER_PREFIX}${pascal(def.id)}`;
  const owner = `${pascal(def.id)} layer`;
  const numeric = Object.entries(def.params as Record<string, ParamSpec>)
    .filter(([, s]) => s.type === 'number')
    .map(([k]) => k);

  class ElementwiseActivation extends tfl.layers.Layer {
    static className = className;
    readonly definition = def;
    readonly params: Record<string, number | boolean | null>;
    readonly learnable: string[];
    readonly sharedAxes: number[] | null;
    private readonly paramWeights: Record<string, tfl.LayerVariable> = {};

    constructor(args: Record<string, unknown> = {}) {
      const { base, rest } = splitArgs(owner, args, [...Object.keys(def.params), 'learnable', 'sharedAxes']);
      super({ ...base, name: (base.name as string | undefined) ?? uniqueLayerName(def.id) });
      this.supportsMasking = true;
      const { learnable, sharedAxes, ...given } = rest;
      this.params = resolveDefinitionParams(def, given, owner) as Record<string, number | boolean | null>;
      this.learnable = validateLearnable(learnable);
      this.sharedAxes = validateSharedAxes(sharedAxes);
      for (const name of this.learnable) {
        if (this.params[name] === null) {
          throw new Error(`${owner}: cannot learn \`${name}\` while it is null; give it a starting value. Received: ${name}=null`);
        }
      }
    }

    override build(inputShape: tfl.Shape | tfl.Shape[]): void {
      const shape = oneShape(owner, inputShape as never);
      for (const name of this.learnable) {
        const paramShape = shape.slice(1).map((d, i) => {
          if (this.sharedAxes?.includes(i + 1)) return 1;
          if (d === null) {
            throw new Error(`${owner}: learnable \`${name}\` needs a known size on input axis ${i + 1}, or that axis in ` +
              `\`sharedAxes\`. Received input shape [${shape.join(', ')}]`);
          }
          return d;
        });
        claimWeight(this.name, name, paramShape as number[]);
        this.paramWeights[name] = this.addWeight(
          name, paramShape, 'float32', tfl.initializers.constant({ value: this.params[name] as number }),
        );
      }
      this.built = true;
    }

    override call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
      return tfc.tidy(() => {
        const x = toFloatTensor(oneTensor(owner, inputs), 'x', owner);
        if (this.learnable.length === 0) return applyResolved(def, x, this.params);
        const tensors = Object.fromEntries(this.learnable.map((n) => [n, this.paramWeights[n].read()]));
        return applyWithTensorParams(def, x, this.params, tensors);
      });
    }

    override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape | tfl.Shape[] {
      return inputShape;
    }

    override getConfig(): tfc.serialization.ConfigDict {
      return {
        ...this.params,
        learnable: [...this.learnable],
        sharedAxes: this.sharedAxes ? [...this.sharedAxes] : null,
        ...super.getConfig(),
      };
    }
  }

  function validateLearnable(value: unknown): string[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !numeric.includes(v))) {
      const choices = numeric.length ? numeric.join(', ') : 'none: it has no numeric parameters';
      throw new Error(`${owner}: \`learnable\` must list numeric parameters of ${def.id} (${choices}). Received: learnable=${formatValue(value)}`);
    }
    return [...new Set(value as string[])];
  }

  function validateSharedAxes(value: unknown): number[] | null {
    if (value === undefined || value === null) return null;
    const list = typeof value === 'number' ? [value] : value;
    if (!Array.isArray(list) || list.some((v) => !Number.isInteger(v) || v < 1)) {
      throw new Error(`${owner}: \`sharedAxes\` must be a list of input axes >= 1 (0 is the batch). Received: sharedAxes=${formatValue(value)}`);
    }
    return list as number[];
  }

  Object.defineProperty(ElementwiseActivation, 'name', { value: pascal(def.id) });
  registerPluginClass(ElementwiseActivation as never);
  classes.set(def.id, ElementwiseActivation);
  return ElementwiseActivation as never;
}

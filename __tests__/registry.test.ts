/**
 * The registry: ids, every alias, snake/camel forms, unknown names, and registration being
 * idempotent and refusing to clobber someone else's kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import './helpers/backends';
import * as act from '../src';
import type { AnyDefinition } from '../src';
import { kernelNames } from '../src/engine/names';
import { registerKernelsFor } from '../src/engine/kernels';
import * as fs from 'fs';
import { resolveDefinitionParams } from '../src/engine/op';
import { REGISTRY_DUMP_PATH, registryDump, renderDump } from '../scripts/registry-dump';
import { loadReference } from './support/accuracy';
import * as internal from '../src/internal';
import { definitionOfKerasLayer, definitionOfTfjsLayer } from '../src/registry';
import { serializationClassMap } from '../src/engine/tfjs-adapter';

const defs = act.all() as AnyDefinition[];

describe('list()', () => {
  it('lists every definition once, in catalogue order', () => {
    expect(act.list()).toEqual(defs.map((d) => d.id));
    expect(new Set(act.list()).size).toBe(defs.length);
  });
  it('ids are lowerCamelCase and survive the tfjs snake/camel round trip', () => {
    for (const id of act.list()) {
      expect(id).toMatch(/^[a-z][a-zA-Z0-9]*$/);
      expect(internal.toCamelCase(internal.toSnakeCase(id))).toBe(id);
    }
  });
});

describe.each(defs.map((d) => [d.id, d] as const))('%s names', (id, def) => {
  it('is found by its id, its snake_case form and every alias', () => {
    expect(act.get(id)).toBe(def);
    expect(act.get(internal.toSnakeCase(id))).toBe(def);
    for (const alias of [...(def.aliases.keras ?? []), ...(def.aliases.torch ?? []), ...(def.aliases.tfjs ?? [])]) {
      expect(act.get(alias)).toBe(def);
    }
  });
  it('documents a formula, derivative, second derivative and a reference link', () => {
    expect(def.formula.forward.length).toBeGreaterThan(3);
    expect(def.formula.derivative.length).toBeGreaterThan(3);
    expect(def.formula.secondDerivative.length).toBeGreaterThan(3);
    expect(def.reference.citation).toContain(def.reference.url);
    expect(def.reference.url).toMatch(/^https?:\/\//);
    for (const spec of Object.values(def.params) as Array<{ doc: string }>) expect(spec.doc.length).toBeGreaterThan(3);
  });
});

describe('Keras 3 names', () => {
  it.each([
    ['leaky_relu', 'leakyRelu'], ['silu', 'swish'], ['hard_silu', 'hardSwish'], ['hard_swish', 'hardSwish'],
    ['celu', 'celu'], ['log_sigmoid', 'logSigmoid'], ['hard_tanh', 'hardTanh'], ['soft_shrink', 'softShrink'],
    ['hard_shrink', 'hardShrink'], ['tanh_shrink', 'tanhShrink'], ['squareplus', 'squareplus'],
    ['sparse_plus', 'sparsePlus'], ['sparse_sigmoid', 'sparseSigmoid'], ['exponential', 'exponential'],
    ['hard_sigmoid', 'hardSigmoid'], ['gelu', 'gelu'], ['mish', 'mish'], ['relu6', 'relu6'],
  ])('%s -> %s', (name, id) => {
    expect(act.get(name).id).toBe(id);
  });
});

describe('unknown names', () => {
  it('suggest the nearest ids', () => {
    expect(() => act.get('leaky_rellu')).toThrow(/unknown activation 'leaky_rellu'. Did you mean 'leakyRelu'/);
    expect(() => act.get('mishh')).toThrow(/Did you mean 'mish'/);
  });
  it('say what was received when it is not a string', () => {
    expect(() => act.get(3 as unknown as string)).toThrow('an activation name must be a string. Received: 3');
  });
  it('has() answers without throwing', () => {
    expect(act.has('leaky_relu')).toBe(true);
    expect(act.has('nope')).toBe(false);
  });
});

describe('register()', () => {
  it('is idempotent: calling it again changes nothing and throws nothing', () => {
    const before = tf.getKernelsForBackend('cpu').length;
    act.register();
    act.register();
    expect(tf.getKernelsForBackend('cpu').length).toBe(before);
  });
  it('registered three kernels per activation on cpu, wasm and tensorflow, and their gradients', () => {
    for (const id of act.list()) {
      const names = kernelNames(id);
      for (const backend of ['cpu', 'wasm', 'tensorflow']) {
        for (const k of [names.forward, names.grad1, names.grad2, names.grad2Scaled]) expect(tf.getKernel(k, backend)).toBeDefined();
      }
      for (const k of [names.forward, names.grad1, names.grad2, names.grad2Scaled]) expect(tf.getGradient(k)).toBeDefined();
    }
  });
  it('refuses to replace a kernel someone else registered under our name', () => {
    const def = act.get('mish');
    const names = { forward: 'TfjsActivations_test_collision', grad1: 'TfjsActivations_test_collision_g1', grad2: 'TfjsActivations_test_collision_g2', grad2Scaled: 'TfjsActivations_test_collision_g2s' };
    tf.registerKernel({ kernelName: names.forward, backendName: 'cpu', kernelFunc: () => { throw new Error('not ours'); } });
    expect(() => registerKernelsFor(def, names, 'cpu')).toThrow(/for 'cpu' is already registered by someone else/);
    tf.unregisterKernel(names.forward, 'cpu');
  });
  it('kernel names carry the plugin prefix and cannot clash with tfjs kernels', () => {
    const tfjsKernels = new Set(tf.getKernelsForBackend('cpu').map((k) => k.kernelName).filter((n) => !n.startsWith('TfjsActivations_')));
    for (const id of act.list()) expect(tfjsKernels.has(kernelNames(id).forward)).toBe(false);
  });
});

describe('a second copy of the plugin', () => {
  it('imports without errors and reuses what the first registered (kernels, gradients, classes)', () => {
    let second: typeof act | undefined;
    jest.isolateModules(() => {
      second = require('../src');
    });
    expect(second!.list()).toEqual(act.list());
    const y = act.ops.mish(tf.tensor([1, -1]));
    expect(y.dataSync()[0]).toBeCloseTo(0.865098, 5);
    y.dispose();
  });
});

describe('act.ops with a name it does not have', () => {
  it('suggests the nearest ops instead of returning undefined', () => {
    // @ts-expect-error: the type of act.ops is the exact record of ops, so a typo does not compile either.
    expect(() => act.ops.mishh).toThrow("tfjs-activations: act.ops has no op 'mishh'. Did you mean 'mish'");
    expect(() => (act.ops as unknown as Record<string, unknown>).leaky_relu).toThrow("Did you mean 'leakyRelu'");
  });
  it('still answers what tools probe (then, toJSON, symbols) and every real op', () => {
    expect((act.ops as unknown as Record<string, unknown>).then).toBeUndefined();
    expect(Object.prototype.toString.call(act.ops)).toBe('[object Object]');
    expect(Object.keys(act.ops)).toEqual(act.list());
    for (const id of act.list()) expect(typeof act.ops[id]).toBe('function');
  });
});

describe('register() and classes registered over ours', () => {
  it('refuses a subclass registered under our name after import, and accepts ours again once restored', () => {
    act.register();
    const Ours = internal.layerClassFor(act.get('mish')) as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable> & { className: string };
    const Base = Ours as unknown as new (a?: object) => object;
    const Foreign = class Foreign extends Base {
      static className = Ours.className;
    } as unknown as typeof Ours;
    tf.serialization.registerClass(Foreign);
    try {
      expect(() => act.register()).toThrow(`the serialization name '${Ours.className}' is already registered by someone else, by Foreign`);
    } finally {
      tf.serialization.registerClass(Ours);
    }
    expect(() => act.register()).not.toThrow();
  });
});

describe('per-activation facts live in the definitions', () => {
  it.each(defs.map((d) => [d.id, d] as const))('%s: a Keras name, or why there is none', (_id, def) => {
    const hasKeras = (def.aliases.keras ?? []).length > 0;
    expect(hasKeras).toBe(!def.noKerasEquivalent);
  });
  it.each(defs.map((d) => [d.id, d] as const))('%s: its reference parameter sets are valid parameters', (_id, def) => {
    for (const given of def.testing.referenceParams) expect(() => resolveDefinitionParams(def, given)).not.toThrow();
  });
  it('each Keras layer and tfjs layer class is claimed by at most one definition, and the tfjs ones exist', () => {
    const keras = defs.flatMap((d) => [d.keras?.layer, d.keras?.learnedBy?.layer].filter((c): c is string => !!c));
    const tfjs = defs.flatMap((d) => (d.tfjsLayer ? [d.tfjsLayer] : []));
    expect(new Set(keras).size).toBe(keras.length);
    expect(new Set(tfjs).size).toBe(tfjs.length);
    const registered = serializationClassMap();
    expect(tfjs.filter((c) => !Object.prototype.hasOwnProperty.call(registered, c))).toEqual([]);
    for (const c of tfjs) expect(definitionOfTfjsLayer(c).tfjsLayer).toBe(c);
    for (const c of keras) expect([definitionOfKerasLayer(c).keras?.layer, definitionOfKerasLayer(c).keras?.learnedBy?.layer]).toContain(c);
  });
  it('the registry dump the reference generator reads is current (npm run registry:dump)', () => {
    expect(fs.readFileSync(REGISTRY_DUMP_PATH, 'utf8')).toBe(renderDump(registryDump()));
  });
  it('the reference fixtures hold exactly the dumped cases (npm run reference:fixtures)', () => {
    const dumped = registryDump().activations.flatMap((a) => a.cases.map((c) => `${a.id} ${JSON.stringify(c.given)}`));
    const fixtures = loadReference().cases.map((c) => `${c.id} ${JSON.stringify(c.params)}`);
    expect(fixtures).toEqual(dumped);
  });
});

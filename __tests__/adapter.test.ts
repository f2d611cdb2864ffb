/**
 * The contract of src/engine/tfjs-adapter.ts, the one module that touches tfjs internals: every entry
 * point is exercised against the installed tfjs, so that an upgrade changing one of them fails here
 * loudly (not as wrong numbers elsewhere), and the installed tfjs satisfies the peer range that
 * package.json promises.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as semver from 'semver';
import '../src';
import * as adapter from '../src/engine/tfjs-adapter';
import { BACKENDS, useBackend } from './helpers/backends';

const pkg = require('../package.json') as { peerDependencies: Record<string, string> };

describe('tfjs versions', () => {
  it.each([['@tensorflow/tfjs-core', tf.version_core], ['@tensorflow/tfjs-layers', tfl.version_layers]])(
    'the installed %s (%s) is in the peer range package.json states',
    (name, version) => {
      expect(semver.satisfies(version, pkg.peerDependencies[name])).toBe(true);
    },
  );
});

describe('serialization', () => {
  it("serializationClassMap() is tfjs's class map: it holds Dense, and a class registered now", () => {
    const map = adapter.serializationClassMap();
    expect((map.Dense as [unknown])[0]).toBe(tfl.layers.dense({ units: 1 }).constructor);
    class AdapterProbe extends tf.serialization.Serializable {
      static readonly className = 'AdapterProbe';
      getConfig() { return {}; }
    }
    tf.serialization.registerClass(AdapterProbe);
    expect((adapter.serializationClassMap().AdapterProbe as [unknown])[0]).toBe(AdapterProbe);
  });

  it('deserializeRegistered() rebuilds tfjs initializers, regularizers and constraints from their saved form', () => {
    const objects: tf.serialization.Serializable[] = [
      tfl.initializers.glorotUniform({ seed: 1 }), tfl.initializers.constant({ value: 3 }), tfl.initializers.zeros(),
      tfl.regularizers.l1l2({ l1: 0.5, l2: 0.25 }), tfl.constraints.maxNorm({ maxValue: 2, axis: 1 }), tfl.constraints.nonNeg(),
    ];
    for (const o of objects) {
      const back = adapter.deserializeRegistered<tf.serialization.Serializable>({ className: o.getClassName(), config: o.getConfig() });
      expect(back.getClassName()).toBe(o.getClassName());
      expect(back.getConfig()).toEqual(o.getConfig());
    }
    expect(() => adapter.deserializeRegistered({ className: 'NoSuchInitializer', config: {} })).toThrow(/NoSuchInitializer/);
  });
});

describe('gradient tape', () => {
  it('throwFromGradient() releases the saved tensors of a failing outermost backward pass', () => {
    const failing = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
      save([tf.mul(x, 2)]);
      return { value: tf.mul(x, 3), gradFunc: () => adapter.throwFromGradient(new Error('probe')) };
    }) as never) as (x: tf.Tensor) => tf.Tensor;
    const x = tf.tensor1d([1, 2]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) expect(() => tf.grad(failing)(x)).toThrow('probe');
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

describe('variable registry', () => {
  it('registeredVariableNames() sees a new variable, disposeVariablesRegisteredSince() disposes only the newer ones', () => {
    const old = tf.variable(tf.zeros([2]));
    const before = adapter.registeredVariableNames();
    expect(before.has(old.name)).toBe(true);
    const tensors = tf.memory().numTensors;
    const layer = tfl.layers.dense({ units: 3 });
    layer.apply(tfl.input({ shape: [4] }));  // builds: kernel and bias, registered and held by the layer only
    const added = [...adapter.registeredVariableNames()].filter((n) => !before.has(n));
    expect(added).toHaveLength(2);
    adapter.disposeVariablesRegisteredSince(before);
    expect([...adapter.registeredVariableNames()].filter((n) => !before.has(n))).toEqual([]);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(old.isDisposed).toBe(false);
    old.dispose();
  });
});

describe('backends', () => {
  beforeAll(() => useBackend('cpu'));

  it('cpuValues() is the cpu backend\'s own array (no copy), and makeTensorInfo() makes a tensor', () => {
    const x = tf.tensor1d([1, 2, 3]);
    const a = adapter.cpuValues(tf.backend(), x);
    expect(Array.from(a!)).toEqual([1, 2, 3]);
    expect(adapter.cpuValues(tf.backend(), x)).toBe(a);
    const info = adapter.makeTensorInfo(tf.backend(), [2], Float32Array.from([4, 5]));
    const t = tf.engine().makeTensorFromTensorInfo(info);
    expect(Array.from(t.dataSync())).toEqual([4, 5]);
    tf.dispose([x, t]);
  });

  it('wasmOutput() allocates on the wasm heap and wasmView() sees a tensor\'s data there', async () => {
    await useBackend('wasm');
    try {
      const x = tf.tensor1d([1, 2, 3]);
      expect(Array.from(adapter.wasmView(tf.backend(), x))).toEqual([1, 2, 3]);
      const info = adapter.wasmOutput(tf.backend(), [2]);
      adapter.wasmView(tf.backend(), info).set([7, 8]);
      const t = tf.engine().makeTensorFromTensorInfo(info);
      expect(Array.from(t.dataSync())).toEqual([7, 8]);
      tf.dispose([x, t]);
    } finally {
      await useBackend('cpu');
    }
  });

  it('wasmMemory() is the Memory holding the wasm heap, wasmOffset() a tensor\'s byte offset in it; wasmFirstValue(), wasmDispose()', async () => {
    await useBackend('wasm');
    try {
      const backend = tf.backend();
      const memory = adapter.wasmMemory(backend)!;
      expect(memory).toBeInstanceOf(WebAssembly.Memory);
      expect(adapter.isSharedMemory(memory)).toBe(false);  // Node runs tfjs's SIMD build, not the threaded one
      const x = tf.tensor1d([1.5, 2, 3]);
      expect(Array.from(new Float32Array(memory.buffer, adapter.wasmOffset(backend, x), 3))).toEqual([1.5, 2, 3]);
      expect(adapter.wasmFirstValue(backend, x)).toBe(1.5);
      const info = adapter.wasmOutput(backend, [4]);
      const before = backend.numDataIds();
      adapter.wasmDispose(backend, info);
      expect(backend.numDataIds()).toBe(before - 1);
      expect(adapter.wasmMemory(tf.findBackend('cpu')!)).toBeUndefined();
      expect(adapter.wasmSimdSupported()).toBe(true);  // Node 18+
      x.dispose();
    } finally {
      await useBackend('cpu');
    }
  });

  (BACKENDS.includes('tensorflow') ? it : it.skip)('runTensorflowOps() runs TensorFlow ops on device handles, frees temporaries, makes one tensor', async () => {
    await useBackend('tensorflow');
    try {
      const backend = tf.backend();
      expect(adapter.isTensorflowBackend(backend)).toBe(true);
      const x = tf.tensor1d([-1, 0, 2]);
      const before = tf.memory().numTensors;
      const info = adapter.runTensorflowOps(backend, [3], (s) => {
        const [h] = s.inputs([x]);
        const t = s.op('Mul', [h, s.scalar(3)]);
        const out = s.op('AddV2', [t, s.scalar(1)]);
        s.free(t);
        return out;
      });
      const y = tf.engine().makeTensorFromTensorInfo(info);
      expect(Array.from(y.dataSync())).toEqual([-2, 1, 7]);
      expect(tf.memory().numTensors).toBe(before + 1);
      // A result that is an input gets a handle of its own.
      const same = tf.engine().makeTensorFromTensorInfo(adapter.runTensorflowOps(backend, [3], (s) => s.inputs([x])[0]));
      x.dispose();
      expect(Array.from(same.dataSync())).toEqual([-1, 0, 2]);
      tf.dispose([y, same]);
    } finally {
      await useBackend('cpu');
    }
  });
});

/**
 * Parameter handling for every definition: defaults, foreign names, and errors for every kind of
 * bad value, each naming the op, the parameter, the constraint and what was received.
 */
import * as tf from '@tensorflow/tfjs-core';
import './helpers/backends';
import * as act from '../src';
import type { AnyDefinition, ParamSpec } from '../src';
import { checkValue, describeConstraint, resolveParams } from '../src/params';

const defs = act.all() as AnyDefinition[];
const withParams = defs.filter((d) => Object.keys(d.params).length > 0);
const opOf = (id: string) => (act.ops as unknown as Record<string, (x: unknown, p?: unknown) => tf.Tensor>)[id];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Values that violate a spec, each with the text we expect to see for it in the message. */
function badValues(spec: ParamSpec): Array<[unknown, string]> {
  if (spec.type === 'boolean') return [[1, '1'], ['true', "'true'"], [null, 'null']];
  const bad: Array<[unknown, string]> = [
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    ['1', "'1'"],
    [true, 'true'],
    [[1], '[1]'],
  ];
  if (!spec.nullable) bad.push([null, 'null']);
  if (spec.min !== undefined) bad.push([spec.minExclusive ? spec.min : spec.min - 1, String(spec.minExclusive ? spec.min : spec.min - 1)]);
  if (spec.max !== undefined) bad.push([spec.maxExclusive ? spec.max : spec.max + 1, String(spec.maxExclusive ? spec.max : spec.max + 1)]);
  return bad;
}

describe.each(withParams.map((d) => [d.id, d] as const))('%s parameters', (id, def) => {
  it('defaults equal the documented spec defaults', () => {
    const resolved = resolveParams(id, def.params, undefined);
    for (const [key, spec] of Object.entries(def.params as Record<string, ParamSpec>)) {
      expect(resolved[key]).toBe(spec.default);
    }
  });

  it('the op called without params equals the op called with the defaults spelled out', () => {
    const defaults = Object.fromEntries(Object.entries(def.params as Record<string, ParamSpec>).map(([k, s]) => [k, s.default]));
    const x = tf.linspace(-5, 5, 41);
    const a = opOf(id)(x);
    const b = opOf(id)(x, defaults);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    tf.dispose([x, a, b]);
  });

  for (const [key, spec] of Object.entries(def.params as Record<string, ParamSpec>)) {
    it.each(badValues(spec).map(([v, shown]) => [shown, v]))(`rejects ${key}=%s with a message naming it`, (shown, value) => {
      expect(checkValue(spec, value)).toBeDefined();
      expect(() => opOf(id)([1, 2], { [key]: value })).toThrow(
        `${id}: \`${key}\` must be ${describeConstraint(spec)}. Received: ${key}=${shown}`,
      );
    });

    const foreign = spec.names && Object.values(spec.names).find((n) => n !== key);
    if (foreign) {
      it(`accepts the foreign name ${foreign} for ${key}`, () => {
        const value = spec.type === 'boolean' ? !spec.default : (spec.default ?? 1) + 0.5;
        expect(resolveParams(id, def.params, { [foreign]: value })[key]).toBe(value);
        expect(() => resolveParams(id, def.params, { [foreign]: value, [key]: value })).toThrow('name the same parameter');
      });
    }
  }

  it('rejects an unknown parameter and lists the known ones', () => {
    const first = Object.keys(def.params)[0];
    expect(() => opOf(id)([1], { [first + 'x']: 1 })).toThrow(
      new RegExp(`^${id}: unknown parameter \`${first}x\`. Known parameters: .*did you mean \`${first}\`.*Received: ${first}x=1$`),
    );
  });

  it('rejects params that are not an object', () => {
    expect(() => opOf(id)([1], 3)).toThrow(`${id}: parameters must be an object`);
  });
});

describe.each(defs.filter((d) => Object.keys(d.params).length === 0).map((d) => [d.id]))('%s (no parameters)', (id) => {
  it('rejects any parameter', () => {
    expect(() => opOf(id)([1], { alpha: 1 })).toThrow(`${id}: unknown parameter \`alpha\`. It takes no parameters. Received: alpha=1`);
  });
});

describe('cross-parameter checks', () => {
  it('hardTanh needs minVal < maxVal', () => {
    expect(() => act.ops.hardTanh([1], { minVal: 2, maxVal: 1 })).toThrow(
      'hardTanh: `minVal` must be less than `maxVal`. Received: minVal=2, maxVal=1',
    );
  });
});

describe('named parameters change the result as documented', () => {
  it('leakyRelu alpha scales the negative side', () => {
    const y = act.ops.leakyRelu([-2, 3], { alpha: 0.01 });
    expect(Array.from(y.dataSync())).toEqual([Math.fround(-0.02), 3]);
  });
  it('relu follows Keras 3 semantics for negativeSlope, maxValue, threshold', () => {
    const y = act.ops.relu([-2, 0.5, 1, 4, 8], { negativeSlope: 0.5, maxValue: 6, threshold: 1 });
    // x <= 1: 0.5 (x - 1); 1 < x: min(x, 6)
    expect(Array.from(y.dataSync())).toEqual([-1.5, -0.25, 0, 4, 6]);
  });
});

describe('parameter names that are Object.prototype members', () => {
  const PROTOTYPE_NAMES = ['toString', 'constructor', 'valueOf', 'hasOwnProperty', '__proto__'];
  it.each(PROTOTYPE_NAMES)('%s is an unknown parameter, not silently ignored', (name) => {
    // JSON.parse makes '__proto__' an own key, as a parameter object read from a file would have it.
    const params = JSON.parse(`{"${name}": 5}`);
    expect(() => act.ops.leakyRelu([1, -1], params)).toThrow(`leakyRelu: unknown parameter \`${name}\`. Known parameters: alpha`);
    expect(() => act.layers.leakyRelu(params)).toThrow(`unknown argument \`${name}\``);
  });
});

describe('parameter errors leave no tensor behind', () => {
  it('100 rejected calls of every op with parameters, with array and tensor inputs, inside and outside tf.tidy', () => {
    const x = tf.tensor1d([-1, 0.5, 2]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) {
      for (const def of withParams) {
        const first = Object.keys(def.params)[0];
        const input = i % 2 === 0 ? x : [-1, 0.5, 2];
        const call = () => opOf(def.id)(input, { [first]: 'bad' });
        expect(i % 4 < 2 ? call : () => tf.tidy(() => call())).toThrow(`\`${first}\``);
      }
      expect(() => act.layers.leakyRelu({ alpha: 'bad' } as never)).toThrow('`alpha`');
    }
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

/**
 * The Keras import's config translation on hostile configs (in memory, no files): every refusal is
 * a KerasImportError naming the layer and the field, whatever names and values the file holds.
 */
import './helpers/backends';
import * as act from '../src';

const { translateConfig, KerasImportError } = act.keras;

/** A Sequential config with one layer after an input of shape [null, 4]. */
function sequential(layer: Record<string, unknown>): Record<string, unknown> {
  return {
    class_name: 'Sequential',
    config: {
      name: 'seq',
      layers: [
        { class_name: 'InputLayer', config: { name: 'in', batch_shape: [null, 4], dtype: 'float32' } },
        layer,
      ],
    },
  };
}

function refusal(config: Record<string, unknown>): InstanceType<typeof KerasImportError> {
  try {
    translateConfig(config);
  } catch (e) {
    expect(e).toBeInstanceOf(KerasImportError);
    return e as InstanceType<typeof KerasImportError>;
  }
  throw new Error('translateConfig accepted the config');
}

const PROTOTYPE_NAMES = ['constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty'];

describe('names from the file never reach Object.prototype', () => {
  it.each(PROTOTYPE_NAMES)('layer class %s is an unsupported class', (name) => {
    const e = refusal(sequential(JSON.parse(`{"class_name": "${name}", "config": {"name": "x"}}`)));
    expect(e.layer).toBe('x');
    expect(e.field).toBe('class_name');
    expect(e.message).toContain(`layer class '${name}' is not supported`);
  });

  it.each(PROTOTYPE_NAMES)('activation %s is an unknown activation', (name) => {
    const e = refusal(sequential({ class_name: 'Activation', config: { name: 'a', activation: name } }));
    expect(e.layer).toBe('a');
    expect(e.field).toBe('activation');
    expect(e.message).toContain(`unknown activation '${name}'`);
  });

  it.each(PROTOTYPE_NAMES)('Dense activation %s is an unknown activation', (name) => {
    const e = refusal(sequential({ class_name: 'Dense', config: { name: 'd', units: 2, activation: name } }));
    expect([e.layer, e.field]).toEqual(['d', 'activation']);
  });
});

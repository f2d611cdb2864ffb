/**
 * `tfjs-activations/internal`: what the plugin's own tests, demos and tools use, without promises
 * of stability (names of kernels and classes, name conversion, the raw definition list).
 */
export { definitions } from './definitions';
export { namesOf, toCamelCase, toSnakeCase } from './registry';
export { activationNamesOf, layerClassFor, LAYER_PREFIX, NAME_PREFIX, TFJS_ACTIVATION_NAMES } from './layers';
export { kernelNames } from './engine/names';
export { setCompositeOnly, usesComposite } from './engine/run';

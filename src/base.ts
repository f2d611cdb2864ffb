/**
 * The public API without side effects: nothing is registered until register() is called.
 * `import 'tfjs-activations'` (index.ts) calls it for you.
 */
export { register } from './register';
export { ops, type Ops, type OpFor, type ParamsFor } from './ops';
export { list, get, has, all, namesOf, toCamelCase, toSnakeCase, type ActivationId, type DefinitionOf } from './registry';
export { definitions } from './definitions';
export {
  layers,
  name,
  useOurActivationsFor,
  activationNamesOf,
  layerClassFor,
  glu,
  softmin,
  sparsemax,
  rrelu,
  GLU,
  Maxout,
  RReLU,
  Softmin,
  Sparsemax,
  Dense,
  LAYER_PREFIX,
  NAME_PREFIX,
  TFJS_ACTIVATION_NAMES,
  type ElementwiseLayer,
  type LayerArgsFor,
  type LayerFactories,
  type DenseArgs,
} from './layers';
export { derivative } from './engine/op';
export { setPrecision, getPrecision, type Precision } from './engine/precision';
export { kernelNames } from './engine/names';
export type {
  ActivationDefinition,
  AnyDefinition,
  ActivationProperties,
  Formula,
  Kink,
  Reference,
} from './definition';
export type { ParamSpec, ParamSpecs, ParamsOf, NumberParamSpec, BooleanParamSpec } from './params';
/** Keras 3 import: `act.keras.loadModel('file://model.keras')`. */
export * as keras from './keras';

/**
 * The public API without side effects: nothing is registered until register() is called.
 * `import 'tfjs-activations'` (index.ts) calls it for you. What the plugin's own tests and tools
 * need beyond it is in `tfjs-activations/internal` (src/internal.ts), without stability promises.
 */
export { register } from './register';
export { ops, type Ops, type OpFor, type ParamsFor } from './ops';
export { list, get, has, all, type ActivationId, type DefinitionOf } from './registry';
export {
  layers,
  name,
  useOurActivationsFor,
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
  type ElementwiseLayer,
  type LayerArgsFor,
  type LayerFactories,
  type DenseArgs,
} from './layers';
export { derivative } from './engine/op';
export { setPrecision, getPrecision, type Precision } from './engine/precision';
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

/**
 * Keras 3 model import (`act.keras`): `.keras` archives -> tfjs LayersModels, and the converter
 * behind `npx tfjs-activations convert model.keras out_dir/`. No side effects on import.
 */
export { loadModel, convert, modelFromArchive, toArtifacts, readSource, type KerasSource, type ConvertResult } from './load';
export { readKerasArchive, readWeights, type KerasArchive, type KerasVariable } from './archive';
export { translateConfig, type TranslatedModel } from './graph';
export { type TfjsLayerSpec } from './layers';
export { translateActivation, kerasActivationNames, KERAS_STRING_DEFAULTS, type ActivationTranslation, type ImportOptions } from './activations';
export { KerasImportError } from './errors';
export { DEFAULT_LIMITS, type ImportLimits } from './limits';
export { saveModel, exportModel, pythonModule, useH5wasm, KerasExportError, PYTHON_MODULE, KERAS_FORMAT_VERSION, type SaveResult, type SaveOptions } from './export';

/** Errors of the Keras export: each names the tfjs layer (and class) and, where it can, the config field. */
import { show } from '../errors';

export class KerasExportError extends Error {
  override name = 'KerasExportError';
  constructor(
    message: string,
    /** The tfjs layer name, when the error is about one layer. */
    readonly layer?: string,
    /** The tfjs config field (snake_case, as in model.json), when the error is about one field. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** A tfjs layer as the messages name it. */
export interface ExportRef {
  name: string;
  className: string;
}

/** "Keras export: layer 'd' (Dense), field 'activation': <why>. Received: activation=<value>". */
export function exportFieldError(ref: ExportRef, field: string, why: string, value?: unknown): KerasExportError {
  const received = value === undefined ? '' : ` Received: ${field}=${show(value)}`;
  return new KerasExportError(`Keras export: layer '${ref.name}' (${ref.className}), field '${field}': ${why}.${received}`, ref.name, field);
}

/** "Keras export: layer 'd' (Dense): <why>." */
export function exportLayerError(ref: ExportRef, why: string): KerasExportError {
  return new KerasExportError(`Keras export: layer '${ref.name}' (${ref.className}): ${why}.`, ref.name);
}

/** An error about the model as a whole. */
export function exportModelError(why: string): KerasExportError {
  return new KerasExportError(`Keras export: ${why}`);
}

/** Errors of the Keras import: every one names the layer (and class) and the config field. */
export class KerasImportError extends Error {
  override name = 'KerasImportError';
  constructor(
    message: string,
    /** The Keras layer name, when the error is about one layer. */
    readonly layer?: string,
    /** The config field (e.g. 'activation', 'reset_after'), when the error is about one field. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** A Keras layer as seen by the error messages. */
export interface LayerRef {
  name: string;
  className: string;
}

export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  const s = JSON.stringify(value);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

/**
 * "Keras import: layer 'd' (Dense), field 'activation': <why>. Received: activation=<value>".
 * `value` is left out of the message when it is undefined.
 */
export function fieldError(layer: LayerRef, field: string, why: string, value?: unknown): KerasImportError {
  const received = value === undefined ? '' : ` Received: ${field}=${show(value)}`;
  return new KerasImportError(
    `Keras import: layer '${layer.name}' (${layer.className}), field '${field}': ${why}.${received}`,
    layer.name,
    field,
  );
}

/** An error about the file or the model as a whole. */
export function modelError(why: string): KerasImportError {
  return new KerasImportError(`Keras import: ${why}`);
}

/** "Keras import: layer 'd' (Dense): <why>", about a layer as a whole. */
export function layerError(layer: LayerRef, why: string): KerasImportError {
  return new KerasImportError(`Keras import: layer '${layer.name}' (${layer.className}): ${why}.`, layer.name);
}

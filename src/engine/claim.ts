/**
 * One rule for everything this plugin puts into tfjs's registries (kernels, gradients, serializable
 * classes): register it unless it is already there and ours — a second copy of the plugin, or a
 * second register() call — and refuse anything else registered under the same name, which tfjs
 * would otherwise silently overwrite or serve instead of ours.
 */

/** Own property marking registry entries this plugin (any copy of it) made. */
export const OURS = '__tfjsActivations';

/** True for an entry this plugin made: the mark must be its own property (a subclass of ours inherits it, and is not ours). */
export function isOurs(entry: unknown): boolean {
  return (typeof entry === 'object' || typeof entry === 'function') && entry !== null &&
    Object.prototype.hasOwnProperty.call(entry, OURS) && (entry as Record<string, unknown>)[OURS] === true;
}

/** Marks an entry as ours (before it is registered). */
export function markOurs<T extends object>(entry: T): T {
  Object.defineProperty(entry, OURS, { value: true, enumerable: false, configurable: true, writable: true });
  return entry;
}

/**
 * Registers with `register()` unless `existing` is ours already; throws if it is someone else's.
 * `what` names it in the error, e.g. "a kernel named 'X' for 'cpu'".
 */
export function claim(what: string, existing: unknown, register: () => void): void {
  if (existing !== undefined && existing !== null) {
    if (isOurs(existing)) return;
    const holder = typeof existing === 'function' && existing.name ? `, by ${existing.name}` : '';
    throw new Error(`tfjs-activations: ${what} is already registered by someone else${holder} (tfjs, another library, or ` +
      'something put over ours after import); refusing to use or replace it.');
  }
  register();
}

/**
 * Own-property look-ups. Names typed by users or read from files ('constructor', '__proto__',
 * 'toString') must never find Object.prototype's members in a lookup table.
 */

/** True if `key` is `obj`'s own property. */
export function hasOwn(obj: object, key: PropertyKey): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** obj[key] if it is an own property, else undefined. */
export function ownValue<T>(obj: Readonly<Record<string, T>>, key: unknown): T | undefined {
  return typeof key === 'string' && hasOwn(obj, key) ? obj[key] : undefined;
}

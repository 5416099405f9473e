/**
 * Setting own properties on plain objects built from untrusted keys (model output, schemas).
 */

/**
 * Sets an own property, even one named `__proto__` (plain assignment would change the prototype
 * instead, silently dropping a property the user or the model wrote). The generator uses this one
 * too, through `schemantic/internal`.
 */
export function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

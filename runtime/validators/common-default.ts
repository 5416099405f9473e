/**
 * Ajv's runtime helpers are CommonJS compiled from ES (`exports.default = x`): Node hands an ES
 * import the whole `module.exports`, some bundlers its `default`. This finds `x` either way.
 */

/** The value `isIt` recognises: the module itself, or its `default`. */
export function commonDefault<T>(module: unknown, isIt: (value: unknown) => boolean): T {
  if (isIt(module)) return module as T;
  return (module as { default: T }).default;
}

/** Recognises a function export. */
export const isFunction = (value: unknown): boolean => typeof value === 'function';

/**
 * `schemantic/validators`: what generated validator modules import at run time.
 *
 * Ajv's standalone code needs a few helpers (deep equality, string length in code points, URI
 * parsing) and the format checks of ajv-formats. Generated modules import them from here, so they
 * depend only on this package's public entry points. The imports are static, so a bundler sees
 * them (the runtime's own build inlines these small modules), and importing a validator does not
 * load the agent runtime. One module per helper, so that code needing one (the runtime's own
 * history validator needs only `ucs2length`) does not load the others.
 */
export { equal } from './equal.js';
export { fullFormats } from './formats.js';
export type { FormatCheck } from './formats.js';
export { ucs2length } from './ucs2length.js';
export { uri } from './uri.js';
export type { ValidationError, Validator } from './validator.js';

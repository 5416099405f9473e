/**
 * Deep equality of JSON values, for generated validators that check `const`, `enum` or `uniqueItems`.
 */
import equalModule from 'ajv/dist/runtime/equal.js';
import { commonDefault, isFunction } from './common-default.js';

/** Deep equality of JSON values (for `const`, `enum` and `uniqueItems`). */
export const equal: (a: unknown, b: unknown) => boolean = commonDefault(equalModule, isFunction);

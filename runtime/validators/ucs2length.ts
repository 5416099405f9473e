/**
 * String length in code points, for generated validators that check `minLength` or `maxLength`.
 */
import ucs2lengthModule from 'ajv/dist/runtime/ucs2length.js';
import { commonDefault, isFunction } from './common-default.js';

/** Length of a string in Unicode code points (for `minLength` and `maxLength`). */
export const ucs2length: (value: string) => number = commonDefault(ucs2lengthModule, isFunction);

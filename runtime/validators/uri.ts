/**
 * URI parsing and resolution (fast-uri), for generated validators that resolve references at run time.
 */
import uriModule from 'ajv/dist/runtime/uri.js';
import { commonDefault } from './common-default.js';

/** URI parsing and resolution (fast-uri). */
export const uri: Readonly<Record<string, unknown>> = commonDefault(uriModule, (m) => typeof (m as { parse?: unknown }).parse === 'function');

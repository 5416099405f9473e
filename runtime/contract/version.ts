/**
 * The runtime's version (the check generated code runs against it is in runtime-compat.ts).
 */

/** This runtime's version (kept equal to package.json's by a test). */
export const VERSION = '0.1.0';

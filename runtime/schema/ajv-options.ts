/**
 * The Ajv options every validator is compiled with, generated (at build time) or hand-written (at
 * run time), so both kinds check data the same way.
 */

/** Options shared by generated and runtime-compiled validators. */
export const VALIDATOR_OPTIONS = {
  /** Report every error, so a retry prompt lists everything the model must fix. */
  allErrors: true,
  /** Without this, `required: [toString]` would accept {} (it inherits toString from Object). */
  ownProperties: true,
  /**
   * Ajv's strict mode is a linter that rejects valid schemas (`if` without `then`); unknown
   * keywords are reported by `schemantic generate` with their location instead.
   */
  strict: false,
  /** Numbers must be finite: Infinity or NaN would serialise to null. */
  strictNumbers: true,
} as const;

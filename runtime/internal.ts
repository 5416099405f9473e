/**
 * `schemantic/internal`: what the generator (`@schemantic/cli`) shares with the runtime, so that
 * both halves read JSON Schema the same way and agree on the version. Not a public API: it changes
 * with the generator, which depends on this package's exact version.
 */
export { VERSION } from './contract/version.js';
export { laxSchema, VALIDATOR_OPTIONS } from './schema/ajv-options.js';
export { isObjectSchema } from './schema/schema-shapes.js';
export { toOpenAIStrict } from './schema/openai-strict.js';
// Gemini's schema subset: the generator prepares each schema's variant, the adapter sends it.
export { geminiSchema, type GeminiDrop, type GeminiSchema } from './schema/gemini-schema.js';
export { defineOwn } from './schema/own.js';
export { escapePointerSegment, fromPointer, toPointer, unescapePointerSegment } from './schema/json-pointer.js';
// The comparison behind `schemantic diff`, which the runtime also runs when a paused run resumes
// under a changed contract (contract-diff/schema-changes.ts): one implementation, one rule table.
export {
  atLeast,
  canonical,
  compareSchemas,
  isRuleId,
  judge,
  RULES,
  SEVERITIES,
  type DiffSeverity,
  type Direction,
  type Rule,
  type RuleId,
  type SchemaAt,
  type SchemaChange,
  type SchemaSide,
  type SchemaSides,
} from './contract-diff/schema-changes.js';
// The report of `schemantic eval`, which the command line renders (types only: the runner itself
// is loaded from the app's own `schemantic/evals`, next to its evals entry module).
export type { EvalCaseReport, EvalReport, EvalRunRecord, EvalStatus, EvalSummary, EvaluationResult, Spread } from './evals/eval-report.js';
export type { ReportChange, ReportComparison } from './evals/report-comparison.js';
export type { EvalProgress } from './evals/eval-progress.js';
// The message model's JSON Schema: generate checks the `history` of eval cases against it.
export { MESSAGES_JSON_SCHEMA } from './contract/messages-schema.js';
export { MESSAGES_FORMAT_VERSION } from './contract/messages.js';
// Redaction of key-shaped text: `schemantic eval` prints errors from the app's code and providers.
export { redactText } from './contract/redact.js';

/**
 * A raw JSON Schema in the form the MCP SDK's `registerTool` takes (Standard Schema with its JSON
 * Schema face). Validation passes everything through: each served tool checks its own arguments
 * with its own validator (generated, or compiled once), so that problems are reported in the same
 * words as everywhere else in Schemantic, as an `isError` result the caller can read.
 */
import type { StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import type { JsonSchema } from '../contract/spec.js';

/** `schema` as a Standard Schema whose JSON Schema is `schema` itself and whose check accepts anything. */
export function passThroughSchema(schema: JsonSchema): StandardSchemaWithJSON<unknown, unknown> {
  // The SDK reads `$schema`, `$defs` and the rest as given (MCP 2025-11-25 allows JSON Schema 2020-12).
  const json = (typeof schema === 'object' ? schema : {}) as Record<string, unknown>;
  return {
    '~standard': {
      version: 1,
      vendor: 'schemantic',
      validate: (value: unknown) => ({ value }),
      jsonSchema: { input: () => json, output: () => json },
    },
  };
}

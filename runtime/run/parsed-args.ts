/**
 * The arguments of output tool calls as the incremental parser read them while they streamed, so
 * that reading the final output does not parse the whole text again with `JSON.parse`.
 *
 * A value is kept only when it is exactly what `JSON.parse` of the call's arguments gives: the
 * parser was fed the whole text, from the part's start, and read it as one complete JSON value
 * (strict mode, so every text `JSON.parse` rejects it rejects too, and within MAX_JSON_DEPTH, so
 * the depth check has nothing to find). Anything else, malformed or too deep, is parsed again by
 * the usual path, which gives the usual errors and retry prompts.
 */
import type { ToolCallPart } from '../contract/messages.js';

/** Parsed arguments, with the text they were parsed from (the part's `args` when the part ended). */
const kept = new WeakMap<ToolCallPart, { text: string; value: unknown }>();

/** Keeps `value` as the parse of `part.args` (which must be the text the parser read, whole). */
export function keepParsedArgs(part: ToolCallPart & { args: string }, value: unknown): void {
  kept.set(part, { text: part.args, value });
}

/**
 * The parsed arguments kept for `part`, handed over once: the reader owns the value (validators
 * fill in defaults in place), so a second reading parses the text again. Undefined when none were
 * kept, or when the part's arguments changed since (a caller stepping with `iter` may edit them).
 */
export function takeParsedArgs(part: ToolCallPart): { value: unknown } | undefined {
  const entry = kept.get(part);
  if (!entry) return undefined;
  kept.delete(part);
  return part.args === entry.text ? { value: entry.value } : undefined;
}

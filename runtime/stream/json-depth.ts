/**
 * The depth limit of JSON a model writes, and the checks that keep deeper JSON from reaching
 * recursive code: the incremental parser (partial-json.ts) stops at it too.
 */
/**
 * The deepest nesting of objects and arrays accepted in JSON a model writes: tool-call arguments
 * and structured output, streamed or not. 512 levels is far above what any real schema needs, and
 * far below the depth at which JavaScript's own recursive JSON code (`JSON.stringify`, which the
 * SDKs use to send a history back, and an SSE helper to send an event) overflows the stack, a few
 * thousand levels down. JSON nested deeper is malformed: the incremental parser stops there with
 * a SyntaxError (the partial value keeps the levels above), `parseModelJson` and `checkModelJson`
 * throw one, the run sends the model a retry prompt as for any malformed JSON, and a model that
 * keeps doing it ends the run with UnexpectedModelBehavior when its retries run out. The provider
 * adapters never hand the run (or an SDK) a value that deep: Anthropic's parsed tool input is
 * kept as its text, and arguments sent back are written without recursion.
 */
export const MAX_JSON_DEPTH = 512;

/** The message of the SyntaxError for JSON nested deeper than `max` levels. */
export function tooDeep(max: number): string {
  return `JSON nested deeper than ${max} levels`;
}

/**
 * Whether JSON text nests objects and arrays deeper than `max` levels, read without parsing it
 * (brackets outside strings are counted); malformed text is not judged otherwise.
 */
export function jsonTextTooDeep(text: string, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip the string, escapes included.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/**
 * Whether a value (a tree, as JSON makes) nests objects and arrays deeper than `max` levels. Walked
 * without recursion, stopping as soon as a path goes past `max`: any depth is safe to ask about.
 */
export function jsonValueTooDeep(value: unknown, max: number = MAX_JSON_DEPTH): boolean {
  if (value === null || typeof value !== 'object') return false;
  const stack: [object, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [container, depth] = stack.pop()!;
    if (depth > max) return true;
    for (const child of Array.isArray(container) ? container : Object.values(container))
      if (child !== null && typeof child === 'object') stack.push([child as object, depth + 1]);
  }
  return false;
}

/**
 * A value made of JSON a model wrote (arguments an SDK or `JSON.parse` read): itself, or a
 * SyntaxError, as for malformed text, when it nests deeper than {@link MAX_JSON_DEPTH} levels.
 */
export function checkModelJson<T>(value: T): T {
  if (jsonValueTooDeep(value)) throw new SyntaxError(tooDeep(MAX_JSON_DEPTH));
  return value;
}

/**
 * `JSON.parse` for JSON a model wrote: a SyntaxError for text nested deeper than
 * {@link MAX_JSON_DEPTH} levels, as for any malformed text.
 */
export function parseModelJson(text: string): unknown {
  if (jsonTextTooDeep(text)) throw new SyntaxError(tooDeep(MAX_JSON_DEPTH));
  return JSON.parse(text) as unknown;
}

/**
 * The JSON text of a JSON value (what `JSON.parse` returns) at any depth: `JSON.stringify` recurses,
 * and throws a RangeError a few thousand levels down. For values within the limit it is
 * `JSON.stringify` itself.
 */
export function jsonTextOf(value: unknown): string {
  if (!jsonValueTooDeep(value)) return JSON.stringify(value) ?? 'null';
  let out = '';
  // Each open container with its keys (objects) and the position of its next member.
  const stack: { container: Record<string, unknown> | unknown[]; keys: string[] | undefined; next: number }[] = [];
  let current: unknown = value;
  for (;;) {
    if (current !== null && typeof current === 'object') {
      const keys = Array.isArray(current) ? undefined : Object.keys(current).filter((k) => (current as Record<string, unknown>)[k] !== undefined);
      out += keys ? '{' : '[';
      stack.push({ container: current as Record<string, unknown> | unknown[], keys, next: 0 });
    } else out += JSON.stringify(current) ?? 'null';
    current = undefined;
    let found = false;
    while (!found && stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const size = top.keys ? top.keys.length : (top.container as unknown[]).length;
      if (top.next < size) {
        if (top.next > 0) out += ',';
        if (top.keys) {
          const key = top.keys[top.next]!;
          out += `${JSON.stringify(key)}:`;
          current = (top.container as Record<string, unknown>)[key];
        } else current = (top.container as unknown[])[top.next];
        top.next++;
        found = true;
      } else {
        out += top.keys ? '}' : ']';
        stack.pop();
      }
    }
    if (!found) return out;
  }
}

/**
 * Message content as a list of chunks instead of a string, as Mistral's reasoning models answer:
 * `{"type": "text", "text": ...}` and `{"type": "thinking", "thinking": [{"type": "text", "text":
 * ...}]}`, in a completion's message and in a chunk's delta alike. Chunks of other types
 * (references, images) carry nothing the neutral parts hold, and are skipped like unknown fields.
 */
import type { TextPart, ThinkingPart } from '../../contract/messages.js';
import { expectArray, expectObject, isObject, MalformedAnswer } from '../shared/provider-errors.js';

/**
 * The body with every chunk list in `choices[].<member>.content` replaced by null (so that the
 * string checks of the shared mapping pass), and the list of the first choice (index 0), if any.
 */
export function takeContentChunks(body: unknown, member: 'message' | 'delta'): { body: unknown; chunks?: unknown[] } {
  if (!isObject(body) || !Array.isArray(body['choices'])) return { body };
  let chunks: unknown[] | undefined;
  const choices = body['choices'].map((choice: unknown, i) => {
    if (!isObject(choice)) return choice;
    const inner = choice[member];
    if (!isObject(inner) || !Array.isArray(inner['content'])) return choice;
    // A completion's first choice is the one read; a stream follows the choice with index 0.
    if (member === 'message' ? i === 0 : choice['index'] === 0) chunks = inner['content'];
    return { ...choice, [member]: { ...inner, content: null } };
  });
  return chunks === undefined ? { body } : { body: { ...body, choices }, chunks };
}

/** The chunks as parts, in order: one text part per text chunk, one thinking part per thought. */
export function contentChunkParts(chunks: readonly unknown[], where: string, provider: string): (TextPart | ThinkingPart)[] {
  const parts: (TextPart | ThinkingPart)[] = [];
  for (const [i, chunk] of chunks.entries()) {
    expectObject(chunk, `${where}[${i}]`);
    if (chunk['type'] === 'text') parts.push({ kind: 'text', content: chunkText(chunk, `${where}[${i}]`) });
    if (chunk['type'] !== 'thinking') continue;
    const thoughts = chunk['thinking'];
    expectArray(thoughts, `${where}[${i}].thinking`);
    for (const [j, thought] of thoughts.entries()) {
      expectObject(thought, `${where}[${i}].thinking[${j}]`);
      if (thought['type'] === 'text') parts.push({ kind: 'thinking', content: chunkText(thought, `${where}[${i}].thinking[${j}]`), provider });
    }
  }
  return parts;
}

function chunkText(chunk: Record<string, unknown>, where: string): string {
  const text = chunk['text'];
  if (typeof text !== 'string') throw new MalformedAnswer(`${where}.text is not a string`);
  return text;
}

/**
 * What the examples' scripted models read first: the text of the latest user prompt.
 */
import type { ModelMessage } from 'schemantic';

/** The text of the latest user prompt ('' when there is none). */
export function latestPrompt(messages: readonly ModelMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.kind !== 'request') continue;
    for (const part of message.parts) if (part.kind === 'user-prompt' && typeof part.content === 'string') return part.content;
  }
  return '';
}

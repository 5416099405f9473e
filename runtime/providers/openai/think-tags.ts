/**
 * Reasoning written inline in the content, `<think>…</think>` (Groq's `reasoning_format: "raw"`,
 * open models served as they are), split from the text around it.
 */
import type { TextPart, ThinkingPart } from '../../contract/messages.js';

const START = '<think>';
const END = '</think>';

/**
 * The content as text and thinking parts, in order; a `<think>` never closed (the length ran out)
 * leaves the rest as text, so that nothing the model wrote is lost. The text is kept exactly,
 * whitespace included: it is what goes back to the model in the history.
 */
export function splitThinkTags(content: string, provider: string): (TextPart | ThinkingPart)[] {
  const parts: (TextPart | ThinkingPart)[] = [];
  let rest = content;
  for (let start = rest.indexOf(START); start >= 0; start = rest.indexOf(START)) {
    if (start > 0) parts.push({ kind: 'text', content: rest.slice(0, start) });
    rest = rest.slice(start + START.length);
    const end = rest.indexOf(END);
    if (end < 0) {
      parts.push({ kind: 'text', content: rest });
      return parts;
    }
    // An empty block (`<think>\n\n</think>`, reasoning switched off) is no thinking.
    const thinking = rest.slice(0, end);
    if (thinking.trim() !== '') parts.push({ kind: 'thinking', content: thinking, provider });
    rest = rest.slice(end + END.length);
  }
  if (rest !== '') parts.push({ kind: 'text', content: rest });
  return parts;
}

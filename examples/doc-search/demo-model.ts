/**
 * The model the example runs on without a provider key: a scripted `FunctionModel` that uses the
 * doc_search agent's tools the way the instructions ask a real model to. It retrieves the chunks
 * nearest to the question, lists the pages, reads the page of the best chunk whole, then answers
 * from what the tools really returned, citing the URLs it used. It understands nothing: its answer
 * quotes the documentation, but which sections it finds is the store's (and the embedder's) work.
 */
import type { ModelMessage, ResponsePart, RetryPromptPart, ToolReturnPart } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';
import type { RetrievedChunk } from '../../generated/types/doc-search.js';
import { summarize } from './doc-set.js';

/** Chunks the demo asks for. */
const RETRIEVE_LIMIT = 4;

/** The scripted model (one instance serves any number of runs: it keeps no state). */
export const docSearchDemoModel = new FunctionModel(
  (messages) => {
    const question = firstPrompt(messages);
    const retrieved = lastReturn(messages, 'retrieve_relevant_documentation');
    // Refused (a question with no words): asking again the same way would only be refused again.
    const unsearchable = lastRetry(messages, 'retrieve_relevant_documentation');
    if (!retrieved && unsearchable)
      // The tool's own words, without the "Fix the errors and try again." every retry prompt ends with.
      return `I could not search the documentation: ${typeof unsearchable.content === 'string' ? unsearchable.content.split('\n\n')[0] : 'the search was refused'}.`;
    if (!retrieved) return [call('retrieve_relevant_documentation', { user_query: question, limit: RETRIEVE_LIMIT })];
    const chunks = retrieved.content as RetrievedChunk[];
    if (chunks.length === 0) return `The documentation has nothing that matches "${question}".`;

    const listed = lastReturn(messages, 'list_documentation_pages');
    if (!listed) return [call('list_documentation_pages', {})];
    const pages = listed.content as string[];
    const best = chunks.find((c) => pages.includes(c.url)) ?? chunks[0]!;

    const page = lastReturn(messages, 'get_page_content');
    const refused = lastRetry(messages, 'get_page_content');
    if (!page && !refused) return [call('get_page_content', { url: best.url })];
    return answer(question, best, chunks, pages.length, typeof page?.content === 'string' ? page.content : undefined);
  },
  { name: 'doc-search-demo' },
);

/** The answer: what the best page says, the other sections found, and the URLs cited. */
function answer(question: string, best: RetrievedChunk, chunks: readonly RetrievedChunk[], pageCount: number, page: string | undefined): string {
  const others = [...new Map(chunks.filter((c) => c.url !== best.url).map((c) => [c.url, c])).values()];
  const lines = [
    `You asked: "${question}".`,
    `The closest section of the documentation is "${best.title}" (${best.url}). It says: ${summarize(page ?? best.content, best.title)}`,
  ];
  if (page !== undefined) lines.push(`(I read that page whole: ${page.length} characters, one of the ${pageCount} pages the documentation has.)`);
  if (others.length > 0) lines.push(`Other sections that match: ${others.map((c) => `"${c.title}" (${c.url})`).join('; ')}.`);
  lines.push(`Sources: ${[best.url, ...others.map((c) => c.url)].join(', ')}`);
  return lines.join('\n');
}

/** The text of the run's first user prompt. */
function firstPrompt(messages: readonly ModelMessage[]): string {
  for (const m of messages) {
    if (m.kind !== 'request') continue;
    for (const p of m.parts)
      if (p.kind === 'user-prompt') return typeof p.content === 'string' ? p.content : p.content.filter((c) => typeof c === 'string').join(' ');
  }
  return '';
}

/** The latest return of `tool` in the run, if any. */
function lastReturn(messages: readonly ModelMessage[], tool: string): ToolReturnPart | undefined {
  const parts = messages.flatMap((m) => (m.kind === 'request' ? m.parts : []));
  return parts.filter((p): p is ToolReturnPart => p.kind === 'tool-return' && p.toolName === tool).at(-1);
}

/** The latest retry prompt about `tool` (the handler refused the call), if any. */
function lastRetry(messages: readonly ModelMessage[], tool: string): RetryPromptPart | undefined {
  const parts = messages.flatMap((m) => (m.kind === 'request' ? m.parts : []));
  return parts.filter((p): p is RetryPromptPart => p.kind === 'retry-prompt' && p.toolName === tool).at(-1);
}

/** A tool call with an id unique in the run. */
function call(toolName: string, args: Record<string, unknown>): ResponsePart {
  return { kind: 'tool-call', toolName, args, toolCallId: `${toolName}-1` };
}

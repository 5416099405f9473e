/**
 * A stored conversation as the page shows it (`GET /chat/:id/messages`): what the user typed, and
 * for each reply its answer (markdown), follow-up questions and the tool calls made on the way.
 * Instructions, system prompts and retries of the output are the server's business and are left
 * out; so is anything the page would not know how to show.
 */
import type { ModelMessage } from 'schemantic';

/** A tool call of a reply, with what it returned (or why it failed). */
export interface ToolCallItem {
  id: string;
  name: string;
  args: unknown;
  /** What the handler returned, once it did. */
  result?: unknown;
  /** The retry prompt the call got instead (bad arguments, a `ModelRetry`). */
  error?: string;
}

/** One item of the conversation view. */
export type DisplayItem =
  { role: 'user'; text: string; timestamp: string } | { role: 'assistant'; answer: string; followUps: string[]; tools: ToolCallItem[]; timestamp: string };

type AssistantItem = Extract<DisplayItem, { role: 'assistant' }>;

/** Output tools (`final_result`, `final_result_<Member>`): their arguments are the reply, not a tool call to show. */
const OUTPUT_TOOL = /^final_result(?:_\w+)?$/;

/** The conversation view of a history (the messages of every stored turn, in order). */
export function displayItems(messages: readonly ModelMessage[]): DisplayItem[] {
  const items: DisplayItem[] = [];
  // The reply being built: everything after a user prompt belongs to it.
  let reply: AssistantItem | undefined;
  const tools = new Map<string, ToolCallItem>();
  for (const message of messages) {
    if (message.kind === 'request') {
      for (const part of message.parts) {
        if (part.kind === 'user-prompt') {
          items.push({ role: 'user', text: promptText(part.content), timestamp: part.timestamp });
          reply = undefined;
          tools.clear();
        } else if (part.kind === 'tool-return') {
          const call = tools.get(part.toolCallId);
          if (call) call.result = part.content;
        } else if (part.kind === 'retry-prompt' && part.toolCallId !== undefined) {
          const call = tools.get(part.toolCallId);
          if (call) call.error = typeof part.content === 'string' ? part.content : part.content.map((d) => `${d.path || '/'}: ${d.message}`).join('; ');
        }
      }
      continue;
    }
    if (!reply) {
      reply = { role: 'assistant', answer: '', followUps: [], tools: [], timestamp: message.timestamp };
      items.push(reply);
    }
    for (const part of message.parts) {
      if (part.kind === 'text') reply.answer += part.content;
      else if (part.kind === 'tool-call' && OUTPUT_TOOL.test(part.toolName)) {
        // The last output call wins: an earlier one may have been sent back for a retry.
        const output = argsOf(part.args) as { answer?: unknown; follow_ups?: unknown } | undefined;
        if (typeof output?.answer === 'string') {
          reply.answer = output.answer;
          reply.followUps = Array.isArray(output.follow_ups) ? output.follow_ups.filter((q): q is string => typeof q === 'string') : [];
        }
      } else if (part.kind === 'tool-call') {
        const call: ToolCallItem = { id: part.toolCallId, name: part.toolName, args: argsOf(part.args) };
        tools.set(part.toolCallId, call);
        reply.tools.push(call);
      }
    }
  }
  return items;
}

/** A user prompt as text (this app only sends text; other content is named, not shown). */
function promptText(content: string | readonly (string | { kind: string })[]): string {
  if (typeof content === 'string') return content;
  return content.map((item) => (typeof item === 'string' ? item : `[${item.kind}]`)).join('\n');
}

/** A call's arguments as a value (the JSON text a provider sent, parsed when it parses). */
function argsOf(args: string | object): unknown {
  if (typeof args !== 'string') return args;
  try {
    return JSON.parse(args) as unknown;
  } catch {
    return args;
  }
}

/**
 * The scripted model the chat app runs on without a provider key. It behaves as a real model
 * would in this app, streamed in small pieces with a pause between them so the page shows the
 * reply growing:
 *
 * - a question about the time first calls `current_time` (Europe/Paris unless the prompt names
 *   another city it knows), then answers with what the tool returned;
 * - every reply reads the conversation it was given (the stored history): it says how many
 *   questions came before and what the last one was, and "what did I ask first?" is answered from
 *   the first turn, so a restart that lost the history would show;
 * - it quotes the prompt back as markdown, as models often do: a prompt with HTML in it therefore
 *   comes back as model output with HTML in it, which the page must render harmlessly.
 */
import type { ModelMessage, ResponsePart, ToolReturnPart } from 'schemantic';
import type { AgentInfo, FunctionModel } from 'schemantic/testing';
import type { ChatOutput as ChatReply, CurrentTimeReturn } from '../../generated/agents/chat.js';
import { latestPrompt } from '../latest-prompt.js';
import { streamedModel } from '../streamed-model.js';

/** Cities the demo recognises in a question about the time, and their zones. */
const ZONES: readonly (readonly [RegExp, string])[] = [
  [/\btokyo\b|\bjapan\b/i, 'Asia/Tokyo'],
  [/\bnew york\b/i, 'America/New_York'],
  [/\blondon\b/i, 'Europe/London'],
  [/\bsydney\b/i, 'Australia/Sydney'],
  [/\butc\b|\bgmt\b/i, 'UTC'],
  [/\bparis\b|\bfrance\b/i, 'Europe/Paris'],
];

/** The chat's scripted model; `delayMs` between streamed pieces (0 in tests that only read the result). */
export function chatDemoModel(delayMs = 25): FunctionModel {
  return streamedModel('chat-demo', answer, delayMs);
}

/** Whether a prompt asks about the time or the date. */
export function asksAboutTime(prompt: string): boolean {
  return /\b(time|clock|date|today|what day)\b/i.test(prompt);
}

/** The parts of the next response to this conversation. */
function answer(messages: readonly ModelMessage[], info: AgentInfo): ResponsePart[] {
  const prompt = latestPrompt(messages);
  const earlier = userPrompts(messages).slice(0, -1);
  const turn = earlier.length + 1;
  const returned = thisTurn(messages).find((p): p is ToolReturnPart => p.kind === 'tool-return' && p.toolName === 'current_time');
  const retried = thisTurn(messages).some((p) => p.kind === 'retry-prompt' && p.toolName === 'current_time');
  if (asksAboutTime(prompt) && !returned && !retried) {
    const zone = ZONES.find(([pattern]) => pattern.test(prompt))?.[1] ?? 'Europe/Paris';
    return [{ kind: 'tool-call', toolName: 'current_time', args: { time_zone: zone }, toolCallId: `time-${turn}` }];
  }
  const reply = compose(prompt, earlier, returned?.content as CurrentTimeReturn | undefined);
  return [{ kind: 'tool-call', toolName: info.outputTools[0]?.name ?? 'final_result', args: reply, toolCallId: `reply-${turn}` }];
}

/** The reply: the answer in markdown, then follow-ups that lead somewhere in the demo. */
function compose(prompt: string, earlier: readonly string[], time: CurrentTimeReturn | undefined): ChatReply {
  const lines: string[] = [];
  if (/\b(first|earlier|before)\b.*\b(ask|said|say|question)/i.test(prompt) || /\bwhat did i ask\b/i.test(prompt)) {
    lines.push(
      earlier.length === 0
        ? 'This is the **first** question of this chat: there is nothing before it.'
        : `Your first question in this chat was: *${inline(earlier[0]!)}*`,
    );
  } else if (time) {
    const [date, clock] = time.local_time.split(' ');
    lines.push(`It is **${clock}** on ${date} in **${time.time_zone}** (I asked the \`current_time\` tool).`);
  } else {
    lines.push('Hello! I am the chat app’s **scripted model** (no provider key is set), streaming this reply piece by piece.');
  }
  lines.push('', 'You wrote:', '', ...prompt.split(/\r?\n/).map((line) => `> ${line}`), '');
  lines.push(
    earlier.length === 0
      ? '- This is your first question; the conversation is stored, so a reload keeps it.'
      : `- You asked ${earlier.length} question${earlier.length === 1 ? '' : 's'} before this one; the last was *${inline(earlier.at(-1)!)}*.`,
  );
  lines.push('- Ask about the time somewhere to see a tool call stream in.');
  const followUps = time ? ['What time is it in Tokyo?', 'What did I ask first?'] : ['What time is it in Paris?', 'What did I ask first?'];
  return { answer: lines.join('\n'), follow_ups: followUps };
}

/** A prompt shortened to one line for an inline quote, its markdown emphasis characters removed. */
function inline(text: string): string {
  const line = text.replace(/\s+/g, ' ').replace(/[*_`]/g, '').trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

/** Every user prompt of the conversation, in order (the last is the one being answered). */
function userPrompts(messages: readonly ModelMessage[]): string[] {
  return messages.flatMap((m) =>
    m.kind === 'request' ? m.parts.flatMap((p) => (p.kind === 'user-prompt' && typeof p.content === 'string' ? [p.content] : [])) : [],
  );
}

/** The request parts after the latest user prompt: what happened so far in this turn. */
function thisTurn(messages: readonly ModelMessage[]) {
  const parts = messages.flatMap((m) => (m.kind === 'request' ? m.parts : []));
  const start = parts.findLastIndex((p) => p.kind === 'user-prompt');
  return parts.slice(start + 1);
}

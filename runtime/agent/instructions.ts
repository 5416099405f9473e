/**
 * Instructions and system prompts: static text, templates filled from the typed context, and
 * functions of the run context. As in the reference, the two differ in how they meet a history:
 *
 * - instructions belong to the agent running now: rendered for every model request, recorded on
 *   the request (`ModelRequest.instructions`), and sent only from the latest request, so a
 *   continued conversation (or one handed to another agent) gets the current agent's
 *   instructions, never those of earlier requests;
 * - system prompts belong to the conversation: stored as system-prompt parts in its first request
 *   and replayed with the history; a run given a history does not add them again, except dynamic
 *   ones, whose earlier text in the history is replaced by a fresh one on every run.
 */
import { now, type ModelMessage, type SystemPromptPart } from '../contract/messages.js';
import type { RunContext } from './run-context.js';
import type { InstructionTemplate } from '../contract/spec.js';

/** Instructions computed from the run context. */
export type InstructionFn<Deps, Context> = (ctx: RunContext<Deps, Context>) => string | Promise<string>;

/**
 * A system prompt re-evaluated on every run, even of a continued conversation (its text in the
 * history is replaced). As an instruction it is the same as its function: instructions are
 * rendered afresh for every request anyway.
 */
export interface DynamicInstruction<Deps, Context> {
  dynamic: true;
  /** Identifies the instruction in stored histories (default: its position). */
  key?: string;
  render: InstructionFn<Deps, Context>;
}

/** One source of instructions. */
export type Instruction<Deps, Context> = string | InstructionFn<Deps, Context> | DynamicInstruction<Deps, Context>;

/** One source of system prompt: static text, a function (evaluated once per conversation) or a dynamic one. */
export type SystemPrompt<Deps, Context> = Instruction<Deps, Context>;

/** A system prompt re-evaluated on every run of a continued conversation. */
export type DynamicSystemPrompt<Deps, Context> = DynamicInstruction<Deps, Context>;

/** Fills a template's placeholders from the context. */
export function renderTemplate(template: InstructionTemplate, context: unknown): string {
  return template.map((part) => (typeof part === 'string' ? part : formatValue(lookup(context, part.path)))).join('');
}

function lookup(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** How a placeholder's value is written into instructions. */
function formatValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value, null, 2);
}

function dynamicKey(source: DynamicInstruction<unknown, unknown>, index: number): string {
  return source.key ?? `instruction-${index}`;
}

function isDynamic<D, C>(source: Instruction<D, C>): source is DynamicInstruction<D, C> {
  return typeof source === 'object' && source !== null && source.dynamic === true;
}

async function renderSource<D, C>(source: Instruction<D, C>, ctx: RunContext<D, C>): Promise<string> {
  return typeof source === 'string' ? source : isDynamic(source) ? await source.render(ctx) : await source(ctx);
}

/**
 * The instructions of one request: every source rendered, then `extra` (prompted-output
 * instructions), the non-empty ones joined by a blank line; undefined when there are none.
 */
export async function renderInstructions<D, C>(
  sources: readonly Instruction<D, C>[],
  ctx: RunContext<D, C>,
  extra?: string,
  alreadySent: ReadonlySet<string> = new Set(),
): Promise<string | undefined> {
  const texts: string[] = [];
  for (const source of sources) {
    const text = await renderSource(source, ctx);
    if (text !== '' && !alreadySent.has(text)) texts.push(text);
  }
  if (extra && !alreadySent.has(extra)) texts.push(extra);
  return texts.length > 0 ? texts.join('\n\n') : undefined;
}

/** The system prompt parts of a new conversation, in order. */
export async function systemPromptParts<D, C>(sources: readonly SystemPrompt<D, C>[], ctx: RunContext<D, C>): Promise<SystemPromptPart[]> {
  const parts: SystemPromptPart[] = [];
  for (const [index, source] of sources.entries()) {
    const content = await renderSource(source, ctx);
    if (content === '') continue;
    const part: SystemPromptPart = { kind: 'system-prompt', content, timestamp: now() };
    if (isDynamic(source)) part.dynamicRef = dynamicKey(source as DynamicInstruction<unknown, unknown>, index);
    parts.push(part);
  }
  return parts;
}

/**
 * A continued conversation: dynamic system prompts in the history get fresh text. The history is
 * not mutated; the returned messages share every unchanged message with it.
 */
export async function refreshDynamicSystemPrompts<D, C>(
  history: readonly ModelMessage[],
  sources: readonly SystemPrompt<D, C>[],
  ctx: RunContext<D, C>,
): Promise<ModelMessage[]> {
  const dynamic = new Map<string, DynamicInstruction<D, C>>();
  sources.forEach((s, i) => {
    if (isDynamic(s)) dynamic.set(dynamicKey(s as DynamicInstruction<unknown, unknown>, i), s);
  });
  if (dynamic.size === 0) return [...history];
  const out: ModelMessage[] = [];
  for (const message of history) {
    if (message.kind !== 'request' || !message.parts.some((p) => p.kind === 'system-prompt' && p.dynamicRef && dynamic.has(p.dynamicRef))) {
      out.push(message);
      continue;
    }
    const parts = [];
    for (const part of message.parts) {
      const source = part.kind === 'system-prompt' && part.dynamicRef ? dynamic.get(part.dynamicRef) : undefined;
      parts.push(source ? { ...part, content: await source.render(ctx), timestamp: now() } : part);
    }
    out.push({ ...message, parts });
  }
  return out;
}

/**
 * The texts of the system-prompt parts of a history. Histories written before instructions were
 * recorded per request hold them as system-prompt parts, which are replayed: an instruction whose
 * text is already there is not sent a second time.
 */
export function systemPromptTexts(messages: readonly ModelMessage[]): Set<string> {
  const texts = new Set<string>();
  for (const message of messages) if (message.kind === 'request') for (const part of message.parts) if (part.kind === 'system-prompt') texts.add(part.content);
  return texts;
}

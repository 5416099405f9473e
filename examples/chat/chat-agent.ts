/**
 * The chat agent the server runs (schemas/chat.yaml): on a provider when a key or
 * SCHEMANTIC_MODEL is set (examples/provider-model.ts), else on the scripted model.
 */
import type { ModelLike } from 'schemantic';
import { createChatAgent, type ChatAgent } from '../../generated/agents/chat.js';
import { providerModel } from '../provider-model.js';
import { chatTools } from './current-time.js';
import { chatDemoModel } from './demo-model.js';

/** The model the chat runs on, and a sentence saying which and why. */
export function chatModel(chunkDelayMs: number): { model: ModelLike; description: string } {
  const { id, reason } = providerModel();
  if (id !== undefined) return { model: id, description: reason };
  return {
    model: chatDemoModel(chunkDelayMs),
    description: 'a scripted model that streams its replies in small pieces (set OPENAI_API_KEY or ANTHROPIC_API_KEY to use a provider)',
  };
}

/** The chat agent on `model`, its `current_time` tool reading `now` (the clock, by default). */
export function chatAgent(model: ModelLike, now?: () => Date): ChatAgent {
  return createChatAgent({ model, tools: chatTools(now) });
}

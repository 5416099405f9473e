/**
 * The model the refunds agent (examples/refunds-agent.ts) runs on without a provider key: it does
 * what a real model would, refunding the order and amount the prompt names (order 1234, $25 when
 * it names none), then answering from what the tool returned: the refund, or the denial a person
 * gave, which the model reads as the tool's answer.
 */
import type { ModelMessage, ResponsePart } from 'schemantic';
import type { FunctionModel } from 'schemantic/testing';
import type { Refund } from './refunds-agent.js';
import { streamedModel } from './streamed-model.js';
import { latestPrompt } from './latest-prompt.js';

/** The scripted refunds model, streamed with a pause of `delayMs` between pieces. */
export function refundsDemoModel(delayMs: number): FunctionModel {
  return streamedModel('refunds-demo', answer, delayMs);
}

function answer(messages: readonly ModelMessage[]): ResponsePart[] {
  const last = messages[messages.length - 1];
  const returned = last?.kind === 'request' ? last.parts.find((p) => p.kind === 'tool-return' && p.toolName === 'refund') : undefined;
  if (returned?.kind === 'tool-return') {
    const refund = returned.content as Refund | string;
    const text =
      typeof refund === 'string'
        ? `I did not make the refund: ${refund}`
        : `Done: refund ${refund.refund_id} of $${refund.amount.toFixed(2)} to order ${refund.order_id}.`;
    return [{ kind: 'text', content: text }];
  }
  const prompt = latestPrompt(messages);
  const order_id = /order\s*#?\s*([A-Za-z0-9-]+)/i.exec(prompt)?.[1] ?? '1234';
  const amount = Number(/\$\s*(\d+(?:\.\d+)?)/.exec(prompt)?.[1] ?? 25);
  // A call id of its own in each request, as a provider's are.
  return [{ kind: 'tool-call', toolName: 'refund', args: { order_id, amount }, toolCallId: `refund-${messages.length}` }];
}

/**
 * The refunds agent of `npm run serve` (examples/server.ts), written by hand (no generator): its
 * one tool, `refund`, needs a person's approval before it runs. A run that reaches a refund stops
 * with the call pending (its output is DeferredToolRequests, its paused state `result.paused()`);
 * the server keeps the paused run and resumes it with the decision the page or a `useChat` client
 * sends.
 */
import { agent, defineTool, type ModelLike } from 'schemantic';

/** The arguments of a refund. */
export interface RefundArgs {
  /** The order to refund. */
  order_id: string;
  /** How much, in dollars. */
  amount: number;
}

/** A refund made. */
export interface Refund {
  /** The payment provider's id of the refund. */
  refund_id: string;
  order_id: string;
  amount: number;
}

/** Refunds an order: a person approves each call before its handler runs (`needsApproval`). */
export const refundTool = defineTool<RefundArgs, Refund>({
  name: 'refund',
  description: 'Refund an amount of an order to the customer. A person approves each refund before it is made.',
  parameters: {
    type: 'object',
    properties: { order_id: { type: 'string' }, amount: { type: 'number', exclusiveMinimum: 0 } },
    required: ['order_id', 'amount'],
    additionalProperties: false,
  },
  returns: {
    type: 'object',
    properties: { refund_id: { type: 'string' }, order_id: { type: 'string' }, amount: { type: 'number' } },
    required: ['refund_id', 'order_id', 'amount'],
  },
  needsApproval: true,
  // Runs only once approved. A real handler would call the payment provider here, with the call id
  // as its idempotency key.
  handler: (_ctx, { order_id, amount }) => ({ refund_id: `R-${order_id}-${Math.round(amount * 100)}`, order_id, amount }),
});

/** The refunds agent, on `model`; `refund` replaces the refund tool (a durable run's writes its refund once per call). */
export function createRefundsAgent(model: ModelLike, refund: typeof refundTool = refundTool) {
  return agent<undefined, string>({
    name: 'refunds',
    model,
    instructions:
      'You handle refund requests. Call refund with the order id and the amount the customer asks for, then tell the customer ' +
      'the outcome: the refund id when it was made, or why it was not.',
    tools: [refund],
  });
}

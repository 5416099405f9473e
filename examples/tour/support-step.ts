/**
 * The tour's bank-support step: dependencies reach a tool, and the output is structured and typed
 * (schemas/bank-support.yaml).
 */
import type { ModelLike } from 'schemantic';
import { createBankSupportAgent, type BankSupportOutput } from '../../generated/agents/bank-support.js';
import { bankSupportDemoModel } from '../demo-models.js';
import { say } from './say.js';

/** Runs the bank support agent once and prints its typed output field by field. */
export async function supportStep(provider: ModelLike | undefined): Promise<void> {
  const db = { balance: (id: number) => (id === 123 ? 123.45 : 0) };
  const support = createBankSupportAgent<{ customerId: number; db: typeof db }>({
    model: provider ?? bankSupportDemoModel,
    tools: { customerBalance: async (ctx, { include_pending }) => `$${(ctx.deps.db.balance(ctx.deps.customerId) + (include_pending ? 0.55 : 0)).toFixed(2)}` },
  });
  say('Question: What is my balance?  (customer 123, John)');
  const answer = await support.run('What is my balance?', { deps: { customerId: 123, db }, context: { customer_name: 'John' } });
  const output: BankSupportOutput = answer.output;
  say(
    'bank support agent output (BankSupportOutput, validated against its schema):',
    `  support_advice: ${JSON.stringify(output.support_advice)}`,
    `  block_card:     ${output.block_card}`,
    `  risk:           ${output.risk} (0 to 10)`,
  );
}

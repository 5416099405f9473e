/**
 * npm run example:vending-machine — the vending machine (schemas/vending-machine.yaml), a graph
 * with no agents: insert coins, pick a product; the machine sells it once the balance covers its
 * price and gives the change, asks for more money when it does not, and asks again for a product
 * it does not sell.
 *
 * Two of its nodes wait for the user (`waits_for`: a coin, a product): the run stops at each, and
 * this script resumes it with the next line of stdin, typed at a terminal or scripted
 * (`printf '1\ncrisps\n1\n' | npm run example:vending-machine`). At the end of the input it says
 * where the machine stands and exits (0). `--mermaid` prints the graph's diagram.
 */
import { MemoryGraphStore, type GraphResult } from 'schemantic';
import { createVendingMachineGraph, vendingMachineGraphMermaid, type Product, type Sale, type VendingMachineState } from '../generated/index.js';
import { stdinLines } from './stdin-lines.js';

/** What the machine charges, in dollars. */
const PRODUCT_PRICES: Readonly<Record<Product, number>> = { water: 1.25, soda: 1.5, crisps: 1.75, chocolate: 2 };

const isProduct = (name: string): name is Product => Object.hasOwn(PRODUCT_PRICES, name);

/** Money in dollars and cents (no 0.30000000000000004). */
const cents = (amount: number): number => Math.round(amount * 100) / 100;

/** The handlers: each may return only a step to a successor its node declares (or end, in `purchase`). */
const vendingMachine = createVendingMachineGraph({
  insertCoin(ctx, next) {
    return next.coinsInserted({ amount: ctx.reply });
  },
  coinsInserted(ctx, next) {
    ctx.state.user_balance = cents(ctx.state.user_balance + ctx.input.amount);
    // A product picked before (and short of money then) is bought now; else the user picks one.
    return ctx.state.product === undefined ? next.selectProduct() : next.purchase(ctx.state.product);
  },
  selectProduct(ctx, next) {
    return next.purchase(ctx.reply);
  },
  purchase(ctx, next) {
    const product = ctx.input;
    if (!isProduct(product)) {
      console.log(`No such product: ${product}, try again`);
      return next.selectProduct();
    }
    ctx.state.product = product;
    const price = PRODUCT_PRICES[product];
    if (ctx.state.user_balance < price) {
      console.log(`Not enough money for ${product}, need ${(price - ctx.state.user_balance).toFixed(2)} more`);
      return next.insertCoin();
    }
    ctx.state.user_balance = cents(ctx.state.user_balance - price);
    return next.end({ product, change: ctx.state.user_balance });
  },
});

async function main(): Promise<void> {
  if (process.argv.includes('--mermaid')) {
    console.log(vendingMachineGraphMermaid);
    return;
  }
  const lines = stdinLines();
  try {
    console.log(
      `Prices: ${Object.entries(PRODUCT_PRICES)
        .map(([name, price]) => `${name} ${price.toFixed(2)}`)
        .join(', ')}.`,
    );
    // The run stops at each node that waits for the user; resuming it needs its snapshot, kept here in memory.
    const persistence = new MemoryGraphStore();
    let result: GraphResult<VendingMachineState, Sale> = await vendingMachine.run({ state: { user_balance: 0 }, persistence });
    while (result.status === 'waiting') {
      const waitsForCoin = result.waitingAt.node === 'insert_coin';
      const line = (await lines.read(waitsForCoin ? 'Insert coins: ' : 'Select product: '))?.trim();
      if (line === undefined) {
        const balance = result.state.user_balance;
        console.log(`End of input: nothing bought${balance > 0 ? `, ${balance.toFixed(2)} returned` : ''}.`);
        return;
      }
      let reply: number | string = line;
      if (waitsForCoin) {
        reply = Number(line);
        if (line === '' || !Number.isFinite(reply) || reply <= 0) {
          console.log(`Not a coin: ${JSON.stringify(line)}`);
          continue;
        }
      } else if (line === '') continue;
      result = await vendingMachine.resume(result.runId, { persistence, reply });
    }
    console.log(`purchase successful item=${result.output.product} change=${result.output.change.toFixed(2)}`);
  } finally {
    lines.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

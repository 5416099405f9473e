/**
 * npm run bench:runtime — the runtime's overhead, side by side in one process:
 *
 * 1. One agent run with one tool call then structured output: Schemantic on FunctionModel, the
 *    Vercel AI SDK's generateText on a minimal LanguageModelV3 doing the same work, and a minimal
 *    hand-written loop over the same model (the floor). Runs per second, and ratios.
 * 2. Validating a realistic tool-argument object (nested object, array of objects, enums,
 *    formats, bounds): a validator made by Schemantic's generator against a zod 4 schema of the
 *    same shape, on valid input and on input with five errors (both report every error).
 * 3. What tracing costs a run, against the build from before tracing and beside the AI SDK's
 *    telemetry (bench/tracing.ts).
 *
 * Interleaved repetitions; medians. Not a test: nothing here asserts a time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateText, Output, stepCountIs, tool, type LanguageModel } from 'ai';
import { z } from 'zod';
import { agent, defineTool, type ModelMessage } from '../runtime/index.js';
import { FunctionModel } from '../runtime/testing/index.js';
import { compileSchema } from '../runtime/schema/compile.js';
import { compileValidators } from '../codegen/targets/typescript/ajv-module.js';
import type { Validator } from '../runtime/validators/index.js';
import { benchReps, median, rate, ROOT as root } from './stats.js';
import { tracingOverhead } from './tracing.js';

const reps = benchReps(15);

function rateSync(fn: () => unknown, ms: number): number {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 1000; i++) fn();
    n += 1000;
  }
  return (n * 1000) / (performance.now() - start);
}

// ---- 1. one run: a tool call, then structured output -------------------------------------------

const argsSchema = {
  type: 'object',
  properties: { location_description: { type: 'string', minLength: 1 } },
  required: ['location_description'],
  additionalProperties: false,
} as const;
const outputSchema = {
  type: 'object',
  properties: { location: { type: 'string' }, lat: { type: 'number' }, lng: { type: 'number' } },
  required: ['location', 'lat', 'lng'],
  additionalProperties: false,
} as const;
const geocode = (location: string) => ({ lat: 51.5 + location.length / 1000, lng: -0.12 });
const finalOutput = { location: 'London', lat: 51.506, lng: -0.12 };

function schemanticRun(): () => Promise<unknown> {
  const model = new FunctionModel((messages: readonly ModelMessage[]) =>
    messages.length === 1
      ? [{ kind: 'tool-call', toolName: 'get_lat_lng', args: '{"location_description":"London"}', toolCallId: 'c1' }]
      : [{ kind: 'tool-call', toolName: 'final_result', args: JSON.stringify(finalOutput), toolCallId: 'c2' }],
  );
  const geo = agent<undefined, typeof finalOutput>({
    name: 'geo',
    model,
    tools: [
      defineTool<{ location_description: string }, unknown>({
        name: 'get_lat_lng',
        parameters: argsSchema,
        handler: (_ctx, a) => geocode(a.location_description),
      }),
    ],
    output: outputSchema,
  });
  return async () => (await geo.run('Where is London?')).output;
}

const usage = { inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 5, text: 5, reasoning: 0 } };

/** The AI SDK's model interface, version 3 (what MockLanguageModelV3 implements). */
type LanguageModelV3 = Extract<LanguageModel, { specificationVersion: 'v3' }>;

/**
 * The model the AI SDK and the hand-written loop call: a LanguageModelV3 answering as
 * MockLanguageModelV3 did here, but recording nothing (the mock keeps every call's options, about
 * 4.4 KB more per run, which the floor and the AI SDK would pay for in garbage collection).
 */
function mockModel(): LanguageModelV3 {
  return {
    specificationVersion: 'v3',
    provider: 'mock-provider',
    modelId: 'mock-model-id',
    supportedUrls: {},
    doGenerate: async (options) => {
      const last = options.prompt[options.prompt.length - 1];
      return last?.role === 'tool'
        ? { content: [{ type: 'text', text: JSON.stringify(finalOutput) }], finishReason: { unified: 'stop', raw: 'stop' }, usage, warnings: [] }
        : {
            content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'get_lat_lng', input: '{"location_description":"London"}' }],
            finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
            usage,
            warnings: [],
          };
    },
    doStream: () => Promise.reject(new Error('the benchmark model does not stream')),
  };
}

function aiSdkRun(): () => Promise<unknown> {
  const model = mockModel();
  const tools = {
    get_lat_lng: tool({ inputSchema: z.object({ location_description: z.string().min(1) }), execute: async (a) => geocode(a.location_description) }),
  };
  const output = Output.object({ schema: z.object({ location: z.string(), lat: z.number(), lng: z.number() }) });
  return async () => (await generateText({ model, tools, output, stopWhen: stepCountIs(3), prompt: 'Where is London?' })).output;
}

function handLoop(): () => Promise<unknown> {
  const model = mockModel();
  const validateArgs = compileSchema<{ location_description: string }>(argsSchema, 'bench');
  const validateOutput = compileSchema(outputSchema, 'bench');
  return async () => {
    const prompt: { role: string; content: unknown }[] = [{ role: 'user', content: [{ type: 'text', text: 'Where is London?' }] }];
    for (let step = 0; step < 3; step++) {
      const result = await model.doGenerate({ prompt } as never);
      const call = result.content.find((c) => c.type === 'tool-call');
      if (!call) {
        const text = result.content.find((c) => c.type === 'text');
        const value = JSON.parse(text && 'text' in text ? text.text : 'null');
        if (!validateOutput(value)) throw new Error('invalid output');
        return value;
      }
      const args = JSON.parse(call.input);
      if (!validateArgs(args)) throw new Error('invalid arguments');
      const value = geocode(args.location_description);
      prompt.push(
        { role: 'assistant', content: [call] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: call.toolCallId, toolName: call.toolName, output: { type: 'json', value } }] },
      );
    }
    throw new Error('no output');
  };
}

// ---- 2. validating a realistic tool-argument object --------------------------------------------

const orderSchema = {
  type: 'object',
  properties: {
    customer: {
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 100 },
        email: { type: 'string', format: 'email' },
        tier: { enum: ['free', 'pro', 'enterprise'] },
      },
      required: ['name', 'email', 'tier'],
      additionalProperties: false,
    },
    items: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: {
        type: 'object',
        properties: {
          sku: { type: 'string', pattern: '^[A-Z]{3}-[0-9]{4}$' },
          quantity: { type: 'integer', minimum: 1, maximum: 100 },
          price: { type: 'number', minimum: 0 },
        },
        required: ['sku', 'quantity', 'price'],
        additionalProperties: false,
      },
    },
    shipping: {
      type: 'object',
      properties: { method: { enum: ['standard', 'express'] }, date: { type: 'string', format: 'date' } },
      required: ['method', 'date'],
      additionalProperties: false,
    },
    notes: { type: 'string', maxLength: 500 },
  },
  required: ['customer', 'items', 'shipping'],
  additionalProperties: false,
} as const;

const zodOrder = z.strictObject({
  customer: z.strictObject({ name: z.string().min(1).max(100), email: z.email(), tier: z.enum(['free', 'pro', 'enterprise']) }),
  items: z
    .array(z.strictObject({ sku: z.string().regex(/^[A-Z]{3}-[0-9]{4}$/), quantity: z.int().min(1).max(100), price: z.number().min(0) }))
    .min(1)
    .max(50),
  shipping: z.strictObject({ method: z.enum(['standard', 'express']), date: z.iso.date() }),
  notes: z.string().max(500).optional(),
});

const validOrder = {
  customer: { name: 'Ann Lee', email: 'ann@example.com', tier: 'pro' },
  items: [
    { sku: 'ABC-1234', quantity: 2, price: 9.5 },
    { sku: 'XYZ-0001', quantity: 1, price: 120 },
    { sku: 'QRS-9876', quantity: 10, price: 0.99 },
  ],
  shipping: { method: 'express', date: '2026-12-01' },
  notes: 'Leave at the door.',
};

/** Five errors: a bad email, a bad tier, a bad SKU, a quantity out of range, an unknown field. */
const invalidOrder = {
  customer: { name: 'Ann Lee', email: 'not-an-email', tier: 'gold' },
  items: [
    { sku: 'abc-1', quantity: 2, price: 9.5 },
    { sku: 'XYZ-0001', quantity: 500, price: 120 },
  ],
  shipping: { method: 'express', date: '2026-12-01', gift: true },
};

async function generatedOrderValidator(): Promise<Validator<unknown>> {
  const compiled = compileValidators([{ exportName: 'validateOrder', schema: orderSchema }]);
  if (!compiled.ok) throw new Error(compiled.message);
  const dir = path.join(root, 'node_modules', '.cache', 'schemantic-bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'order-validator.js');
  writeFileSync(file, `import { ${compiled.imports.join(', ')} } from "schemantic/validators";\n${compiled.code}`);
  return ((await import(pathToFileURL(file).href)) as { validateOrder: Validator<unknown> }).validateOrder;
}

async function main(): Promise<void> {
  console.log(`node ${process.version}; ${reps} interleaved repetitions; medians\n`);
  const runs = { schemantic: schemanticRun(), aiSdk: aiSdkRun(), hand: handLoop() };
  // Warm up all three, and check they do the same work.
  for (const [name, run] of Object.entries(runs)) {
    const out = await run();
    if (JSON.stringify(out) !== JSON.stringify(finalOutput)) throw new Error(`${name} returned ${JSON.stringify(out)}`);
    for (let i = 0; i < 300; i++) await run();
  }
  const runRates: Record<string, number[]> = { schemantic: [], aiSdk: [], hand: [] };
  for (let r = 0; r < reps; r++) for (const [name, run] of Object.entries(runs)) runRates[name]!.push(await rate(run, 400));

  const validateOrder = await generatedOrderValidator();
  if (!validateOrder(validOrder) || zodOrder.safeParse(validOrder).success !== true) throw new Error('valid order rejected');
  if (validateOrder(invalidOrder) || validateOrder.errors!.length !== 5) throw new Error(`generated validator: ${JSON.stringify(validateOrder.errors)}`);
  const zodIssues = zodOrder.safeParse(invalidOrder).error!.issues.length;
  if (zodIssues !== 5) throw new Error(`zod found ${zodIssues} issues`);
  const validation: Record<string, number[]> = { generatedValid: [], zodValid: [], generatedInvalid: [], zodInvalid: [] };
  for (let r = 0; r < reps; r++) {
    validation.generatedValid!.push(rateSync(() => validateOrder(validOrder), 300));
    validation.zodValid!.push(rateSync(() => zodOrder.safeParse(validOrder), 300));
    validation.generatedInvalid!.push(rateSync(() => validateOrder(invalidOrder), 300));
    validation.zodInvalid!.push(rateSync(() => zodOrder.safeParse(invalidOrder), 300));
  }

  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const hand = median(runRates.hand!);
  console.log('| one run: a tool call, then structured output | runs/s | time per run vs the hand-written loop |\n|---|---|---|');
  console.log(`| hand-written loop over a LanguageModelV3 (floor) | ${fmt(hand)} | 1.00x |`);
  console.log(`| Schemantic on FunctionModel | ${fmt(median(runRates.schemantic!))} | ${(hand / median(runRates.schemantic!)).toFixed(2)}x |`);
  console.log(`| AI SDK generateText on a LanguageModelV3 | ${fmt(median(runRates.aiSdk!))} | ${(hand / median(runRates.aiSdk!)).toFixed(2)}x |`);
  console.log(
    '\n| validating an order (5 errors when invalid, all reported) | generated validator (ops/s) | zod 4 (ops/s) | generated / zod |\n|---|---|---|---|',
  );
  console.log(
    `| valid input | ${fmt(median(validation.generatedValid!))} | ${fmt(median(validation.zodValid!))} | ${(median(validation.generatedValid!) / median(validation.zodValid!)).toFixed(1)}x |`,
  );
  console.log(
    `| invalid input | ${fmt(median(validation.generatedInvalid!))} | ${fmt(median(validation.zodInvalid!))} | ${(median(validation.generatedInvalid!) / median(validation.zodInvalid!)).toFixed(1)}x |`,
  );
}

await main();
await tracingOverhead(reps);

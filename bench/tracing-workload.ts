/**
 * The work bench/tracing.ts times under each tracing setting: one agent run in which the model
 * calls a tool twice in one response (London, then Paris), then gives a structured output.
 * Schemantic does it on FunctionModel, with the output through its output tool; the AI SDK with
 * `generateText` on a minimal LanguageModelV3, with the output as JSON text read by
 * `Output.object`. And the span exporter both trace into.
 */
import { generateText, Output, stepCountIs, tool, type LanguageModel, type TelemetrySettings } from 'ai';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { z } from 'zod';
import type { ModelMessage } from '../runtime/index.js';
import type { Instrument } from '../runtime/telemetry/index.js';
import type { RuntimeBuild } from './runtime-builds.js';

export const finalOutput = { from: 'London', to: 'Paris', km: 344 };
const prompt = 'How far is London from Paris?';

const argsSchema = {
  type: 'object',
  properties: { location_description: { type: 'string', minLength: 1 } },
  required: ['location_description'],
  additionalProperties: false,
} as const;
const outputSchema = {
  type: 'object',
  properties: { from: { type: 'string' }, to: { type: 'string' }, km: { type: 'number' } },
  required: ['from', 'to', 'km'],
  additionalProperties: false,
} as const;
const geocode = (location: string) => ({ lat: 51.5 + location.length / 1000, lng: -0.12 });
const toolCalls = [
  { id: 'c1', args: '{"location_description":"London"}' },
  { id: 'c2', args: '{"location_description":"Paris"}' },
];

/** One run of an agent of `build` (`instrument` absent: the agent sets none). */
export function schemanticRun(build: RuntimeBuild, instrument?: Instrument): () => Promise<unknown> {
  const model = new build.testing.FunctionModel((messages: readonly ModelMessage[]) =>
    messages.length === 1
      ? toolCalls.map((c) => ({ kind: 'tool-call' as const, toolName: 'get_lat_lng', args: c.args, toolCallId: c.id }))
      : [{ kind: 'tool-call', toolName: 'final_result', args: JSON.stringify(finalOutput), toolCallId: 'c3' }],
  );
  const geo = build.index.agent<undefined, typeof finalOutput>({
    name: 'geo',
    model,
    tools: [
      build.index.defineTool<{ location_description: string }, unknown>({
        name: 'get_lat_lng',
        parameters: argsSchema,
        handler: (_ctx, a) => geocode(a.location_description),
      }),
    ],
    output: outputSchema,
    // Only when given: the baseline build has no such option.
    ...(instrument !== undefined ? { instrument } : {}),
  });
  return async () => (await geo.run(prompt)).output;
}

const usage = { inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 5, text: 5, reasoning: 0 } };

/** The AI SDK's model interface, version 3 (what MockLanguageModelV3 implements). */
type LanguageModelV3 = Extract<LanguageModel, { specificationVersion: 'v3' }>;

/** A LanguageModelV3 answering as FunctionModel does above, recording nothing (as in section 1). */
function mockModel(): LanguageModelV3 {
  return {
    specificationVersion: 'v3',
    provider: 'mock-provider',
    modelId: 'mock-model-id',
    supportedUrls: {},
    doGenerate: async (options) =>
      options.prompt[options.prompt.length - 1]?.role === 'tool'
        ? { content: [{ type: 'text', text: JSON.stringify(finalOutput) }], finishReason: { unified: 'stop', raw: 'stop' }, usage, warnings: [] }
        : {
            content: toolCalls.map((c) => ({ type: 'tool-call' as const, toolCallId: c.id, toolName: 'get_lat_lng', input: c.args })),
            finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
            usage,
            warnings: [],
          },
    doStream: () => Promise.reject(new Error('the benchmark model does not stream')),
  };
}

/** One `generateText` run (`telemetry` absent: `experimental_telemetry` is not passed). */
export function aiSdkRun(telemetry?: TelemetrySettings): () => Promise<unknown> {
  const model = mockModel();
  const tools = {
    get_lat_lng: tool({ inputSchema: z.object({ location_description: z.string().min(1) }), execute: async (a) => geocode(a.location_description) }),
  };
  const output = Output.object({ schema: z.object({ from: z.string(), to: z.string(), km: z.number() }) });
  return async () =>
    (
      await generateText({
        model,
        tools,
        output,
        stopWhen: stepCountIs(3),
        prompt,
        ...(telemetry !== undefined ? { experimental_telemetry: telemetry } : {}),
      })
    ).output;
}

/**
 * An exporter that counts the spans it is given and keeps none (memory stays flat however long
 * a sample runs), except while `kept` is set: the check before timing reads the spans there.
 */
export class CountingExporter implements SpanExporter {
  count = 0;
  kept: ReadableSpan[] | undefined;

  export(spans: ReadableSpan[], done: Parameters<SpanExporter['export']>[1]): void {
    this.count += spans.length;
    this.kept?.push(...spans);
    done({ code: 0 }); // ExportResultCode.SUCCESS
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

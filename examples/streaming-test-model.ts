/**
 * The model `npm run serve` runs on without a provider key (examples/server.ts): the test model,
 * streamed in small pieces so the page shows what a provider's stream looks like.
 */
import { FunctionModel, TestModel, type StreamChunk, type TestModelOptions } from 'schemantic/testing';

/**
 * TestModel's answers, streamed as a provider streams: text word by word, tool arguments in
 * fragments, with a pause between pieces. (TestModel itself answers each request in one piece.)
 */
export function streamingTestModel(options: TestModelOptions, delayMs: number): FunctionModel {
  const test = new TestModel(options);
  return new FunctionModel(undefined, {
    name: 'streaming-test',
    stream: async function* (messages, info) {
      const { modelSettings, outputObject, ...params } = info;
      const response = await test.request(messages, modelSettings, { ...params, ...(outputObject ? { outputObject } : {}) });
      let call = 0;
      for (const part of response.parts) {
        let pieces: StreamChunk[] = [];
        if (part.kind === 'text') pieces = part.content.match(/\S+\s*|\s+/g) ?? [];
        else if (part.kind === 'tool-call') {
          const key = call++;
          const json = typeof part.args === 'string' ? part.args : JSON.stringify(part.args);
          pieces = (json.match(/[^]{1,16}/g) ?? ['']).map((jsonArgs, i) => ({
            [key]: i === 0 ? { name: part.toolName, toolCallId: part.toolCallId, jsonArgs } : { jsonArgs },
          }));
        }
        for (const piece of pieces) {
          if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
          yield piece;
        }
      }
    },
  });
}

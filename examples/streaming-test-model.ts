/**
 * The model `npm run serve` runs on without a provider key (examples/server.ts): the test model,
 * streamed in small pieces so the page shows what a provider's stream looks like.
 */
import { TestModel, type FunctionModel, type TestModelOptions } from 'schemantic/testing';
import { streamedModel } from './streamed-model.js';

/** TestModel's answers, streamed as a provider streams (TestModel itself answers each request in one piece). */
export function streamingTestModel(options: TestModelOptions, delayMs: number): FunctionModel {
  const test = new TestModel(options);
  return streamedModel(
    'streaming-test',
    async (messages, info) => {
      const { modelSettings, outputObject, ...params } = info;
      return (await test.request(messages, modelSettings, { ...params, ...(outputObject ? { outputObject } : {}) })).parts;
    },
    delayMs,
  );
}

/**
 * What the chat app's tests share (test/examples/chat-*.test.ts): a fixed clock for the
 * `current_time` tool, a scripted model that answers with a given reply (hostile ones included),
 * a model that fails as a provider does, one that streams until it is stopped, and the system's
 * Chromium (test/helpers/chromium.ts).
 */
import { ModelHTTPError } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';

/** 12:00 UTC on 1 March 2026: 13:00 in Paris, 21:00 in Tokyo. */
export const NOON_UTC = () => new Date('2026-03-01T12:00:00Z');

/** A secret a failing provider's error names: it must reach no client. */
export const SECRET = 'sk-live-chat-canary-5b1e';

/** A model that answers every request with this reply, streamed in pieces of `size` characters. */
export function replyModel(reply: { answer: string; follow_ups?: string[] }, size = 12): FunctionModel {
  return new FunctionModel(undefined, {
    stream: async function* (_messages, info) {
      const json = JSON.stringify(reply);
      for (let i = 0; i < json.length; i += size) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        yield {
          0: i === 0 ? { name: info.outputTools[0]!.name, toolCallId: 'out-1', jsonArgs: json.slice(i, i + size) } : { jsonArgs: json.slice(i, i + size) },
        };
      }
    },
  });
}

/** A model whose provider fails with an error that names {@link SECRET}. */
export function failingModel(): FunctionModel {
  return new FunctionModel(() => {
    throw new ModelHTTPError(500, 'gpt-4o', { key: SECRET }, { message: `invalid key ${SECRET}` });
  });
}

/**
 * A model that streams its reply a few characters at a time, slowly, for as long as it is read:
 * `state.closed` once its stream was stopped (the run was cancelled).
 */
export function endlessReplyModel() {
  const state = { pieces: 0, closed: false };
  const model = new FunctionModel(undefined, {
    stream: async function* (_messages, info) {
      try {
        yield { 0: { name: info.outputTools[0]!.name, toolCallId: 'out-1', jsonArgs: '{"answer":"' } };
        for (; state.pieces < 2000; state.pieces++) {
          await new Promise((resolve) => setTimeout(resolve, 10));
          yield { 0: { jsonArgs: 'more ' } };
        }
        yield { 0: { jsonArgs: '"}' } };
      } finally {
        state.closed = true;
      }
    },
  });
  return { model, state };
}

export { launchChromium } from '../helpers/chromium.js';

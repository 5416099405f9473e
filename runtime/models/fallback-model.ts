/**
 * FallbackModel: one model made of several, tried in order. A request goes to the first; when it
 * fails with a provider error (an HTTP error, a timeout, a broken connection, an answer that is not
 * one: malformed JSON, a malformed shape, an error object sent with status 200) the next is tried,
 * and so on. When every model failed, the error lists each failure. A streamed request falls back
 * only until its first event: after that the answer has begun and cannot switch models.
 */
import { ModelAPIError, UserError } from '../contract/errors.js';
import type { ModelMessage, ModelResponse } from '../contract/messages.js';
import type { Model, ModelRequestParameters } from '../contract/model.js';
import type { ModelSettings } from '../contract/spec.js';
import type { ModelStreamEvent } from '../contract/stream-events.js';
import { resolveModel, type ModelLike } from './registry.js';
import { activeRequestTrace } from '../telemetry/active-trace.js';
import type { RequestTrace } from '../telemetry/trace-hooks.js';

/** Options of {@link FallbackModel}. */
export interface FallbackOptions {
  /** Which errors move on to the next model (default: provider errors, ModelAPIError). */
  fallbackOn?: (error: unknown) => boolean;
}

/** Every model of a FallbackModel failed. */
export class FallbackExhaustedError extends ModelAPIError {
  /** The failures, in the order the models were tried. */
  readonly failures: readonly { model: string; error: unknown }[];

  constructor(name: string, failures: { model: string; error: unknown }[]) {
    const lines = failures.map((f) => `${f.model}: ${f.error instanceof Error ? f.error.message : String(f.error)}`);
    super(name, `all ${failures.length} models failed: ${lines.join('; ')}`);
    this.failures = failures;
  }
}

/** Models tried in order until one answers. */
export class FallbackModel implements Model {
  readonly name: string;
  readonly system = 'fallback';
  /** Models resolved so far, by position (a failed resolution is tried again next time). */
  private readonly resolved = new Map<number, Model>();
  private readonly fallbackOn: (error: unknown) => boolean;

  /** @param models models or model ids (`openai:gpt-4o`), in the order to try them. */
  constructor(
    private readonly models: readonly ModelLike[],
    options: FallbackOptions = {},
  ) {
    if (models.length === 0) throw new UserError('FallbackModel needs at least one model');
    this.name = `fallback(${models.map((m) => (typeof m === 'string' ? m : `${m.system}:${m.name}`)).join(', ')})`;
    this.fallbackOn = options.fallbackOn ?? ((error) => ModelAPIError.isInstance(error));
  }

  /**
   * The models in order, each resolved when it is reached: a model that cannot be made (an id
   * whose key is not set) is a failure to move past, not a reason to stop the ones before it.
   */
  private async *inOrder(failures: { model: string; error: unknown }[]): AsyncGenerator<Model> {
    for (const [i, like] of this.models.entries()) {
      let model = this.resolved.get(i);
      if (!model) {
        try {
          model = await resolveModel(like);
          this.resolved.set(i, model);
        } catch (error) {
          failures.push({ model: typeof like === 'string' ? like : like.name, error });
          continue;
        }
      }
      yield model;
    }
  }

  async request(
    messages: readonly ModelMessage[],
    settings: ModelSettings | undefined,
    params: ModelRequestParameters,
    signal?: AbortSignal,
  ): Promise<ModelResponse> {
    const failures: { model: string; error: unknown }[] = [];
    // A traced run records each attempt (a child of its model request's span).
    const trace = activeRequestTrace();
    for await (const model of this.inOrder(failures)) {
      const attempt = trace?.attempt(model);
      try {
        const response = await model.request(messages, settings, params, signal);
        attempt?.end();
        return response;
      } catch (error) {
        attempt?.end(error);
        if (signal?.aborted || !this.fallbackOn(error)) throw error;
        failures.push({ model: `${model.system}:${model.name}`, error });
      }
    }
    throw new FallbackExhaustedError(this.name, failures);
  }

  requestStream(
    messages: readonly ModelMessage[],
    settings: ModelSettings | undefined,
    params: ModelRequestParameters,
    signal?: AbortSignal,
  ): AsyncIterable<ModelStreamEvent> {
    // Read now: the stream's body runs later, wherever its reader pulls it.
    return this.streamAttempts(messages, settings, params, signal, activeRequestTrace());
  }

  private async *streamAttempts(
    messages: readonly ModelMessage[],
    settings: ModelSettings | undefined,
    params: ModelRequestParameters,
    signal: AbortSignal | undefined,
    trace: RequestTrace | undefined,
  ): AsyncIterable<ModelStreamEvent> {
    const failures: { model: string; error: unknown }[] = [];
    for await (const model of this.inOrder(failures)) {
      let started = false;
      const attempt = trace?.attempt(model);
      try {
        for await (const event of model.requestStream(messages, settings, params, signal)) {
          started = true;
          yield event;
        }
        attempt?.end();
        return;
      } catch (error) {
        attempt?.end(error);
        if (started || signal?.aborted || !this.fallbackOn(error)) throw error;
        failures.push({ model: `${model.system}:${model.name}`, error });
      } finally {
        // A reader that left ends the attempt too (ending twice is ignored).
        attempt?.end();
      }
    }
    throw new FallbackExhaustedError(this.name, failures);
  }
}

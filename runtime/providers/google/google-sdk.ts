/**
 * Loading `@google/genai` and making its client: the SDK imported on first use (with an install
 * hint when it is missing), pointed at the Gemini API (never Vertex AI, whatever the environment
 * says), with the shared client's fetch, whose connection failures become ModelAPIError here:
 * this SDK throws fetch's own errors, which the shared translation cannot tell from a bug.
 */
import type { GoogleGenAI } from '@google/genai';
import { ModelAPIError, UserError } from '../../contract/errors.js';
import { redactText } from '../../contract/redact.js';

/** The versions of `@google/genai` this adapter is written for (3.x needs Node 22). */
export const GENAI_RANGE = '^2.32.0';

/** Imports `@google/genai`, saying how to install it when it is missing. */
export async function importGenai(): Promise<typeof import('@google/genai')> {
  try {
    return await import('@google/genai');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new UserError(`this model needs the @google/genai package: npm install @google/genai@"${GENAI_RANGE}"`, { cause: err });
    }
    throw err;
  }
}

/** What the shared client hands over to make a client with. */
export interface ClientSettings {
  apiKey: string;
  baseURL?: string;
  fetch: typeof fetch;
}

/** A Gemini API client made from the shared client's settings. */
export async function makeGenaiClient(modelName: string, settings: ClientSettings, maxRetries: number): Promise<GoogleGenAI> {
  const { GoogleGenAI } = await importGenai();
  return new GoogleGenAI({
    apiKey: settings.apiKey,
    vertexai: false,
    httpOptions: {
      ...(settings.baseURL !== undefined ? { baseUrl: settings.baseURL } : {}),
      fetch: reportingConnectionFailures(settings.fetch, modelName),
      // `attempts` counts the first one. Without retryOptions this SDK does not retry at all.
      retryOptions: { attempts: maxRetries + 1 },
    },
  });
}

/**
 * A fetch whose failures to connect are ModelAPIError. An aborted attempt (the caller's signal, or
 * the SDK's per-attempt timeout) is rethrown as it is: the model tells the two apart.
 */
function reportingConnectionFailures(inner: typeof fetch, modelName: string): typeof fetch {
  return async (input, init) => {
    try {
      return await inner(input, init);
    } catch (err) {
      if (init?.signal?.aborted) throw err;
      const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : err instanceof Error ? err.message : String(err);
      throw new ModelAPIError(modelName, `the connection to model ${modelName} failed: ${redactText(cause)}`);
    }
  };
}

/**
 * The call, an attempt abandoned by the SDK's timeout reported as a ModelAPIError (this SDK lets
 * the aborted fetch's error through). The caller's own abort is left to the shared translation.
 */
export async function timeoutsReported<T>(modelName: string, signal: AbortSignal | undefined, call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    if (!signal?.aborted && err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) {
      throw new ModelAPIError(modelName, `the request to model ${modelName} timed out`);
    }
    throw err;
  }
}

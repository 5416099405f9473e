/**
 * Gemini's safety system stopped a request: the prompt was blocked before the model answered
 * (`promptFeedback.blockReason`), or the answer was stopped (`finishReason` SAFETY, RECITATION,
 * BLOCKLIST, PROHIBITED_CONTENT, SPII, MODEL_ARMOR...).
 *
 * It is a verdict on the content, not a malformed reply: sending the same conversation again gets
 * the same verdict, so the run does not retry it and a FallbackModel does not move on by default
 * (it is no ModelAPIError). It ends the run; callers catch it by class
 * (`GoogleContentBlockedError.isInstance(err)`) or as the UnexpectedModelBehavior it extends.
 */
import { UnexpectedModelBehavior } from '../../contract/errors.js';

/** One of Gemini's safety ratings, as it reports them. */
export interface GoogleSafetyRating {
  category?: string;
  probability?: string;
  blocked?: boolean;
}

/** A prompt or an answer blocked by Gemini's safety system. */
export class GoogleContentBlockedError extends UnexpectedModelBehavior {
  /** Whether the prompt was blocked (nothing was generated) or the answer. */
  readonly stage: 'prompt' | 'response';
  /** Gemini's reason (`SAFETY`, `PROHIBITED_CONTENT`, `MODEL_ARMOR`...). */
  readonly reason: string;
  /** The ratings Gemini gave, those that blocked marked `blocked: true`. */
  readonly safetyRatings: readonly GoogleSafetyRating[];

  constructor(
    stage: 'prompt' | 'response',
    reason: string,
    options: { message?: string | undefined; safetyRatings?: readonly GoogleSafetyRating[] | undefined; response?: unknown },
  ) {
    const what = stage === 'prompt' ? 'the prompt was blocked' : 'the answer was blocked';
    super(`${what} by Gemini (${reason})${options.message ? `: ${options.message}` : ''}`, { response: options.response });
    this.stage = stage;
    this.reason = reason;
    this.safetyRatings = options.safetyRatings ?? [];
  }
}

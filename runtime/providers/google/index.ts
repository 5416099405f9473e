/**
 * `schemantic/google`: Gemini models through the Gemini API. Importing it registers the id
 * prefixes `google:` and `gemini:` (`google:gemini-2.5-flash`, key from `GEMINI_API_KEY` or
 * `GOOGLE_API_KEY`); models can also be made by constructor (`new GoogleModel('gemini-2.5-flash',
 * { client })`, a Vertex AI client included). Needs `@google/genai` 2.x (2.32 or later).
 */
import './register.js';

export { GoogleModel } from './google-model.js';
export type { GoogleClient, GoogleModelOptions } from './google-model.js';
export { GoogleContentBlockedError } from './content-blocked-error.js';
export type { GoogleSafetyRating } from './content-blocked-error.js';
export { geminiSchema } from '../../schema/gemini-schema.js';
export type { GeminiDrop, GeminiSchema } from '../../schema/gemini-schema.js';
export { GoogleEmbedder, type GoogleEmbedderOptions, type GoogleEmbeddingsClient } from './google-embedder.js';

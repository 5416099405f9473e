/**
 * The Gemini API (Google AI Studio keys) as a provider profile: where the key and base URL come
 * from. Only the fields the shared client reads are meaningful here.
 */
import type { ProviderProfile } from '../shared/provider-profile.js';

/** The `google` provider: the Gemini API, its key and base URL variables. */
export const GOOGLE_PROVIDER: ProviderProfile = {
  name: 'google',
  api: 'google',
  // GEMINI_API_KEY first: it is the name Google's own SDKs and docs use today.
  apiKeyEnv: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
  // The variable @google/genai itself reads for its base URL.
  baseURLEnv: 'GOOGLE_GEMINI_BASE_URL',
};

/**
 * Anthropic's Messages API as a provider profile: where the key and base URL come from.
 */
import type { ProviderProfile } from '../shared/provider-profile.js';

/** The `anthropic` provider. */
export const ANTHROPIC_PROVIDER: ProviderProfile = { name: 'anthropic', api: 'anthropic', apiKeyEnv: ['ANTHROPIC_API_KEY'], baseURLEnv: 'ANTHROPIC_BASE_URL' };

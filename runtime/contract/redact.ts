/**
 * Keeping secrets out of what leaves the process: error messages and bodies, and traces. Every
 * API key a model's client uses is remembered here (in memory only), and anything shaped like a
 * key (`sk-...`, including masked forms that providers echo) is replaced too, wherever it came from.
 */

/** Key-shaped strings: `sk-...`, `sk-ant-...`, `sk-proj-...`, and masked forms with `*`. */
const KEY_SHAPED = /\b(?:sk|pk|rk)-[A-Za-z0-9_*-]{6,}/g;

/** The keys in use by clients of this process (only values long enough not to blank common words). */
const known = new Set<string>();

/** Remembers a secret, so that {@link redactText} removes it everywhere from now on. */
export function rememberSecret(value: string): void {
  // Short placeholders ('none' for local servers) are not secrets, and would blank common words.
  if (value.length >= 8) known.add(value);
}

/** Replaces every secret (those given, those remembered, anything key-shaped) in a string. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  for (const secret of known) if (out.includes(secret)) out = out.split(secret).join('[redacted]');
  return out.replace(KEY_SHAPED, '[redacted]');
}

/** A deep copy of JSON-like data with every string redacted. */
export function redactDeep(value: unknown, secrets: readonly string[] = []): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      Object.defineProperty(out, k, { value: redactDeep(v, secrets), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

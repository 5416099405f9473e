/**
 * Warnings about settings a provider cannot honour. An unsupported setting is not an error (the
 * run can go on without it) but must not pass silently either: it is reported once per provider
 * and setting, through Node's warning channel (`process.on('warning')`, `--no-warnings`).
 */

const warned = new Set<string>();

/** Warns once that `provider` cannot honour `what`. */
export function warnUnsupported(provider: string, what: string): void {
  const key = `${provider}\0${what}`;
  if (warned.has(key)) return;
  warned.add(key);
  process.emitWarning(`${provider} does not support ${what}; it is ignored`, { code: 'SCHEMANTIC_UNSUPPORTED_SETTING' });
}

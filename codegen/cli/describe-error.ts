/**
 * An error of the app's code, said to the user by a command that runs it (`serve`, `eval`).
 */

/** Whether `error` is one Schemantic raised on purpose (its error classes carry their kinds under this symbol). */
function isSchemanticError(error: Error): boolean {
  return Array.isArray((error as unknown as Record<symbol, unknown>)[Symbol.for('schemantic.error.kinds')]);
}

/** The message of an error Schemantic raised on purpose (it says enough); the stack of anything else, a bug worth locating. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return isSchemanticError(error) || !error.stack ? error.message : error.stack;
}

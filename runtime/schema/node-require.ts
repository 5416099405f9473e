/**
 * Node's CommonJS `require`, for the few packages the runtime loads synchronously on first use
 * (Ajv's compiler for hand-written agents). Reached through `process.getBuiltinModule` rather than
 * an import of `node:module`, so the runtime still bundles for platforms without it, where a
 * hand-written schema cannot be compiled anyway (edge runtimes forbid code generation from strings).
 */
import { UserError } from '../contract/errors.js';

type Require = (id: string) => unknown;

interface Host {
  process?: { getBuiltinModule?: (id: string) => { createRequire?: (from: string) => Require } | undefined };
}

/** `require` relative to this module, or a {@link UserError} that says what needs Node. */
export function nodeRequire(what: string): Require {
  const createRequire = (globalThis as Host).process?.getBuiltinModule?.('node:module')?.createRequire;
  if (!createRequire) {
    throw new UserError(
      `${what} needs Node.js 20.16 or later (Ajv compiles schemas at run time); generated agents carry precompiled validators and run anywhere`,
    );
  }
  return createRequire(import.meta.url);
}

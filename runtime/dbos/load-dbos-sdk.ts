/**
 * Loading DBOS Transact (`@dbos-inc/dbos-sdk`), an optional peer dependency: imported when a
 * durable agent is made (or a client helper first used), so that importing `schemantic/dbos`
 * costs nothing more, nothing else in the runtime ever loads it, and an app that lacks it learns
 * what to install at that point.
 */
import { UserError } from '../contract/errors.js';

/** The SDK's module, as this entry point uses it. */
export type DbosSdk = typeof import('@dbos-inc/dbos-sdk');

/** The SDK's `DBOS` class (all static). */
export type Dbos = DbosSdk['DBOS'];

const INSTALL = 'npm install @dbos-inc/dbos-sdk@"^5.3.0"';

let loading: Promise<DbosSdk> | undefined;

/** The SDK, imported once; a missing SDK is a UserError that says how to install it. */
export function loadDbosSdk(): Promise<DbosSdk> {
  loading ??= import('@dbos-inc/dbos-sdk').then(
    // A CommonJS package: Node names its exports, a bundler may only give `default`.
    (sdk) => ((sdk as Partial<DbosSdk>).DBOS ? sdk : (sdk as unknown as { default: DbosSdk }).default),
    (err: unknown) => {
      loading = undefined;
      const code = (err as { code?: unknown } | null)?.code;
      if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
        throw new UserError(`schemantic/dbos needs DBOS Transact (@dbos-inc/dbos-sdk is not installed): ${INSTALL}`, { cause: err });
      throw err;
    },
  );
  return loading;
}

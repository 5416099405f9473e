/**
 * Loading node-postgres (`pg`), an optional peer dependency: imported when a PostgresGraphStore
 * first needs a pool of its own, so that importing `schemantic/graph/postgres` costs nothing more,
 * nothing else in the runtime ever loads it, and an app that lacks it learns what to install then.
 * Typed here by the little the store uses, so that no declaration of the package names `pg`'s
 * types (an app need not have `@types/pg`).
 */
import { UserError } from '../contract/errors.js';

/** A query result, as the store reads it. */
export interface PgResult {
  readonly rows: readonly Record<string, unknown>[];
}

/** What the store queries: a `pg.Pool` (or a `pg.Client`, or anything with the same `query`). */
export interface PgQueryable {
  query(text: string, values?: readonly unknown[]): Promise<PgResult>;
}

/** A pool the store made, which it closes. */
export interface PgPool extends PgQueryable {
  end(): Promise<void>;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/** The part of the `pg` module the store uses. */
export interface PgModule {
  readonly Pool: new (config: { connectionString: string; max?: number }) => PgPool;
}

const INSTALL = 'npm install pg@"^8"';

let loading: Promise<PgModule> | undefined;

/** The `pg` module, imported once; a missing package is a UserError that says how to install it. */
export function loadPg(): Promise<PgModule> {
  loading ??= import('pg').then(
    // A CommonJS package with an ESM wrapper: Node names its exports, a bundler may only give `default`.
    (pg) => ((pg as unknown as Partial<PgModule>).Pool ? pg : (pg as unknown as { default: PgModule }).default) as unknown as PgModule,
    (err: unknown) => {
      loading = undefined;
      const code = (err as { code?: unknown } | null)?.code;
      if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
        throw new UserError(`schemantic/graph/postgres needs node-postgres (pg is not installed): ${INSTALL}`, { cause: err });
      throw err;
    },
  );
  return loading;
}

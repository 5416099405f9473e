// Registers a module resolve hook that appends every resolved URL to the file named by
// $IMPORT_LOG. Used with `node --import tsx --import ./test/helpers/record-imports.mjs`.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
      import { appendFileSync } from 'node:fs';
      export async function resolve(specifier, context, next) {
        const result = await next(specifier, context);
        appendFileSync(process.env.IMPORT_LOG, result.url + '\\n');
        return result;
      }
    `),
  import.meta.url,
);

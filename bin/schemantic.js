#!/usr/bin/env node
// The schemantic command. The package is compiled to dist/ on install (npm's prepare step).
import { main } from '../dist/codegen/cli.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`schemantic: internal error: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 70;
  },
);

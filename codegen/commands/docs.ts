/**
 * `schemantic docs` (being built: see the issue on contracts).
 */
import type { Command } from './command.js';

/** `schemantic docs`. */
export const docsCommand: Command = {
  name: 'docs',
  help: 'Usage: schemantic docs (not built yet)',
  options: { schemas: { type: 'string' }, out: { type: 'string' }, check: { type: 'boolean' } },
  run: async (_values, { io }) => {
    io.err('schemantic docs: not built yet');
    return 2;
  },
};

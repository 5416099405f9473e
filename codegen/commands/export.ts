/**
 * `schemantic export` (being built: see the issue on contracts).
 */
import type { Command } from './command.js';

/** `schemantic export`. */
export const exportCommand: Command = {
  name: 'export',
  help: 'Usage: schemantic export (not built yet)',
  options: { schemas: { type: 'string' }, out: { type: 'string' }, check: { type: 'boolean' } },
  run: async (_values, { io }) => {
    io.err('schemantic export: not built yet');
    return 2;
  },
};

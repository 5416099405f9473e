/**
 * Without `@dbos-inc/dbos-sdk` installed, `schemantic/dbos` still imports, and making a durable
 * agent is a UserError naming the package to install (as a user's app meets it: the built
 * runtime, linked into a project outside the repository, run with --preserve-symlinks so that the
 * SDK's import resolves from that project, which lacks it).
 */
import { describe, expect, it } from 'vitest';
import { bareApp } from '../../helpers/bare-app.js';

const APP = `
import { agent, UserError } from 'schemantic';
import { dbosAgent } from 'schemantic/dbos';

let caught = null;
try {
  await dbosAgent(agent({ name: 'a', model: 'test' }));
} catch (error) {
  caught = { userError: UserError.isInstance(error), message: error.message };
}
console.log(JSON.stringify(caught));
`;

const runApp = bareApp('dbos-missing', APP);

describe('schemantic/dbos without DBOS Transact', () => {
  it('imports, and says what to install when a durable agent is made', () => {
    const child = runApp();
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout.trim())).toEqual({
      userError: true,
      message: 'schemantic/dbos needs DBOS Transact (@dbos-inc/dbos-sdk is not installed): npm install @dbos-inc/dbos-sdk@"^5.3.0"',
    });
  });
});

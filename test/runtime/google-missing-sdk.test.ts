/**
 * Without `@google/genai` installed, `schemantic/google` still imports, and a run on a Gemini
 * model rejects with a UserError naming the package to install, with nothing left unhandled (as a
 * user's app meets it: the built runtime linked into a project outside the repository, run with
 * --preserve-symlinks so that the SDK's import resolves from that project, which lacks it).
 */
import { describe, expect, it } from 'vitest';
import { bareApp } from '../helpers/bare-app.js';

const APP = `
import { agent, UserError } from 'schemantic';
import { GoogleModel } from 'schemantic/google';

const unhandled = [];
process.on('unhandledRejection', (reason) => unhandled.push(String(reason)));

let caught = null;
try {
  const model = new GoogleModel('gemini-2.5-flash', { apiKey: 'not-a-real-key-for-this-test' });
  await agent({ name: 'a', model }).run('Hello');
} catch (error) {
  caught = { userError: UserError.isInstance(error), message: error.message };
}
await new Promise((resolve) => setTimeout(resolve, 200));
console.log(JSON.stringify({ caught, unhandled }));
`;

const runApp = bareApp('google-missing', APP);

describe('schemantic/google without @google/genai', () => {
  it('imports, and a run says what to install', () => {
    const child = runApp();
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout.trim())).toEqual({
      caught: { userError: true, message: 'this model needs the @google/genai package: npm install @google/genai@"^2.32.0"' },
      unhandled: [],
    });
  });
});

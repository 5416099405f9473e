/**
 * Without `@aws-sdk/client-bedrock-runtime` installed, `schemantic/bedrock` still imports and
 * registers `bedrock:`, and a run on a Bedrock model rejects with a UserError naming the package
 * to install, for a plain and a streamed run, with nothing left as an unhandled rejection (as a
 * user's app meets it: the built runtime linked into a project that lacks every optional peer).
 */
import { describe, expect, it } from 'vitest';
import { bareApp } from '../../helpers/bare-app.js';

const APP = `
import { agent, modelProviders, UserError } from 'schemantic';
import 'schemantic/bedrock';

const unhandled = [];
process.on('unhandledRejection', (reason) => unhandled.push(String(reason)));

const caught = [];
for (const how of ['run', 'stream']) {
  try {
    const a = agent({ name: 'a', model: 'bedrock:us.amazon.nova-micro-v1:0' });
    if (how === 'stream') await a.runStream('Hello').output();
    else await a.run('Hello');
    caught.push(null);
  } catch (error) {
    caught.push({ userError: UserError.isInstance(error), message: error.message });
  }
}
// Time for a rejection left unobserved to be reported.
await new Promise((resolve) => setTimeout(resolve, 200));
console.log(JSON.stringify({ registered: modelProviders().includes('bedrock'), caught, unhandled }));
`;

const runApp = bareApp('bedrock-missing', APP);

describe('schemantic/bedrock without the AWS SDK', () => {
  it('imports, registers bedrock:, and a run rejects with a UserError naming the package; nothing goes unhandled', () => {
    const child = runApp();
    expect(child.stderr).toBe('');
    const install = 'npm install @aws-sdk/client-bedrock-runtime@"^3.1000.0"';
    expect(JSON.parse(child.stdout.trim())).toEqual({
      registered: true,
      caught: [
        { userError: true, message: `this model needs the @aws-sdk/client-bedrock-runtime package: ${install}` },
        { userError: true, message: `this model needs the @aws-sdk/client-bedrock-runtime package: ${install}` },
      ],
      unhandled: [],
    });
  });
});

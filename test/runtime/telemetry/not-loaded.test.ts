/**
 * `instrument: true` without `schemantic/telemetry` loaded: a clear error at the start of the run
 * that says what to import, not a run that silently records nothing.
 */
import { describe, expect, it } from 'vitest';
import { agent, UserError } from 'schemantic';
import { TestModel } from 'schemantic/testing';

describe('instrument without schemantic/telemetry', () => {
  it('fails the run with a UserError naming the import', async () => {
    const run = agent({ name: 'lonely', model: new TestModel(), instrument: true }).run('hi');
    await expect(run).rejects.toThrow(UserError);
    await expect(run).rejects.toThrow("agent lonely: instrument is on, but no tracing is loaded: add `import 'schemantic/telemetry'`");
  });
});

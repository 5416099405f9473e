/**
 * Agents written by hand with raw JSON Schemas (no generator), and the error classes.
 */
import { describe, expect, it } from 'vitest';
import { agent, defineTool, ModelHTTPError, ModelRetry, SchemanticError, UnexpectedModelBehavior, UsageLimitExceeded, UserError } from 'schemantic';
import { TestModel } from 'schemantic/testing';

describe('hand-written agents', () => {
  it('compile their schemas with Ajv and run like generated ones', async () => {
    const roll = defineTool<{ sides: number }, number>({
      name: 'roll_die',
      description: 'Roll a die.',
      parameters: { type: 'object', properties: { sides: { type: 'integer', enum: [6, 20] } }, required: ['sides'], additionalProperties: false },
      returns: { type: 'integer', minimum: 1 },
      handler: (_ctx, { sides }) => sides,
    });
    const dice = agent<undefined, { won: boolean; roll: number }, { guess: number }>({
      name: 'dice',
      instructions: (ctx) => `The player guessed ${ctx.context.guess}.`,
      context: { type: 'object', properties: { guess: { type: 'integer' } }, required: ['guess'] },
      tools: [roll],
      output: { type: 'object', properties: { won: { type: 'boolean' }, roll: { type: 'integer' } }, required: ['won', 'roll'] },
    });
    const result = await dice.run('Roll!', { model: new TestModel(), context: { guess: 4 } });
    expect(typeof result.output.won).toBe('boolean');
    expect(result.allMessages()[0]).toMatchObject({ parts: [{ kind: 'user-prompt' }], instructions: 'The player guessed 4.' });
    await expect(dice.run('Roll!', { model: new TestModel(), context: { guess: 'four' as unknown as number } })).rejects.toThrow(
      "agent dice: the context does not match the agent's context schema: /guess must be integer",
    );
  });

  it('fail when defined with a schema that does not compile, not in the middle of a run', () => {
    expect(() => agent({ name: 'bad', output: { type: 'object', properties: { x: { type: 'strang' } } } })).toThrow(UserError);
    expect(() => agent({ name: 'bad', output: { type: 'object', properties: { x: { type: 'strang' } } } })).toThrow(
      'agent bad: output: the JSON Schema does not compile',
    );
    expect(() => agent({ name: 'bad', tools: [defineTool({ name: 't', parameters: { type: 'object', required: 'x' }, handler: () => 1 })] })).toThrow(
      'tool t of agent bad: parameters: the JSON Schema does not compile',
    );
  });

  it('reject output members and tools whose names clash', async () => {
    const obj = { type: 'object' };
    expect(() =>
      agent({
        name: 'dup',
        output: {
          members: [
            { name: 'Pick', schema: obj },
            { name: 'Pick', schema: obj },
          ],
        },
      }),
    ).toThrow('agent dup: two output members are named Pick');
    const shadow = agent({ name: 'shadow', model: 'test', output: obj, tools: [defineTool({ name: 'final_result', parameters: obj, handler: () => 1 })] });
    await expect(shadow.run('?')).rejects.toThrow('agent shadow: the tool final_result has the name of an output tool; rename it');
  });

  it('need a model from somewhere', async () => {
    await expect(agent({ name: 'nomodel' }).run('?')).rejects.toThrow(
      'agent nomodel: no model: set one in the definition, the factory options or the run options',
    );
    await expect(agent({ name: 'm', model: 'nope' }).run('?')).rejects.toThrow('invalid model id "nope"');
    await expect(agent({ name: 'm', model: 'acme:big' }).run('?')).rejects.toThrow('unknown model provider "acme" in "acme:big"');
  });
});

describe('errors', () => {
  it('share one base class and are recognised with isInstance, also from another copy of the package', () => {
    const errors = [
      new UserError('u'),
      new ModelRetry('r'),
      new UnexpectedModelBehavior('b'),
      new UsageLimitExceeded('requests', 2, 1),
      new ModelHTTPError(429, 'gpt-4o', { error: 'slow down' }),
    ];
    for (const e of errors) expect(SchemanticError.isInstance(e)).toBe(true);
    expect(UserError.isInstance(errors[0])).toBe(true);
    expect(UserError.isInstance(errors[1])).toBe(false);
    expect(ModelRetry.isInstance(new Error('plain'))).toBe(false);
    // An error made by another copy of Schemantic: same brand, different class objects.
    const foreign = Object.assign(new Error('x'), { [Symbol.for('schemantic.error.kinds')]: ['ModelRetry', 'SchemanticError'] });
    expect(ModelRetry.isInstance(foreign)).toBe(true);
    expect(foreign instanceof ModelRetry).toBe(false);
    expect(errors[4]).toMatchObject({ status: 429, modelName: 'gpt-4o', body: { error: 'slow down' }, name: 'ModelHTTPError' });
  });
});

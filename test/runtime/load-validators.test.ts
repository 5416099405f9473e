/**
 * Validators load on an agent's first run, once per spec; a load that fails is a clear error,
 * and the next run tries again.
 */
import { describe, expect, it } from 'vitest';
import { defineAgent, UserError, VERSION, type AgentSpec, type ToolSpec } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';
import * as weatherValidators from '../../generated/validators/agents/weather.js';
import { getLatLngTool } from '../../generated/tools/get-lat-lng.js';

const context = { user_name: 'Ann' };

function weatherSpec(validators: AgentSpec['validators'], tool: ToolSpec = getLatLngTool as ToolSpec): AgentSpec<string, { user_name: string }> {
  return {
    runtime: `^${VERSION}`,
    name: 'weather',
    context: { schema: { type: 'object' } },
    ...(validators ? { validators } : {}),
    tools: [{ key: 'getLatLng', tool }],
    delegates: [],
    output: { kind: 'text' },
  } as AgentSpec<string, { user_name: string }>;
}

const model = new FunctionModel(() => 'done');
const handlers = { getLatLng: () => ({ lat: 0, lng: 0 }) };

describe('loading validators', () => {
  it('loads once per spec, however many agents and runs use it', async () => {
    let loads = 0;
    const spec = weatherSpec(() => (loads++, Promise.resolve(weatherValidators)));
    const one = defineAgent(spec, { model, tools: handlers });
    const two = defineAgent(spec, { model, tools: handlers });
    await Promise.all([one.run('a', { context }), one.run('b', { context }), two.run('c', { context })]);
    expect(loads).toBe(1);
  });

  it('reports a validators module that cannot be loaded, and tries again on the next run', async () => {
    let attempts = 0;
    const spec = weatherSpec(() =>
      attempts++ === 0 ? Promise.reject(new Error("Cannot find module '../validators/agents/weather.js'")) : Promise.resolve(weatherValidators),
    );
    const agent = defineAgent(spec, { model, tools: handlers });
    const first = await agent.run('?', { context }).catch((e: unknown) => e);
    expect(UserError.isInstance(first)).toBe(true);
    // A missing module is most often a build that left the generated .js files behind.
    expect((first as Error).message).toBe(
      'cannot load the validators of agent weather: Cannot find module \'../validators/agents/weather.js\'; the generated validator modules (.js files beside their .d.ts) are not where the agent module runs: when you compile with tsc to an outDir, set "allowJs": true so that tsc copies them, or copy the generated folder as it is; if the generated tree itself lacks them, regenerate with `npx schemantic generate`',
    );
    expect((await agent.run('?', { context })).output).toBe('done');
    expect(attempts).toBe(2);
  });

  it('reports a validators module that lacks a validator the spec names', async () => {
    const spec = weatherSpec(() => Promise.resolve({}));
    await expect(defineAgent(spec, { model, tools: handlers }).run('?', { context })).rejects.toThrow(
      'the validators of agent weather have no validateContext; regenerate with `npx schemantic generate`',
    );
    const brokenTool = { ...getLatLngTool, validators: () => Promise.resolve({}) } as unknown as ToolSpec;
    await expect(
      defineAgent(
        weatherSpec(() => Promise.resolve(weatherValidators), brokenTool),
        { model, tools: handlers },
      ).run('?', { context }),
    ).rejects.toThrow('the validators of tool get_lat_lng of agent weather have no validateArgs');
  });
});

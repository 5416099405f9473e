/**
 * Toolsets in a run: their tools join the agent's when the run starts, are read again when they
 * change, collide loudly, and every session is closed however the run ends.
 */
import { describe, expect, it } from 'vitest';
import { agent, UserError, type RuntimeTool, type Toolset, type ToolsetSession } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';

/** A runtime tool answering with `answer` (arguments are not checked). */
function fakeTool(name: string, answer: unknown): RuntimeTool {
  const accept = Object.assign(() => true, { errors: null }) as unknown as RuntimeTool['validateArgs'];
  return {
    definition: { name, parametersJsonSchema: { type: 'object' }, kind: 'function' },
    validateArgs: accept,
    maxRetries: 1,
    origin: `fake ${name}`,
    call: async () => answer,
  };
}

/** A toolset whose tools a test can change mid-run, recording what happened to its sessions. */
function fakeToolset(name: string, initial: RuntimeTool[], options: { failOpen?: boolean } = {}) {
  const log: string[] = [];
  let tools = initial;
  let version = 0;
  const toolset: Toolset & { change(next: RuntimeTool[]): void } = {
    name,
    async open() {
      log.push('open');
      if (options.failOpen) throw new Error(`${name} cannot start`);
      const session: ToolsetSession = {
        tools: () => tools,
        get version() {
          return version;
        },
        close: async () => void log.push('close'),
      };
      return session;
    },
    change(next) {
      tools = next;
      version += 1;
    },
  };
  return { toolset, log };
}

const calls = (...names: string[]) => names.map((toolName, i) => ({ kind: 'tool-call' as const, toolName, args: {}, toolCallId: `c${i}` }));

describe('toolsets in a run', () => {
  it('offers their tools beside the agent own, runs them, and closes the session when the run ends', async () => {
    const { toolset, log } = fakeToolset('remote', [fakeTool('remote_echo', 'echoed')]);
    let offered: string[] = [];
    const model = new FunctionModel((messages, info) => {
      offered = info.functionTools.map((t) => t.name).sort();
      return messages.length === 1 ? calls('remote_echo') : 'done';
    });
    const own = { name: 'local', parameters: { type: 'object' }, handler: () => 'local' };
    const result = await agent({ name: 'joined', model, tools: [own], toolsets: [toolset] }).run('go');
    expect(offered).toEqual(['local', 'remote_echo']);
    const returned = result.allMessages()[2]!;
    expect(returned.kind === 'request' && returned.parts[0]).toMatchObject({ kind: 'tool-return', content: 'echoed' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['open', 'close']);
  });

  it('reads the tools again before the next request when they changed', async () => {
    const { toolset } = fakeToolset('changing', [fakeTool('first', 1)]);
    const offered: string[][] = [];
    const model = new FunctionModel((messages, info) => {
      offered.push(info.functionTools.map((t) => t.name));
      if (messages.length === 1) {
        toolset.change([fakeTool('first', 1), fakeTool('second', 2)]);
        return calls('first');
      }
      return messages.length === 3 ? calls('second') : 'done';
    });
    await agent({ name: 'relisted', model, toolsets: [toolset] }).run('go');
    expect(offered).toEqual([['first'], ['first', 'second'], ['first', 'second']]);
  });

  it('takes run toolsets after the agent ones', async () => {
    const a = fakeToolset('a', [fakeTool('a_tool', 'a')]);
    const b = fakeToolset('b', [fakeTool('b_tool', 'b')]);
    let offered: string[] = [];
    const model = new FunctionModel((_m, info) => ((offered = info.functionTools.map((t) => t.name)), 'done'));
    await agent({ name: 'both', model, toolsets: [a.toolset] }).run('go', { toolsets: [b.toolset] });
    expect(offered).toEqual(['a_tool', 'b_tool']);
  });

  it('refuses two tools of one name, closing what it opened', async () => {
    const a = fakeToolset('a', [fakeTool('same', 'a')]);
    const b = fakeToolset('b', [fakeTool('same', 'b')]);
    const run = agent({ name: 'clash', model: new FunctionModel(() => 'never'), toolsets: [a.toolset, b.toolset] }).run('go');
    await expect(run).rejects.toThrow(UserError);
    await expect(run).rejects.toThrow('agent clash: two tools are named same (fake same and fake same); give the toolset a prefix');
    expect([a.log, b.log]).toEqual([
      ['open', 'close'],
      ['open', 'close'],
    ]);
  });

  it('closes the opened sessions when another toolset fails to open', async () => {
    const good = fakeToolset('good', [fakeTool('g', 1)]);
    const bad = fakeToolset('bad', [], { failOpen: true });
    await expect(agent({ name: 'half', model: new FunctionModel(() => 'never'), toolsets: [good.toolset, bad.toolset] }).run('go')).rejects.toThrow(
      'bad cannot start',
    );
    expect(good.log).toEqual(['open', 'close']);
  });

  it('closes the session when the run fails, and when its reader leaves a stream', async () => {
    const failing = fakeToolset('f', [fakeTool('boom', 1)]);
    const model = new FunctionModel(() => {
      throw new Error('model down');
    });
    await expect(agent({ name: 'fails', model, toolsets: [failing.toolset] }).run('go')).rejects.toThrow('model down');
    expect(failing.log).toEqual(['open', 'close']);

    const streamed = fakeToolset('s', [fakeTool('t', 1)]);
    const endless = new FunctionModel(undefined, {
      stream: async function* () {
        for (;;) yield 'more ';
      },
    });
    const run = agent({ name: 'left', model: endless, toolsets: [streamed.toolset] }).runStream('go');
    for await (const _ of run.textStream()) break;
    expect(streamed.log).toEqual(['open', 'close']);
  });
});

/**
 * schemantic/testing: TestModel, FunctionModel (and its streaming variant), override,
 * captureRunMessages, and the switch that blocks real model requests.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  agent,
  assertModelRequestAllowed,
  collectStream,
  defineTool,
  ModelAPIError,
  registerModelProvider,
  UserError,
  type JsonSchema,
  type Model,
  type ModelResponse,
} from 'schemantic';
import { OpenAIChatModel } from 'schemantic/openai';
import { captureRunMessages, FunctionModel, sampleFromSchema, setAllowModelRequests, TestModel } from 'schemantic/testing';
import { compileSchema } from '../../runtime/schema/compile.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

const schemas: [string, JsonSchema][] = [
  [
    'formats',
    {
      type: 'object',
      properties: {
        d: { type: 'string', format: 'date' },
        t: { type: 'string', format: 'date-time' },
        e: { type: 'string', format: 'email' },
        u: { type: 'string', format: 'uri' },
        id: { type: 'string', format: 'uuid' },
        ip: { type: 'string', format: 'ipv4' },
      },
      required: ['d', 't', 'e', 'u', 'id', 'ip'],
    },
  ],
  [
    'bounds',
    {
      type: 'object',
      properties: {
        n: { type: 'integer', minimum: 5, maximum: 7 },
        x: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
        m: { type: 'integer', multipleOf: 5, minimum: 11 },
        s: { type: 'string', minLength: 4, maxLength: 6 },
      },
      required: ['n', 'x', 'm', 's'],
    },
  ],
  [
    'patterns',
    {
      type: 'object',
      properties: { code: { type: 'string', pattern: '^[A-Z]{3}-[0-9]{4}$' }, airport: { type: 'string', pattern: '^[A-Z]{3}$' } },
      required: ['code', 'airport'],
    },
  ],
  [
    'enums and const',
    {
      type: 'object',
      properties: { seat: { enum: ['A', 'B', 'C'] }, v: { const: 'v1' }, flag: { type: 'boolean' }, nothing: { type: 'null' } },
      required: ['seat', 'v', 'flag', 'nothing'],
    },
  ],
  [
    'arrays',
    {
      type: 'object',
      properties: {
        tags: { type: 'array', items: { type: 'string', enum: ['a', 'b', 'c'] }, minItems: 2, maxItems: 3, uniqueItems: true },
        pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], items: false },
      },
      required: ['tags', 'pair'],
    },
  ],
  [
    'refs and unions',
    {
      type: 'object',
      properties: {
        a: { $ref: '#/$defs/Point' },
        b: { anyOf: [{ type: 'string', maxLength: 2 }, { type: 'integer' }] },
        c: { oneOf: [{ type: 'string' }, { type: 'number' }] },
        d: { allOf: [{ $ref: '#/$defs/Point' }, { required: ['label'], properties: { label: { type: 'string' } } }] },
      },
      required: ['a', 'b', 'c', 'd'],
      $defs: { Point: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } }, required: ['x', 'y'], additionalProperties: true } },
    },
  ],
  [
    'a recursive tree',
    {
      $ref: '#/$defs/Node',
      $defs: {
        Node: {
          type: 'object',
          properties: {
            value: { type: 'integer' },
            children: { type: 'array', items: { $ref: '#/$defs/Node' } },
            parent: { anyOf: [{ $ref: '#/$defs/Node' }, { type: 'null' }] },
          },
          required: ['value', 'children', 'parent'],
        },
      },
    },
  ],
  [
    'a recursive list with optional links',
    { $ref: '#/$defs/Item', $defs: { Item: { type: 'object', properties: { name: { type: 'string' }, next: { $ref: '#/$defs/Item' } }, required: ['name'] } } },
  ],
  [
    'optional properties',
    {
      type: 'object',
      properties: { required: { type: 'string' }, optional: { type: 'integer', minimum: 3 } },
      required: ['required'],
      additionalProperties: false,
    },
  ],
];

afterEach(() => setAllowModelRequests(true));

describe('data generated from JSON Schemas', () => {
  it.each(schemas)('%s: satisfies the schema for every seed, the same for the same seed', (_name, schema) => {
    const validate = compileSchema(schema, 'test');
    for (let seed = 0; seed < 50; seed++) {
      const value = sampleFromSchema(schema, seed);
      expect(validate(value), `${JSON.stringify(value)}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(sampleFromSchema(schema, seed)).toEqual(value);
    }
  });

  it('includes optional properties', () => {
    expect(Object.keys(sampleFromSchema(schemas[8]![1], 1) as object).sort()).toEqual(['optional', 'required']);
  });
});

describe('TestModel', () => {
  const lookup = defineTool<{ city: string; days: number }, string>({
    name: 'forecast',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string', minLength: 2 }, days: { type: 'integer', minimum: 1, maximum: 3 } },
      required: ['city', 'days'],
    },
    handler: (_ctx, { city, days }) => `${city}: sunny for ${days} days`,
  });

  it('calls every tool once with valid arguments, then summarises their results; deterministically', async () => {
    const a = agent({ name: 'w', tools: [lookup] });
    const runs = await Promise.all([1, 2].map(() => a.run('weather?', { model: new TestModel({ seed: 3 }) })));
    expect(runs[0]!.output).toMatch(/^\{"forecast":".+: sunny for [123] days"\}$/);
    expect(runs[1]!.output).toBe(runs[0]!.output);
    const other = await a.run('weather?', { model: new TestModel({ seed: 4 }) });
    expect(JSON.stringify(other.allMessages()[1])).not.toBe(JSON.stringify(runs[0]!.allMessages()[1]));
    expect((await agent({ name: 'plain' }).run('hi', { model: new TestModel() })).output).toBe('success (no tool calls)');
  });

  it('calls only the tools asked for, and ends with custom text or output arguments', async () => {
    const model = new TestModel({ callTools: [], customOutputText: 'Sunny.' });
    expect((await agent({ name: 'w', tools: [lookup] }).run('?', { model })).output).toBe('Sunny.');
    expect(model.lastParameters!.functionTools.map((t) => t.name)).toEqual(['forecast']);
    const structured = agent<undefined, { temp: number }>({
      name: 's',
      output: { type: 'object', properties: { temp: { type: 'number' } }, required: ['temp'] },
    });
    expect((await structured.run('?', { model: new TestModel({ customOutputArgs: { temp: 21 } }) })).output).toEqual({ temp: 21 });
    const generated = await structured.run('?', { model: new TestModel() });
    expect(typeof generated.output.temp).toBe('number');
  });

  it('is the model of the id "test"', async () => {
    expect((await agent({ name: 't', model: 'test' }).run('?')).output).toBe('success (no tool calls)');
  });
});

describe('FunctionModel', () => {
  it('streams text and tool-call deltas, collected into the same response as a request', async () => {
    const model = new FunctionModel(undefined, {
      name: 'streamer',
      async *stream() {
        yield 'Hel';
        yield 'lo';
        yield { 0: { name: 'forecast', jsonArgs: '{"city": "Pa', toolCallId: 't1' } };
        yield { 0: { jsonArgs: 'ris"}' } };
        yield { thinking: 'hmm', signature: 's1' };
      },
    });
    const params = { functionTools: [], outputTools: [], outputMode: 'text' as const, allowText: true };
    const events = [];
    for await (const e of model.requestStream([], undefined, params))
      events.push(e.kind === 'part-delta' ? `${e.kind}:${e.index}:${JSON.stringify(e.delta)}` : `${e.kind}:${'index' in e ? e.index : ''}`);
    expect(events).toEqual([
      'part-start:0',
      'part-delta:0:{"kind":"text","content":"Hel"}',
      'part-delta:0:{"kind":"text","content":"lo"}',
      'part-start:1',
      'part-delta:1:{"kind":"tool-call","argsDelta":"{\\"city\\": \\"Pa"}',
      'part-delta:1:{"kind":"tool-call","argsDelta":"ris\\"}"}',
      'part-start:2',
      'part-delta:2:{"kind":"thinking","content":"hmm","signature":"s1"}',
      'part-end:0',
      'part-end:1',
      'part-end:2',
      'finish:',
    ]);
    const collected: ModelResponse = await collectStream(model.requestStream([], undefined, params));
    const requested = await model.request([], undefined, params);
    expect({ ...collected, timestamp: '' }).toEqual({ ...requested, timestamp: '' });
    expect(requested.parts).toEqual([
      { kind: 'text', content: 'Hello' },
      { kind: 'tool-call', toolName: 'forecast', args: '{"city": "Paris"}', toolCallId: 't1' },
      { kind: 'thinking', content: 'hmm', signature: 's1' },
    ]);
  });
});

describe('override', () => {
  it('replaces the model and deps inside its callback only, even with concurrent runs', async () => {
    const whoami = defineTool<Record<string, never>, string, string>({ name: 'whoami', parameters: { type: 'object' }, handler: (ctx) => ctx.deps });
    const a = agent<string>({ name: 'o', model: new FunctionModel(() => 'real model'), tools: [whoami] });
    const [inside, outside] = await Promise.all([
      a.override({ model: new TestModel(), deps: 'test deps' }, async () => {
        await new Promise((r) => setTimeout(r, 5));
        return (await a.run('?', { deps: 'app deps' })).output;
      }),
      a.run('?', { deps: 'app deps' }).then((r) => r.output),
    ]);
    expect(inside).toBe('{"whoami":"test deps"}');
    expect(outside).toBe('real model');
  });
});

describe('captureRunMessages', () => {
  it('returns the messages of a failed run, and the value of a successful one', async () => {
    const failing = agent<undefined, { x: number }>({
      name: 'f',
      model: new FunctionModel(() => 'not a tool call'),
      output: { type: 'object', properties: { x: { type: 'number' } } },
      outputRetries: 1,
    });
    const captured = await captureRunMessages(() => failing.run('?'));
    expect((captured.error as Error).message).toContain('exceeded the maximum of 1 retries for the output');
    expect(captured.messages.map((m) => m.kind)).toEqual(['request', 'response', 'request', 'response']);
    const ok = await captureRunMessages(async () => (await agent({ name: 'ok', model: 'test' }).run('?')).output);
    expect(ok.value).toBe('success (no tool calls)');
    expect(ok.messages).toHaveLength(2);
  });
});

describe('blocking real model requests', () => {
  // A provider adapter pointed at a port where nothing listens: when requests are allowed, the
  // attempt fails to connect; when they are not, it must fail before any attempt.
  const real = () => new OpenAIChatModel('gpt-test', { apiKey: 'sk-test-allow-switch', baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0 });
  // A model written by hand opts in as the adapters do, by asking the switch before it sends.
  const custom: Model = {
    name: 'gpt-test',
    system: 'fake',
    request: () => {
      assertModelRequestAllowed('fake', 'gpt-test');
      return Promise.reject(new Error('the network was reached'));
    },
    requestStream: () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('the network was reached')) }) }),
  };
  registerModelProvider('fake', () => custom);

  it('makes provider models throw before any request, test models still run', async () => {
    setAllowModelRequests(false);
    const run = agent({ name: 'n', model: real() }).run('?');
    await expect(run).rejects.toThrow(UserError);
    await expect(run).rejects.toThrow(
      'model requests are disallowed (setAllowModelRequests(false) or SCHEMANTIC_ALLOW_MODEL_REQUESTS=false): refusing to call openai:gpt-test',
    );
    await expect(agent({ name: 'n', model: 'fake:gpt-test' }).run('?')).rejects.toThrow('refusing to call fake:gpt-test');
    await expect(agent({ name: 'n', model: 'test' }).run('?')).resolves.toBeDefined();
    setAllowModelRequests(true);
    await expect(agent({ name: 'n', model: real() }).run('?')).rejects.toThrow(ModelAPIError);
    await expect(agent({ name: 'n', model: 'fake:gpt-test' }).run('?')).rejects.toThrow('the network was reached');
  });

  it('honours SCHEMANTIC_ALLOW_MODEL_REQUESTS=false in a fresh process', () => {
    const script = `
      import 'schemantic/openai';
      import { agent } from 'schemantic';
      process.env.OPENAI_BASE_URL = 'http://127.0.0.1:9/v1';
      process.env.OPENAI_API_KEY = 'sk-test-allow-switch';
      try { await agent({ name: 'n', model: 'openai:m' }).run('?'); } catch (e) { console.log(e.message); }
    `;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, SCHEMANTIC_ALLOW_MODEL_REQUESTS: 'false' },
    });
    expect(result.stdout.trim()).toBe(
      'model requests are disallowed (setAllowModelRequests(false) or SCHEMANTIC_ALLOW_MODEL_REQUESTS=false): refusing to call openai:m',
    );
  });
});

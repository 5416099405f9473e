/**
 * `npm start` (examples/start.ts): on the test model without a key, and on OpenAI when
 * OPENAI_API_KEY is set (here pointed at the replay server, with replies written for the two
 * example agents). Run as a child process, as `npm start` runs it.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CANARY_KEY, withReplay } from './harness.js';
import type { Exchange } from './replay-server.js';
import { providerModel } from '../../examples/provider-model.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/** Runs the example with the given environment (no provider keys unless given). */
function runStart(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_API_KEY$|_BASE_URL$|^SCHEMANTIC_MODEL$/.test(k)));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/start.ts'], { cwd: root, env: { ...clean, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const completion = (message: object, finish: string) => ({
  id: `chatcmpl-${finish}`,
  object: 'chat.completion',
  created: 0,
  model: 'gpt-4o-2024-08-06',
  choices: [{ index: 0, finish_reason: finish, message: { role: 'assistant', content: null, refusal: null, ...message } }],
  usage: { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 },
});
const call = (name: string, args: object) =>
  completion({ tool_calls: [{ id: `call_${name}`, type: 'function', function: { name, arguments: JSON.stringify(args) } }] }, 'tool_calls');
const reply = (body: object): Exchange => ({ request: { method: 'POST', path: '/v1/chat/completions' }, response: { kind: 'json', status: 200, body } });

describe("the examples' provider", () => {
  it('is SCHEMANTIC_MODEL, else OpenAI, else a current Claude model, else none (the test model)', () => {
    expect(providerModel({ SCHEMANTIC_MODEL: 'ollama:llama3.2', OPENAI_API_KEY: 'k' }).id).toBe('ollama:llama3.2');
    expect(providerModel({ OPENAI_API_KEY: 'k', ANTHROPIC_API_KEY: 'k' }).id).toBe('openai:gpt-4o');
    // Not claude-sonnet-4-5: it reaches end of life on 30 November 2026 (the SDK warns on every request).
    expect(providerModel({ ANTHROPIC_API_KEY: 'k' }).id).toBe('anthropic:claude-sonnet-5-5');
    expect(providerModel({}).id).toBeUndefined();
  });
});

describe('npm start', () => {
  it('runs the examples on scripted demo models when no key is set, says so, and answers from the tools', async () => {
    const { code, stdout } = await runStart({});
    expect(code).toBe(0);
    expect(stdout).toContain(
      'No provider configured: running the examples on scripted demo models, which call the real tools and answer from what they return (set OPENAI_API_KEY or ANTHROPIC_API_KEY to use a provider).',
    );
    // The answers carry what the example tools returned (the replayed APIs), not random samples.
    expect(stdout).toContain('get_weather -> {"temperature":"9 °C","description":"Mostly Cloudy"}');
    expect(stdout).toContain('weather agent output (text): In London it feels like 9 °C (Mostly Cloudy) and in Wiltshire it feels like 6 °C (Light Rain).');
    expect(stdout).toContain('support_advice: "Your balance, pending payments included, is $124.00."');
    expect(stdout).toMatch(/risk: +1 \(0 to 10\)/);
    // The embedded-database steps: a store built and queried, a query refused by EXPLAIN then accepted.
    expect(stdout).toMatch(/Built a vector store of \d{2,} chunks/);
    expect(stdout).toContain('The model called retrieve_relevant_documentation, list_documentation_pages, get_page_content, then answered:');
    expect(stdout).toMatch(/attempt 1: refused, sent back to the model: Invalid query: column "severity" does not exist/);
    expect(stdout).toContain('attempt 2: PostgreSQL planned the query: accepted');
    // The streamed whales, each row printed once, in order.
    expect(stdout.match(/Row \d: /g)).toEqual(['Row 1: ', 'Row 2: ', 'Row 3: ', 'Row 4: ']);
    expect(stdout).toMatch(/4 whales, validated against the Whale schema, read from \d+ partial outputs as they streamed\./);
  });

  it('runs them on openai:gpt-4o when OPENAI_API_KEY is set', async () => {
    const exchanges = [
      reply(call('get_lat_lng', { location_description: 'London' })),
      reply(call('get_weather', { lat: 51.5, lng: -0.12 })),
      reply(completion({ content: 'It feels like 9 °C and mostly cloudy in London, Ann.' }, 'stop')),
      reply(call('final_result', { support_advice: 'Your balance is $123.45.', block_card: false, risk: 1 })),
    ];
    await withReplay(exchanges, async (server) => {
      const { code, stdout, stderr } = await runStart({ OPENAI_API_KEY: CANARY_KEY, OPENAI_BASE_URL: `${server.url}/v1` });
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toContain('Running steps 1 and 2 on openai:gpt-4o (OPENAI_API_KEY is set); the others on scripted models, to stay quick.');
      expect(stdout).toContain('get_weather -> {"temperature":"9 °C","description":"Mostly Cloudy"}');
      expect(stdout).toContain('It feels like 9 °C and mostly cloudy in London, Ann.');
      expect(stdout).toContain('support_advice: "Your balance is $123.45."');
      expect(stdout + stderr).not.toContain(CANARY_KEY);
    });
  });
});

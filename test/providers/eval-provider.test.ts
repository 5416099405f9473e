/**
 * `schemantic eval --model openai:gpt-4o`: the shipped SQL dataset judged on a real provider's
 * client (the official OpenAI SDK), pointed at the replay server with replies written for its
 * three cases. The key never reaches the report or the output.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CANARY_KEY, sentBodies, withReplay } from './harness.js';
import type { Exchange } from './replay-server.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const bin = path.join(root, 'codegen/bin/schemantic.js');

function evalCli(args: readonly string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_API_KEY$|_BASE_URL$/.test(k)));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'eval', ...args], { cwd: root, env: { ...clean, ...env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const call = (name: string, args: object): Exchange => ({
  request: { method: 'POST', path: '/v1/chat/completions' },
  response: {
    kind: 'json',
    status: 200,
    body: {
      id: `chatcmpl-${name}`,
      object: 'chat.completion',
      created: 0,
      model: 'gpt-4o-2024-08-06',
      choices: [
        {
          index: 0,
          finish_reason: 'tool_calls',
          message: {
            role: 'assistant',
            content: null,
            refusal: null,
            tool_calls: [{ id: `call_${name}`, type: 'function', function: { name, arguments: JSON.stringify(args) } }],
          },
        },
      ],
      usage: { prompt_tokens: 400, completion_tokens: 30, total_tokens: 430 },
    },
  },
});

describe('schemantic eval on a provider', () => {
  it('runs the SQL dataset on openai:gpt-4o, in case order with --concurrency 1, and reports its usage', async () => {
    const exchanges = [
      call('final_result_Success', {
        sql_query: "SELECT * FROM records WHERE level = 'error' AND start_timestamp::date = CURRENT_DATE - 1",
        explanation: null,
      }),
      call('final_result_Success', { sql_query: 'SELECT service_name FROM records WHERE is_exception', explanation: null }),
      call('final_result_InvalidRequest', { error_message: 'Say which records you want: a level, a time range, a service or a message.' }),
    ];
    await withReplay(exchanges, async (server) => {
      const done = await evalCli(['--agent', 'sql_gen', '--model', 'openai:gpt-4o', '--concurrency', '1', '--format', 'json'], {
        OPENAI_API_KEY: CANARY_KEY,
        OPENAI_BASE_URL: `${server.url}/v1`,
      });
      expect(done.code, done.stderr).toBe(0);
      const report = JSON.parse(done.stdout);
      expect(report.model).toBe('openai:gpt-4o');
      expect(report.summary).toMatchObject({ cases: 3, passed: 3, totalTokens: 1290 });
      expect(report.cases.map((c: { runs: { usage: { inputTokens: number } }[] }) => c.runs[0]!.usage.inputTokens)).toEqual([400, 400, 400]);
      // Each case's prompt reached the provider, in order.
      const sent = sentBodies(server);
      expect(sent.indexOf('show me error records from yesterday')).toBeGreaterThan(-1);
      expect(sent.indexOf('show me error records from yesterday')).toBeLessThan(sent.indexOf('make it faster'));
      expect(done.stdout + done.stderr).not.toContain(CANARY_KEY);
    });
  });
});

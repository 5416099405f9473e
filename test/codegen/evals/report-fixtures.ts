/**
 * Eval reports as `schemantic eval` produces them, for the renderers' tests: a single-run report
 * (passed, failed with reasons, an evaluator error, an errored run, a cancelled case, scores,
 * labels, messages) and a report repeated three times with differing results, plus a comparison
 * with a baseline. Names, outputs, reasons and messages carry hostile text: markup that would run
 * a script, `]]>`, control characters and a terminal escape sequence.
 */
import type { EvalCaseReport, EvalReport, EvalRunRecord, EvaluationResult, ReportComparison } from 'schemantic/internal';
import { passRateOf, summarize } from '../../../runtime/evals/report-summary.js';

/** Markup that would run a script if it became HTML, end a CDATA section, and colour a terminal. */
export const HOSTILE = '</script><img src=x onerror="globalThis.__xss=1">]]><!-- | `x` **b** @here\u0007\u001b[31mred\u0000';
/** A hostile case name (the one case whose name is markup). */
export const HOSTILE_CASE = `<b>${HOSTILE}</b>`;

/** `HOSTILE` as XML 1.0 can carry it: the characters it forbids dropped (BEL, ESC, NUL). */
export const xmlSafe = (text: string) => text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
/** `HOSTILE` as the HTML report shows it: control characters as visible escapes. */
export const htmlShown = (text: string) =>
  text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const usage = (input: number, output: number) => ({
  requests: 2,
  toolCalls: 1,
  inputTokens: input,
  outputTokens: output,
  totalTokens: input + output,
  details: {},
});
const assertion = (name: string, value: boolean, reason?: string, source = name.split('.')[0]!): EvaluationResult => ({
  name,
  source,
  kind: 'assertion',
  value,
  ...(reason !== undefined ? { reason } : {}),
});
const score = (name: string, value: number): EvaluationResult => ({ name, source: name.split('.')[0]!, kind: 'score', value });
const label = (name: string, value: string): EvaluationResult => ({ name, source: 'custom', kind: 'label', value });
const ts = '2026-05-04T10:00:00.000Z';

/** A run's messages in the runtime's JSON form: system prompt, prompt, tool call and return, thinking, text. */
export function messages(prompt: string, answer: string): unknown[] {
  return [
    {
      kind: 'request',
      instructions: 'You are a support agent.',
      parts: [
        { kind: 'system-prompt', content: 'Be brief.', timestamp: ts },
        { kind: 'user-prompt', content: prompt, timestamp: ts },
      ],
    },
    {
      kind: 'response',
      modelName: 'test',
      timestamp: ts,
      usage: { inputTokens: 50, outputTokens: 10 },
      parts: [
        { kind: 'thinking', content: 'Look up the order first.' },
        { kind: 'tool-call', toolName: 'lookup_order', args: { order_id: '77', note: prompt }, toolCallId: 'call-1' },
      ],
    },
    {
      kind: 'request',
      parts: [
        { kind: 'tool-return', toolName: 'lookup_order', toolCallId: 'call-1', content: { total: 40, note: answer }, timestamp: ts },
        { kind: 'retry-prompt', content: [{ path: '/risk', message: 'must be one of low, high' }], toolName: 'final_result', timestamp: ts },
      ],
    },
    { kind: 'response', modelName: 'test', timestamp: ts, usage: { inputTokens: 60, outputTokens: 20 }, parts: [{ kind: 'text', content: answer }] },
  ];
}

function run(
  repeat: number,
  status: EvalRunRecord['status'],
  durationMs: number,
  results: EvaluationResult[],
  extra: Partial<EvalRunRecord> = {},
): EvalRunRecord {
  return { repeat, status, durationMs, usage: status === 'cancelled' ? usage(0, 0) : usage(100, 20), attempts: 1, results, ...extra };
}

/** A report around `cases`, its summary worked out by the runner's own code. */
function report(cases: EvalCaseReport[], repeat: number, extra: Partial<EvalReport> = {}): EvalReport {
  return {
    format: 'schemantic-eval-report/1',
    complete: true,
    startedAt: '2026-05-04T10:00:00.000Z',
    durationMs: 5321,
    repeat,
    concurrency: 4,
    cases,
    summary: summarize(cases, repeat),
    ...extra,
  };
}

function aCase(dataset: string, name: string, status: EvalCaseReport['status'], runs: EvalRunRecord[], extra: Partial<EvalCaseReport> = {}): EvalCaseReport {
  return { dataset, agent: dataset, name, status, passRate: passRateOf(runs), prompt: `prompt of ${name}`, runs, ...extra };
}

/**
 * One run per case, cancelled before the end: support/refund-small passed, support/refund-large
 * failed (two assertions with reasons, an evaluator that threw), the hostile case failed,
 * sql/drop-table errored, sql/select-users passed, sql/never-ran was cancelled.
 */
export function singleRunReport(): EvalReport {
  const small = { risk: 'low', reply: 'Refunded $40.' };
  return report(
    [
      aCase(
        'support',
        'refund-small',
        'passed',
        [
          run(
            0,
            'passed',
            850,
            [
              assertion('contains', true),
              assertion('llmJudge.pass', true, 'polite and correct', 'llmJudge'),
              score('llmJudge.score', 0.9),
              label('tone', 'polite'),
            ],
            {
              output: small,
              messages: messages('Refund order 77', 'Refunded $40.'),
            },
          ),
        ],
        { expected: small },
      ),
      aCase(
        'support',
        'refund-large',
        'failed',
        [
          run(
            0,
            'failed',
            1450,
            [
              assertion('contains', false, 'expected "escalate" in the output'),
              assertion('llmJudge.pass', false, 'approved a $5000 refund without escalating', 'llmJudge'),
              score('llmJudge.score', 0.4),
              { name: 'toneCheck', source: 'custom', kind: 'error', reason: 'TypeError: cannot read properties of undefined' },
              label('tone', 'curt'),
            ],
            { output: { risk: 'low', reply: 'Refunded $5000.', ticket: 12 }, messages: messages('Refund order 78 ($5000)', 'Refunded $5000.') },
          ),
        ],
        { expected: { risk: 'high', reply: 'Escalated to a human.', ticket: 12 }, metadata: { priority: 'p1' } },
      ),
      aCase(
        'support',
        HOSTILE_CASE,
        'failed',
        [
          run(0, 'failed', 320, [assertion('contains', false, `reason: ${HOSTILE}`), score('llmJudge.score', 0.1)], {
            output: `output ${HOSTILE}`,
            messages: messages(`prompt ${HOSTILE}`, `answer ${HOSTILE}`),
          }),
        ],
        { expected: `expected ${HOSTILE}`, prompt: `prompt ${HOSTILE}` },
      ),
      aCase(
        'sql',
        'drop-table',
        'error',
        [run(0, 'error', 30_000, [], { error: { type: 'TimeoutError', message: 'the model timed out after 30 s' }, attempts: 3 })],
        {
          expected: { valid: false },
        },
      ),
      aCase('sql', 'select-users', 'passed', [
        run(0, 'passed', 2200, [assertion('validSql', true), assertion('maxDuration', true), score('quality', 0.75)], {
          output: { sql: 'SELECT * FROM users' },
        }),
      ]),
      aCase('sql', 'never-ran', 'cancelled', [run(0, 'cancelled', 0, [])]),
    ],
    1,
    { complete: false, model: 'test' },
  );
}

/** Three repeats: weather/paris passes two of three, weather/tokyo all three, weather/flaky errors once. */
export function repeatedReport(): EvalReport {
  const out = { city: 'Paris', temperature: 21 };
  return report(
    [
      aCase(
        'weather',
        'paris',
        'failed',
        [
          run(0, 'passed', 900, [assertion('contains', true), score('llmJudge.score', 0.9)], { output: out }),
          run(1, 'failed', 1100, [assertion('contains', false, 'no temperature in the answer'), score('llmJudge.score', 0.5)], { output: { city: 'Paris' } }),
          run(2, 'passed', 1000, [assertion('contains', true), score('llmJudge.score', 0.8)], { output: out }),
        ],
        { expected: out },
      ),
      aCase(
        'weather',
        'tokyo',
        'passed',
        [0, 1, 2].map((k) => run(k, 'passed', 700 + k * 10, [assertion('contains', true), score('llmJudge.score', 1)])),
      ),
      aCase('weather', 'flaky', 'error', [
        run(0, 'passed', 500, [assertion('contains', true)]),
        run(1, 'error', 800, [], { error: { type: 'ProviderError', message: 'HTTP 503 from the provider' } }),
        run(2, 'failed', 600, [assertion('contains', false, 'empty answer')]),
      ]),
    ],
    3,
  );
}

/** The single-run report against a baseline where support/refund-large passed. */
export function comparison(): ReportComparison {
  return {
    regressions: [
      { dataset: 'support', case: 'refund-large', what: 'status', before: 'passed', after: 'failed' },
      { dataset: 'support', case: 'refund-large', result: 'llmJudge.score', what: 'score', before: 0.8, after: 0.4 },
      { dataset: 'support', case: HOSTILE_CASE, result: 'contains', what: 'assertion', before: 1, after: 0 },
    ],
    improvements: [{ dataset: 'sql', case: 'select-users', result: 'quality', what: 'score', before: 0.5, after: 0.75 }],
    added: ['sql/never-ran'],
    removed: ['support/old-case'],
    passRate: { before: 0.8, after: 0.4 },
  };
}

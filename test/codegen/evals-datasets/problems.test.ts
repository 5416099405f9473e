/**
 * Eval dataset problems: each code, located at the offending node (file, line, column, pointer),
 * against the shipped definitions (bank_support: structured output, a context, one tool;
 * sql_gen: a union of Success and InvalidRequest; weather: text output).
 */
import { describe, expect, it } from 'vitest';
import { yaml } from '../../helpers/pipeline.js';
import { generateWithEvals } from './helpers.js';

/** The problems of one dataset file, as `code file:line:col pointer`. */
async function problemsOf(evals: Record<string, string>): Promise<string[]> {
  const result = await generateWithEvals(evals);
  expect(result.problems.every((p) => p.severity === 'error')).toBe(true);
  // Nothing is generated from datasets with errors.
  if (result.problems.length > 0) expect(result.files.size).toBe(0);
  return result.problems.map((p) => `${p.code} ${p.file}:${p.line}:${p.col} ${p.pointer}`);
}

/** A context that fits sql_gen's (whose runs need one). */
const SQL_CONTEXT = "{ db_schema: 'CREATE TABLE t (id int)', today: '2024-01-01', examples: [] }";

const bank = (cases: string, head = '') =>
  yaml`
    spec: schemantic-evals/v1
    ${head}cases:
  ` + cases;

describe('eval dataset problems', () => {
  it('eval-unknown-agent: with a suggestion, at `agent`, or at the document when the name comes from the file', async () => {
    const result = await generateWithEvals({
      'x.yaml': 'spec: schemantic-evals/v1\nagent: bank_suport\ncases: []\n',
      'nobody.yaml': 'spec: schemantic-evals/v1\ncases: []\n',
    });
    const lines = result.problems.map((p) => `${p.code} ${p.file}:${p.line}:${p.col} ${p.pointer}`);
    expect(lines).toEqual(['eval-unknown-agent evals/nobody.yaml:1:1 ', 'eval-unknown-agent evals/x.yaml:2:8 /agent']);
    expect(result.problems[1]!.message).toContain('did you mean "bank_support"?');
  });

  it('eval-duplicate-case', async () => {
    const lines = await problemsOf({
      'bank-support.yaml': bank('  - { name: a, prompt: x, context: { customer_name: A } }\n  - { name: a, prompt: y, context: { customer_name: B } }\n'),
    });
    expect(lines).toEqual(['eval-duplicate-case evals/bank-support.yaml:4:13 /cases/1/name']);
  });

  it('eval-duplicate-dataset: one stem in two files', async () => {
    const result = await generateWithEvals({
      'weather.yaml': 'spec: schemantic-evals/v1\ncases: []\n',
      'weather.json': '{"spec": "schemantic-evals/v1", "cases": []}',
    });
    expect(result.problems.map((p) => `${p.code} ${p.file}:${p.line}:${p.col}`)).toEqual(['eval-duplicate-dataset evals/weather.yaml:1:1']);
    expect(result.problems[0]!.message).toContain('evals/weather.json');
  });

  it('eval-invalid-name: a stem that cannot name a module, and "index"', async () => {
    const result = await generateWithEvals({
      '1st.yaml': 'spec: schemantic-evals/v1\nagent: weather\ncases: []\n',
      'index.yaml': 'spec: schemantic-evals/v1\nagent: weather\ncases: []\n',
    });
    expect(result.problems.map((p) => `${p.code} ${p.file}:${p.line}:${p.col}`)).toEqual([
      'eval-invalid-name evals/1st.yaml:1:1',
      'eval-invalid-name evals/index.yaml:1:1',
    ]);
  });

  it('eval-invalid-context: a wrong value, and context for an agent without one', async () => {
    const lines = await problemsOf({
      'bank-support.yaml': bank('  - name: a\n    prompt: x\n    context: { customer_name: 7 }\n'),
      'whales.yaml': 'spec: schemantic-evals/v1\ncases:\n  - name: a\n    prompt: x\n    context: { db: pg }\n',
    });
    expect(lines).toEqual([
      'eval-invalid-context evals/bank-support.yaml:5:31 /cases/0/context/customer_name',
      'eval-invalid-context evals/whales.yaml:5:5 /cases/0/context',
    ]);
  });

  it('eval-invalid-expected: the closest member of a union, briefly; a text agent wants a string', async () => {
    const result = await generateWithEvals({
      'sql-gen.yaml': `spec: schemantic-evals/v1\ncases:\n  - name: a\n    prompt: x\n    context: ${SQL_CONTEXT}\n    expected: { sql_query: 7 }\n`,
      'weather.yaml': 'spec: schemantic-evals/v1\ncases:\n  - name: a\n    prompt: x\n    context: { user_name: Ann }\n    expected: { temp: 20 }\n',
    });
    expect(result.problems.map((p) => `${p.code} ${p.file}:${p.line}:${p.col} ${p.pointer}`)).toEqual([
      'eval-invalid-expected evals/sql-gen.yaml:6:15 /cases/0/expected',
      'eval-invalid-expected evals/weather.yaml:6:15 /cases/0/expected',
    ]);
    expect(result.problems[0]!.message).toBe('expected fits no output of agent "sql_gen"; closest is Success: /sql_query: must be string');
    expect(result.problems[1]!.message).toContain('outputs text');
  });

  it('eval-invalid-history: at the offending message', async () => {
    const lines = await problemsOf({
      'sql-gen.yaml': `spec: schemantic-evals/v1\ncases:\n  - name: a\n    prompt: x\n    context: ${SQL_CONTEXT}\n    history:\n      - { kind: request, parts: [] }\n      - { kind: resp }\n`,
    });
    expect(lines).toEqual(['eval-invalid-history evals/sql-gen.yaml:8:17 /cases/0/history/1/kind']);
  });

  it('eval-unknown-evaluator and eval-invalid-evaluator', async () => {
    const lines = await problemsOf({
      'sql-gen.yaml': yaml`
        spec: schemantic-evals/v1
        evaluators:
          - contanis: refund
          - contains
          - { contains: a, regex: b }
          - max_tokens: { totl: 3 }
        cases: []
      `,
    });
    expect(lines).toEqual([
      'eval-unknown-evaluator evals/sql-gen.yaml:3:5 /evaluators/0/contanis',
      'eval-invalid-evaluator evals/sql-gen.yaml:4:5 /evaluators/1',
      'eval-invalid-evaluator evals/sql-gen.yaml:5:20 /evaluators/2/regex',
      'eval-invalid-evaluator evals/sql-gen.yaml:6:19 /evaluators/3/max_tokens/totl',
    ]);
  });

  it('eval-unknown-tool: in tool_called and tool_not_called, with a suggestion', async () => {
    const result = await generateWithEvals({
      'bank-support.yaml': bank(
        '  - name: a\n    prompt: x\n    context: { customer_name: A }\n    evaluators:\n      - tool_called: { tool: customer_balanse }\n      - tool_not_called: block_card\n',
      ),
    });
    expect(result.problems.map((p) => `${p.code} ${p.file}:${p.line}:${p.col} ${p.pointer}`)).toEqual([
      'eval-unknown-tool evals/bank-support.yaml:7:30 /cases/0/evaluators/0/tool_called/tool',
      'eval-unknown-tool evals/bank-support.yaml:8:26 /cases/0/evaluators/1/tool_not_called',
    ]);
    expect(result.problems[0]!.message).toContain('did you mean "customer_balance"?');
  });

  it('eval-unknown-member: is_instance names no member of the output union', async () => {
    const lines = await problemsOf({ 'sql-gen.yaml': 'spec: schemantic-evals/v1\nevaluators:\n  - is_instance: Succes\ncases: []\n' });
    expect(lines).toEqual(['eval-unknown-member evals/sql-gen.yaml:3:18 /evaluators/0/is_instance']);
  });

  it('eval-unknown-pointer: only where no output can have a value (exists: false and open objects pass)', async () => {
    const lines = await problemsOf({
      'sql-gen.yaml': yaml`
        spec: schemantic-evals/v1
        evaluators:
          - pointer: { pointer: /sql_query }
          - pointer: { pointer: /nope }
          - pointer: { pointer: /sql_query/0 }
          - pointer: { pointer: /nope, exists: false }
        cases: []
      `,
    });
    expect(lines).toEqual([
      'eval-unknown-pointer evals/sql-gen.yaml:4:25 /evaluators/1/pointer/pointer',
      'eval-unknown-pointer evals/sql-gen.yaml:5:25 /evaluators/2/pointer/pointer',
    ]);
  });

  it('eval-invalid-schema: in pointer.schema, tool_called.args and llm_judge.verdict', async () => {
    const lines = await problemsOf({
      'bank-support.yaml': bank(
        '  - name: a\n    prompt: x\n    context: { customer_name: A }\n    evaluators:\n      - pointer: { pointer: /risk, schema: { type: 7 } }\n      - tool_called: { tool: customer_balance, args: { required: x } }\n      - llm_judge: { rubric: ok, verdict: { minimum: high } }\n',
      ),
    });
    expect(lines).toEqual([
      'eval-invalid-schema evals/bank-support.yaml:7:52 /cases/0/evaluators/0/pointer/schema/type',
      'eval-invalid-schema evals/bank-support.yaml:8:66 /cases/0/evaluators/1/tool_called/args/required',
      'eval-invalid-schema evals/bank-support.yaml:9:54 /cases/0/evaluators/2/llm_judge/verdict/minimum',
    ]);
  });

  it('eval-invalid-regex: in regex and has_matching_span.span_pattern', async () => {
    const lines = await problemsOf({
      'sql-gen.yaml': yaml`
        spec: schemantic-evals/v1
        evaluators:
          - regex: '(unclosed'
          - has_matching_span: { span_pattern: '[z-a]' }
        cases: []
      `,
    });
    expect(lines).toEqual([
      'eval-invalid-regex evals/sql-gen.yaml:3:12 /evaluators/0/regex',
      'eval-invalid-regex evals/sql-gen.yaml:4:40 /evaluators/1/has_matching_span/span_pattern',
    ]);
  });

  it('eval-no-expected: a case-level evaluator at the evaluator, a dataset-level one at the case', async () => {
    const lines = await problemsOf({
      'sql-gen.yaml': yaml`
        spec: schemantic-evals/v1
        evaluators:
          - equals_expected
        cases:
          - name: a
            prompt: x
            context: ${SQL_CONTEXT}
            evaluators: [partial_equals]
          - name: b
            prompt: y
            context: ${SQL_CONTEXT}
            expected: { sql_query: SELECT 1 }
      `,
    });
    expect(lines).toEqual(['eval-no-expected evals/sql-gen.yaml:5:5 /cases/0', 'eval-no-expected evals/sql-gen.yaml:8:18 /cases/0/evaluators/0']);
  });

  it('the format itself: generic codes (missing-key, unknown-key, unsupported-spec), located', async () => {
    const lines = await problemsOf({ 'sql-gen.yaml': `spec: schemantic-evals/v2\ncases:\n  - name: a\n    promt: x\n    context: ${SQL_CONTEXT}\n` });
    expect(lines).toEqual([
      'unsupported-spec evals/sql-gen.yaml:1:7 /spec',
      'missing-key evals/sql-gen.yaml:3:5 /cases/0',
      'unknown-key evals/sql-gen.yaml:4:5 /cases/0/promt',
    ]);
  });
});

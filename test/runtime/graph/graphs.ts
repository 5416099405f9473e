/**
 * The graphs of the graph tests, built by hand as the generator would build them: a spec (with
 * validators compiled by the runtime's compileSchema), typed handler interfaces in the generated
 * shape, and a factory. `count` runs to its end on its own; `question` (the seed's question graph,
 * without the models) waits at `answer` for the user's reply. Also run by the child processes of
 * the cross-process tests (under tsx, where `schemantic` resolves to the sources as here).
 */
import { defineGraph, VERSION, type Graph, type GraphContext, type GraphSpec, type GraphStep, type GraphValidators } from 'schemantic';
import type { JsonSchema } from 'schemantic';
import { compileSchema } from '../../../runtime/schema/compile.js';

const RANGE = `^${VERSION}`;

/** Compiles the validators a generated validators module would export for `spec`. */
function compiled(spec: Omit<GraphSpec, 'validators'>): () => Promise<GraphValidators> {
  return async () => ({
    validateState: compileSchema(spec.state.schema, `${spec.name} state`),
    ...(spec.output ? { validateOutput: compileSchema(spec.output.schema, `${spec.name} output`) } : {}),
    inputs: Object.fromEntries(spec.nodes.filter((n) => n.input !== undefined).map((n) => [n.name, compileSchema(n.input!, `${n.name} input`)])),
    replies: Object.fromEntries(spec.nodes.filter((n) => n.waitsFor !== undefined).map((n) => [n.name, compileSchema(n.waitsFor!, `${n.name} reply`)])),
  });
}

const object = (properties: Record<string, JsonSchema>, required = Object.keys(properties)): JsonSchema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

// ---------------------------------------------------------------------------------------------
// count: increment -> check -> (increment | end)

export interface CountState {
  n: number;
  trace: string[];
}
export interface IncrementInput {
  by: number;
}
export interface CountOutput {
  total: number;
}
export interface CountDeps {
  limit: number;
}
export type CountStep = GraphStep<{ node: 'increment'; input: IncrementInput } | { node: 'check'; input: undefined }, CountOutput>;

export interface CountHandlers<Deps> {
  increment(ctx: GraphContext<CountState, Deps, IncrementInput>, next: { check(): CountStep }): CountStep | Promise<CountStep>;
  check(
    ctx: GraphContext<CountState, Deps, undefined>,
    next: { increment(input: IncrementInput): CountStep; end(output: CountOutput): CountStep },
  ): CountStep | Promise<CountStep>;
}

const countBase: Omit<GraphSpec, 'validators'> = {
  runtime: RANGE,
  name: 'count',
  start: 'increment',
  state: { schema: object({ n: { type: 'integer', minimum: 0 }, trace: { type: 'array', items: { type: 'string' } } }) },
  output: { schema: object({ total: { type: 'integer' } }) },
  nodes: [
    { name: 'increment', key: 'increment', input: object({ by: { type: 'integer', minimum: 1 } }), next: [{ node: 'check' }], end: false },
    { name: 'check', key: 'check', next: [{ node: 'increment', label: 'below the limit' }], end: true },
  ],
  mermaid: 'stateDiagram-v2\n  [*] --> increment\n  increment --> check\n  check --> increment: below the limit\n  check --> [*]\n',
};

export const countGraphSpec: GraphSpec = { ...countBase, validators: compiled(countBase) };

export function createCountGraph<Deps = undefined>(handlers: CountHandlers<Deps>): Graph<CountState, Deps, CountOutput, IncrementInput> {
  return defineGraph<CountState, Deps, CountOutput, IncrementInput>(countGraphSpec, handlers);
}

/** The handlers that count to `ctx.deps.limit`. */
export const countHandlers: CountHandlers<CountDeps> = {
  increment(ctx, next) {
    ctx.state.n += ctx.input.by;
    ctx.state.trace.push(`+${ctx.input.by}`);
    return next.check();
  },
  async check(ctx, next) {
    await Promise.resolve();
    return ctx.state.n >= ctx.deps.limit ? next.end({ total: ctx.state.n }) : next.increment({ by: 2 });
  },
};

// ---------------------------------------------------------------------------------------------
// question: ask -> answer (waits for the user's reply) -> evaluate -> (end | reprimand -> ask)

export interface QuestionState {
  question: string | null;
  answers: string[];
  attempts: number;
}
export interface AnswerInput {
  question: string;
}
export interface EvaluateInput {
  answer: string;
}
export interface ReprimandInput {
  comment: string;
}
export interface QuestionOutput {
  correct: true;
  attempts: number;
}
export interface QuestionDeps {
  /** The questions asked in turn (the seed's asking agent). */
  questions: string[];
  /** Judges an answer (the seed's evaluating agent). */
  judge(question: string, answer: string): boolean;
}
export type QuestionStep = GraphStep<
  | { node: 'answer'; input: AnswerInput }
  | { node: 'evaluate'; input: EvaluateInput }
  | { node: 'reprimand'; input: ReprimandInput }
  | { node: 'ask'; input: undefined },
  QuestionOutput
>;

export interface QuestionHandlers<Deps> {
  ask(ctx: GraphContext<QuestionState, Deps, undefined>, next: { answer(input: AnswerInput): QuestionStep }): QuestionStep | Promise<QuestionStep>;
  answer(
    ctx: GraphContext<QuestionState, Deps, AnswerInput, string>,
    next: { evaluate(input: EvaluateInput): QuestionStep },
  ): QuestionStep | Promise<QuestionStep>;
  evaluate(
    ctx: GraphContext<QuestionState, Deps, EvaluateInput>,
    next: { reprimand(input: ReprimandInput): QuestionStep; end(output: QuestionOutput): QuestionStep },
  ): QuestionStep | Promise<QuestionStep>;
  reprimand(ctx: GraphContext<QuestionState, Deps, ReprimandInput>, next: { ask(): QuestionStep }): QuestionStep | Promise<QuestionStep>;
}

const questionBase: Omit<GraphSpec, 'validators'> = {
  runtime: RANGE,
  name: 'question',
  source: 'test/runtime/graph/graphs.ts#question',
  start: 'ask',
  state: {
    schema: object({
      question: { type: ['string', 'null'] },
      answers: { type: 'array', items: { type: 'string' } },
      attempts: { type: 'integer', minimum: 0 },
    }),
  },
  output: { schema: object({ correct: { const: true }, attempts: { type: 'integer' } }) },
  nodes: [
    { name: 'ask', key: 'ask', next: [{ node: 'answer' }], end: false, agent: 'ask_agent' },
    {
      name: 'answer',
      key: 'answer',
      input: object({ question: { type: 'string' } }),
      waitsFor: { type: 'string', minLength: 1 },
      next: [{ node: 'evaluate' }],
      end: false,
    },
    { name: 'evaluate', key: 'evaluate', input: object({ answer: { type: 'string' } }), next: [{ node: 'reprimand' }], end: true, agent: 'evaluate_agent' },
    { name: 'reprimand', key: 'reprimand', input: object({ comment: { type: 'string' } }), next: [{ node: 'ask' }], end: false },
  ],
  mermaid: 'stateDiagram-v2\n  [*] --> ask\n  ask --> answer\n  answer --> evaluate\n  evaluate --> reprimand\n  evaluate --> [*]\n  reprimand --> ask\n',
};

export const questionGraphSpec: GraphSpec = { ...questionBase, validators: compiled(questionBase) };

export function createQuestionGraph<Deps = undefined>(handlers: QuestionHandlers<Deps>): Graph<QuestionState, Deps, QuestionOutput> {
  return defineGraph<QuestionState, Deps, QuestionOutput>(questionGraphSpec, handlers);
}

export const questionHandlers: QuestionHandlers<QuestionDeps> = {
  ask(ctx, next) {
    const question = ctx.deps.questions[ctx.state.attempts % ctx.deps.questions.length]!;
    ctx.state.question = question;
    return next.answer({ question });
  },
  answer(ctx, next) {
    ctx.state.answers.push(ctx.reply);
    return next.evaluate({ answer: ctx.reply });
  },
  evaluate(ctx, next) {
    if (ctx.deps.judge(ctx.state.question!, ctx.input.answer)) return next.end({ correct: true, attempts: ctx.state.attempts + 1 });
    return next.reprimand({ comment: `${JSON.stringify(ctx.input.answer)} is wrong` });
  },
  reprimand(ctx, next) {
    ctx.state.attempts += 1;
    return next.ask();
  },
};

/** The deps of the question graph: one question, whose answer is 4. */
export const questionDeps: QuestionDeps = {
  questions: ['What is 2 + 2?'],
  judge: (_question, answer) => answer.trim() === '4',
};

export const freshQuestionState = (): QuestionState => ({ question: null, answers: [], attempts: 0 });

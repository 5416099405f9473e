/**
 * The generated code of graphs: one module per graph (`graphs/<graph>.ts`) and a validators module
 * (`validators/graphs/<graph>.js` + `.d.ts`), exported from the index. The fixture's tree
 * (`fixtures/graphs`: the reference's question graph and vending machine) is snapshotted file by
 * file by e2e.test.ts (`__snapshots__/graphs`); here: it compiles under strict tsc with code that
 * uses it, and the compiler refuses, on each `@ts-expect-error` line, an undeclared successor, an
 * end where the node may not end, and inputs, replies and outputs of the wrong type; the snapshot
 * runs on the runtime (a run that waits for the answer, resumed with it); its validators check what
 * they should; hostile text stays data; output is deterministic; and definitions without graphs
 * generate as before.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Node, Project, SyntaxKind } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { GraphValidationError, MemoryGraphStore, type GraphSpec } from 'schemantic';
import { createPipelineCache, runPipeline } from '../../codegen/targets/typescript/pipeline.js';
import { folderReader, memoryReader } from '../../codegen/compiler/load.js';
import { generateFrom, problemLines, yaml } from '../helpers/pipeline.js';
import { listFiles, readTree } from '../helpers/fs.js';
import { captureIo } from '../helpers/io.js';
import { main } from '../../codegen/cli/main.js';
import { strictTypeErrors } from './support/strict-tsc.js';
import {
  createQuestionGraph,
  createVendingMachineGraph,
  questionGraphMermaid,
  questionGraphSpec,
  type QuestionHandlers,
} from './__snapshots__/graphs/index.js';
import * as questionValidators from './__snapshots__/graphs/validators/graphs/question.js';

const here = path.dirname(new URL(import.meta.url).pathname);
const fixture = path.join(here, 'fixtures/graphs');
const DISPLAY = 'test/codegen/fixtures/graphs';

const generateFixture = () => runPipeline({ reader: folderReader(fixture), displayPrefix: DISPLAY });

describe('the generated graph module', () => {
  it('is the snapshot, and the index exports the graph with its types', async () => {
    const result = await generateFixture();
    expect(result.problems).toEqual([]);
    await expect(result.files.get('graphs/question.ts')).toMatchFileSnapshot(path.join(here, '__snapshots__/graphs/graphs/question.ts'));
    const index = result.files.get('index.ts')!;
    expect(index).toContain('export { createQuestionGraph, questionGraphMermaid, questionGraphSpec } from "./graphs/question.js";');
    expect(index).toContain(
      'export type { QuestionAnswerInput, QuestionAnswerReply, QuestionEvaluateInput, QuestionGraph, QuestionHandlers, QuestionNodeInputs, QuestionOutput, QuestionReprimandInput, QuestionStep } from "./graphs/question.js";',
    );
    // A graph with no output declares its output as undefined; a node's input that is a named type is an alias of it.
    const vending = result.files.get('graphs/vending-machine.ts')!;
    expect(vending).toContain('export type VendingMachineOutput = undefined;');
    expect(vending).toContain('export type VendingMachinePurchaseInput = Product');
    expect(vending).toContain('      readonly end: () => VendingMachineStep<never, true>;');
    expect(result.files.get('validators/graphs/question.d.ts')).toContain('export declare const validateReplyAnswer: Validator<QuestionAnswerReply>;');
  });

  it('compiles under strict tsc, and the compiler holds handlers to the machine', async () => {
    const result = await generateFixture();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'schemantic-graphs-'));
    try {
      writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
      for (const [file, text] of result.files) {
        mkdirSync(path.dirname(path.join(dir, 'out', file)), { recursive: true });
        writeFileSync(path.join(dir, 'out', file), text);
      }
      writeFileSync(path.join(dir, 'usage.ts'), USAGE);
      // Only this program's own files: the runtime is type-checked on its own (typecheck.test.ts).
      // An unused @ts-expect-error is an error too, so each line below proves the compiler refuses it.
      const errors = strictTypeErrors([dir]).filter((line) => line.includes(path.basename(dir)));
      expect(errors).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs on the runtime: stops at the node that waits for the answer, and resumes with it to the end', async () => {
    const asked: string[] = [];
    const handlers: QuestionHandlers<{ questions: string[] }> = {
      ask(ctx, next) {
        const question = ctx.deps.questions[ctx.state.asked % ctx.deps.questions.length]!;
        ctx.state.question = question;
        ctx.state.asked += 1;
        asked.push(question);
        return next.answer({ question });
      },
      answer: (ctx, next) => next.evaluate({ answer: ctx.reply.answer }),
      evaluate: (ctx, next) =>
        ctx.input.answer === '4' ? next.end(`Well done: ${ctx.state.question} ${ctx.input.answer}`) : next.reprimand({ comment: 'No.' }),
      reprimand: (_ctx, next) => next.ask(),
    };
    const graph = createQuestionGraph(handlers);
    expect(graph.mermaid).toBe(questionGraphMermaid);
    const deps = { questions: ['What is 2 + 2?'] };
    const persistence = new MemoryGraphStore();
    const first = await graph.run({ state: { asked: 0 }, deps, persistence, runId: 'q' });
    expect(first).toMatchObject({ status: 'waiting', waitingAt: { node: 'answer', input: { question: 'What is 2 + 2?' } } });
    // The reply is checked against the node's waits_for schema.
    await expect(graph.resume('q', { persistence, deps, reply: { answer: '' } })).rejects.toBeInstanceOf(GraphValidationError);
    const wrong = await graph.resume('q', { persistence, deps, reply: { answer: '5' } });
    expect(wrong).toMatchObject({ status: 'waiting', waitingAt: { node: 'answer' } });
    const right = await graph.resume('q', { persistence, deps, reply: { answer: '4' } });
    expect(right.status).toBe('ended');
    expect(right.output).toBe('Well done: What is 2 + 2? 4');
    expect(right.history.map((h) => h.node)).toEqual(['ask', 'answer', 'evaluate', 'reprimand', 'ask', 'answer', 'evaluate']);
    expect(asked).toHaveLength(2);
  });

  it('runs a graph with no output, whose waiting node replies with a named type', async () => {
    const graph = createVendingMachineGraph({
      insertCoin(ctx, next) {
        ctx.state.user_balance += ctx.reply.amount;
        return next.coinsInserted({ amount: ctx.reply.amount });
      },
      coinsInserted: (ctx, next) => (ctx.state.product ? next.purchase(ctx.state.product) : next.selectProduct()),
      selectProduct: (_ctx, next) => next.purchase(_ctx.reply),
      purchase(ctx, next) {
        ctx.state.product = ctx.input;
        if (ctx.state.user_balance < 2) return next.insertCoin();
        ctx.state.user_balance -= 2;
        return next.end();
      },
    });
    const persistence = new MemoryGraphStore();
    const state = { user_balance: 0 };
    expect((await graph.run({ state, persistence, runId: 'v' })).waitingAt).toEqual({ node: 'insert_coin' });
    expect((await graph.resume('v', { persistence, reply: { amount: 1 } })).waitingAt).toEqual({ node: 'select_product' });
    await expect(graph.resume('v', { persistence, reply: 'beer' })).rejects.toBeInstanceOf(GraphValidationError);
    expect((await graph.resume('v', { persistence, reply: 'soda' })).waitingAt).toEqual({ node: 'insert_coin' });
    const done = await graph.resume('v', { persistence, reply: { amount: 1 } });
    expect(done).toMatchObject({ status: 'ended', output: undefined, state: { user_balance: 0, product: 'soda' } });
  });

  it('has validators that check the state, the output, each input and each reply', () => {
    const v = questionValidators;
    expect(v.validateState({ asked: 0, question: 'Why?' })).toBe(true);
    expect(v.validateState({ asked: -1 })).toBe(false);
    expect(v.validateState.errors?.[0]?.instancePath).toBe('/asked');
    expect(v.validateOutput('done')).toBe(true);
    expect(v.validateOutput(3)).toBe(false);
    expect(v.validateInputAnswer({ question: 'Why?' })).toBe(true);
    expect(v.validateInputAnswer({})).toBe(false);
    // Values handlers and callers write are checked as they are: no lax coercion of "3" to a number.
    expect(v.validateReplyAnswer({ answer: 3 })).toBe(false);
    expect(v.validateReplyAnswer({ answer: '3' })).toBe(true);
    expect(Object.keys(v).sort()).toEqual([
      'validateInputAnswer',
      'validateInputEvaluate',
      'validateInputReprimand',
      'validateOutput',
      'validateReplyAnswer',
      'validateState',
    ]);
  });

  it('loads its validators through the spec, by node name', async () => {
    const validators = await questionGraphSpec.validators();
    expect(Object.keys(validators.inputs).sort()).toEqual(['answer', 'evaluate', 'reprimand']);
    expect(Object.keys(validators.replies)).toEqual(['answer']);
    expect(validators.validateOutput).toBe(questionValidators.validateOutput);
    expect(questionGraphSpec.nodes.map((n) => [n.name, n.key, n.end, n.next.map((e) => e.node)])).toEqual([
      ['ask', 'ask', false, ['answer']],
      ['answer', 'answer', false, ['evaluate']],
      ['evaluate', 'evaluate', true, ['reprimand']],
      ['reprimand', 'reprimand', false, ['ask']],
    ]);
  });
});

describe('a hostile graph', () => {
  // Text that would end a comment, a string or a template literal, or start code, if it reached code unescaped.
  const PAYLOAD = 'x */ globalThis.pwned = 1; /* " \' ` ${globalThis.pwned = 2} \u2028 </script>';
  const definitions = () => ({
    'defs.yaml': yaml`
      spec: schemantic/v1
      graphs:
        class:
          description: ${JSON.stringify(PAYLOAD)}
          deps: ${JSON.stringify(PAYLOAD)}
          state: { type: object, description: ${JSON.stringify(PAYLOAD)} }
          start: new
          nodes:
            new:
              description: ${JSON.stringify(PAYLOAD)}
              next: [{ node: constructor, label: ${JSON.stringify(PAYLOAD)} }, delete]
            constructor:
              input: { type: object, properties: { ${JSON.stringify(PAYLOAD)}: { type: string } } }
              end: true
            delete:
              waits_for: { type: string, description: ${JSON.stringify(PAYLOAD)} }
              next: [new]
    `,
  });

  it('generates a module whose only code is the template, which compiles and keeps every string as data', async () => {
    const result = await generateFrom(definitions());
    expect(problemLines(result)).toEqual([]);
    const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { allowJs: true } });
    for (const file of ['graphs/class.ts', 'validators/graphs/class.d.ts', 'index.ts']) {
      const source = project.createSourceFile(file, result.files.get(file)!);
      expect(
        source.getPreEmitDiagnostics().filter((d) => d.getCategory() === 1 && d.getCode() < 2000),
        file,
      ).toEqual([]);
      const identifiers = source.getDescendantsOfKind(SyntaxKind.Identifier).map((i) => i.getText());
      expect(identifiers, file).not.toContain('globalThis');
      expect(identifiers, file).not.toContain('pwned');
      expect(
        source.getDescendants().some((n) => Node.isTemplateExpression(n) || Node.isNoSubstitutionTemplateLiteral(n)),
        file,
      ).toBe(false);
      // The only calls: defineGraph, the diagram's lines joined, and the import of the validators module.
      const calls = source.getDescendantsOfKind(SyntaxKind.CallExpression).map((c) => {
        const expression = c.getExpression();
        return Node.isPropertyAccessExpression(expression) && expression.getName() === 'join' ? 'join' : expression.getText();
      });
      expect(
        calls.every((c) => ['schemantic.defineGraph', 'join', 'import'].includes(c)),
        `${file}: ${calls.join(', ')}`,
      ).toBe(true);
    }
    const dir = mkdtempSync(path.join(os.tmpdir(), 'schemantic-hostile-graph-'));
    try {
      writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
      for (const [file, text] of result.files) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), text);
      }
      expect(strictTypeErrors([dir]).filter((line) => line.includes(path.basename(dir)))).toEqual([]);
      const spec = ((await import(path.join(dir, 'graphs/class.ts'))) as { classGraphSpec: GraphSpec }).classGraphSpec;
      expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
      expect(spec.description).toBe(PAYLOAD);
      expect(spec.nodes.map((n) => [n.name, n.key, n.description ?? null])).toEqual([
        ['new', 'new', PAYLOAD],
        ['constructor', 'constructor', null],
        ['delete', 'delete', null],
      ]);
      expect(spec.nodes[0]!.next).toEqual([{ node: 'constructor', label: PAYLOAD }, { node: 'delete' }]);
      expect(Object.keys((spec.nodes[1]!.input as { properties: object }).properties)).toEqual([PAYLOAD]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('generating graphs', () => {
  it('is deterministic: the same bytes on every run and for every order of the files', async () => {
    const files = readTree(fixture);
    const first = await runPipeline({ reader: memoryReader(files), displayPrefix: DISPLAY });
    const second = await runPipeline({ reader: memoryReader(files), displayPrefix: DISPLAY });
    const reversed = memoryReader(files);
    const backwards = await runPipeline({ reader: { list: async () => (await reversed.list()).reverse(), read: reversed.read }, displayPrefix: DISPLAY });
    expect(first.files.size).toBeGreaterThan(10);
    expect([...second.files]).toEqual([...first.files]);
    expect([...backwards.files]).toEqual([...first.files]);
  });

  it('leaves everything else as it was: a graph adds its own modules and its lines in the index', async () => {
    const base = {
      'agents.yaml': yaml`
        spec: schemantic/v1
        types:
          Answer: { type: object, properties: { text: { type: string } }, required: [text] }
        agents:
          asker: { model: test, output: { $ref: '#/types/Answer' } }
      `,
    };
    const before = await generateFrom(base);
    const after = await generateFrom({
      ...base,
      'graphs.yaml': yaml`
        spec: schemantic/v1
        graphs:
          quiz:
            state: { type: object }
            output: { $ref: './agents.yaml#/types/Answer' }
            start: ask
            nodes: { ask: { agent: asker, end: true } }
      `,
    });
    expect(problemLines(after)).toEqual([]);
    const changed = [...after.files.keys()].filter((f) => after.files.get(f) !== before.files.get(f)).sort();
    expect(changed).toEqual(['graphs/quiz.ts', 'index.ts', 'validators/graphs/quiz.d.ts', 'validators/graphs/quiz.js']);
    // The index's banner names every definitions file; its exports stay, and the graph's are added.
    const index = after.files.get('index.ts')!.split('\n');
    const removed = before.files
      .get('index.ts')!
      .split('\n')
      .filter((line) => !index.includes(line));
    expect(removed).toEqual(['// Generated by Schemantic from schemas/agents.yaml.']);
    expect(index).toContain('export { createQuizGraph, quizGraphMermaid, quizGraphSpec } from "./graphs/quiz.js";');
  });

  it('is regenerated in watch mode as a cold run would generate it', async () => {
    const graph = (next: string) => yaml`
      spec: schemantic/v1
      graphs:
        quiz:
          state: { type: object, properties: { n: { type: integer } } }
          start: a
          nodes:
            a: { next: [${next}] }
            b: { input: { type: object, properties: { why: { type: string } } }, end: true }
            c: { waits_for: { type: string }, end: true }
    `;
    const cache = createPipelineCache();
    for (const next of ['b, c', 'c, b', '{ node: b, label: because }, c', 'b, { node: c, label: ask }']) {
      const files = { 'graphs.yaml': graph(next) };
      const warm = await runPipeline({ reader: memoryReader(files), displayPrefix: 'schemas', cache });
      const cold = await runPipeline({ reader: memoryReader(files), displayPrefix: 'schemas' });
      expect(warm.problems, next).toEqual([]);
      expect(warm.files, next).toEqual(cold.files);
    }
  });

  it('is counted in the summary lines of generate (also from the manifest, when nothing changed), validate and docs', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'schemantic-graphs-cli-'));
    try {
      cpSync(fixture, path.join(cwd, 'schemas'), { recursive: true });
      const summary = async (argv: string[]) => {
        const io = captureIo();
        expect(await main(argv, io, cwd), io.stderr.join('\n')).toBe(0);
        return io.stdout.at(-1)!;
      };
      expect(await summary(['generate'])).toMatch(/^schemantic generate: 2 agents, 0 tools, 3 types, 2 graphs from 2 files -> generated\/: /);
      expect(await summary(['generate'])).toMatch(/^schemantic generate: 2 agents, 0 tools, 3 types, 2 graphs from 2 files -> generated\/: .*0 written/);
      expect(await summary(['validate'])).toMatch(/^schemantic validate: 2 agents, 0 tools, 3 types, 2 graphs in 2 files: no problems/);
      expect(await summary(['docs'])).toMatch(/^schemantic docs: 2 agents, 0 tools, 3 types, 2 graphs -> docs\/agents\/: /);
      expect(listFiles(path.join(cwd, 'docs/agents'))).toContain('graphs/question.md');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('writes its diagram in the module, as the docs draw it', () => {
    const module = readFileSync(path.join(here, '__snapshots__/graphs/graphs/question.ts'), 'utf8');
    expect(module).toContain('export const questionGraphMermaid: string = [\n  "---",\n  "title: question",');
    expect(questionGraphSpec.mermaid).toBe(questionGraphMermaid);
    expect(questionGraphMermaid.split('\n').slice(3, 6)).toEqual(['stateDiagram-v2', '  [*] --> ask', '  ask: runs agent ask_agent']);
  });
});

/**
 * Code written against the fixture's generated tree (in `out/`): what it must be allowed to do,
 * and, on each `@ts-expect-error` line, what the compiler must refuse.
 */
const USAGE = `import {
  createQuestionGraph,
  createVendingMachineGraph,
  questionGraphSpec,
  type QuestionGraph,
  type QuestionHandlers,
  type QuestionOutput,
  type QuestionStep,
} from './out/index.js';
import type { GraphSpec } from 'schemantic';

interface Deps {
  ask(): Promise<string>;
  judge(answer: string): Promise<{ correct: boolean; comment: string }>;
}

const handlers: QuestionHandlers<Deps> = {
  async ask(ctx, next) {
    ctx.state.question = await ctx.deps.ask();
    ctx.state.asked += 1;
    return next.answer({ question: ctx.state.question });
  },
  answer: (ctx, next) => next.evaluate({ answer: ctx.reply.answer }),
  async evaluate(ctx, next) {
    const verdict = await ctx.deps.judge(ctx.input.answer);
    return verdict.correct ? next.end(verdict.comment) : next.reprimand({ comment: verdict.comment });
  },
  reprimand: (_ctx, next) => next.ask(),
};

export const graph: QuestionGraph<Deps> = createQuestionGraph(handlers);
export const spec: GraphSpec = questionGraphSpec;
export const anyStep: QuestionStep[] = [];
export const output: QuestionOutput = 'a string';

export async function run(deps: Deps): Promise<string | undefined> {
  const result = await graph.run({ state: { asked: 0 }, deps });
  if (result.status === 'ended') return result.output;
  // @ts-expect-error: the state's asked is an integer
  await graph.run({ state: { asked: 'zero' }, deps });
  // @ts-expect-error: the graph's handlers need their dependencies
  await graph.run({ state: { asked: 0 } });
  return undefined;
}

// A handler cannot go to a node its node does not list: ask goes only to answer.
export const undeclared: QuestionHandlers<Deps>['ask'] = (_ctx, next) => {
  // @ts-expect-error: there is no constructor for evaluate in ask's next
  return next.evaluate({ answer: 'x' });
};

// Nor return a step it made itself to such a node.
export function byHand(): ReturnType<QuestionHandlers<Deps>['ask']> {
  const step = { kind: 'next', node: 'evaluate', input: { answer: 'x' } } as const;
  // @ts-expect-error: a step to evaluate is not one ask may return
  return step;
}

// A node that may not end cannot end.
export const ends: QuestionHandlers<Deps>['answer'] = (_ctx, next) => {
  // @ts-expect-error: answer may not end, so its next has no end
  return next.end('done');
};
export function endsByHand(): ReturnType<QuestionHandlers<Deps>['answer']> {
  const step = { kind: 'end', output: 'done' } as const;
  // @ts-expect-error: an end is not a step answer may return
  return step;
}

// Inputs, replies and outputs are typed.
export const wrongInput: QuestionHandlers<Deps>['ask'] = (_ctx, next) => {
  // @ts-expect-error: answer is made with { question: string }
  return next.answer({ questoin: 'What?' });
};
export const noInput: QuestionHandlers<Deps>['reprimand'] = (_ctx, next) => {
  // @ts-expect-error: ask takes no input
  return next.ask({ question: 'What?' });
};
export const wrongOutput: QuestionHandlers<Deps>['evaluate'] = (_ctx, next) => {
  // @ts-expect-error: the graph's output is a string
  return next.end(42);
};
export const typedReply: QuestionHandlers<Deps>['answer'] = (ctx, next) => {
  const answer: string = ctx.reply.answer;
  // @ts-expect-error: the reply has no such field
  void ctx.reply.answr;
  return next.evaluate({ answer });
};
export const noReply: QuestionHandlers<Deps>['ask'] = (ctx, next) => {
  // @ts-expect-error: ask waits for nothing, so its reply is undefined
  void ctx.reply.answer;
  return next.answer({ question: String(ctx.input) });
};

// @ts-expect-error: every node needs its handler
export const missing: QuestionHandlers<Deps> = { ask: handlers.ask, answer: handlers.answer, evaluate: handlers.evaluate };

// A graph without an output ends with none; a node made with a named type takes only its values.
export const vending = createVendingMachineGraph({
  insertCoin: (ctx, next) => next.coinsInserted({ amount: ctx.reply.amount }),
  coinsInserted: (ctx, next) => (ctx.state.product ? next.purchase(ctx.state.product) : next.selectProduct()),
  selectProduct: (ctx, next) => next.purchase(ctx.reply),
  purchase: (ctx, next) => (ctx.state.user_balance >= 2 ? next.end() : next.insertCoin()),
});
export const beer = createVendingMachineGraph({
  insertCoin: (ctx, next) => next.coinsInserted({ amount: ctx.reply.amount }),
  // @ts-expect-error: the machine sells no beer
  coinsInserted: (_ctx, next) => next.purchase('beer'),
  selectProduct: (ctx, next) => next.purchase(ctx.reply),
  purchase: (_ctx, next) => next.end(),
});
`;

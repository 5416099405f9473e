/**
 * Graphs in the definitions (`graphs:`): every way a machine can be wrong is a located problem with
 * a stable code, reported all at once and each once (unknown successor or start node, unreachable
 * node, dead end, cycle with no exit, unknown agent, a successor listed twice, handler keys and
 * generated names that clash), and a bad entry is kept out without a cascade. The generated code
 * is tested in graphs-module.test.ts, diagrams and docs in graphs-diagram.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { generateFrom, problemLines, yaml } from '../helpers/pipeline.js';

/** Each problem as `code file:line:col pointer`, and its message by pointer. */
async function problemsOf(files: Record<string, string>) {
  const result = await generateFrom(files);
  const messages = Object.fromEntries(result.problems.map((p) => [`${p.code} ${p.pointer}`, p.message]));
  return { lines: problemLines(result), messages, files: result.files };
}

describe('a graph', () => {
  it('reports successors and a start node that are not its nodes, with a suggestion', async () => {
    const { lines, messages, files } = await problemsOf({
      'defs.yaml': yaml`
        spec: schemantic/v1
        graphs:
          quiz:
            state: { type: object }
            start: aks
            nodes:
              ask:
                next: [answr]
              answer:
                next: [{ node: ask, label: again }, { node: judgee }]
                end: true
      `,
    });
    expect(lines).toEqual([
      'unknown-node schemas/defs.yaml:5:12 /graphs/quiz/start',
      'unknown-node schemas/defs.yaml:8:16 /graphs/quiz/nodes/ask/next/0',
      'unknown-node schemas/defs.yaml:10:45 /graphs/quiz/nodes/answer/next/1',
    ]);
    expect(messages['unknown-node /graphs/quiz/start']).toBe('graph "quiz" starts at "aks", which is not one of its nodes (did you mean "ask"?)');
    expect(messages['unknown-node /graphs/quiz/nodes/ask/next/0']).toBe(
      'node "ask" of graph "quiz" goes to "answr", which is not one of its nodes (did you mean "answer"?)',
    );
    expect(messages['unknown-node /graphs/quiz/nodes/answer/next/1']).toBe('node "answer" of graph "quiz" goes to "judgee", which is not one of its nodes');
    expect(files.size).toBe(0);
  });

  it('reports unreachable nodes, dead ends and cycles with no exit, each where it is broken', async () => {
    const { lines, messages } = await problemsOf({
      'defs.yaml': yaml`
        spec: schemantic/v1
        graphs:
          machine:
            state: { type: object }
            start: a
            nodes:
              a:
                next: [b, c, x]
              b:
                end: true
              c:
                next: [d]
              d:
                next: [c]
              x:
                next: [y]
              y:
                next: [x, z]
              z: {}
              orphan:
                end: true
              loop:
                next: [loop]
      `,
    });
    // The cycle x <-> y has a way out, to z: z is the dead end, and only z is reported.
    expect(lines).toEqual([
      'cycle-without-exit schemas/defs.yaml:11:7 /graphs/machine/nodes/c',
      'dead-end-node schemas/defs.yaml:19:7 /graphs/machine/nodes/z',
      'unreachable-node schemas/defs.yaml:20:7 /graphs/machine/nodes/orphan',
      'cycle-without-exit schemas/defs.yaml:22:7 /graphs/machine/nodes/loop',
      'unreachable-node schemas/defs.yaml:22:7 /graphs/machine/nodes/loop',
    ]);
    expect(messages['cycle-without-exit /graphs/machine/nodes/c']).toBe(
      'nodes "c" and "d" of graph "machine" go round with no way to end: give one of them end: true, or a next to a node that can end',
    );
    expect(messages['cycle-without-exit /graphs/machine/nodes/loop']).toBe(
      'node "loop" of graph "machine" goes only to itself, with no way to end: give it end: true, or a next to another node',
    );
    expect(messages['dead-end-node /graphs/machine/nodes/z']).toBe('node "z" of graph "machine" can neither end nor go on: give it a next, or end: true');
    expect(messages['unreachable-node /graphs/machine/nodes/orphan']).toBe('node "orphan" of graph "machine" cannot be reached from its start node "a"');
  });

  it('names every node of a cycle that cannot end, in the order written, and reports a graph with no end at all', async () => {
    const { lines, messages } = await problemsOf({
      'defs.yaml': yaml`
        spec: schemantic/v1
        graphs:
          forever:
            state: { type: object }
            start: one
            nodes:
              one: { next: [two] }
              two: { next: [three] }
              three: { next: [one, two] }
      `,
    });
    expect(lines).toEqual(['cycle-without-exit schemas/defs.yaml:7:7 /graphs/forever/nodes/one']);
    expect(messages['cycle-without-exit /graphs/forever/nodes/one']).toContain('nodes "one", "two" and "three" of graph "forever" go round');
  });

  it('reports an unknown agent, a successor listed twice, and handler keys that clash', async () => {
    const { lines, messages } = await problemsOf({
      'defs.yaml': yaml`
        spec: schemantic/v1
        agents:
          asker: { model: test }
        graphs:
          quiz:
            state: { type: object }
            start: ask_question
            nodes:
              ask_question:
                agent: askr
                next: [askQuestion, end, { node: end, label: twice }]
                end: true
              askQuestion:
                end: true
              end:
                end: true
      `,
    });
    expect(lines).toEqual([
      'unknown-agent schemas/defs.yaml:10:16 /graphs/quiz/nodes/ask_question/agent',
      'name-collision schemas/defs.yaml:11:29 /graphs/quiz/nodes/ask_question/next/1',
      'invalid-value schemas/defs.yaml:11:34 /graphs/quiz/nodes/ask_question/next/2',
      'name-collision schemas/defs.yaml:13:7 /graphs/quiz/nodes/askQuestion',
    ]);
    expect(messages['unknown-agent /graphs/quiz/nodes/ask_question/agent']).toBe(
      'node "ask_question" of graph "quiz" runs agent "askr", which no definitions file declares under agents: (did you mean "asker"?)',
    );
    expect(messages['name-collision /graphs/quiz/nodes/ask_question/next/1']).toBe(
      'node "ask_question" of graph "quiz" may end, and next.end(output) ends the run: its successor "end" cannot have the key end too; rename that node',
    );
    expect(messages['invalid-value /graphs/quiz/nodes/ask_question/next/2']).toBe(
      'node "ask_question" of graph "quiz" lists node "end" twice in next (items 1 and 2): list it once',
    );
    expect(messages['name-collision /graphs/quiz/nodes/askQuestion']).toBe(
      'node "askQuestion" of graph "quiz" has the handler key askQuestion, like node "ask_question" at schemas/defs.yaml:9:7; rename one',
    );
  });

  it('may have a node named end when no node that goes to it may end', async () => {
    const { lines } = await problemsOf({
      'defs.yaml': yaml`
        spec: schemantic/v1
        graphs:
          wrap_up:
            state: { type: object }
            start: work
            nodes:
              work: { next: [end] }
              end: { end: true }
      `,
    });
    expect(lines).toEqual([]);
  });

  it('knows agents of other files, and agents left out for their own errors (no unknown-agent cascade)', async () => {
    const { lines } = await problemsOf({
      'agents.yaml': yaml`
        spec: schemantic/v1
        agents:
          asker: { model: test }
          broken: { model: 12 }
      `,
      'graphs.yaml': yaml`
        spec: schemantic/v1
        graphs:
          quiz:
            state: { type: object }
            start: ask
            nodes:
              ask: { agent: asker, next: [judge] }
              judge: { agent: broken, end: true }
      `,
    });
    expect(lines).toEqual(['wrong-type schemas/agents.yaml:4:20 /agents/broken/model']);
  });
});

describe('generated names', () => {
  it('clash between graphs, with agents and with named types, reported at the later definition', async () => {
    const { lines, messages } = await problemsOf({
      'defs.yaml': yaml`
        spec: schemantic/v1
        types:
          QuizAskInput: { type: object }
        agents:
          support: { model: test }
        graphs:
          quiz:
            state: { type: object }
            start: ask
            nodes:
              ask: { input: { type: object }, end: true }
          support:
            state: { type: object }
            start: a
            nodes: { a: { end: true } }
          ask_me:
            state: { type: object }
            start: a
            nodes: { a: { end: true } }
          askMe:
            state: { type: object }
            start: a
            nodes: { a: { end: true } }
      `,
    });
    expect(lines).toEqual([
      'name-collision schemas/defs.yaml:11:7 /graphs/quiz/nodes/ask',
      'name-collision schemas/defs.yaml:12:3 /graphs/support',
      'name-collision schemas/defs.yaml:20:3 /graphs/askMe',
    ]);
    expect(messages['name-collision /graphs/quiz/nodes/ask']).toBe(
      'node "ask" of graph "quiz" becomes "QuizAskInput", which type "QuizAskInput" at schemas/defs.yaml:3:3 also becomes; rename one',
    );
    expect(messages['name-collision /graphs/support']).toBe(
      'graph "support" becomes "SupportOutput", which agent "support" at schemas/defs.yaml:5:3 also becomes; rename one',
    );
    expect(messages['name-collision /graphs/askMe']).toBe(
      'graph "askMe" becomes "createAskMeGraph", which graph "ask_me" at schemas/defs.yaml:16:3 also becomes; rename one',
    );
  });

  it('do not clash with a named type the graph uses as its state or output under the same name', async () => {
    const result = await generateFrom({
      'defs.yaml': yaml`
        spec: schemantic/v1
        types:
          QuizState: { type: object, properties: { n: { type: integer } } }
          QuizOutput: { type: string }
        graphs:
          quiz:
            state: { $ref: '#/types/QuizState' }
            output: { $ref: '#/types/QuizOutput' }
            start: ask
            nodes: { ask: { end: true } }
      `,
    });
    expect(problemLines(result)).toEqual([]);
    const module = result.files.get('graphs/quiz.ts')!;
    expect(module).toContain('import type { QuizOutput, QuizState } from "../types/defs.js";');
    expect(module).not.toMatch(/export (type|interface) Quiz(State|Output)\b/);
    expect(result.files.get('index.ts')).toContain(
      'export type { QuizGraph, QuizHandlers, QuizNodeInputs, QuizStep } from "./graphs/quiz.js";\nexport type { QuizOutput, QuizState } from "./types/defs.js";',
    );
  });

  it('are duplicate when two files declare a graph of one name', async () => {
    const graph = 'state: { type: object }\n    start: a\n    nodes: { a: { end: true } }';
    const { lines, messages } = await problemsOf({
      'a.yaml': `spec: schemantic/v1\ngraphs:\n  quiz:\n    ${graph}\n`,
      'b.yaml': `spec: schemantic/v1\ngraphs:\n  quiz:\n    ${graph}\n`,
    });
    expect(lines).toEqual(['duplicate-name schemas/b.yaml:3:3 /graphs/quiz']);
    expect(messages['duplicate-name /graphs/quiz']).toBe('graph "quiz" is already defined at schemas/a.yaml:3:3');
  });
});

describe('a bad graph entry', () => {
  it('is reported where it is wrong and kept out, so that one mistake is one problem', async () => {
    const { lines, messages } = await problemsOf({
      'defs.yaml': yaml`
        spec: schemantic/v1
        graphs:
          no_state:
            start: a
            nodes: { a: { end: true } }
          bad_end:
            state: { type: object }
            start: a
            nodes: { a: { end: 'yes' } }
          bad_name:
            state: { type: object }
            start: a
            nodes: { a: { next: [9b] }, 9b: { end: true } }
          typo:
            state: { type: object }
            start: a
            nodes:
              a: { nxt: [b] }
              b: { end: true }
          empty:
            state: { type: object }
            start: a
            nodes: {}
      `,
    });
    expect(lines).toEqual([
      'missing-key schemas/defs.yaml:4:5 /graphs/no_state',
      'wrong-type schemas/defs.yaml:9:24 /graphs/bad_end/nodes/a/end',
      'invalid-name schemas/defs.yaml:13:26 /graphs/bad_name/nodes/a/next/0',
      'invalid-name schemas/defs.yaml:13:33 /graphs/bad_name/nodes/9b',
      'unknown-key schemas/defs.yaml:18:12 /graphs/typo/nodes/a/nxt',
      'invalid-value schemas/defs.yaml:23:12 /graphs/empty/nodes',
    ]);
    expect(messages['missing-key /graphs/no_state']).toBe('missing required key "state"');
    expect(messages['unknown-key /graphs/typo/nodes/a/nxt']).toBe('unknown key "nxt" (did you mean "next"?)');
    expect(messages['invalid-value /graphs/empty/nodes']).toBe('a graph needs at least one node');
  });

  it('keeps a graph whose documentation has the wrong type, and checks the rest of it', async () => {
    const { lines } = await problemsOf({
      'defs.yaml': yaml`
        spec: schemantic/v1
        graphs:
          quiz:
            description: 12
            deps: [http]
            state: { type: object }
            start: a
            nodes:
              a: { description: 3, next: [{ node: b, label: 4 }, c] }
              b: { end: true }
      `,
    });
    expect(lines).toEqual([
      'wrong-type schemas/defs.yaml:4:18 /graphs/quiz/description',
      'wrong-type schemas/defs.yaml:5:11 /graphs/quiz/deps',
      'wrong-type schemas/defs.yaml:9:25 /graphs/quiz/nodes/a/description',
      'wrong-type schemas/defs.yaml:9:53 /graphs/quiz/nodes/a/next/0/label',
      'unknown-node schemas/defs.yaml:9:58 /graphs/quiz/nodes/a/next/1',
    ]);
  });

  it('has its schemas resolved like any other: a dangling $ref is located, and the machine is still checked', async () => {
    const { lines } = await problemsOf({
      'defs.yaml': yaml`
        spec: schemantic/v1
        graphs:
          quiz:
            state: { $ref: '#/types/Nope' }
            start: a
            nodes:
              a: { input: { $ref: '#/types/Missing' } }
      `,
    });
    expect(lines).toEqual([
      'dangling-ref schemas/defs.yaml:4:20 /graphs/quiz/state/$ref',
      'dead-end-node schemas/defs.yaml:7:7 /graphs/quiz/nodes/a',
      'dangling-ref schemas/defs.yaml:7:27 /graphs/quiz/nodes/a/input/$ref',
    ]);
  });
});

describe('all at once', () => {
  it('reports the problems of graphs, agents and types of every file in one run, sorted', async () => {
    const result = await generateFrom({
      'agents.yaml': yaml`
        spec: schemantic/v1
        agents:
          asker: { model: test, tools: [nope] }
      `,
      'graphs.yaml': yaml`
        spec: schemantic/v1
        graphs:
          quiz:
            state: { type: object, properties: { n: { minimum: low } } }
            start: ask
            nodes:
              ask: { agent: askr, next: [answr] }
              answer: { end: true }
              stuck: {}
      `,
    });
    expect(problemLines(result)).toEqual([
      'unknown-tool schemas/agents.yaml:3:33 /agents/asker/tools/0',
      'invalid-schema schemas/graphs.yaml:4:56 /graphs/quiz/state/properties/n/minimum',
    ]);
    // The schema error keeps the graph out; fixed, the machine's problems come with the others.
    const fixed = await generateFrom({
      'agents.yaml': yaml`
        spec: schemantic/v1
        agents:
          asker: { model: test, tools: [nope] }
      `,
      'graphs.yaml': yaml`
        spec: schemantic/v1
        graphs:
          quiz:
            state: { type: object }
            start: ask
            nodes:
              ask: { agent: askr, next: [answr] }
              answer: { end: true }
              stuck: {}
      `,
    });
    expect(problemLines(fixed)).toEqual([
      'unknown-tool schemas/agents.yaml:3:33 /agents/asker/tools/0',
      'unknown-agent schemas/graphs.yaml:7:21 /graphs/quiz/nodes/ask/agent',
      'unknown-node schemas/graphs.yaml:7:34 /graphs/quiz/nodes/ask/next/0',
      'unreachable-node schemas/graphs.yaml:8:7 /graphs/quiz/nodes/answer',
      'dead-end-node schemas/graphs.yaml:9:7 /graphs/quiz/nodes/stuck',
      'unreachable-node schemas/graphs.yaml:9:7 /graphs/quiz/nodes/stuck',
    ]);
  });
});

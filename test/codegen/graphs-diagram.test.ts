/**
 * Graphs drawn as mermaid state diagrams (`targets/graph-diagram.ts`, the one function both the
 * generated module's `<graph>GraphMermaid` and `schemantic docs` use), and the docs pages of
 * graphs: the question graph's diagram (labels, notes, a cycle, a waiting node, agents) as a file
 * snapshot; hostile names and text that cannot break the diagram; and the docs of the graphs
 * fixture (a page per graph, linked from the index and from the types they use) as file snapshots,
 * with links that resolve and bytes that do not change between runs.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../codegen/compiler/analyze.js';
import { folderReader, memoryReader } from '../../codegen/compiler/load.js';
import type { IR } from '../../codegen/compiler/ir/types.js';
import { renderDocs } from '../../codegen/targets/docs/render-docs.js';
import { graphDiagram } from '../../codegen/targets/graph-diagram.js';
import { yaml } from '../helpers/pipeline.js';
import { listFiles } from '../helpers/fs.js';
import { fencedBlocks, headingAnchors, linkTargets, tables } from './docs/inspect-markdown.js';

const here = path.dirname(new URL(import.meta.url).pathname);
const fixture = path.join(here, 'fixtures/graphs');
const DISPLAY = 'test/codegen/fixtures/graphs';
const snapshots = path.join(here, '__snapshots__/docs/graphs');

async function irOf(files: Record<string, string> | string): Promise<IR> {
  const reader = typeof files === 'string' ? folderReader(files) : memoryReader(files);
  const analysis = await analyze({ reader, displayPrefix: typeof files === 'string' ? DISPLAY : 'schemas' });
  expect(analysis.problems).toEqual([]);
  return analysis.ir;
}

/** Mermaid's entity codes (`#58;`) decoded, as mermaid shows them once the diagram is parsed. */
function decoded(text: string): string {
  return text.replace(/#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));
}

/**
 * The statements of a state diagram as this generator writes them (front matter, then one
 * statement per line, a note's text lines between `note right of` and `end note`), each line
 * checked against the forms mermaid's state grammar reads as meant. Ids, the targets of edges and
 * the text of labels, descriptions and notes are returned; a line of any other form fails.
 */
function statements(diagram: string) {
  const lines = diagram.split('\n');
  expect(lines.slice(0, 4)).toEqual(['---', expect.stringMatching(/^title: [A-Za-z][A-Za-z0-9_-]*$/), '---', 'stateDiagram-v2']);
  const ID = '[A-Za-z][A-Za-z0-9_]*';
  // What mermaid's lexer would read otherwise: the end of a label, comments, keywords it finds anywhere.
  const TEXT = String.raw`(?:[^:;#%"\x60<>&{}\n]|#\d+;)*`;
  const declared = new Map<string, string>();
  const edges: { from: string; to: string; label?: string }[] = [];
  const descriptions: { id: string; text: string }[] = [];
  const notes: { id: string; lines: string[] }[] = [];
  let note: { id: string; lines: string[] } | undefined;
  for (const line of lines.slice(4)) {
    let m: RegExpExecArray | null;
    if (note) {
      if (line === '  end note') {
        notes.push(note);
        note = undefined;
      } else {
        expect(line).toMatch(new RegExp(`^    ${TEXT}$`));
        expect(line).not.toMatch(/end\s+note|direction/i);
        note.lines.push(decoded(line.slice(4)));
      }
    } else if ((m = new RegExp(`^  state "([A-Za-z0-9_-]+)" as (${ID})$`).exec(line))) declared.set(m[2]!, m[1]!);
    else if ((m = new RegExp(`^  (\\[\\*\\]|${ID}) --> (\\[\\*\\]|${ID})(?:: (${TEXT}))?$`).exec(line))) {
      expect(line).not.toMatch(/direction/i);
      edges.push({ from: m[1]!, to: m[2]!, ...(m[3] !== undefined ? { label: decoded(m[3]) } : {}) });
    } else if ((m = new RegExp(`^  (${ID}): (${TEXT})$`).exec(line))) {
      expect(line).not.toMatch(/direction/i);
      descriptions.push({ id: m[1]!, text: decoded(m[2]!) });
    } else if ((m = new RegExp(`^  note right of (${ID})$`).exec(line))) note = { id: m[1]!, lines: [] };
    else throw new Error(`not a statement this generator writes: ${JSON.stringify(line)}`);
  }
  expect(note).toBeUndefined();
  const ids = [...edges.flatMap((e) => [e.from, e.to]), ...descriptions.map((d) => d.id), ...notes.map((n) => n.id)].filter((id) => id !== '[*]');
  // No id is a keyword of the grammar, or one of the words its lexer matches at the start of a statement.
  for (const id of ids) expect(id).not.toMatch(/^(state|note|class|classdef|style|scale|direction|hide|end|as|acctitle|accdescr|default.*)$/i);
  return { declared, edges, descriptions, notes, names: (id: string) => declared.get(id) ?? id };
}

describe('the state diagram of a graph', () => {
  it('draws the question graph: the start, labelled edges, the end, notes, its agents and its waiting node', async () => {
    const ir = await irOf(fixture);
    const question = ir.graphs.find((g) => g.name === 'question')!;
    const text = graphDiagram(question);
    await expect(text + '\n').toMatchFileSnapshot(path.join(snapshots, 'question.mmd'));
    const { edges, notes, descriptions } = statements(text);
    expect(edges).toEqual([
      { from: '[*]', to: 'ask' },
      { from: 'ask', to: 'answer', label: 'Ask the question' },
      { from: 'answer', to: 'evaluate' },
      { from: 'evaluate', to: 'reprimand' },
      { from: 'evaluate', to: '[*]' },
      // The cycle back to the start.
      { from: 'reprimand', to: 'ask', label: 'try again' },
    ]);
    expect(descriptions).toEqual([
      { id: 'ask', text: 'runs agent ask_agent' },
      { id: 'answer', text: 'waits for a reply' },
      { id: 'evaluate', text: 'runs agent evaluate_agent' },
    ]);
    expect(notes.find((n) => n.id === 'evaluate')!.lines).toEqual(['Judges the answer.', 'Decides on the next step.']);
    expect(notes.find((n) => n.id === 'answer')!.lines).toEqual(["Waits for the user's answer to the question."]);
  });

  it('cannot be broken by names or text: keywords and hyphens get ids, and what mermaid reads specially is written as entities', async () => {
    const hostile = 'Ends here: no; really # not %% a comment "quoted" `code` <b>bold</b> & {braces}\nend note\ndirection TB, then END  NOTE';
    const ir = await irOf({
      'defs.yaml': yaml`
        spec: schemantic/v1
        agents:
          helper: { model: test }
        graphs:
          odd:
            state: { type: object }
            start: note
            nodes:
              note:
                description: ${JSON.stringify(hostile)}
                next: [{ node: state, label: ${JSON.stringify('a: b; c # d %% e\ndirection LR')} }, go-on]
              state:
                agent: helper
                waits_for: { type: string }
                next: [default_path]
              default_path: { next: [go-on, node_2] }
              go-on: { next: [end, node_2] }
              node_2: { next: [direction] }
              direction: { next: [end] }
              end: { end: true }
      `,
    });
    const text = graphDiagram(ir.graphs[0]!);
    const { declared, edges, notes, descriptions, names } = statements(text);
    // Every node has one id, and the ids tell the nodes apart (a node named node_2 keeps its own).
    expect([...declared]).toEqual([
      ['node_1', 'note'],
      ['node_2_', 'state'],
      ['node_3', 'default_path'],
      ['node_4', 'go-on'],
      ['node_6', 'direction'],
      ['node_7', 'end'],
    ]);
    expect(edges.map((e) => `${names(e.from)} -> ${names(e.to)}`)).toEqual([
      '[*] -> note',
      'note -> state',
      'note -> go-on',
      'state -> default_path',
      'default_path -> go-on',
      'default_path -> node_2',
      'go-on -> end',
      'go-on -> node_2',
      'node_2 -> direction',
      'direction -> end',
      'end -> [*]',
    ]);
    // The text reads as written once mermaid decodes it, line ends aside.
    expect(edges[1]!.label).toBe('a: b; c # d %% e direction LR');
    expect(notes).toEqual([
      {
        id: 'node_1',
        lines: ['Ends here: no; really # not %% a comment "quoted" `code` <b>bold</b> & {braces}', 'end note', 'direction TB, then END NOTE'],
      },
    ]);
    expect(descriptions).toEqual([
      { id: 'node_2_', text: 'waits for a reply' },
      { id: 'node_2_', text: 'runs agent helper' },
    ]);
  });

  it('draws a graph with no labels or notes as plainly as the reference does', async () => {
    const ir = await irOf({
      'defs.yaml': yaml`
        spec: schemantic/v1
        graphs:
          fives:
            state: { type: object }
            start: DivisibleBy5
            nodes:
              DivisibleBy5: { next: [Increment], end: true }
              Increment: { next: [DivisibleBy5] }
      `,
    });
    expect(graphDiagram(ir.graphs[0]!)).toBe(
      [
        '---',
        'title: fives',
        '---',
        'stateDiagram-v2',
        '  [*] --> DivisibleBy5',
        '  DivisibleBy5 --> Increment',
        '  DivisibleBy5 --> [*]',
        '  Increment --> DivisibleBy5',
      ].join('\n'),
    );
  });
});

describe('the docs of graphs', () => {
  it('match their snapshots: a page per graph, linked from the index and from the types it uses', async () => {
    const files = renderDocs(await irOf(fixture));
    expect([...files.keys()]).toEqual([
      'README.md',
      'agents/ask-agent.md',
      'agents/evaluate-agent.md',
      'graphs/question.md',
      'graphs/vending-machine.md',
      'types.md',
    ]);
    for (const [file, text] of files) await expect(text).toMatchFileSnapshot(path.join(snapshots, 'pages', file));
    expect(listFiles(path.join(snapshots, 'pages'))).toEqual([...files.keys()].sort());

    const index = files.get('README.md')!;
    expect(index).toContain('The agents, tools, graphs and types defined in');
    const graphs = tables(index).find((t) => t.header[0]!.trim() === 'Graph')!;
    expect(graphs.rows.map((r) => r.map((c) => c.trim()))).toEqual([
      ['[`question`](graphs/question.md)', '`ask`', 'Asks a question, waits for the answer, judges it, and asks again until the answer is right.'],
      ['[`vending_machine`](graphs/vending-machine.md)', '`insert_coin`', 'Takes coins until there is enough for the product picked, then sells it.'],
    ]);
    expect(files.get('types.md')).toContain('Used by: [`question`](graphs/question.md)');
  });

  it('draw the diagram the generated module holds, and list every node, input and edge', async () => {
    const ir = await irOf(fixture);
    const page = renderDocs(ir).get('graphs/question.md')!;
    const [diagram] = fencedBlocks(page);
    expect(diagram).toEqual({ info: 'mermaid', content: graphDiagram(ir.graphs.find((g) => g.name === 'question')!) });
    expect(page.match(/^### .*$/gm)).toEqual(['### ask', '### answer', '### evaluate', '### reprimand']);
    const edges = tables(page).find((t) => t.header[0]!.trim() === 'From')!;
    expect(
      edges.rows
        .map((r) =>
          r
            .map((c) => c.trim())
            .join(' ')
            .trim(),
        )
        .join('\n'),
    ).toBe(
      [
        '(start) `ask`',
        '`ask` `answer` Ask the question',
        '`answer` `evaluate`',
        '`evaluate` `reprimand`',
        '`evaluate` (end)',
        '`reprimand` `ask` try again',
      ].join('\n'),
    );
    expect(page).toContain('- **Runs agent:** [`ask_agent`](../agents/ask-agent.md)');
    expect(page).toContain('- **Waits:** for a reply before it runs');
  });

  it('have links that resolve, and are the same bytes on every run', async () => {
    const files = renderDocs(await irOf(fixture));
    for (const [file, text] of files) {
      for (const target of linkTargets(text)) {
        const [pathPart, anchor] = target.split('#') as [string, string | undefined];
        const page = pathPart === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), pathPart));
        expect(files.has(page), `${file} links to ${target}`).toBe(true);
        if (anchor !== undefined) expect(headingAnchors(files.get(page)!), `${file} links to ${target}`).toContain(anchor);
      }
    }
    expect([...renderDocs(await irOf(fixture))]).toEqual([...files]);
  });

  it('escape a hostile description in the diagram fence, the node section and the edges table', async () => {
    const files = renderDocs(
      await irOf({
        'defs.yaml': yaml`
          spec: schemantic/v1
          graphs:
            odd:
              description: "<script>alert(1)</script> | pipe"
              state: { type: object }
              start: a
              nodes:
                a:
                  description: "\`\`\`\\n# not a heading\\n</div>"
                  next: [{ node: b, label: "x | y <i>" }]
                b: { end: true }
        `,
      }),
    );
    const page = files.get('graphs/odd.md')!;
    expect(fencedBlocks(page).map((b) => b.info)).toEqual(['mermaid']);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; | pipe');
    expect(page).toContain('\\`\\`\\`<br># not a heading<br>&lt;/div&gt;');
    expect(page).toContain('| `a` | `b` | x \\| y &lt;i&gt; |');
  });
});

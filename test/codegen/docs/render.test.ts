/**
 * The documentation pages of a fixture corpus written to break them (a union output, a recursive
 * type, cross-file $refs, delegation, a tool without returns, hostile descriptions and names):
 * file snapshots (real .md files under __snapshots__/docs, to read), and checks that fail without
 * snapshots: every table row has its columns, no HTML gets through, every link and anchor
 * resolves, the diagram has an edge per tool and delegation, and output is deterministic.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderDocs } from '../../../codegen/targets/docs/render-docs.js';
import type { IR } from '../../../codegen/compiler/ir/types.js';
import { analyze } from '../../../codegen/compiler/analyze.js';
import { hasErrors } from '../../../codegen/compiler/problems.js';
import { folderReader, type SourceReader } from '../../../codegen/compiler/load.js';
import { isGenerated } from '../../../codegen/cli/write.js';
import { cells, fencedBlocks, headingAnchors, linesOutsideFences, linkTargets, tables, withoutCodeSpans } from './inspect-markdown.js';
import { listFiles } from '../../helpers/fs.js';

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../../..');
const corpus = path.join(here, 'fixtures/corpus');
const display = 'test/codegen/docs/fixtures/corpus';
const snapshots = path.join(here, '../__snapshots__/docs');

async function irOf(reader: SourceReader, prefix = display): Promise<IR> {
  const analysis = await analyze({ reader, displayPrefix: prefix });
  expect(analysis.problems.filter((p) => p.severity === 'error')).toEqual([]);
  expect(hasErrors(analysis.problems)).toBe(false);
  return analysis.ir;
}

function reversed(reader: SourceReader): SourceReader {
  return { list: async () => (await reader.list()).reverse(), read: reader.read };
}

let ir: IR;
let files: Map<string, string>;
beforeAll(async () => {
  ir = await irOf(folderReader(corpus));
  files = renderDocs(ir);
});

/** The mermaid block of the index: node labels by id, and its edges. */
function parseDiagram(readme: string) {
  const block = fencedBlocks(readme).find((b) => b.info === 'mermaid');
  expect(block).toBeDefined();
  const lines = block!.content.split('\n');
  expect(lines[0]).toBe('flowchart LR');
  const nodes = new Map<string, { kind: 'agent' | 'tool'; label: string }>();
  const edges: { from: string; to: string; kind: 'tool' | 'delegate' }[] = [];
  for (const line of lines.slice(1)) {
    let m: RegExpExecArray | null;
    if ((m = /^ {2}([A-Za-z0-9_]+)\(\["([^"]*)"\]\)$/.exec(line))) nodes.set(m[1]!, { kind: 'agent', label: m[2]! });
    else if ((m = /^ {2}([A-Za-z0-9_]+)\["([^"]*)"\]$/.exec(line))) nodes.set(m[1]!, { kind: 'tool', label: m[2]! });
    else if ((m = /^ {2}([A-Za-z0-9_]+) --> ([A-Za-z0-9_]+)$/.exec(line))) edges.push({ from: m[1]!, to: m[2]!, kind: 'tool' });
    else if ((m = /^ {2}([A-Za-z0-9_]+) ==>\|delegates to\| ([A-Za-z0-9_]+)$/.exec(line))) edges.push({ from: m[1]!, to: m[2]!, kind: 'delegate' });
    else throw new Error(`unexpected diagram line: ${JSON.stringify(line)}`);
  }
  return { block: block!.content, nodes, edges };
}

describe('docs pages', () => {
  it('match their snapshots, page by page (and the diagram on its own)', async () => {
    expect([...files.keys()]).toEqual([
      'README.md',
      'agents/billing-desk.md',
      'agents/end.md',
      'agents/triage.md',
      'tools/lookup-invoice.md',
      'tools/notify.md',
      'tools/reshape.md',
      'tools/x-ray.md',
      'types.md',
    ]);
    for (const [file, text] of files) await expect(text).toMatchFileSnapshot(path.join(snapshots, 'corpus', file));
    await expect(parseDiagram(files.get('README.md')!).block + '\n').toMatchFileSnapshot(path.join(snapshots, 'corpus-diagram.mmd'));
    // No snapshot is left over from a page no longer produced.
    expect(listFiles(path.join(snapshots, 'corpus'))).toEqual([...files.keys()].sort());
  });

  it('draws every agent and tool once, an arrow per tool used and a thick one per delegation', () => {
    const { nodes, edges } = parseDiagram(files.get('README.md')!);
    const idOf = (kind: 'agent' | 'tool', name: string) => [...nodes].find(([, n]) => n.kind === kind && n.label === name)?.[0];
    expect([...nodes.values()].filter((n) => n.kind === 'agent').map((n) => n.label)).toEqual(ir.agents.map((a) => a.name));
    expect([...nodes.values()].filter((n) => n.kind === 'tool').map((n) => n.label)).toEqual(ir.tools.map((t) => t.name));
    const expected = ir.agents.flatMap((a) => [
      ...a.tools.map((t) => ({ from: idOf('agent', a.name), to: idOf('tool', t), kind: 'tool' })),
      ...a.delegates.map((d) => ({ from: idOf('agent', a.name), to: idOf('agent', d), kind: 'delegate' })),
    ]);
    expect(expected.length).toBe(6);
    expect(expected.every((e) => e.from !== undefined && e.to !== undefined)).toBe(true);
    expect(edges).toEqual(expected);
    // Ids are safe whatever the names (`end` is a mermaid keyword, `x-ray` reads as an `x` arrow).
    for (const id of nodes.keys()) expect(id).toMatch(/^(agent|tool)_[A-Za-z0-9_]+$/);
    expect(new Set(nodes.keys()).size).toBe(nodes.size);
  });

  it('keeps every table row to its columns and lets no HTML through', () => {
    let rows = 0;
    for (const [file, text] of files) {
      for (const table of tables(text)) {
        for (const row of table.rows) expect(row.length, `${file}:${table.n}: ${row.join('|')}`).toBe(table.header.length);
        rows += table.rows.length;
      }
      // Outside code, the only tags are our <br> line breaks (and the banner's comment).
      const [banner, ...rest] = linesOutsideFences(text);
      expect(banner!.line).toMatch(/^<!-- Generated by Schemantic from [^>]*; do not edit\. -->$/);
      for (const { line, n } of rest) expect(withoutCodeSpans(line), `${file}:${n}`).not.toMatch(/<(?!br>)/);
    }
    expect(rows).toBeGreaterThan(40);
  });

  it('escapes a hostile description in a table cell and in a paragraph', () => {
    const index = files.get('README.md')!;
    const triage = tables(index)
      .find((t) => t.header[0]!.trim() === 'Agent')!
      .rows.find((r) => r[0]!.includes('triage'))!;
    expect(triage).toHaveLength(3);
    expect(triage[2]).toBe(" Routes a customer's request \\| to the right desk. Says \"hello\" &lt;script&gt;alert('x')&lt;/script&gt; ");
    const money = files
      .get('types.md')!
      .split('\n')
      .find((l) => l.startsWith('An amount'))!;
    expect(money).toBe('An amount | with a pipe, `code` and &lt;script&gt;alert(1)&lt;/script&gt; &amp; "quotes"<br>over two lines');
    // A description that looks like a heading and a fence stays one paragraph.
    const tool = files.get('tools/lookup-invoice.md')!;
    expect(tool).toContain('Looks up an invoice.<br><br># not a heading<br>\\`\\`\\`<br>not a fence either\n');
    expect(fencedBlocks(tool)).toEqual([]);
    // Property names with a pipe, a line break and backticks stay in their code span and cell.
    const params = tables(tool)[0]!.rows.map((r) => r[0]!.trim());
    expect(params).toEqual(expect.arrayContaining(['`["odd\\|name"]`', '`["line\\nbreak"]`', '``["`tick`"]``']));
  });

  it('never hides a rule: properties and required beside a $ref, in allOf branches, or with no rows', () => {
    const page = files.get('tools/reshape.md')!;
    const rows = new Map(tables(page).flatMap((t) => t.rows.map((r) => [r[0]!.trim(), r] as const)));
    // Parameters are a $ref to Address with its own properties and required list beside it.
    expect(rows.get('(value)')![4]).toContain('properties: `note` string');
    expect(rows.get('(value)')![4]).toContain('required: `geo`, `note`');
    // An object with required names but no properties, and one requiring a name it does not list.
    expect(rows.get('`labels`')![4]).toBe(' required: `en`<br>values: string ');
    expect(rows.get('`pair`')![4]).toContain('also required: `b`');
    // allOf is an intersection, and each branch says what it requires.
    expect(rows.get('`merged`')![4]).toContain('all of: [Address](../types.md#address) & object (properties: `extra` integer, required: `extra`)');
    expect(rows.get('`either`')![4]).toContain('any of: any (required: `street`) \\| any (required: `geo`)');
  });

  it('shows instructions as written, in a fence no line of theirs can close', () => {
    const [block] = fencedBlocks(files.get('agents/triage.md')!);
    expect(block!.info).toBe('text');
    expect(block!.content).toBe(
      'Greet {{customer.name}} and route the request.\nNever run `rm -rf` or ``` anything.\n<script>alert(1)</script>\nA literal \\{{ brace stays.',
    );
    expect(files.get('agents/triage.md')).toContain('\n````text\n');
  });

  it('has links that resolve to pages it writes, and anchors that exist on them', () => {
    let checked = 0;
    for (const [file, text] of files) {
      for (const target of linkTargets(text)) {
        expect(target, `${file}: ${target}`).not.toMatch(/^([a-z]+:|\/)/);
        const [pathPart, anchor] = target.split('#') as [string, string | undefined];
        const page = pathPart === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), pathPart));
        expect(files.has(page), `${file} links to ${target} (${page})`).toBe(true);
        if (anchor !== undefined) expect(headingAnchors(files.get(page)!), `${file} links to ${target}`).toContain(anchor);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
    // Every agent, tool and type is reachable from the index.
    const fromIndex = new Set(linkTargets(files.get('README.md')!).map((t) => t.split('#')[0]));
    for (const page of files.keys()) if (page !== 'README.md') expect(fromIndex, page).toContain(page);
  });

  it('starts every page with the banner naming its definitions files', () => {
    for (const [file, text] of files) {
      expect(isGenerated(file, text), file).toBe(true);
      expect(text.endsWith('\n') && !text.endsWith('\n\n'), file).toBe(true);
    }
    expect(files.get('agents/end.md')!.split('\n')[0]).toBe(`<!-- Generated by Schemantic from ${display}/main.yaml; do not edit. -->`);
    expect(files.get('tools/lookup-invoice.md')!.split('\n')[0]).toBe(
      `<!-- Generated by Schemantic from ${display}/main.yaml, ${display}/shared/common.yaml; do not edit. -->`,
    );
  });

  it('is byte-identical across runs and file orders, with no absolute path or time', async () => {
    const again = renderDocs(await irOf(folderReader(corpus)));
    const otherOrder = renderDocs(await irOf(reversed(folderReader(corpus))));
    expect([...again]).toEqual([...files]);
    expect([...otherOrder]).toEqual([...files]);
    for (const [file, text] of files) {
      expect(text, file).not.toContain(root);
      expect(text, file).not.toMatch(/\b20\d\d-\d\d-\d\dT\d\d:/);
    }
  });

  it('draws the shipped examples with a thick arrow per delegation', async () => {
    const shipped = renderDocs(await irOf(folderReader(path.join(root, 'schemas')), 'schemas'));
    const { edges, nodes } = parseDiagram(shipped.get('README.md')!);
    const delegations = edges.filter((e) => e.kind === 'delegate').map((e) => `${nodes.get(e.from)!.label} -> ${nodes.get(e.to)!.label}`);
    expect(delegations).toEqual(['flight_booking -> flight_search', 'flight_booking -> seat_preference']);
  });
});

describe('inspect-markdown (the checks above)', () => {
  it('splits cells at unescaped pipes only', () => {
    expect(cells('| a \\| b | `c` |')).toEqual([' a \\| b ', ' `c` ']);
  });
});

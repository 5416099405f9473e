/**
 * Markdown and mermaid escaping, one context at a time, and the discipline of the documentation
 * templates: only `each`, `if`/`else`, partials and the escaping helpers, and helpers that refuse
 * plain strings where markup is expected.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UnsafeValueError } from '../../../codegen/targets/escape.js';
import { codeSpan, escapePipes, fencedBlock, htmlCommentText, inlineText, paragraphText } from '../../../codegen/targets/docs/escape.js';
import { code, link, md, Markdown } from '../../../codegen/targets/docs/markdown.js';
import { checkedMermaidId, mermaidLabel, mermaidNodeId } from '../../../codegen/targets/docs/mermaid.js';
import { DOCS_TEMPLATE_HELPERS, docsTemplates, renderPage } from '../../../codegen/targets/docs/render-page.js';
import { Slugger } from '../../../codegen/targets/docs/slugger.js';

describe('inline text', () => {
  it('turns HTML into text and line ends into <br>', () => {
    expect(inlineText('<script>alert("x")</script> & <!-- c -->')).toBe('&lt;script&gt;alert("x")&lt;/script&gt; &amp; &lt;!-- c --&gt;');
    expect(inlineText('one\r\ntwo\rthree\u2028four\n\nfive')).toBe('one<br>two<br>three<br>four<br><br>five');
    expect(inlineText('  padded\n')).toBe('padded');
    expect(inlineText('nul\u0000 and bell\u0007')).toBe('nul  and bell');
  });

  it('keeps code spans as they are, on one line, and escapes backticks that open nothing', () => {
    expect(inlineText('use `a <b> | c` here')).toBe('use `a <b> | c` here');
    expect(inlineText('span `across\nlines` ok')).toBe('span `across lines` ok');
    expect(inlineText('a lone ` tick')).toBe('a lone \\` tick');
    expect(inlineText('``double ` inside``')).toBe('``double ` inside``');
    expect(inlineText('```')).toBe('\\`\\`\\`');
    // A lone backtick cannot pair with a code span placed after the text.
    expect(md`${'a ` b'} ${code('x')}`.text).toBe('a \\` b `x`');
  });

  it('does not let a backslash escape what it rewrites or what follows the text', () => {
    expect(inlineText('a\\<b')).toBe('a\\\\&lt;b');
    expect(inlineText('trailing\\')).toBe('trailing\\\\');
    expect(inlineText('line\\\nnext')).toBe('line\\\\<br>next');
    expect(inlineText('kept \\* and \\` and \\d')).toBe('kept \\* and \\` and \\d');
  });

  it('escapes what would start a block at the start of a paragraph', () => {
    expect(paragraphText('# heading')).toBe('\\# heading');
    expect(paragraphText('- item')).toBe('\\- item');
    expect(paragraphText('* item')).toBe('\\* item');
    expect(paragraphText('---')).toBe('\\---');
    expect(paragraphText('1. first')).toBe('1\\. first');
    expect(paragraphText('2) second')).toBe('2\\) second');
    expect(paragraphText('~~~ fence')).toBe('\\~~~ fence');
    expect(paragraphText('[ref]: https://example.com')).toBe('\\[ref]: https://example.com');
    expect(paragraphText('> quote')).toBe('&gt; quote');
    expect(paragraphText('    indented code')).toBe('indented code');
    expect(paragraphText('#hashtag and *emphasis*')).toBe('#hashtag and *emphasis*');
  });

  it('escapes pipes for table cells, inside code spans too', () => {
    expect(escapePipes(inlineText('a | `b | c`'))).toBe('a \\| `b \\| c`');
  });
});

describe('code spans and fences', () => {
  it('make a code span of anything', () => {
    expect(codeSpan('plain')).toBe('`plain`');
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('`')).toBe('`` ` ``');
    expect(codeSpan('``x')).toBe('``` ``x ```');
    expect(codeSpan(' both ')).toBe('`  both  `');
    expect(codeSpan('line\nbreak\ttab')).toBe('`line\\nbreak\\ttab`');
    expect(codeSpan('')).toBe('` `');
  });

  it('fence text with a fence longer than any backtick run in it', () => {
    expect(fencedBlock('a\n```\nb', 'text')).toBe('````text\na\n```\nb\n````');
    expect(fencedBlock('x\r\ny\n\n', 'text')).toBe('```text\nx\ny\n```');
  });

  it('keep comment text from closing the comment', () => {
    expect(htmlCommentText('a --> b\n--!> c')).toBe('a --&gt; b --!&gt; c');
  });

  it('percent-encode link targets so none can end the link', () => {
    expect(link(md`x`, 'a b)c(d.md#e').text).toBe('[x](a%20b%29c%28d.md#e)');
  });
});

describe('mermaid', () => {
  it('quotes labels and writes every special character as an entity code', () => {
    const label = mermaidLabel('a"b] #quot; <br> `md` x|y;\nend');
    expect(label).toBe('"a#34;b] #35;quot#59; #60;br#62; #96;md#96; x#124;y#59; end"');
    expect(label.slice(1, -1)).not.toMatch(/["<>`\n|]/);
  });

  it('makes distinct, safe ids for names that collide or are keywords once simplified', () => {
    const names = ['a-b', 'a_b', 'a__b', 'a_hb', 'ab', 'end', 'x-ray', 'o-ring', 'héllo'];
    const ids = names.map((n) => mermaidNodeId('agent', n));
    expect(new Set(ids).size).toBe(names.length);
    for (const id of ids) expect(checkedMermaidId(id)).toBe(id);
    expect(mermaidNodeId('tool', 'x-ray')).toBe('tool_x_hray');
    expect(() => checkedMermaidId('end')).toThrow(UnsafeValueError);
    expect(() => checkedMermaidId('agent_a --> b')).toThrow(UnsafeValueError);
  });
});

describe('anchors', () => {
  it('number repeated headings as GitHub does', () => {
    const slugger = new Slugger();
    expect(['Types', 'types', 'Tree_Node', 'a-b', 'Types'].map((h) => slugger.slug(h))).toEqual(['types', 'types-1', 'tree_node', 'a-b', 'types-2']);
  });
});

describe('documentation templates', () => {
  const dir = docsTemplates();
  const templates = [...readdirSync(dir).filter((f) => f.endsWith('.hbs')), ...readdirSync(path.join(dir, 'partials')).map((f) => `partials/${f}`)];

  it.each(templates)('%s uses only each/if, partials and the markdown helpers', (name) => {
    const text = readFileSync(path.join(dir, name), 'utf8');
    const mustaches = [...text.matchAll(/\{\{\{?([^}]*)\}?\}\}/g)].map((m) => m[1]!.trim());
    expect(mustaches.length).toBeGreaterThan(0);
    for (const m of mustaches) {
      const head = m.split(/\s+/)[0]!;
      const ok = /^[#/](each|if)$/.test(head) || head === 'else' || head.startsWith('>') || (DOCS_TEMPLATE_HELPERS as readonly string[]).includes(head);
      expect(ok, `${name}: {{${m}}}`).toBe(true);
    }
  });

  it('refuses plain strings where markup is expected, and markup where text is', () => {
    const page = {
      sources: 'x',
      title: 'Types',
      types: [
        {
          name: 'T',
          description: '',
          facts: [{ label: 'Defined in', value: '<b>x</b>' }],
          table: { typeLine: null, description: '', rows: [], emptyText: 'None.', notes: null },
          usedBy: null,
        },
      ],
    };
    expect(() => renderPage('types.md', page)).toThrow(UnsafeValueError);
    page.types[0]!.facts[0]!.value = new Markdown('`x`') as unknown as string;
    expect(renderPage('types.md', page)).toContain('- **Defined in:** `x`');
    expect(() => renderPage('types.md', { ...page, title: new Markdown('# x') })).toThrow(UnsafeValueError);
  });

  it('keeps a source path from breaking out of the banner comment', () => {
    const text = renderPage('types.md', { sources: 'evil -->\n<script>', title: 'Types', types: [] });
    expect(text.split('\n')[0]).toBe('<!-- Generated by Schemantic from evil --&gt; <script&gt;; do not edit. -->');
  });
});

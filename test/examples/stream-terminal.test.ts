/**
 * What the two stream examples draw in a terminal: the whales table (cut to the width, pending
 * cells as "…", a missing optional field as "-" once final), the markdown lines (a code fence
 * opens a block only once its line is complete), the live region's redraw (it moves back up over
 * the screen rows it drew, wrapped lines counted), and the demo models' pieces.
 */
import { describe, expect, it } from 'vitest';
import { TerminalMarkdown } from '../../examples/stream-markdown/terminal-markdown.js';
import { demoAnswer, wordPieces } from '../../examples/stream-markdown/demo-model.js';
import { LiveRegion, screenRows } from '../../examples/stream-pages/live-region.js';
import { speciesAsked } from '../../examples/stream-whales/demo-model.js';
import { whaleLine, whaleTable } from '../../examples/stream-whales/whale-table.js';
import { WHALE_SPECIES } from '../../examples/stream-whales/whale-species.js';

const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

describe('the whales table', () => {
  it('shows a whale still streaming with its pending cells, and fits the width', () => {
    const lines = whaleTable([WHALE_SPECIES[0]!, { name: 'Fin wh' }], 80);
    expect(lines[0]).toBe('Species of whale: 2 so far, streaming…');
    expect(lines[3]).toMatch(/^1 {2}Blue whale\s+25\s+140,000 {2}All major oceans {2}The largest/);
    expect(lines[4]).toMatch(/^2 {2}Fin wh\s+… +… {2}… +…$/);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
  });

  it('marks an optional field the final output leaves out with "-", and says so in the line of a finished whale', () => {
    const omura = WHALE_SPECIES.at(-1)!;
    const lines = whaleTable([omura], 120, true);
    expect(lines[0]).toBe('Species of whale: 1');
    expect(lines[3]).toMatch(/^1 {2}Omura’s whale\s+11\s+- {2}Indo-Pacific/);
    expect(whaleLine(omura, 6)).toBe('Row 7: Omura’s whale (11 m, weight not given, Indo-Pacific) - A rarely seen rorqual, named as a species only in 2003.');
  });

  it('the demo model gives as many species as the prompt asks, within what it knows', () => {
    expect(speciesAsked('Generate me details of 5 species of Whale.', 7)).toBe(5);
    expect(speciesAsked('100 whales!', 7)).toBe(7);
    expect(speciesAsked('0 whales', 7)).toBe(1);
    expect(speciesAsked('whales, please', 7)).toBe(7);
  });
});

describe('markdown in the terminal', () => {
  it('draws headings, lists, quotes and code blocks, a fence counting only once complete', () => {
    const md = new TerminalMarkdown();
    expect(plain(md.line('# Title', true))).toBe('Title');
    expect(plain(md.line('- an `item`', true))).toBe('  • an item');
    expect(plain(md.line('2. **two**', true))).toBe('  2. two');
    expect(plain(md.line('> quoted', true))).toBe('│ quoted');
    // A fence still being written draws as a fence but opens nothing yet.
    expect(plain(md.line('```ya', false))).toBe('╭─ ya');
    expect(plain(md.line('# not code', true))).toBe('not code');
    expect(plain(md.line('```yaml', true))).toBe('╭─ yaml');
    expect(plain(md.line('# inside code', true))).toBe('│ # inside code');
    expect(plain(md.line('```', true))).toBe('╰─');
    expect(plain(md.line('# Title again', true))).toBe('Title again');
  });

  it('the demo answer streams in pieces that join back into it', () => {
    const answer = demoAnswer('Why?');
    const pieces = wordPieces(answer);
    expect(pieces.length).toBeGreaterThan(100);
    expect(pieces.join('')).toBe(answer);
    expect(answer).toContain('> You asked: Why?\n');
  });
});

describe('the live region', () => {
  it('moves back up over the rows it drew (a wrapped line counts twice) before drawing again; kept lines stay', () => {
    const written: string[] = [];
    const out = { columns: 10, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    const live = new LiveRegion(out);
    live.update(['short', 'a line longer than ten']);
    live.update(['x'], ['settled']);
    live.update(['y']);
    live.keep();
    live.update(['z']);
    expect(written).toEqual(['short\na line longer than ten\n', '\x1b[4F\x1b[0Jsettled\nx\n', '\x1b[1F\x1b[0Jy\n', 'z\n']);
    expect(screenRows('\x1b[1mten chars!\x1b[0m', 10)).toBe(1);
    expect(screenRows('', 10)).toBe(1);
  });
});

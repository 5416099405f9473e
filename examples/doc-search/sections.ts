/**
 * Markdown split the way a documentation search wants it: a page into sections at its headings
 * (each section a page of the store, with its own anchor), and a section into chunks of bounded
 * size, at paragraph boundaries where it can, never leaving a code block open.
 */

/** One section of a markdown file: a heading and what follows it up to the next heading. */
export interface Section {
  /** The headings above it and its own, outermost first (`['Schemantic', 'Streaming']`). */
  headings: string[];
  /** Its anchor, as GitHub makes them (`streaming`, a second `usage` is `usage-1`); '' for text before any heading. */
  anchor: string;
  /** Its markdown, the heading line included, without blank lines at either end. */
  text: string;
}

/** The deepest heading level that starts a section; deeper ones stay inside their section. */
const SECTION_LEVEL = 3;

/**
 * A section shorter than this joins the one before it in its file: a heading over one table row
 * ("## Returns") is no page of its own, and its few words would match a query's like a whole page.
 */
export const MIN_SECTION_CHARS = 400;

/**
 * Splits a markdown file into sections at its headings (`#` to `###`), ignoring `#` lines in code
 * blocks and whole-line HTML comments, and joining each section shorter than `minChars` to the one
 * before it.
 */
export function splitSections(markdown: string, minChars = MIN_SECTION_CHARS): Section[] {
  const sections: Section[] = [];
  const trail: string[] = [];
  // The anchor '' is the page itself, the text before the first heading: no heading gets it.
  const used = new Map<string, number>([['', 0]]);
  let current: { headings: string[]; anchor: string; lines: string[] } = { headings: [], anchor: '', lines: [] };
  const fence = fenceTracker();
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const inCode = fence.inside(line);
    if (!inCode && /^\s*<!--.*-->\s*$/.test(line)) continue;
    const heading = inCode ? undefined : /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading && heading[1]!.length <= SECTION_LEVEL) {
      sections.push(finish(current));
      const level = heading[1]!.length;
      const title = plainHeading(heading[2]!);
      trail.length = level - 1;
      trail[level - 1] = title;
      current = { headings: trail.filter((t) => t !== undefined), anchor: uniqueAnchor(slug(title), used), lines: [line] };
    } else current.lines.push(line);
  }
  sections.push(finish(current));
  const kept: Section[] = [];
  for (const section of sections) {
    if (section.text === '') continue;
    const previous = kept.at(-1);
    if (previous && section.text.length < minChars) previous.text += `\n\n${section.text}`;
    else kept.push(section);
  }
  // A heading with nothing under it (and nothing joined to it) has nothing to search.
  return kept.filter((s) => s.headings.length === 0 || s.text.includes('\n'));
}

/**
 * Splits text into chunks of at most `maxChars` characters, in order: whole paragraphs and code
 * blocks where they fit, a long one cut at lines (a code block's pieces each get its fence
 * again), a line longer than a chunk cut at a space. A heading never ends a chunk: it starts
 * the next one. Joined with blank lines, the chunks give the text back (up to blank lines, and
 * the fences repeated around a long code block's pieces).
 */
export function chunkText(text: string, maxChars: number): string[] {
  if (!Number.isInteger(maxChars) || maxChars < 80) throw new RangeError(`maxChars must be a whole number of at least 80, not ${maxChars}`);
  const chunks: string[] = [];
  let current = '';
  const flush = () => {
    if (current !== '') chunks.push(current);
    current = '';
  };
  for (const block of blocks(text)) {
    if (current !== '' && current.length + 2 + block.text.length <= maxChars) {
      current += `\n\n${block.text}`;
      continue;
    }
    // A heading alone is no chunk: it goes with the start of what follows it.
    const heading = /^#{1,6} [^\n]*$/.test(current) && current.length + 2 < maxChars / 2 ? `${current}\n\n` : '';
    if (heading === '') flush();
    const room = maxChars - heading.length;
    if (block.text.length <= room) current = heading + block.text;
    else {
      const pieces = block.fence ? splitFenced(block.text, room) : packLines(block.text.split('\n'), room);
      chunks.push(heading + pieces[0]!, ...pieces.slice(1, -1));
      current = pieces.length > 1 ? pieces.at(-1)! : '';
    }
  }
  flush();
  return chunks;
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
export function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

/** The section being read, as a finished {@link Section}. */
function finish(current: { headings: string[]; anchor: string; lines: string[] }): Section {
  return { headings: current.headings, anchor: current.anchor, text: current.lines.join('\n').trim() };
}

/** A heading's text without its markdown: links as their text, no `*` emphasis (`_` is left: it is in names). */
function plainHeading(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\*\*?(\S[^*]*)\*\*?/g, '$1')
    .trim();
}

/** `anchor`, or `anchor-1`, `anchor-2`... when the page already has it. */
function uniqueAnchor(anchor: string, used: Map<string, number>): string {
  let unique = anchor;
  // A heading "Usage 1" takes `usage-1` as a second "Usage" would: count on until one is free, as GitHub does.
  while (used.has(unique)) {
    const count = used.get(anchor)! + 1;
    used.set(anchor, count);
    unique = `${anchor}-${count}`;
  }
  used.set(unique, 0);
  return unique;
}

/** Follows fenced code blocks (``` or ~~~) line by line. */
function fenceTracker(): { inside(line: string): boolean; isOpen(): boolean } {
  let open: string | undefined;
  return {
    /** Whether a code block is open after the lines seen so far. */
    isOpen: () => open !== undefined,
    /** Whether `line` belongs to a code block (its fences included). */
    inside(line) {
      const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
      if (open === undefined) {
        if (marker) open = marker;
        return marker !== undefined;
      }
      if (marker && marker[0] === open[0] && marker.length >= open.length && line.trim() === marker) open = undefined;
      return true;
    },
  };
}

/** The text's paragraphs and code blocks, in order. */
function blocks(text: string): { text: string; fence: boolean }[] {
  const found: { text: string; fence: boolean }[] = [];
  const fence = fenceTracker();
  let lines: string[] = [];
  let inFence = false;
  const end = () => {
    if (lines.length > 0) found.push({ text: lines.join('\n'), fence: inFence });
    lines = [];
    inFence = false;
  };
  for (const line of text.split('\n')) {
    const inside = fence.inside(line);
    if (inside) {
      if (!inFence) end();
      inFence = true;
      lines.push(line);
      // The closing fence ends the block, even when another one opens on the next line.
      if (!fence.isOpen()) end();
      continue;
    }
    if (inFence) end();
    inFence = false;
    if (line.trim() === '') end();
    else lines.push(line);
  }
  end();
  return found;
}

/** A code block longer than a chunk, as pieces that each open and close its fence. */
function splitFenced(text: string, maxChars: number): string[] {
  const lines = text.split('\n');
  const open = lines[0]!;
  const last = lines.at(-1)!;
  const closed = lines.length > 1 && last.trim().length >= 3 && /^ {0,3}(`{3,}|~{3,})\s*$/.test(last);
  const close = closed ? last : (/^ {0,3}(`{3,}|~{3,})/.exec(open)?.[1] ?? '```');
  const inner = lines.slice(1, closed ? -1 : undefined);
  const budget = Math.max(40, maxChars - open.length - close.length - 2);
  return packLines(inner, budget).map((piece) => `${open}\n${piece}\n${close}`);
}

/** Lines packed into pieces of at most `maxChars`; a longer line is cut, at a space if there is one. */
function packLines(lines: readonly string[], maxChars: number): string[] {
  const pieces: string[] = [];
  let current: string | undefined;
  for (const whole of lines) {
    for (const line of cutLine(whole, maxChars)) {
      if (current !== undefined && current.length + 1 + line.length <= maxChars) current += `\n${line}`;
      else {
        if (current !== undefined) pieces.push(current);
        current = line;
      }
    }
  }
  if (current !== undefined) pieces.push(current);
  return pieces;
}

/** A line as pieces of at most `maxChars`, cut after the last space that fits when there is one. */
function cutLine(line: string, maxChars: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > maxChars) {
    const space = rest.lastIndexOf(' ', maxChars - 1);
    const at = space > maxChars / 2 ? space + 1 : maxChars;
    pieces.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at);
  }
  pieces.push(rest);
  return pieces;
}

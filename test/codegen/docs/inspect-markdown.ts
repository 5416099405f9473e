/**
 * Reading generated pages the way a markdown renderer would, just enough to check them: fenced
 * blocks, code spans, table rows, links and heading anchors. Written independently of
 * codegen/docs, so a mistake there is not repeated here.
 */

/** The lines of a page outside fenced code blocks, with their line numbers. */
export function linesOutsideFences(text: string): { line: string; n: number }[] {
  const out: { line: string; n: number }[] = [];
  let fence: string | undefined;
  text.split('\n').forEach((line, i) => {
    const m = /^(`{3,}|~{3,})/.exec(line);
    if (fence === undefined && m) fence = m[1];
    else if (fence !== undefined && m && m[1]![0] === fence[0] && m[1]!.length >= fence.length && line.trim() === m[1]) fence = undefined;
    else if (fence === undefined) out.push({ line, n: i + 1 });
  });
  return out;
}

/** The fenced blocks of a page: info string and content. */
export function fencedBlocks(text: string): { info: string; content: string }[] {
  const blocks: { info: string; content: string }[] = [];
  const re = /^(`{3,})(.*)\n([\s\S]*?)\n\1$/gm;
  for (const m of text.matchAll(re)) blocks.push({ info: m[2]!, content: m[3]! });
  return blocks;
}

/** A line with its code spans removed (CommonMark pairing: runs of equal length), and escaped backticks. */
export function withoutCodeSpans(line: string): string {
  let out = '';
  for (let i = 0; i < line.length;) {
    if (line[i] === '\\' && line[i + 1] !== undefined) {
      out += line.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (line[i] !== '`') {
      out += line[i++];
      continue;
    }
    let run = 0;
    while (line[i + run] === '`') run++;
    let j = i + run;
    let close = -1;
    while (j < line.length) {
      if (line[j] !== '`') {
        j++;
        continue;
      }
      let r = 0;
      while (line[j + r] === '`') r++;
      if (r === run) {
        close = j;
        break;
      }
      j += r;
    }
    if (close < 0) {
      out += line.slice(i, i + run);
      i += run;
    } else {
      out += '(code)';
      i = close + run;
    }
  }
  return out;
}

/** The cells of a table row, split at every pipe not escaped with a backslash (as GitHub does). */
export function cells(row: string): string[] {
  return row.split(/(?<!\\)\|/).slice(1, -1);
}

/** Every table of a page: its header cells and rows (cells), outside fences. */
export function tables(text: string): { header: string[]; rows: string[][]; n: number }[] {
  const lines = linesOutsideFences(text);
  const found: { header: string[]; rows: string[][]; n: number }[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i]!.line.startsWith('|') || !/^\|( --- \|)+$/.test(lines[i + 1]!.line)) continue;
    const table = { header: cells(lines[i]!.line), rows: [] as string[][], n: lines[i]!.n };
    let j = i + 2;
    for (; j < lines.length && lines[j]!.line.startsWith('|'); j++) table.rows.push(cells(lines[j]!.line));
    found.push(table);
    i = j;
  }
  return found;
}

/** Every link target of a page outside fences and code spans. */
export function linkTargets(text: string): string[] {
  const targets: string[] = [];
  for (const { line } of linesOutsideFences(text)) {
    for (const m of withoutCodeSpans(line).matchAll(/\]\(([^)\s]*)\)/g)) targets.push(m[1]!);
  }
  return targets;
}

/** The anchors GitHub gives a page's headings, in order (repeated slugs numbered -1, -2, ...). */
export function headingAnchors(text: string): string[] {
  const counts = new Map<string, number>();
  const anchors: string[] = [];
  for (const { line } of linesOutsideFences(text)) {
    const m = /^#{1,6} (.*)$/.exec(line);
    if (!m) continue;
    const base = m[1]!
      .replace(/`/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9 _-]/g, '')
      .replace(/ /g, '-');
    const seen = counts.get(base);
    anchors.push(seen === undefined ? base : `${base}-${seen + 1}`);
    counts.set(base, (seen ?? -1) + 1);
  }
  return anchors;
}

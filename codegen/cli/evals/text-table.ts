/**
 * A table laid out in fixed-width columns for a terminal: cells padded with spaces, a rule under
 * the header, colour (when wanted) added after padding so that it never counts as width.
 */
import { pad, textWidth, truncate } from './terminal-text.js';

/** How a cell is coloured on a terminal. */
export type Tone = 'pass' | 'fail' | 'warn' | 'muted' | 'strong';

/** One cell: terminal-safe text, already cut to what the column may hold. */
export interface TextCell {
  text: string;
  tone?: Tone;
}

/** One column. */
export interface TextColumn {
  header: string;
  align: 'left' | 'right';
  cells: TextCell[];
  /** The most columns the column may take; wider cells are cut in the middle. */
  maxWidth?: number;
}

const SGR: Record<Tone, [number, number]> = { pass: [32, 39], fail: [31, 39], warn: [33, 39], muted: [2, 22], strong: [1, 22] };

/** `text` in the tone's colour, when colour is on. */
export function paint(text: string, tone: Tone | undefined, color: boolean): string {
  if (!color || tone === undefined || text === '') return text;
  const [on, off] = SGR[tone];
  return `\u001b[${on}m${text}\u001b[${off}m`;
}

/** Between two columns. */
export const GAP = '  ';

/** The width a column takes: its widest cell or header, up to its maximum. */
export function columnWidth(column: TextColumn): number {
  const natural = Math.max(textWidth(column.header), ...column.cells.map((c) => textWidth(c.text)));
  return column.maxWidth === undefined ? natural : Math.min(natural, column.maxWidth);
}

/** The table's lines: header, rule, one line per row. */
export function layoutTable(columns: readonly TextColumn[], color: boolean): string[] {
  const widths = columns.map(columnWidth);
  const rows = Math.max(0, ...columns.map((c) => c.cells.length));
  const line = (cells: TextCell[]) =>
    cells
      .map((cell, i) => paint(pad(truncate(cell.text, widths[i]!, 'middle'), widths[i]!, columns[i]!.align), cell.tone, color))
      .join(GAP)
      .trimEnd();
  const lines = [line(columns.map((c) => ({ text: c.header, tone: 'strong' as const })))];
  lines.push(paint(widths.map((w) => '─'.repeat(w)).join(GAP), 'muted', color));
  for (let r = 0; r < rows; r++) lines.push(line(columns.map((c) => c.cells[r] ?? { text: '' })));
  return lines;
}

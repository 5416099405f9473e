/**
 * The whales as a plain-text table for the terminal, drawn from the output as it streams: a row
 * for each whale begun, its missing cells shown as "…" until they arrive. Every line is cut to
 * the width given, so that redrawing in place can count lines (a wrapped line would be two).
 */
import type { DeepPartial } from 'schemantic';
import type { Whale } from '../../generated/types/stream-whales.js';
import { printable } from '../stream-pages/live-region.js';

/** A whale as it streams in: any field may still be missing. */
export type PartialWhale = DeepPartial<Whale>;

/** What a cell shows until its value arrives. */
export const PENDING = '…';

const COLUMNS = [
  { title: '#', align: 'right' },
  { title: 'Name', align: 'left' },
  { title: 'Avg. length (m)', align: 'right' },
  { title: 'Avg. weight (kg)', align: 'right' },
  { title: 'Ocean', align: 'left' },
  { title: 'Description', align: 'left' },
] as const;

/** A number as the table shows it: thousands separated, at most one decimal. */
export function formatNumber(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/** What a cell shows when the final output has no value for it (an optional field left out). */
export const NOT_GIVEN = '-';

/** The cells of one row, in column order; `missing` stands for a value not (yet) there. */
export function whaleCells(whale: PartialWhale, index: number, missing = PENDING): string[] {
  const number = (value: number | undefined) => (value === undefined ? missing : formatNumber(value));
  const text = (value: string | undefined) => (value ? printable(value) : missing);
  return [String(index + 1), text(whale.name), number(whale.length), number(whale.weight), text(whale.ocean), text(whale.description)];
}

/** `text` cut to `width` characters, an ellipsis marking the cut. */
function fit(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const room = Math.max(0, width - [...text].length);
  return align === 'right' ? ' '.repeat(room) + text : text + ' '.repeat(room);
}

/**
 * The table's lines: a title, the header, a rule, one line per whale, at most `width` characters
 * each (the description column takes the room the others leave); `done` once the output is final.
 */
export function whaleTable(whales: readonly PartialWhale[], width = 120, done = false): string[] {
  const rows = whales.map((whale, i) => whaleCells(whale, i, done ? NOT_GIVEN : PENDING));
  const widths = COLUMNS.map((column, i) => Math.max([...column.title].length, ...rows.map((row) => [...row[i]!].length)));
  const fixed = widths.slice(0, -1).reduce((sum, w) => sum + w + 2, 0);
  widths[widths.length - 1] = Math.max(12, Math.min(widths.at(-1)!, width - fixed));
  const line = (cells: readonly string[]) => fit(cells.map((cell, i) => pad(fit(cell, widths[i]!), widths[i]!, COLUMNS[i]!.align)).join('  '), width).trimEnd();
  return [
    fit(`Species of whale: ${whales.length}${done ? '' : ' so far, streaming…'}`, width),
    line(COLUMNS.map((c) => c.title)),
    fit(widths.map((w) => '-'.repeat(w)).join('  '), width),
    ...rows.map(line),
  ];
}

/** One finished whale in a sentence, for output that is not a terminal (a log, a pipe). */
export function whaleLine(whale: PartialWhale, index: number): string {
  const weight = whale.weight === undefined ? 'weight not given' : `${formatNumber(whale.weight)} kg`;
  const facts = [whale.length === undefined ? 'length not given' : `${formatNumber(whale.length)} m`, weight, whale.ocean ?? 'ocean not given'].join(', ');
  return printable(`Row ${index + 1}: ${whale.name ?? PENDING} (${facts})${whale.description ? ` - ${whale.description}` : ''}`);
}

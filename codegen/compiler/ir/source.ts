/**
 * Where an IR element was written, as the IR records it.
 */
import type { Located } from '../resolved-corpus.js';
import type { IRSource } from './types.js';

/** The IR source of a location: its file and pointer, and the line and column of its key. */
export function sourceOf(loc: Located): IRSource {
  const pos = loc.file.positions.find(loc.pointer, 'key');
  return { file: loc.file.display, rel: loc.file.rel, pointer: loc.pointer, line: pos.line, col: pos.col };
}

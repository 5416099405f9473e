/**
 * Markdown drawn for a terminal, a line at a time, the way the reference's example uses `rich`:
 * headings bold, list items with bullets, quotes and code blocks set off by a bar, inline code in
 * colour. Line by line because the text streams: a finished line is drawn once and kept, only the
 * line still being written is redrawn. Enough markdown for a model's answers, not all of it.
 */
import { printable } from '../stream-pages/live-region.js';

const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';
const ITALIC = '\x1b[3m';
const UNDERLINE = '\x1b[4m';
const CYAN = '\x1b[36m';
const RESET = '\x1b[0m';

/** Inline markdown (`code`, **bold**, *italic*) as terminal styles. */
export function inlineStyles(text: string): string {
  return text
    .replace(/`([^`]+)`/g, `${CYAN}$1${RESET}`)
    .replace(/\*\*([^*]+)\*\*/g, `${BOLD}$1${RESET}`)
    .replace(/(^|[\s(])[*_]([^*_\s][^*_]*)[*_](?=[\s).,;:!?]|$)/g, `$1${ITALIC}$2${RESET}`);
}

/** Turns markdown lines into terminal lines, remembering whether a code block is open. */
export class TerminalMarkdown {
  /** The language of the open code block, or undefined outside one. */
  private code: string | undefined;

  /**
   * The terminal form of `line` (without its line break). `complete`: the line is finished, so a
   * code fence in it opens or closes a block; a line still streaming changes nothing.
   */
  line(text: string, complete: boolean): string {
    // The model's own escape sequences go; the styles below are the only ones drawn.
    const line = printable(text);
    const fence = /^\s*```(.*)$/.exec(line);
    if (fence) {
      const opening = this.code === undefined;
      const language = fence[1]!.trim();
      if (complete) this.code = opening ? language : undefined;
      return opening ? `${DIM}╭─ ${language || 'code'}${RESET}` : `${DIM}╰─${RESET}`;
    }
    if (this.code !== undefined) return `${DIM}│${RESET} ${CYAN}${line}${RESET}`;
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) return heading[1]!.length === 1 ? `${BOLD}${UNDERLINE}${heading[2]}${RESET}` : `${BOLD}${heading[2]}${RESET}`;
    const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
    if (bullet) return `${bullet[1]}  • ${inlineStyles(bullet[2]!)}`;
    const numbered = /^(\s*)(\d+)[.)]\s+(.*)$/.exec(line);
    if (numbered) return `${numbered[1]}  ${numbered[2]}. ${inlineStyles(numbered[3]!)}`;
    const quote = /^>\s?(.*)$/.exec(line);
    if (quote) return `${DIM}│ ${ITALIC}${quote[1]}${RESET}`;
    return inlineStyles(line);
  }
}

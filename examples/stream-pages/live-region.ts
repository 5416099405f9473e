/**
 * The last lines of a terminal, redrawn in place as a stream goes on (the whales table, the
 * markdown line being written): each update moves the cursor back up over what the last one drew,
 * clears to the end of the screen and draws again. Only for a TTY: a pipe or a log file would
 * keep every escape code and every version of the lines.
 */

/** Matches the escape sequences that colour text: they take no room on screen. */
const ANSI = /\x1b\[[0-9;]*m/g;

/**
 * A model's text made safe to draw: its control characters (escape sequences, which can set the
 * clipboard or the window title, move the cursor or clear the screen; line breaks, which would
 * throw off the rows a redraw counts) each become a space.
 */
export function printable(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, ' ');
}

/** How many screen rows `line` takes in a terminal `columns` wide (a long line wraps). */
export function screenRows(line: string, columns: number): number {
  const width = [...line.replace(ANSI, '')].length;
  return Math.max(1, Math.ceil(width / Math.max(1, columns)));
}

/** A block of lines at the bottom of a terminal that can be redrawn. */
export class LiveRegion {
  /** Screen rows the block took when last drawn. */
  private rows = 0;

  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {}

  /**
   * Replaces the block with `lines`. `settled` lines are written first, above it, and stay: they
   * are not redrawn again (the markdown lines already complete).
   */
  update(lines: readonly string[], settled: readonly string[] = []): void {
    const columns = this.out.columns || 80;
    // ESC[nF: to the start of the line n rows up; ESC[0J: clear from there to the end of the screen.
    const erase = this.rows > 0 ? `\x1b[${this.rows}F\x1b[0J` : '';
    const text = [...settled, ...lines].map((line) => `${line}\n`).join('');
    this.out.write(erase + text);
    this.rows = lines.reduce((sum, line) => sum + screenRows(line, columns), 0);
  }

  /** Leaves what is drawn as it is: the next update starts below it. */
  keep(): void {
    this.rows = 0;
  }
}

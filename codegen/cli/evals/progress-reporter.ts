/**
 * Progress of an eval run on stderr: a bar redrawn in place on a terminal, plain lines
 * otherwise (a CI log keeps every line; a bar's carriage returns would garble it).
 */
import { terminalText } from './terminal-text.js';
import type { EvalProgress } from 'schemantic/internal';

/** What the runner reports as runs start, retry and end. */
export type ProgressStep = EvalProgress;

/** Draws progress; `finish` clears the bar before the report prints. */
export interface ProgressReporter {
  step(progress: ProgressStep): void;
  finish(): void;
}

const BAR_WIDTH = 24;

/**
 * A reporter: a bar redrawn through `redraw` when it is given (a terminal), else one line per
 * ended or retried run through `line`.
 */
export function progressReporter(line: (text: string) => void, redraw: ((text: string) => void) | undefined, repeat: number): ProgressReporter {
  let failed = 0;
  let drawn = false;
  // Names and errors come from datasets and servers: escapes and line ends are shown, never passed to the terminal or the log.
  const label = (p: ProgressStep) => terminalText(`${p.dataset}/${p.case}`) + (repeat > 1 ? ` [run ${p.repeat + 1}]` : '');
  return {
    step(p) {
      if (p.kind === 'end' && p.status !== 'passed' && p.status !== 'cancelled') failed += 1;
      if (!redraw) {
        if (p.kind === 'end') line(`[${p.done}/${p.total}] ${label(p)}: ${p.status}`);
        if (p.kind === 'retry') line(`retrying ${label(p)}: ${terminalText(p.error ?? 'transport error')}`);
        return;
      }
      const filled = p.total === 0 ? BAR_WIDTH : Math.round((p.done / p.total) * BAR_WIDTH);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
      const text = `${bar} ${p.done}/${p.total} runs · ${failed} not passed · ${p.inFlight} in flight · ${label(p)}`;
      // \x1b[2K clears the line, so a shorter line leaves nothing of the last one.
      redraw(`\r\x1b[2K${text.slice(0, (process.stderr.columns || 100) - 1)}`);
      drawn = true;
    },
    finish() {
      if (redraw && drawn) redraw('\r\x1b[2K');
    },
  };
}

/**
 * The user's side of the graph examples (examples/question-graph.ts, examples/vending-machine.ts):
 * one line of stdin per question. On a terminal it prompts and waits for the user; otherwise
 * (a script piped in, a test) it reads the next line and echoes it after the prompt, so that the
 * output reads as a transcript. At the end of the input it answers `undefined`.
 */
import { createInterface } from 'node:readline';

/** Lines of stdin, read one at a time. */
export interface StdinLines {
  /** Whether stdin is a terminal (a person types the answers). */
  readonly interactive: boolean;
  /** The next line without its end of line, after showing `prompt`; undefined at the end of the input. */
  read(prompt: string): Promise<string | undefined>;
  /** Stops reading (the process can then end with input left unread). */
  close(): void;
}

/** Reads stdin line by line. */
export function stdinLines(): StdinLines {
  const interactive = process.stdin.isTTY === true;
  const rl = createInterface({ input: process.stdin, ...(interactive ? { output: process.stdout, terminal: true } : { terminal: false }) });
  // Lines are queued as they come (a pipe delivers them all at once), and handed out one per read.
  const queue: string[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  rl.on('line', (line) => {
    queue.push(line);
    wake?.();
  });
  rl.on('close', () => {
    ended = true;
    wake?.();
  });
  return {
    interactive,
    async read(prompt) {
      if (interactive) {
        rl.setPrompt(prompt);
        rl.prompt();
      }
      while (queue.length === 0 && !ended) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      const line = queue.shift();
      if (line === undefined) {
        if (interactive) process.stdout.write('\n');
        return undefined;
      }
      if (!interactive) console.log(`${prompt}${line}`);
      return line;
    },
    close() {
      rl.close();
    },
  };
}

/**
 * The user's side of the flight booking: the answers to its questions. By default they are
 * scripted (so `npm run example:flight-booking` runs on its own and prints a transcript); with
 * `--interactive` they are read from stdin, typed at a terminal or piped in.
 */
import { stdinLines } from '../stdin-lines.js';

/** Answers to the booking's questions. */
export interface Prompts {
  /** Shows `question` and returns the answer; undefined when there are no more answers. */
  ask(question: string): Promise<string | undefined>;
  /** Lets go of the input (stdin), so that the process can end. */
  close(): void;
}

/**
 * The answers of the default run: turn down the first flight, buy the second, then give a seat
 * the agent cannot read (no row) before one it can.
 */
export const SCRIPTED_ANSWERS: readonly string[] = ['n', 'y', 'window seat please', 'row 1 seat A'];

/** Answers from a list, each printed after its question as if typed, so the output reads as a transcript. */
export function scriptedPrompts(answers: readonly string[], print: (line: string) => void): Prompts {
  let next = 0;
  return {
    async ask(question) {
      const answer = answers[next];
      if (answer === undefined) return undefined;
      next += 1;
      print(`${question}${answer}`);
      return answer;
    },
    close() {},
  };
}

/** Answers from stdin, one a line. */
export function stdinPrompts(): Prompts {
  const lines = stdinLines();
  return { ask: (question) => lines.read(question), close: () => lines.close() };
}

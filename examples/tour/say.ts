/** How the tour (examples/start.ts) writes: a numbered heading per step, then indented lines. */

/** Prints a step's heading: its number, what it shows, and where its full example lives. */
export function step(n: number, of: number, title: string, where: string): void {
  console.log(`\n${n}/${of}  ${title}`);
  console.log(`     (the full example: ${where})`);
}

/** Prints lines under the current step, indented. */
export function say(...lines: string[]): void {
  for (const line of lines) for (const part of line.split('\n')) console.log(`     ${part}`);
}

/** Milliseconds as seconds, for people. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * `npm run example:stream-whales` and `npm run example:stream-markdown` as a user runs them: child
 * processes from the repository root, with no provider configured (so the scripted models answer)
 * and stdout a pipe (so the whales print a line per finished whale and the markdown streams as
 * text). Exit codes and key lines asserted; a blank --prompt is refused.
 */
import { describe, expect, it } from 'vitest';
import { demoAnswer } from '../../examples/stream-markdown/demo-model.js';
import { runNpmScript } from '../helpers/example-process.js';

/** Runs an npm script with `args` and no provider configured. */
const runScript = (script: string, args: readonly string[] = []) => runNpmScript(script, args, { input: '' });

describe('npm run example:stream-whales', () => {
  it('prints each whale once complete, then the table, and exits 0', async () => {
    const ran = await runScript('example:stream-whales');
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    const lines = ran.stdout.split('\n');
    for (const line of [
      'Model: a scripted demo model that streams seven species as a provider would (set OPENAI_API_KEY or ANTHROPIC_API_KEY for a real one).',
      'Asking: Generate me details of 7 species of whale.',
      'Row 1: Blue whale (25 m, 140,000 kg, All major oceans) - The largest animal known to have lived; feeds almost only on krill.',
      'Row 6: Narwhal (4.5 m, 1,300 kg, Arctic Ocean) - Small toothed whale; most males grow a spiral tusk up to 3 m long.',
      'Row 7: Omura’s whale (11 m, weight not given, Indo-Pacific) - A rarely seen rorqual, named as a species only in 2003.',
      'Species of whale: 7',
    ])
      expect(lines).toContain(line);
    // Rows in order, each printed once; the table's rows follow.
    expect(lines.filter((l) => l.startsWith('Row ')).map((l) => l.split(':')[0])).toEqual(['Row 1', 'Row 2', 'Row 3', 'Row 4', 'Row 5', 'Row 6', 'Row 7']);
    expect(lines).toContainEqual(expect.stringMatching(/^7 {2}Omura’s whale {3}\s+11\s+- {2}Indo-Pacific/));
    expect(ran.stdout).toMatch(/Done: 7 species, validated against the Whale schema, after \d+ partial updates \(1 model request, \d+ tokens\)\./);
    // A pipe gets no terminal escape codes.
    expect(ran.stdout).not.toContain('\x1b[');
  });

  it('--prompt asks for fewer whales; a blank --prompt is refused with exit code 1', async () => {
    const three = await runScript('example:stream-whales', ['--prompt', 'Give me 3 whales']);
    expect(three.code).toBe(0);
    expect(three.stdout).toContain('Row 3: Sperm whale');
    expect(three.stdout).not.toContain('Row 4:');
    const blank = await runScript('example:stream-whales', ['--prompt', '  ']);
    expect(blank.code).toBe(1);
    expect(blank.stderr).toContain('stream-whales example failed: --prompt needs a question');
  });
});

describe('npm run example:stream-markdown', () => {
  it('streams the markdown answer as text and exits 0', async () => {
    const ran = await runScript('example:stream-markdown');
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain(
      'Model: a scripted demo model that streams a markdown answer word by word (set OPENAI_API_KEY or ANTHROPIC_API_KEY for a real one).\nAsking: Show me a short example of using Schemantic.\n',
    );
    // Piped, the markdown itself is written, exactly as the model streamed it.
    const answer = demoAnswer('Show me a short example of using Schemantic.');
    expect(ran.stdout).toContain(answer);
    expect(answer).toMatch(/^# A first Schemantic agent\n/);
    expect(ran.stdout).toMatch(new RegExp(`Done: ${answer.length} characters of markdown in \\d+ streamed pieces \\(1 model request, \\d+ tokens\\)\\.`));
    expect(ran.stdout).not.toContain('\x1b[');
  });

  it('a blank --prompt is refused with exit code 1', async () => {
    const blank = await runScript('example:stream-markdown', ['--prompt', '']);
    expect(blank.code).toBe(1);
    expect(blank.stderr).toContain('stream-markdown example failed: --prompt needs a question');
  });
});

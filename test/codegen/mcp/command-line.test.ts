/**
 * `--mcp "<command line>"` split into a program and its arguments as a POSIX shell splits words,
 * with nothing expanded, and joined back (for messages) into a line that splits the same way.
 */
import { describe, expect, it } from 'vitest';
import { joinCommandLine, splitCommandLine } from '../../../codegen/cli/pull/command-line.js';

describe('splitCommandLine', () => {
  it.each([
    ['node server.js stdio', ['node', 'server.js', 'stdio']],
    ['  npx   -y  @modelcontextprotocol/server-everything ', ['npx', '-y', '@modelcontextprotocol/server-everything']],
    [`node 'my server.js' "--name=a b" plain\\ space`, ['node', 'my server.js', '--name=a b', 'plain space']],
    [`echo "a \\"quoted\\" \\$word" 'single \\n kept'`, ['echo', 'a "quoted" $word', 'single \\n kept']],
    [`cmd '' ""`, ['cmd', '', '']],
    [`DRIFT=required-arg node $HOME/x ~/y *.js`, ['DRIFT=required-arg', 'node', '$HOME/x', '~/y', '*.js']],
  ])('%s', (line, words) => {
    expect(splitCommandLine(line)).toEqual({ words });
  });

  it.each([
    ["node 'open", 'a single quote is not closed'],
    ['node "open', 'a double quote is not closed'],
    ['node trailing\\', 'the line ends with a backslash'],
    ['   ', 'it is empty'],
  ])('%s: %s', (line, error) => {
    expect(splitCommandLine(line)).toEqual({ error });
  });
});

describe('joinCommandLine', () => {
  it('quotes only the words that need it, so the line splits back into them', () => {
    const words = ['node', 'my server.js', "it's", '--flag=1', ''];
    const line = joinCommandLine(words);
    expect(line).toBe(`node 'my server.js' 'it'\\''s' --flag=1 ''`);
    expect(splitCommandLine(line)).toEqual({ words });
  });
});

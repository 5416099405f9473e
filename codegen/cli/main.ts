/**
 * The `schemantic` command line: parses the flags of a command, answers `--help` and
 * `--version`, loads the configuration, and runs the command (commands/).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from './config.js';
import type { Command } from './commands/command.js';
import { printProblems, processIo, type Io } from './commands/output.js';
import { VERSION } from 'schemantic/internal';

/**
 * Every command, in the order `--help` lists them. A command's module is loaded only when it runs:
 * the generator's emitters take most of a cold start, and diff, export, docs and trace never need them.
 */
const COMMANDS: readonly { name: string; summary: string; load: () => Promise<Command> }[] = [
  {
    name: 'init',
    summary: 'Set a project up: a config, a first definitions file and package scripts',
    load: async () => (await import('./commands/init.js')).initCommand,
  },
  {
    name: 'generate',
    summary: 'Generate TypeScript agent modules and validators from the definitions',
    load: async () => (await import('./commands/generate.js')).generateCommand,
  },
  {
    name: 'validate',
    summary: 'Check the definitions without writing anything',
    load: async () => (await import('./commands/validate.js')).validateCommandSpec,
  },
  {
    name: 'diff',
    summary: 'Compare the contracts with another git revision or folder, and say what breaks',
    load: async () => (await import('./commands/diff.js')).diffCommand,
  },
  {
    name: 'export',
    summary: 'Write the contracts as JSON Schema documents, an MCP tool manifest and OpenAPI 3.1',
    load: async () => (await import('./commands/export.js')).exportCommand,
  },
  {
    name: 'docs',
    summary: 'Write markdown pages for every agent and tool, with a mermaid diagram',
    load: async () => (await import('./commands/docs.js')).docsCommand,
  },
  {
    name: 'pull',
    summary: "Write an MCP server's tools into the definitions (or check it still matches them)",
    load: async () => (await import('./commands/pull.js')).pullCommand,
  },
  {
    name: 'eval',
    summary: 'Run the eval datasets of evals/ against their agents, report, and gate a build',
    load: async () => (await import('./commands/eval.js')).evalCommand,
  },
  {
    name: 'trace',
    summary: 'Receive the traces of agent runs (OTLP/HTTP) and show them in a local web page',
    load: async () => (await import('./commands/trace.js')).traceCommand,
  },
  {
    name: 'serve',
    summary: 'Serve the agents and tools of an app module over MCP (stdio, or HTTP on 127.0.0.1)',
    load: async () => (await import('./commands/serve.js')).serveCommand,
  },
];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `schemantic ${VERSION}: typed LLM agents from YAML/JSON Schema definitions

Usage: schemantic <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}   ${c.summary}`).join('\n')}

Options:
  -h, --help     Show help (also: schemantic <command> --help)
  -v, --version  Show the version

Settings come from flags, else schemantic.config.json, else a "schemantic" key in
package.json, else the defaults (schemas/ and generated/).`;
}

/** Runs the command line; returns the exit code (a watch keeps running until interrupted). */
export async function main(argv: readonly string[], io: Io = processIo(), cwd = process.cwd()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.out(mainHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === '-v' || name === '--version') {
    io.out(VERSION);
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.err(`schemantic: unknown command "${name}"`);
    io.err(mainHelp());
    return 2;
  }
  const command = await entry.load();
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
      strict: true,
    }));
  } catch (err) {
    io.err(`schemantic ${name}: ${(err as Error).message}`);
    io.err(`Run \`schemantic ${name} --help\` for usage.`);
    return 2;
  }
  if (values['help']) {
    io.out(command.help);
    return 0;
  }
  const misuse = command.misuse?.(values);
  if (misuse) {
    io.err(`schemantic ${name}: ${misuse}`);
    return 2;
  }
  const { config, problems } = await loadConfig(cwd);
  if (problems.length > 0) {
    printProblems(io, problems);
    return 2;
  }
  return command.run(values, { cwd, io, config });
}

/**
 * `schemantic pull --mcp`: an MCP server's contract into the definitions. Connects to the server
 * (a command over stdio, or a streamable HTTP URL), lists its tools and writes
 * `<schemas>/mcp/<name>.yaml` (cli/pull/): generate then types calls of its tools. With `--check`
 * it writes nothing and says whether the live server still lists what the file holds, with the
 * changes judged as `schemantic diff` judges them (a new required argument breaks callers, a new
 * optional one does not). Without `--mcp`, every file pull wrote is pulled (or checked) again from
 * the connection it records.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { analyze } from '../../compiler/analyze.js';
import { compareProblems, hasErrors, type Problem } from '../../compiler/problems.js';
import { memoryReader } from '../../compiler/source-reader.js';
import { compareContracts } from '../../diff/compare-contracts.js';
import { counts, formatHuman } from '../../diff/report.js';
import { sideOf } from '../../diff/side.js';
import { splitCommandLine } from '../pull/command-line.js';
import { listTools, PullError, type Listing, type McpTarget } from '../pull/list-tools.js';
import { fingerprintOf, readPulledFile, renderPulledFile, serverNameFrom, SERVER_NAME, type PulledSettings } from '../pull/pulled-file.js';
import { writeAtomic } from '../write.js';
import { stringFlag, type Command } from './command.js';
import { shownPath } from './definitions.js';
import { countProblems, ms, plural, printProblems, type Io } from './output.js';

const COMMAND = 'schemantic pull';

/** Milliseconds a server has to answer, by default. */
const DEFAULT_TIMEOUT = 30_000;

/** What one pull works with. */
interface PullSettings {
  cwd: string;
  /** The definitions folder, as given (relative to cwd). */
  schemas: string;
  check: boolean;
  timeoutMs: number;
  io: Io;
}

/** `schemantic pull`. */
export const pullCommand: Command = {
  name: 'pull',
  help: `Usage: schemantic pull --mcp "<command line>" | <URL> [--name NAME] [--schemas DIR]
                       [--check] [--timeout MS]
       schemantic pull [--name NAME] [--schemas DIR] [--check] [--timeout MS]

Writes an MCP server's tools into the definitions, as <schemas>/mcp/<name>.yaml: each tool's
description, annotations, parameters (its inputSchema) and returns (its outputSchema, when
it has one), and how to reach the server. \`schemantic generate\` then makes mcp/<name>.ts:
typed calls of its tools (create<Name>Server()), and agents list the server under mcp:.

The server is started as a process and spoken to over stdio (--mcp "node server.js stdio",
split as a shell splits words, nothing expanded; leading NAME=value words set its environment,
and are recorded in the file, so keep secrets out), or reached over streamable HTTP
(--mcp http://127.0.0.1:3001/mcp). The file's banner names the server and carries a
fingerprint of what it listed (no timestamp: pulling an unchanged server changes nothing).

Without --mcp, each file pull wrote under <schemas>/mcp/ (or the one --name names) is pulled
again from the command or URL it records.

Options:
  --mcp TARGET    The server: a command line, or an http(s) URL
  --name NAME     The server's name in the definitions (default: from the name the server
                  gives itself, e.g. "everything" for "mcp-servers/everything")
  --schemas DIR   Definitions folder (default: schemas)
  --check         Write nothing: exit 1 when the live server no longer lists what the file
                  holds, showing each change judged as schemantic diff judges it (a new
                  required argument is breaking, a new optional one is safe)
  --timeout MS    How long the server has to answer, in all (default: ${DEFAULT_TIMEOUT})
  -h, --help      Show this help

Exit codes: 0 pulled (or, with --check, the server matches), 1 the server no longer matches
(--check), or the pulled file has problems generate would report, 2 bad usage, or a server
that cannot be reached or listed.`,
  options: { mcp: { type: 'string' }, name: { type: 'string' }, schemas: { type: 'string' }, check: { type: 'boolean' }, timeout: { type: 'string' } },
  misuse(values) {
    const name = stringFlag(values, 'name');
    if (name !== undefined && !SERVER_NAME.test(name))
      return `--name ${JSON.stringify(name)}: use letters, digits, _ and -, starting with a letter, at most 64 characters`;
    const timeout = stringFlag(values, 'timeout');
    if (timeout !== undefined && !/^[1-9][0-9]*$/.test(timeout)) return '--timeout must be a whole number of milliseconds';
    const mcp = stringFlag(values, 'mcp');
    if (mcp !== undefined) {
      const target = targetOf(mcp);
      if ('error' in target) return target.error;
    }
    return undefined;
  },
  async run(values, { cwd, io, config }) {
    const settings: PullSettings = {
      cwd,
      schemas: stringFlag(values, 'schemas') ?? config.schemas,
      check: values['check'] === true,
      timeoutMs: Number(stringFlag(values, 'timeout') ?? DEFAULT_TIMEOUT),
      io,
    };
    const mcp = stringFlag(values, 'mcp');
    const name = stringFlag(values, 'name');
    if (mcp !== undefined) return pullOne(settings, targetOf(mcp) as McpTarget, name);
    return pullAgain(settings, name);
  },
};

/** `--mcp` as a target: a URL, else a command line. */
function targetOf(mcp: string): McpTarget | { error: string } {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(mcp)) {
    if (!/^https?:\/\//i.test(mcp)) return { error: `--mcp ${mcp}: only http and https URLs are supported (streamable HTTP)` };
    try {
      new URL(mcp);
    } catch {
      return { error: `--mcp ${mcp}: not a valid URL` };
    }
    return { url: mcp };
  }
  const split = splitCommandLine(mcp);
  if ('error' in split) return { error: `--mcp needs a command line or a URL: ${split.error}` };
  // As in a shell, leading NAME=value words set the server's environment.
  const words = [...split.words];
  const env: Record<string, string> = {};
  while (words.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!)) {
    const word = words.shift()!;
    env[word.slice(0, word.indexOf('='))] = word.slice(word.indexOf('=') + 1);
  }
  const [command, ...args] = words;
  if (command === undefined) return { error: '--mcp needs a command after the environment variables' };
  return { command, ...(args.length > 0 ? { args } : {}), ...(Object.keys(env).length > 0 ? { env } : {}) };
}

/** Pulls (or checks) the server `--mcp` names; the file's name is `--name`, else made from the server's. */
async function pullOne(settings: PullSettings, target: McpTarget, name: string | undefined): Promise<number> {
  const start = performance.now();
  const listing = await listed(settings, target);
  if (!listing) return 2;
  const key = name ?? serverNameFrom(listing.server.name);
  const file = await existing(settings, key);
  if (file.text !== undefined && !file.pulled) return notPulled(settings, file.shown);
  // Two servers can make the same name: the file of another one is replaced only when --name says so.
  const other = file.text !== undefined ? readPulledFile(file.text)?.server : undefined;
  if (name === undefined && other !== undefined && other !== listing.server.name) {
    settings.io.err(
      `${COMMAND}: ${file.shown} holds MCP server ${JSON.stringify(other)}, not ${JSON.stringify(listing.server.name)}: choose a name with --name (${key} replaces it)`,
    );
    return 2;
  }
  // A server pulled before keeps the settings --mcp cannot give (timeout, prefix, a command's cwd).
  const recorded: PulledSettings = file.text !== undefined ? (readPulledFile(file.text)?.settings ?? {}) : {};
  const kept: PulledSettings = {
    ...(target.command !== undefined && recorded.cwd !== undefined ? { cwd: recorded.cwd } : {}),
    ...(recorded.timeout !== undefined ? { timeout: recorded.timeout } : {}),
    ...(recorded.prefix !== undefined ? { prefix: recorded.prefix } : {}),
  };
  return settle(settings, key, file, listing, { ...kept, ...target }, start);
}

/** Pulls (or checks) again each pulled file (or the one `name` names), from the connection it records. */
async function pullAgain(settings: PullSettings, name: string | undefined): Promise<number> {
  const { io } = settings;
  const folder = path.resolve(settings.cwd, settings.schemas, 'mcp');
  const shownFolder = `${shownPath(settings.cwd, settings.schemas)}/mcp`;
  const names =
    name !== undefined
      ? [name]
      : ((await readdir(folder).catch(() => [])) as string[])
          .filter((f) => f.endsWith('.yaml'))
          .map((f) => f.slice(0, -5))
          .sort();
  const files = [];
  for (const key of names) {
    const file = await existing(settings, key);
    if (file.text === undefined) {
      if (name !== undefined) {
        io.err(`${COMMAND}: no ${file.shown}: pull the server first (${COMMAND} --mcp "<command line>" | <URL> --name ${key})`);
        return 2;
      }
      continue;
    }
    if (!file.pulled) {
      if (name !== undefined) return notPulled(settings, file.shown);
      continue;
    }
    files.push({ key, file });
  }
  if (files.length === 0) {
    io.err(`${COMMAND}: no file written by ${COMMAND} under ${shownFolder}/: give the server with --mcp "<command line>" | <URL>`);
    return 2;
  }
  let worst = 0;
  for (const { key, file } of files) {
    const start = performance.now();
    const recorded = readPulledFile(file.text!);
    if (!recorded || (recorded.settings.command === undefined && recorded.settings.url === undefined)) {
      io.err(`${COMMAND}: ${file.shown} records no command or url to reach its server: pull it with --mcp`);
      worst = 2;
      continue;
    }
    const listing = await listed(settings, recorded.settings);
    const code = listing ? await settle(settings, key, file, listing, recorded.settings, start) : 2;
    worst = Math.max(worst, code);
  }
  return worst;
}

/** A definitions file of a pulled server, as it is on disk. */
interface Existing {
  abs: string;
  /** The path as shown. */
  shown: string;
  /** Its text, when it exists. */
  text?: string;
  /** Whether it is a file pull wrote (its banner). */
  pulled: boolean;
}

async function existing(settings: PullSettings, key: string): Promise<Existing> {
  const abs = path.resolve(settings.cwd, settings.schemas, 'mcp', `${key}.yaml`);
  const shown = `${shownPath(settings.cwd, settings.schemas)}/mcp/${key}.yaml`;
  const text = await readFile(abs, 'utf8').catch(() => undefined);
  return { abs, shown, ...(text !== undefined ? { text } : {}), pulled: text !== undefined && readPulledFile(text) !== undefined };
}

function notPulled(settings: PullSettings, shown: string): number {
  settings.io.err(`${COMMAND}: ${shown} was not written by ${COMMAND}: move it away, or choose another --name`);
  return 2;
}

/** The server's listing, or undefined (after one line saying why) when it cannot be had. */
async function listed(settings: PullSettings, target: McpTarget): Promise<Listing | undefined> {
  try {
    return await listTools(target, { timeoutMs: settings.timeoutMs, cwd: settings.cwd });
  } catch (err) {
    if (!(err instanceof PullError)) throw err;
    settings.io.err(`${COMMAND}: ${err.message}`);
    return undefined;
  }
}

/** Writes the pulled file (or, with --check, compares it with the listing). Returns the exit code. */
async function settle(settings: PullSettings, key: string, file: Existing, listing: Listing, target: PulledSettings, start: number): Promise<number> {
  const { io } = settings;
  const text = renderPulledFile(key, listing, target, schemaLine(settings));
  const who = `MCP server ${JSON.stringify(listing.server.name)}${listing.server.version ? ` ${listing.server.version}` : ''}`;
  const took = ms(performance.now() - start);
  if (settings.check) return check(settings, file, listing, `${who}, ${plural(listing.tools.length, 'tool')}`, took);
  const problems = await problemsOf(settings, key, text);
  if (text !== file.text) {
    await mkdir(path.dirname(file.abs), { recursive: true });
    writeAtomic(file.abs, text);
  }
  printProblems(io, problems);
  const verdict = text === file.text ? 'unchanged' : file.text === undefined ? 'written' : 'updated';
  if (hasErrors(problems)) {
    io.err(`${COMMAND}: ${file.shown} ${verdict} from ${who}, but it has ${countProblems(problems)} that generate will report (${took})`);
    return 1;
  }
  io.out(`${COMMAND}: ${file.shown} ${verdict}: ${who}, ${plural(listing.tools.length, 'tool')} (${took})`);
  return 0;
}

/**
 * Compares the pulled file with the live listing. They match when the live tools have the
 * fingerprint of the file's tools (a server that only lists them in another order, or has a new
 * version, still matches); a file whose tools no longer have its banner's fingerprint was edited.
 */
async function check(settings: PullSettings, file: Existing, listing: Listing, who: string, took: string): Promise<number> {
  const { io } = settings;
  if (file.text === undefined) {
    io.err(`${COMMAND}: ${file.shown} does not exist: run ${COMMAND} without --check to write it (${who})`);
    return 1;
  }
  const pulled = readPulledFile(file.text)!;
  const edited = fingerprintOf(pulled.tools) !== pulled.fingerprint;
  if (edited) io.err(`${COMMAND}: ${file.shown} was edited since it was pulled (its tools no longer have the fingerprint of its banner)`);
  if (!edited && fingerprintOf(listing.tools) === pulled.fingerprint) {
    io.out(`${COMMAND}: ${file.shown} matches the live server: ${who} (${took})`);
    return 0;
  }
  // The live tools with the file's own settings: how the server was reached this time is not a change of its contract.
  const text = renderPulledFile(pulled.name, listing, pulled.settings);
  const rel = `mcp/${path.basename(file.abs)}`;
  const shownSchemas = shownPath(settings.cwd, settings.schemas);
  const [before, after] = await Promise.all([
    analyze({ reader: memoryReader({ [rel]: file.text }), displayPrefix: shownSchemas }),
    analyze({ reader: memoryReader({ [rel]: text }), displayPrefix: 'live' }),
  ]);
  // The live side has no file to point at: findings keep where the change was in the pulled file.
  const findings = compareContracts(sideOf(before), sideOf(after)).map(({ after: _after, ...f }) => f);
  for (const line of formatHuman({ against: 'the live server', findings, ignored: 0, failOn: 'safe' }, io.outColor ?? false)) io.out(line);
  const verdict = findings.length === 0 ? 'no change to the contract' : counts({ findings, ignored: 0 });
  io.err(`${COMMAND}: ${file.shown} no longer matches the live server: ${who}: ${verdict} (${took}); pull it again to update it`);
  return 1;
}

/** The problems generate would report in the pulled file, read on its own. */
async function problemsOf(settings: PullSettings, key: string, text: string): Promise<Problem[]> {
  const analysis = await analyze({ reader: memoryReader({ [`mcp/${key}.yaml`]: text }), displayPrefix: shownPath(settings.cwd, settings.schemas) });
  return analysis.problems.sort(compareProblems);
}

/**
 * Where a pulled file's `$schema` line points, from `<schemas>/mcp/`: the definitions folder's own
 * `meta/` when it has one (this repository), else the installed generator's meta-schemas (as
 * `schemantic init` writes it), else nowhere.
 */
function schemaLine(settings: PullSettings): string | undefined {
  const schemas = path.resolve(settings.cwd, settings.schemas);
  const from = path.join(schemas, 'mcp');
  const candidates = [
    path.join(schemas, 'meta', 'definitions.schema.json'),
    path.join(settings.cwd, 'node_modules', '@schemantic', 'cli', 'schemas', 'meta', 'definitions.schema.json'),
  ];
  const found = candidates.find((c) => existsSync(c));
  return found === undefined ? undefined : path.relative(from, found).split(path.sep).join('/');
}

/**
 * `schemantic init`: sets a project up. Writes schemantic.config.json and a first definitions file
 * (an agent with one tool and a structured output, ready to generate), and adds the generate
 * scripts to package.json. Existing files are never overwritten without --force; package.json is
 * edited in place (new scripts only, nothing else moved or reformatted). Everything is checked
 * before anything is written, so a run that fails writes nothing.
 */
import { mkdirSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { unifiedDiff, writeAtomic } from '../write.js';
import { stringFlag, type Command } from './command.js';
import { shownPath } from './definitions.js';
import { within } from './tree.js';
import { plural, type Io } from './output.js';

/** Where the installed generator keeps its meta-schemas, from the project's root. */
const META = 'node_modules/@schemantic/cli/schemas/meta';

/** The scripts added to package.json, in this order. */
const SCRIPTS: readonly (readonly [name: string, command: string])[] = [
  ['generate', 'schemantic generate'],
  ['check:generated', 'schemantic generate --check'],
];

/** The name of the first definitions file, in the definitions folder. */
const DEFINITIONS_FILE = 'agents.yaml';

/** The agent of the first definitions file, and what its generated module is called. */
const AGENT = { name: 'order_support', module: 'order-support', factory: 'createOrderSupportAgent', handler: 'getOrderStatus' };

/** The first definitions file, after its `# yaml-language-server` line. */
const DEFINITIONS_BODY = `#
# Your first agent, written by \`schemantic init\`: a support agent that looks orders up with one
# tool and answers with a structured reply. Edit it, or add more .yaml files beside it (a tool or
# type defined in one file is used from another by name or by $ref), then run
# \`npx schemantic generate\`.
spec: schemantic/v1
description: Order support, a first agent.

types:
  SupportReply:
    description: The agent's answer to the customer, and whether a person should follow up.
    type: object
    properties:
      reply: { type: string, minLength: 1, description: The answer to send to the customer. }
      order_id: { type: string, description: 'The order the question was about, if any.' }
      needs_human: { type: boolean, description: Whether a person from the support team should follow up. }
    required: [reply, needs_human]
    additionalProperties: false

tools:
  get_order_status:
    description: Look up the status of an order by its id.
    parameters:
      type: object
      properties:
        order_id: { type: string, minLength: 1, description: 'The order id, such as "A-1042".' }
      required: [order_id]
      additionalProperties: false
    returns:
      type: object
      properties:
        status: { enum: [pending, shipped, delivered, cancelled], description: Where the order is. }
        expected_delivery: { type: string, format: date, description: 'The expected delivery date (YYYY-MM-DD), once shipped.' }
      required: [status]
      additionalProperties: false

agents:
  ${AGENT.name}:
    description: Answers customers' questions about their orders.
    model: openai:gpt-4o-mini
    instructions: >-
      You help {{customer_name}} with questions about their orders. Look an order up with
      get_order_status before saying anything about it; never guess its status. If you cannot
      help, say so and set needs_human.
    context:
      type: object
      properties:
        customer_name: { type: string, description: How to address the customer. }
      required: [customer_name]
      additionalProperties: false
    tools: [get_order_status]
    output: { $ref: '#/types/SupportReply' }
    retries: 2
`;

/** `/`-separated path from `fromDir` to `to`, starting with `./` or `../` (as editors want it). */
function relativeRef(fromDir: string, to: string): string {
  const rel = path.relative(fromDir, to).split(path.sep).join('/');
  return rel.startsWith('../') || path.isAbsolute(rel) ? rel : `./${rel}`;
}

/** The definitions file written at `abs`, for a project rooted at `cwd`. */
export function definitionsText(cwd: string, abs: string): string {
  const meta = relativeRef(path.dirname(abs), path.join(cwd, META, 'definitions.schema.json'));
  return `# yaml-language-server: $schema=${meta}\n${DEFINITIONS_BODY}`;
}

/** schemantic.config.json, naming the folders as given (relative to the project). */
function configText(schemas: string, out: string): string {
  return JSON.stringify({ $schema: `./${META}/config.schema.json`, schemas, out }, null, 2) + '\n';
}

// ---------------------------------------------------------------------------------------------
// package.json, edited as text: new scripts are inserted where they go, in the file's own style
// (indentation, line endings, spacing after colons), and not one other byte changes.

/** A JSON value with where it sits in the text; members only for objects. */
interface JsonNode {
  start: number;
  end: number;
  members?: JsonMember[];
}

interface JsonMember {
  key: string;
  keyStart: number;
  keyEnd: number;
  value: JsonNode;
}

/** Locates the values of `text`, which must be valid JSON (JSON.parse has accepted it). */
function scanJson(text: string): JsonNode {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const string = (): string => {
    const start = i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): JsonNode => {
    ws();
    const start = i;
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      const members: JsonMember[] = [];
      i++;
      ws();
      if (text[i] === close) {
        i++;
      } else {
        for (;;) {
          ws();
          if (c === '{') {
            const keyStart = i;
            const key = string();
            const keyEnd = i;
            ws();
            i++; // the colon
            members.push({ key, keyStart, keyEnd, value: value() });
          } else {
            value();
          }
          ws();
          if (text[i++] === ',') continue;
          break;
        }
      }
      return c === '{' ? { start, end: i, members } : { start, end: i };
    }
    if (c === '"') string();
    else while (i < text.length && !',}] \t\n\r'.includes(text[i]!)) i++;
    return { start, end: i };
  };
  return value();
}

/** The whitespace at the start of the line that holds `offset`. */
function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** How a JSON file is laid out: its line ending, indentation step (undefined: all on one line), and colon. */
interface JsonStyle {
  nl: string;
  unit: string | undefined;
  colon: string;
}

function jsonStyle(text: string, root: JsonNode): JsonStyle {
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const first = root.members?.[0];
  if (!first) return { nl, unit: '  ', colon: ': ' };
  const colon = text.slice(first.keyEnd, first.value.start);
  const before = text.slice(root.start + 1, first.keyStart);
  if (!before.includes('\n')) return { nl, unit: undefined, colon };
  const own = before.slice(before.lastIndexOf('\n') + 1);
  const outer = lineIndent(text, root.start);
  return { nl, unit: own.startsWith(outer) && own.length > outer.length ? own.slice(outer.length) : own || '  ', colon };
}

/** `entries` as the members of a new object whose key sits on a line indented by `indent`. */
function objectText(entries: readonly (readonly [string, string])[], indent: string, style: JsonStyle): string {
  const member = ([k, v]: readonly [string, string]) => `${JSON.stringify(k)}${style.colon}${v}`;
  if (style.unit === undefined) return `{${entries.map(member).join(',')}}`;
  return `{${style.nl}${entries.map((e) => indent + style.unit + member(e)).join(',' + style.nl)}${style.nl}${indent}}`;
}

/** `text` with `entries` (keys and JSON values as text) added at the end of the object `obj`. */
function addMembers(text: string, obj: JsonNode, entries: readonly (readonly [string, string])[], style: JsonStyle): string {
  const members = obj.members!;
  const last = members.at(-1);
  if (!last) return text.slice(0, obj.start) + objectText(entries, lineIndent(text, obj.start), style) + text.slice(obj.end);
  const before = text.slice(obj.start + 1, members[0]!.keyStart);
  const gap = before.includes('\n') ? style.nl + before.slice(before.lastIndexOf('\n') + 1) : before;
  const colon = text.slice(last.keyEnd, last.value.start);
  const inserted = entries.map(([k, v]) => `,${gap}${JSON.stringify(k)}${colon}${v}`).join('');
  return text.slice(0, last.value.end) + inserted + text.slice(last.value.end);
}

/** What init does to package.json. */
type PackageStep =
  | { kind: 'missing' }
  | { kind: 'error'; message: string }
  | { kind: 'edit'; old: string; text: string; added: string[]; kept: [name: string, command: string][] };

/** Works out the scripts to add to the package.json `old` (its text; undefined when there is none). */
export function packageStep(old: string | undefined): PackageStep {
  if (old === undefined) return { kind: 'missing' };
  const bom = old.startsWith('\uFEFF') ? 1 : 0;
  const body = old.slice(bom);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    return { kind: 'error', message: `package.json is not valid JSON (${(err as Error).message}); fix it, then run schemantic init again` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { kind: 'error', message: 'package.json is not a JSON object' };
  const scripts = (parsed as Record<string, unknown>)['scripts'];
  if (scripts !== undefined && (typeof scripts !== 'object' || scripts === null || Array.isArray(scripts))) {
    return { kind: 'error', message: 'package.json: "scripts" is not an object; fix it, then run schemantic init again' };
  }
  const existing = (scripts ?? {}) as Record<string, unknown>;
  const kept: [string, string][] = [];
  const wanted: [string, string][] = [];
  for (const [name, command] of SCRIPTS) {
    if (!Object.hasOwn(existing, name)) wanted.push([name, command]);
    else if (existing[name] !== command) kept.push([name, String(existing[name])]);
  }
  if (wanted.length === 0) return { kind: 'edit', old, text: old, added: [], kept };
  const root = scanJson(body);
  const style = jsonStyle(body, root);
  const entries = wanted.map(([name, command]) => [name, JSON.stringify(command)] as const);
  // JSON.parse keeps the last of duplicate keys; so does this.
  const scriptsMember = root.members!.findLast((m) => m.key === 'scripts');
  // A new "scripts" member sits where the root's members do (one step in, when there are none yet).
  const memberIndent = root.members!.length > 0 ? lineIndent(body, root.members![0]!.keyStart) : lineIndent(body, root.start) + (style.unit ?? '');
  const text = scriptsMember
    ? addMembers(body, scriptsMember.value, entries, style)
    : addMembers(body, root, [['scripts', objectText(entries, memberIndent, style)]], style);
  return { kind: 'edit', old, text: old.slice(0, bom) + text, added: wanted.map(([name]) => name), kept };
}

// ---------------------------------------------------------------------------------------------

/** A file init writes. */
interface FileStep {
  abs: string;
  shown: string;
  text: string;
  /** It exists already (and is a file). */
  exists: boolean;
}

async function kindOf(abs: string): Promise<'file' | 'folder' | undefined> {
  const s = await stat(abs).catch(() => undefined);
  return s === undefined ? undefined : s.isDirectory() ? 'folder' : 'file';
}

async function readIfThere(abs: string): Promise<string | undefined> {
  try {
    return await readFile(abs, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function quotedList(names: readonly string[]): string {
  const q = names.map((n) => `"${n}"`);
  return q.length <= 1 ? q.join('') : `${q.slice(0, -1).join(', ')} and ${q.at(-1)}`;
}

/** Prints the next steps after a run. */
function nextSteps(io: Io, outShown: string, scripts: boolean): void {
  io.out('');
  io.out('Next:');
  io.out('  npm i -D @schemantic/cli && npm i schemantic   # the generator (dev only) and the runtime');
  io.out(`  npx schemantic generate${scripts ? '                          # or: npm run generate' : ''}`);
  io.out(`Then import { ${AGENT.factory} } from './${outShown}/agents/${AGENT.module}.js' and give it a`);
  io.out(`${AGENT.handler} handler; run \`${scripts ? 'npm run check:generated' : 'npx schemantic generate --check'}\` in CI to catch a stale ${outShown}/.`);
}

interface InitSettings {
  cwd: string;
  schemas: string;
  out: string;
  force: boolean;
  dryRun: boolean;
  /** Where the configuration the CLI found came from (`defaults`, `package.json (schemantic key)`, ...). */
  configOrigin: string;
}

/** One init run. Returns the exit code. */
async function init(s: InitSettings, io: Io): Promise<number> {
  const cmd = s.dryRun ? 'schemantic init --dry-run' : 'schemantic init';
  const schemasAbs = path.resolve(s.cwd, s.schemas);
  const outAbs = path.resolve(s.cwd, s.out);
  const schemasShown = shownPath(s.cwd, s.schemas);
  const outShown = shownPath(s.cwd, s.out);
  if (within(outAbs, schemasAbs) || within(schemasAbs, outAbs)) {
    io.err(`schemantic init: the output folder ${outShown} overlaps the definitions folder ${schemasShown}; choose another --out or --schemas`);
    return 2;
  }

  const configAbs = path.join(s.cwd, 'schemantic.config.json');
  const defsAbs = path.join(schemasAbs, DEFINITIONS_FILE);
  const files: FileStep[] = [
    { abs: configAbs, shown: 'schemantic.config.json', text: configText(schemasShown, outShown), exists: false },
    { abs: defsAbs, shown: shownPath(s.cwd, defsAbs), text: definitionsText(s.cwd, defsAbs), exists: false },
  ];

  const errors: string[] = [];
  const inTheWay: string[] = [];
  for (const f of files) {
    const kind = await kindOf(f.abs);
    if (kind === 'folder') errors.push(`${f.shown}: is a folder; move it, or choose another --schemas`);
    else if (kind === 'file') {
      f.exists = true;
      if (!s.force) inTheWay.push(`${f.shown}: exists; not overwriting it (--force replaces it)`);
    }
  }
  // A "schemantic" key in package.json is a configuration too: schemantic.config.json would hide it.
  const packagedConfig = s.configOrigin.startsWith('package.json');
  if (packagedConfig && !s.force)
    inTheWay.push(
      'package.json: has a "schemantic" key, so this project is configured already; schemantic.config.json would take its place (--force writes it anyway)',
    );

  const pkgAbs = path.join(s.cwd, 'package.json');
  const pkg = packageStep(await readIfThere(pkgAbs));
  if (pkg.kind === 'error') errors.push(pkg.message);

  for (const line of [...inTheWay, ...errors]) io.err(line);
  if (inTheWay.length + errors.length > 0) {
    const n = inTheWay.length + errors.length;
    io.err(`${cmd}: ${plural(n, 'problem')}; nothing written${s.dryRun ? ' (nor would it be)' : ''}`);
    return 1;
  }

  const pkgChanged = pkg.kind === 'edit' && pkg.text !== pkg.old;
  if (s.dryRun) {
    for (const f of files) {
      io.out(`${cmd}: would ${f.exists ? 'overwrite' : 'write'} ${f.shown}:`);
      io.out(f.text.trimEnd());
      io.out('');
    }
    if (pkg.kind === 'edit' && pkgChanged) {
      io.out(`${cmd}: would add ${plural(pkg.added.length, 'script')} to package.json:`);
      io.out(unifiedDiff('package.json', pkg.old, pkg.text).trimEnd());
    }
  } else {
    mkdirSync(schemasAbs, { recursive: true });
    for (const f of files) writeAtomic(f.abs, f.text);
    if (pkg.kind === 'edit' && pkgChanged) writeAtomic(pkgAbs, pkg.text);
    for (const f of files) io.out(`${cmd}: ${f.exists ? 'overwrote' : 'wrote'} ${f.shown}`);
    if (pkg.kind === 'edit' && pkgChanged)
      io.out(`${cmd}: added the ${pkg.added.length === 1 ? 'script' : 'scripts'} ${quotedList(pkg.added)} to package.json`);
  }
  if (pkg.kind === 'missing')
    io.err(
      `${cmd}: no package.json here, so no scripts added (\`npm init -y\` makes one; then add ${SCRIPTS.map(([n, c]) => `"${n}": "${c}"`).join(' and ')})`,
    );
  if (pkg.kind === 'edit') {
    for (const [name, command] of pkg.kept) io.err(`${cmd}: package.json already has a "${name}" script ("${command}"); left it as it is`);
    if (!pkgChanged && pkg.kept.length === 0) io.out(`${cmd}: package.json already has the scripts`);
  }
  if (packagedConfig)
    io.err(`${cmd}: schemantic.config.json takes precedence over the "schemantic" key of package.json; move any other settings into it and remove the key`);
  if (!s.dryRun) nextSteps(io, outShown, pkg.kind === 'edit' && pkg.kept.every(([name]) => name !== 'generate'));
  return 0;
}

/** `schemantic init`. */
export const initCommand: Command = {
  name: 'init',
  help: `Usage: schemantic init [--schemas DIR] [--out DIR] [--force] [--dry-run]

Sets a project up: writes schemantic.config.json (with the folders below), a first
definitions file DIR/${DEFINITIONS_FILE} (an agent with one tool and a structured output, ready
to generate), and adds the scripts "generate" (schemantic generate) and "check:generated"
(schemantic generate --check) to package.json. Other keys and scripts of package.json are
kept as they are, with its indentation. Everything is checked first: when a file is in the
way, or package.json is not valid JSON, nothing is written.

Options:
  --schemas DIR  Definitions folder, where ${DEFINITIONS_FILE} goes (default: schemas)
  --out DIR      Output folder of schemantic generate, written to the config (default: generated)
  --force        Overwrite schemantic.config.json and the definitions file if they exist
  --dry-run      Write nothing; print each file it would write and the change to package.json
  -h, --help     Show this help

Exit codes: 0 done, 1 a file in the way or a package.json it cannot edit (nothing
written), 2 bad usage.`,
  options: { schemas: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
  run: (values, { cwd, io, config }) =>
    init(
      {
        cwd,
        schemas: stringFlag(values, 'schemas') ?? config.schemas,
        out: stringFlag(values, 'out') ?? config.out,
        force: values['force'] === true,
        dryRun: values['dry-run'] === true,
        configOrigin: config.origin,
      },
      io,
    ),
};

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
import { within } from './definitions.js';
import { plural, type Io } from './output.js';
import { packageStep, SCRIPTS } from '../package-scripts.js';
import { AGENT, configText, DEFINITIONS_FILE, definitionsText } from '../starter-project.js';

export { packageStep } from '../package-scripts.js';

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

/**
 * `schemantic diff`: what changed in the contracts between the definitions in the working tree and
 * another revision (read through git) or another folder, and whom each change breaks.
 */
import path from 'node:path';
import type { FailOn } from '../config.js';
import { compareContracts } from '../../diff/compare-contracts.js';
import { gitReader, GitReadError } from '../../diff/git-reader.js';
import { applyOverrides } from '../../diff/overrides.js';
import { counts, fails, formatGithub, formatHuman, formatJson, type DiffReport } from '../../diff/report.js';
import { RULES, SEVERITIES } from '../../diff/rules.js';
import { sideOf } from '../../diff/side.js';
import { analyze, type Analysis } from '../../compiler/analyze.js';
import { hasErrors } from '../../compiler/problems.js';
import { folderReader, type SourceReader } from '../../compiler/load.js';
import { stringFlag, type Command } from './command.js';
import { isDirectory, readDefinitions, shownPath } from './definitions.js';
import { countProblems, ms, plural, type Io } from './output.js';

const FORMATS = ['human', 'json', 'github'] as const;
const FAIL_ON: readonly FailOn[] = [...SEVERITIES, 'never'];

/** `schemantic diff`. */
export const diffCommand: Command = {
  name: 'diff',
  help: `Usage: schemantic diff [--against REV|DIR] [--schemas DIR] [--format human|json|github]
                       [--fail-on SEVERITY] [--rules]

Compares the tools, agents and MCP servers defined in the working tree with those of another
revision (read through git, nothing checked out) or another folder, and classifies every change:

  breaking              existing callers, consumers or stored histories stop working
  potentially-breaking  may break someone (other implementations, factories, stored results)
  behavioural           not a contract change, but the model may behave differently
                        (descriptions, instructions, model, settings; with the text diff)
  safe                  nothing existing is affected

Direction decides: tool parameters and agent context are written elsewhere and read here,
so accepting less breaks (a new required parameter, a removed enum value, a tighter bound);
tool returns and agent outputs are written here and read elsewhere, so allowing more breaks
(a removed field, a field made optional, a new enum value). $refs are followed: a change in
a shared type is reported at every tool and agent it reaches.

Options:
  --against REV|DIR  A git revision (branch, tag, commit, HEAD~1) or a folder of definitions
                     (or a checkout that has the definitions folder inside); default: HEAD
  --schemas DIR      Definitions folder of the working tree (default: schemas)
  --format FORMAT    human (default; coloured on a terminal unless NO_COLOR), json, or
                     github (workflow annotations: errors, warnings and notices)
  --fail-on SEV      Exit 1 when a finding is at least this bad: breaking (default),
                     potentially-breaking, behavioural, safe, or never
  --rules            List every rule with its severity on each side, and exit
  -h, --help         Show this help

Overrides in schemantic.config.json downgrade or ignore a rule for a named tool, agent or
MCP server ("mcp"):
  "diff": { "overrides": [ { "rule": "property-removed", "tool": "get_weather",
            "severity": "safe", "reason": "clients moved to v2 (PLAT-123)" } ] }

Exit codes: 0 nothing at or above --fail-on, 1 something is, 2 bad usage, broken
definitions in the working tree, or a revision or folder that cannot be read.`,
  options: { against: { type: 'string' }, schemas: { type: 'string' }, format: { type: 'string' }, 'fail-on': { type: 'string' }, rules: { type: 'boolean' } },
  misuse(values) {
    const format = stringFlag(values, 'format');
    if (format !== undefined && !(FORMATS as readonly string[]).includes(format)) return `--format must be one of ${FORMATS.join(', ')}`;
    const failOn = stringFlag(values, 'fail-on');
    if (failOn !== undefined && !(FAIL_ON as readonly string[]).includes(failOn)) return `--fail-on must be one of ${FAIL_ON.join(', ')}`;
    if (stringFlag(values, 'against') === '') return '--against needs a revision or a folder';
    return undefined;
  },
  async run(values, { cwd, io, config }) {
    if (values['rules']) {
      printRules(io);
      return 0;
    }
    const start = performance.now();
    const schemas = stringFlag(values, 'schemas') ?? config.schemas;
    const against = stringFlag(values, 'against') ?? 'HEAD';
    const format = (stringFlag(values, 'format') ?? 'human') as (typeof FORMATS)[number];
    const failOn = (stringFlag(values, 'fail-on') as FailOn | undefined) ?? config.diff.failOn ?? 'breaking';
    const current = await readDefinitions('schemantic diff', { cwd, schemas }, io, start);
    if (!current) return 2;
    const base = await readBase(cwd, schemas, against, io);
    if (!base) return 2;
    const compared = compareContracts(sideOf(base.analysis), sideOf(current));
    const { findings, ignored, errors, unused } = applyOverrides(compared, config.diff.overrides);
    if (errors.length > 0) {
      for (const e of errors) io.err(e);
      return 2;
    }
    for (const u of unused) io.err(u);
    const report: DiffReport = { against, ...(base.commit ? { commit: base.commit } : {}), findings, ignored, failOn };
    const failed = fails(report);
    if (format === 'json') io.out(formatJson(report));
    else if (format === 'github') for (const line of formatGithub(report)) io.out(line);
    else for (const line of formatHuman(report, io.outColor ?? false)) io.out(line);
    const what = `${shownPath(cwd, schemas)}/ against ${base.label}`;
    const verdict = findings.length === 0 && ignored === 0 ? 'no changes to the contracts' : counts(report);
    const outcome = failed ? `; exit 1 (--fail-on ${failOn})` : '';
    // With JSON on stdout, the summary goes to stderr so that stdout stays one document.
    (format === 'json' ? io.err : io.out)(`schemantic diff: ${what}: ${verdict} (${ms(performance.now() - start)})${outcome}`);
    return failed ? 1 : 0;
  },
};

/** The definitions compared against: a folder, else a git revision. */
async function readBase(cwd: string, schemas: string, against: string, io: Io): Promise<{ analysis: Analysis; label: string; commit?: string } | undefined> {
  const schemasAbs = path.resolve(cwd, schemas);
  let reader: SourceReader;
  let display: string;
  let label: string;
  let commit: string | undefined;
  const folder = await definitionsFolder(path.resolve(cwd, against), schemas);
  if (folder) {
    reader = folderReader(folder);
    display = shownPath(cwd, folder);
    label = `${display}/`;
  } else {
    try {
      const read = await gitReader(schemasAbs, against);
      reader = read.reader;
      commit = read.commit;
      display = `${against}:${shownPath(cwd, schemas)}`;
      label = `${against} (${read.commit.slice(0, 12)})`;
      if (read.files === 0) io.err(`schemantic diff: no definitions under ${shownPath(cwd, schemas)}/ at ${against}: every tool and agent counts as added`);
    } catch (err) {
      if (!(err instanceof GitReadError)) throw err;
      io.err(`schemantic diff: --against ${against}: not a folder, and not a revision git can read: ${err.message}`);
      return undefined;
    }
  }
  const analysis = await analyze({ reader, displayPrefix: display });
  if (hasErrors(analysis.problems)) {
    // Not the user's to fix now: said once, and the broken entries are left out of the comparison.
    io.err(`schemantic diff: the definitions at ${label} have ${countProblems(analysis.problems)}; entries with errors are left out of the comparison`);
  }
  return { analysis, label, ...(commit ? { commit } : {}) };
}

/**
 * The folder of definitions `dir` stands for: its `schemas` subfolder when it has one (a checkout
 * of the project, or a copy of it), else `dir` itself; undefined when `dir` is not a folder.
 */
async function definitionsFolder(dir: string, schemas: string): Promise<string | undefined> {
  if (!(await isDirectory(dir))) return undefined;
  const inner = path.join(dir, schemas);
  return !path.isAbsolute(schemas) && (await isDirectory(inner)) ? inner : dir;
}

function printRules(io: Io): void {
  const ids = Object.keys(RULES) as (keyof typeof RULES)[];
  const width = Math.max(...ids.map((id) => id.length));
  io.out(`${'rule'.padEnd(width)}  ${'parameters, context'.padEnd(21)}  ${'returns, output'.padEnd(21)}  what it detects`);
  for (const id of ids) {
    const r = RULES[id];
    io.out(`${id.padEnd(width)}  ${r.input.severity.padEnd(21)}  ${r.output.severity.padEnd(21)}  ${r.summary}`);
  }
  io.out(`${plural(ids.length, 'rule')}.`);
}

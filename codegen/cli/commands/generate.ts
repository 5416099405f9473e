/**
 * `schemantic generate`: write the generated tree (or, with --check, compare it), once or on
 * every change (--watch).
 *
 * A run first checks the tree against its manifest (up-to-date.ts): when every definitions file
 * and every generated file hashes as recorded, it is done, having loaded neither the parser nor
 * the emitters. Otherwise the pipeline runs, reusing each generated file the check proved
 * unchanged and whose inputs did not change.
 */
import { hasErrors } from '../../compiler/problems.js';
import { readTreeState } from '../up-to-date.js';
import { stringFlag, type Command } from './command.js';
import { corpusSummary, generatePaths, preflight, treeTarget, type GenerateSettings } from './generate-settings.js';
import { countProblems, describeWrite, ms, plural, printProblems, type Io } from './output.js';
import { MANIFEST_FILE } from '../manifest.js';

export type { GenerateSettings } from './generate-settings.js';

/** One generate run, or with `check` one comparison. Returns the exit code. */
async function generateOnce(settings: GenerateSettings, io: Io, check: boolean, full: boolean): Promise<number> {
  const start = performance.now();
  const elapsed = () => ms(performance.now() - start);
  const command = check ? 'schemantic generate --check' : 'schemantic generate';
  const p = generatePaths(settings);
  if (!(await preflight(p, io))) return 1;
  // --full: trust nothing recorded; what a cold run writes is compared or written.
  const state = full ? { fresh: false, verified: new Set<string>() } : await readTreeState(p.schemasAbs, p.outAbs, p.schemasShown, p.evalsAbs);
  if (settings.timings && !full) io.err(`timings: up-to-date check ${(performance.now() - start).toFixed(1)} ms${state.fresh ? ' (nothing to do)' : ''}`);
  if (state.fresh && state.manifest) {
    const { manifest } = state;
    printProblems(io, manifest.warnings);
    // The generated files and the manifest, all unchanged.
    const files = [...manifest.outputs.keys(), MANIFEST_FILE];
    if (check) io.out(`${command}: ${p.outShown}/ is up to date (${plural(files.length, 'file')}, ${elapsed()})`);
    else
      io.out(
        `${command}: ${corpusSummary(manifest.summary)} -> ${p.outShown}/: ${describeWrite(files.length, { missing: [], changed: [], unchanged: files, extra: [] })} in ${elapsed()}`,
      );
    return 0;
  }
  // Loaded only now: the pipeline (parser, validators, emitters) is most of a run's start-up.
  const [{ generateTree }, { checkTree, writeTree }] = await Promise.all([import('./generate-tree.js'), import('./tree.js')]);
  const { result, files } = await generateTree(p, state);
  printProblems(io, result.problems);
  if (settings.timings) io.err(`timings: ${result.timings.map(([stage, t]) => `${stage} ${t.toFixed(1)} ms`).join(', ')}; ${result.reused} files reused`);
  if (hasErrors(result.problems)) {
    io.err(
      check
        ? `${command}: ${countProblems(result.problems)} in the definitions (${elapsed()})`
        : `${command}: ${countProblems(result.problems)}; nothing written (${elapsed()})`,
    );
    return 1;
  }
  if (check)
    return checkTree(treeTarget(p, 'schemantic generate'), files, io, {
      fix: `npx schemantic generate${fixFlags(settings)}`,
      source: `${p.schemasShown}/`,
      elapsed,
    });
  const writeStart = performance.now();
  const plan = await writeTree(treeTarget(p, 'schemantic generate'), files, io, state.disk);
  if (!plan) return 1;
  if (settings.timings) io.err(`timings: write ${(performance.now() - writeStart).toFixed(1)} ms, total ${(performance.now() - start).toFixed(1)} ms`);
  const ir = result.ir;
  const counts = {
    agents: ir?.agents.length ?? 0,
    tools: ir?.tools.length ?? 0,
    types: ir?.types.length ?? 0,
    ...(ir && ir.mcp.length > 0 ? { mcp: ir.mcp.length } : {}),
    ...(ir && ir.graphs.length > 0 ? { graphs: ir.graphs.length } : {}),
    ...(ir && ir.evals.length > 0 ? { datasets: ir.evals.length } : {}),
    files: result.fileCount,
  };
  io.out(`${command}: ${corpusSummary(counts)} -> ${p.outShown}/: ${describeWrite(files.size, plan)} in ${elapsed()}`);
  return 0;
}

function fixFlags(settings: GenerateSettings): string {
  const flags: string[] = [];
  if (settings.schemas !== 'schemas') flags.push(`--schemas ${settings.schemas}`);
  if (settings.out !== 'generated') flags.push(`--out ${settings.out}`);
  if (settings.evals !== undefined && settings.evals !== 'evals') flags.push(`--evals ${settings.evals}`);
  return flags.length > 0 ? ' ' + flags.join(' ') : '';
}

/** `schemantic generate`. */
export const generateCommand: Command = {
  name: 'generate',
  help: `Usage: schemantic generate [--schemas DIR] [--out DIR] [--evals DIR] [--check | --watch] [--full] [--timings]

Reads every .yaml, .yml and .json file under the definitions folder (except meta/) and
writes typed modules and precompiled validators to the output folder, and each eval
dataset of the evals folder (its .yaml, .yml and .json files), checked against its agent,
as a typed module under evals/. Only changed files
are rewritten; generated files no longer produced are removed; files without the
"Generated by Schemantic" banner are never touched.

The output folder also gets schemantic.manifest.json (commit it with the tree): the hash of
each definitions file and, per generated file, the hash of what it is made from and of its
content. A run whose definitions and files all match it does nothing and loads nothing
else; after an edit, only the files made from what changed are emitted again. A file edited
by hand no longer matches its hash and is regenerated (or, with --check, reported). A
missing, corrupt, edited or outdated manifest is ignored and rewritten. The hashes are not
signed: to check a tree whose manifest may have been edited along with it, use --full.

Options:
  --schemas DIR  Definitions folder (default: schemas)
  --out DIR      Output folder (default: generated)
  --evals DIR    Eval datasets folder (default: evals; none when it does not exist)
  --check        Write nothing; exit 1 listing every stale, missing and extra file, with a
                 unified diff of each changed one (for CI)
  --watch        Regenerate on every change under the definitions folder, to a dataset
                 file of the evals folder (which may appear later) or to the
                 configuration; an invalid edit prints its problems and leaves the output
                 as it was; a missing definitions folder is waited for
  --full         Ignore the manifest: parse and emit everything, as a cold run does. With
                 --check, the tree is compared with what a cold run writes, so a generated
                 file edited together with its hash in the manifest is still found
  --timings      Print the time spent in each stage (and how many files were reused)
  -h, --help     Show this help

Exit codes: 0 done, 1 problems in the definitions (or, with --check, output out of date),
2 bad usage.`,
  options: {
    schemas: { type: 'string' },
    out: { type: 'string' },
    evals: { type: 'string' },
    check: { type: 'boolean' },
    watch: { type: 'boolean' },
    full: { type: 'boolean' },
    timings: { type: 'boolean' },
  },
  misuse: (values) =>
    values['check'] && values['watch']
      ? '--check and --watch cannot be used together'
      : values['full'] && values['watch']
        ? '--full and --watch cannot be used together'
        : undefined,
  async run(values, { cwd, io, config }) {
    const settings = {
      cwd,
      schemas: stringFlag(values, 'schemas') ?? config.schemas,
      out: stringFlag(values, 'out') ?? config.out,
      evals: stringFlag(values, 'evals') ?? config.evals,
      timings: values['timings'] === true,
    };
    if (!values['watch']) return generateOnce(settings, io, values['check'] === true, values['full'] === true);
    const { watch } = await import('./generate-watch.js');
    const watcher = await watch(settings, io, {
      flags: { schemas: stringFlag(values, 'schemas'), out: stringFlag(values, 'out'), evals: stringFlag(values, 'evals') },
    });
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await watcher.close();
    return 0;
  },
};

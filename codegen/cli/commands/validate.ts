/**
 * `schemantic validate`: check the definitions, writing nothing.
 */
import path from 'node:path';
import { runPipeline } from '../../targets/typescript/pipeline.js';
import { hasErrors } from '../../compiler/problems.js';
import { evalsReader, folderReader } from '../../compiler/source-reader.js';
import { stringFlag, type Command } from './command.js';
import { noDefinitionsFolder, shownPath } from './definitions.js';
import { corpusCounts } from './generate-settings.js';
import { countProblems, ms, plural, printProblems, type Io } from './output.js';

/** Runs every stage but write; prints the problems (as text, or as JSON on stdout). */
async function validateCommand(settings: { cwd: string; schemas: string; evals?: string; json?: boolean }, io: Io): Promise<number> {
  const start = performance.now();
  const abs = path.resolve(settings.cwd, settings.schemas);
  const shown = shownPath(settings.cwd, settings.schemas);
  const evals = settings.evals ?? 'evals';
  let result;
  try {
    result = await runPipeline({
      reader: folderReader(abs),
      displayPrefix: shown,
      evals: { reader: evalsReader(path.resolve(settings.cwd, evals)), displayPrefix: shownPath(settings.cwd, evals) },
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    io.err(noDefinitionsFolder(shown));
    return 1;
  }
  const failed = hasErrors(result.problems);
  if (settings.json) {
    io.out(JSON.stringify(result.problems, null, 2));
    return failed ? 1 : 0;
  }
  printProblems(io, result.problems);
  const ir = result.ir;
  const counts = {
    agents: ir?.agents.length ?? 0,
    tools: ir?.tools.length ?? 0,
    types: ir?.types.length ?? 0,
    mcp: ir?.mcp.length ?? 0,
    graphs: ir?.graphs.length ?? 0,
    datasets: ir?.evals.length ?? 0,
  };
  const corpus = `${corpusCounts(counts)} in ${plural(result.fileCount, 'file')}`;
  const verdict = result.problems.length === 0 ? 'no problems' : countProblems(result.problems);
  (failed ? io.err : io.out)(`schemantic validate: ${corpus}: ${verdict} (${ms(performance.now() - start)})`);
  return failed ? 1 : 0;
}

/** `schemantic validate`. */
export const validateCommandSpec: Command = {
  name: 'validate',
  help: `Usage: schemantic validate [--schemas DIR] [--evals DIR] [--format text|json]

Checks the definitions as generate would (format, schemas, references, names,
placeholders, delegation, what the validators can compile), and the eval datasets
against the agents they evaluate, and writes nothing.

Options:
  --schemas DIR     Definitions folder (default: schemas)
  --evals DIR       Eval datasets folder (default: evals; none when it does not exist)
  --format FORMAT   text (default: one line per problem on stderr) or json (the problems
                    as a JSON array on stdout)
  -h, --help        Show this help

Exit codes: 0 no errors, 1 errors found, 2 bad usage.`,
  options: { schemas: { type: 'string' }, evals: { type: 'string' }, format: { type: 'string' } },
  misuse: (values) =>
    values['format'] !== undefined && values['format'] !== 'text' && values['format'] !== 'json' ? '--format must be text or json' : undefined,
  run: (values, { cwd, io, config }) =>
    validateCommand(
      { cwd, schemas: stringFlag(values, 'schemas') ?? config.schemas, evals: stringFlag(values, 'evals') ?? config.evals, json: values['format'] === 'json' },
      io,
    ),
};

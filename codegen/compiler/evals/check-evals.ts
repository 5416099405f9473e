/**
 * The check stage's part for eval datasets: each dataset against the agent it evaluates, as the
 * IR describes it. An unknown agent, a case name used twice, a dataset name used twice (or one
 * that cannot name a module), a context or expected output that does not fit the agent's schemas,
 * a history that is not a message list, and evaluators that cannot pass or cannot run: a tool
 * the agent does not have, a union member it does not output, a pointer no output can hold, an
 * invalid schema or regular expression, an `expected` the case lacks. Every problem is located
 * at what is wrong.
 *
 * This file holds the entry and the checks of a dataset as a whole (its name, its agent, its case
 * names); a case's values are checked in check-case.ts, an evaluator in check-evaluator.ts, and a
 * missing `expected` in expected-needed.ts.
 */
import type { IR } from '../ir/types.js';
import type { LoadedEvalFile } from './load-evals.js';
import { problemAt } from '../locate.js';
import { kebabCase } from '../naming.js';
import { EVALS_INDEX_MODULE, evalDatasetNames } from '../naming-plan.js';
import { compareText, type Problem } from '../problems.js';
import { isObject } from '../schema/walk.js';
import { didYouMean } from '../suggest.js';
import { caseProblems } from './check-case.js';
import { evaluatorProblems } from './check-evaluator.js';
import { expectedNeeded } from './expected-needed.js';
import { historyChecker } from './history-checker.js';
import { outputSchemas } from './output-members.js';
import { evaluatorLists, type EvalsValidation } from './validate-evals.js';

/** A dataset name that can name a module and its exports: letters, digits, `_` and `-`, starting with a letter. */
const DATASET_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,99}$/;

/** The agent a dataset evaluates: its `agent`, else its name with `-` as `_`. */
export function datasetAgent(file: LoadedEvalFile): string {
  const agent = isObject(file.value) ? file.value['agent'] : undefined;
  return typeof agent === 'string' ? agent : file.name.replace(/-/g, '_');
}

/** What {@link checkEvals} needs besides the datasets. */
export interface EvalCheckInputs {
  ir: IR;
  /** Every agent name the definitions declare, including those left out of the IR for errors. */
  declaredAgents: ReadonlySet<string>;
  validation: EvalsValidation;
}

/** The problems of every dataset. */
export async function checkEvals(files: readonly LoadedEvalFile[], inputs: EvalCheckInputs): Promise<Problem[]> {
  const problems: Problem[] = [];
  const agents = new Map(inputs.ir.agents.map((a) => [a.name, a]));
  const types = new Map(inputs.ir.types.map((t) => [t.name, t]));
  const byModule = new Map<string, LoadedEvalFile>();
  /** By the names of the dataset's exports (its constant and case type: `v2Dataset`, `V2Case`). */
  const byExport = new Map<string, LoadedEvalFile>();
  const history = await historyChecker(files);
  for (const file of [...files].sort((a, b) => compareText(a.rel, b.rel))) {
    if (!isObject(file.value)) continue;
    const doc = file.value;
    if (!DATASET_NAME.test(file.name) || evalDatasetNames(file.name).module === EVALS_INDEX_MODULE) {
      problems.push(
        problemAt(
          file,
          '',
          'eval-invalid-name',
          file.name.toLowerCase() === 'index'
            ? `a dataset cannot be named "index" (generated/evals/index.ts lists the datasets): rename the file`
            : `invalid dataset name ${JSON.stringify(file.name)} (the file's stem): use letters, digits, _ and -, starting with a letter`,
        ),
      );
    } else {
      const module = kebabCase(file.name);
      const first = byModule.get(module);
      // Stems of different modules can still share their exports' names (`v2`, `v-2`: `v2Dataset`),
      // which the index would import twice.
      const { constant, caseType } = evalDatasetNames(file.name);
      const sameNames = byExport.get(constant) ?? byExport.get(caseType);
      if (first)
        problems.push(
          problemAt(
            file,
            '',
            'eval-duplicate-dataset',
            first.name === file.name
              ? `dataset "${file.name}" is also ${first.display}: a dataset's name is its file's stem, so rename one`
              : `dataset "${file.name}" would be generated as evals/${module}.ts, as ${first.display} is: rename one`,
          ),
        );
      else if (sameNames)
        problems.push(
          problemAt(
            file,
            '',
            'eval-duplicate-dataset',
            `dataset "${file.name}" would export ${constant} and ${caseType}, as ${sameNames.display} does: rename one`,
          ),
        );
      else {
        byModule.set(module, file);
        byExport.set(constant, file).set(caseType, file);
      }
    }
    const agentName = datasetAgent(file);
    const agent = agents.get(agentName);
    if (!agent) {
      // An agent left out of the IR for its own errors has been reported already.
      if (!inputs.declaredAgents.has(agentName)) {
        const given = typeof doc['agent'] === 'string';
        problems.push(
          problemAt(
            file,
            given ? '/agent' : '',
            'eval-unknown-agent',
            given
              ? `unknown agent "${agentName}"${didYouMean(agentName, agents.keys())}`
              : `no agent named "${agentName}" (the dataset's name with - as _)${didYouMean(agentName, agents.keys())}: name the agent with \`agent:\``,
          ),
        );
      }
    }
    const cases = Array.isArray(doc['cases']) ? doc['cases'] : [];
    const names = new Map<string, number>();
    cases.forEach((c, i) => {
      if (!isObject(c) || typeof c['name'] !== 'string') return;
      const before = names.get(c['name']);
      if (before !== undefined)
        problems.push(
          problemAt(file, `/cases/${i}/name`, 'eval-duplicate-case', `case "${c['name']}" is also case ${before + 1} of this dataset: case names are unique`),
        );
      else names.set(c['name'], i);
    });
    if (agent) {
      const output = outputSchemas(agent, types);
      cases.forEach((c, i) => {
        if (isObject(c)) problems.push(...caseProblems(file, agent, types, output, c, `/cases/${i}`, history));
      });
      for (const [items, at] of evaluatorLists(doc))
        items.forEach((item, i) => {
          const pointer = `${at}/${i}`;
          if (!inputs.validation.badEvaluators.has(`${file.rel}#${pointer}`))
            problems.push(...evaluatorProblems(file, inputs.ir, agent, output, item, pointer));
        });
    }
    problems.push(...expectedNeeded(file, doc, inputs.validation));
  }
  return problems;
}

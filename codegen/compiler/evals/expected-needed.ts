/**
 * The check that a case has the `expected` its evaluators compare with, whether the evaluator is
 * the case's own or the dataset's.
 */
import type { LoadedEvalFile } from './load-evals.js';
import { problemAt } from '../locate.js';
import type { Problem } from '../problems.js';
import { isObject } from '../schema/walk.js';
import { kindOf } from './check-evaluator.js';
import type { EvalsValidation } from './validate-evals.js';

/**
 * `equals_expected`, and `partial_equals` with no value, compare with the case's `expected`: a case
 * without one cannot pass. Reported at the evaluator when it is the case's own, at the case when
 * the dataset's evaluator meets it.
 */
export function expectedNeeded(file: LoadedEvalFile, doc: Record<string, unknown>, validation: EvalsValidation): Problem[] {
  const needs = (item: unknown): boolean =>
    item === 'equals_expected' || item === 'partial_equals' || (isObject(item) && ('equals_expected' in item || item['partial_equals'] === null));
  const problems: Problem[] = [];
  const shared = Array.isArray(doc['evaluators'])
    ? doc['evaluators'].map((item, i) => ({ item, i })).filter(({ item, i }) => needs(item) && !validation.badEvaluators.has(`${file.rel}#/evaluators/${i}`))
    : [];
  const cases = Array.isArray(doc['cases']) ? doc['cases'] : [];
  cases.forEach((c, i) => {
    if (!isObject(c) || 'expected' in c) return;
    const name = typeof c['name'] === 'string' ? `case "${c['name']}"` : 'this case';
    for (const { item, i: k } of shared)
      problems.push(
        problemAt(
          file,
          `/cases/${i}`,
          'eval-no-expected',
          `${name} has no \`expected\`, which the dataset's evaluator ${kindOf(item)} (/evaluators/${k}) compares with`,
        ),
      );
    if (Array.isArray(c['evaluators']))
      c['evaluators'].forEach((item, k) => {
        if (needs(item) && !validation.badEvaluators.has(`${file.rel}#/cases/${i}/evaluators/${k}`))
          problems.push(
            problemAt(
              file,
              `/cases/${i}/evaluators/${k}`,
              'eval-no-expected',
              `${kindOf(item)} compares with the case's \`expected\`, which ${name} does not have`,
            ),
          );
      });
  });
  return problems;
}

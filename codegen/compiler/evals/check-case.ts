/**
 * The checks of one eval case's values against the agent it evaluates: its `context` against the
 * agent's context schema (or its lack, when runs need one), its `expected` against the agent's
 * outputs, and its `history` against the message format.
 */
import { bundle } from '../ir/bundle.js';
import type { IRAgent, IRType } from '../ir/types.js';
import type { LoadedEvalFile } from './load-evals.js';
import { problemAt } from '../locate.js';
import type { Problem } from '../problems.js';
import { checkData, errorText } from '../schema/data-check.js';
import { describe, reduceErrors } from '../validate.js';
import type { HistoryCheck } from './history-checker.js';
import type { OutputSchemas } from './output-members.js';

/** The problems of the case `c` at `at`: its context, its expected output and its history. */
export function caseProblems(
  file: LoadedEvalFile,
  agent: IRAgent,
  types: ReadonlyMap<string, IRType>,
  output: OutputSchemas,
  c: Record<string, unknown>,
  at: string,
  history: HistoryCheck,
): Problem[] {
  const problems: Problem[] = [];
  if ('context' in c) {
    if (!agent.context) {
      problems.push(
        problemAt(
          file,
          `${at}/context`,
          'eval-invalid-context',
          `agent "${agent.name}" has no context (its instructions have no placeholders): remove \`context\``,
          {
            anchor: 'key',
          },
        ),
      );
    } else {
      const errors = checkData(bundle(agent.context, types), c['context']);
      if (Array.isArray(errors))
        for (const e of reduceErrors(errors))
          problems.push(
            problemAt(
              file,
              `${at}/context${e.instancePath}`,
              'eval-invalid-context',
              `context does not fit agent "${agent.name}"'s context schema: ${errorText(e)}`,
            ),
          );
    }
  } else if (agent.context) {
    // A run checks its context against the schema, `undefined` included: without one, every run fails.
    const schema = bundle(agent.context, types);
    const errors = checkData(schema, undefined);
    if (Array.isArray(errors) && errors.length > 0) {
      const needs = checkData(schema, {});
      const what = Array.isArray(needs) && needs.length > 0 ? ` (${reduceErrors(needs).map(errorText).join('; ')})` : '';
      problems.push(
        problemAt(
          file,
          at,
          'eval-invalid-context',
          `the case has no \`context\`, and agent "${agent.name}"'s runs need one that fits its context schema${what}`,
        ),
      );
    }
  }
  if ('expected' in c) {
    const expected = c['expected'];
    let closest: { name: string; errors: string[] } | undefined;
    let fits = false;
    for (const member of output.members) {
      const errors = checkData(member.schema, expected);
      if (!Array.isArray(errors)) {
        fits = true; // a schema Ajv cannot compile was reported by the definitions' checks
        break;
      }
      if (errors.length === 0) {
        fits = true;
        break;
      }
      const reduced = reduceErrors(errors).map(errorText);
      if (!closest || reduced.length < closest.errors.length) closest = { name: member.name || member.namedType || '', errors: reduced };
    }
    if (!fits && closest) {
      const shown = closest.errors.slice(0, 3).join('; ') + (closest.errors.length > 3 ? `; and ${closest.errors.length - 3} more` : '');
      const what = output.text
        ? `agent "${agent.name}" outputs text: expected must be a string, found ${describe(expected)}`
        : output.members.length > 1
          ? `expected fits no output of agent "${agent.name}"; closest is ${closest.name === '' ? 'text' : closest.name}: ${shown}`
          : `expected does not fit agent "${agent.name}"'s output schema: ${shown}`;
      problems.push(problemAt(file, `${at}/expected`, 'eval-invalid-expected', what));
    }
  }
  if (Array.isArray(c['history']) && c['history'].length > 0) {
    const errors = history(c['history']);
    if (Array.isArray(errors) && errors.length > 0) {
      // The deepest error is the most specific: the message schema's if/then wrappers report higher up.
      const ranked = errors.filter((e) => e.keyword !== 'if' && e.keyword !== 'anyOf').sort((a, b) => depth(b.instancePath) - depth(a.instancePath));
      const e = ranked[0] ?? errors[0]!;
      const path = e.instancePath.replace(/^\/messages/, '');
      problems.push(
        problemAt(file, `${at}/history${path}`, 'eval-invalid-history', `history is not a valid message list: ${errorText({ ...e, instancePath: path })}`),
      );
    }
  }
  return problems;
}

function depth(pointer: string): number {
  return pointer.split('/').length;
}

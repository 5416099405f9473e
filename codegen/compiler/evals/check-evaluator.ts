/**
 * The checks of one evaluator item against the agent it evaluates, beyond what the dataset format
 * checks: a tool the agent does not have, a union member it does not output, a pointer no output
 * can hold, an invalid schema or regular expression.
 */
import type { IR, IRAgent } from '../ir/types.js';
import type { LoadedEvalFile } from './load-evals.js';
import { problemAt } from '../locate.js';
import { compareText, escapePointerSegment, fromPointer, type Problem } from '../problems.js';
import { compileError } from '../schema/data-check.js';
import { draftOf, validateEmbeddedSchema } from '../schema/meta.js';
import { pointerCanExist } from '../schema/pointer-reach.js';
import { isObject } from '../schema/walk.js';
import { didYouMean } from '../suggest.js';
import { describe, reduceErrors } from '../validate.js';
import { runtimeMemberName, type OutputSchemas } from './output-members.js';
import { evaluatorKind } from './validate-evals.js';

/** The tools a run of `agent` can call, by the names the model sees (function tools, delegates, MCP tools, output tools). */
function toolNames(agent: IRAgent, ir: IR): Set<string> {
  const names = new Set([...agent.tools, ...agent.delegates]);
  if (agent.output.kind === 'structured') for (const m of agent.output.members) names.add(m.toolName);
  for (const serverName of agent.mcp) {
    const server = ir.mcp.find((s) => s.name === serverName);
    if (!server) continue;
    const filter = agent.mcpFilters?.[serverName];
    for (const tool of server.tools) {
      if (filter?.include && !filter.include.includes(tool.name)) continue;
      if (filter?.exclude?.includes(tool.name)) continue;
      names.add(`${server.prefix ?? ''}${tool.name}`);
    }
  }
  return names;
}

/** The problems of the evaluator `item` at `at` (one its format accepts): what it names or carries that cannot work. */
export function evaluatorProblems(file: LoadedEvalFile, ir: IR, agent: IRAgent, output: OutputSchemas, item: unknown, at: string): Problem[] {
  const kind = evaluatorKind(item);
  if (kind === undefined || typeof item === 'string' || !isObject(item)) return [];
  const args = item[kind];
  const argsAt = `${at}/${escapePointerSegment(kind)}`;
  const problems: Problem[] = [];
  switch (kind) {
    case 'tool_called':
    case 'tool_not_called': {
      const tool = typeof args === 'string' ? args : isObject(args) ? args['tool'] : undefined;
      const toolAt = typeof args === 'string' ? argsAt : `${argsAt}/tool`;
      const known = toolNames(agent, ir);
      if (typeof tool === 'string' && !known.has(tool))
        problems.push(
          problemAt(
            file,
            toolAt,
            'eval-unknown-tool',
            known.size === 0
              ? `agent "${agent.name}" has no tools, so none named "${tool}"`
              : `agent "${agent.name}" has no tool "${tool}"${didYouMean(tool, known)}`,
          ),
        );
      if (isObject(args) && 'args' in args) problems.push(...schemaProblems(file, args['args'], `${argsAt}/args`));
      break;
    }
    case 'is_instance': {
      const member = typeof args === 'string' ? args : isObject(args) ? args['member'] : undefined;
      const memberAt = typeof args === 'string' ? argsAt : `${argsAt}/member`;
      if (typeof member !== 'string') break;
      const names = new Set(output.members.map(runtimeMemberName));
      if (names.has(member)) break;
      problems.push(
        problemAt(
          file,
          memberAt,
          'eval-unknown-member',
          `agent "${agent.name}" outputs no member "${member}" (its members: ${[...names].sort(compareText).join(', ')})${didYouMean(member, names)}`,
        ),
      );
      break;
    }
    case 'pointer': {
      if (!isObject(args)) break;
      const pointer = args['pointer'];
      if (typeof pointer === 'string' && args['exists'] !== false && !output.members.some((m) => pointerCanExist(m.schema, fromPointer(pointer))))
        problems.push(
          problemAt(
            file,
            `${argsAt}/pointer`,
            'eval-unknown-pointer',
            `no output of agent "${agent.name}" can have a value at ${pointer}: its output schema${output.members.length > 1 ? 's leave' : ' leaves'} no room for it`,
          ),
        );
      if ('schema' in args) problems.push(...schemaProblems(file, args['schema'], `${argsAt}/schema`));
      break;
    }
    case 'llm_judge':
      if (isObject(args) && 'verdict' in args) problems.push(...schemaProblems(file, args['verdict'], `${argsAt}/verdict`));
      break;
    case 'regex': {
      const pattern = typeof args === 'string' ? args : isObject(args) ? args['pattern'] : undefined;
      const flags = isObject(args) && typeof args['flags'] === 'string' ? args['flags'] : '';
      const error = typeof pattern === 'string' ? regexError(pattern, flags) : undefined;
      if (error !== undefined)
        problems.push(
          problemAt(file, typeof args === 'string' ? argsAt : `${argsAt}/pattern`, 'eval-invalid-regex', `not a valid regular expression: ${error}`),
        );
      break;
    }
    case 'has_matching_span': {
      const pattern = isObject(args) ? args['span_pattern'] : undefined;
      const error = typeof pattern === 'string' ? regexError(pattern, '') : undefined;
      if (error !== undefined)
        problems.push(problemAt(file, `${argsAt}/span_pattern`, 'eval-invalid-regex', `span_pattern is not a valid regular expression: ${error}`));
      break;
    }
  }
  return problems;
}

/** A schema an evaluator carries: valid against its draft's meta-schema, and compilable. */
function schemaProblems(file: LoadedEvalFile, schema: unknown, at: string): Problem[] {
  if (typeof schema === 'boolean') return [];
  if (!isObject(schema)) return [problemAt(file, at, 'eval-invalid-schema', `expected a JSON Schema (a mapping or a boolean), found ${describe(schema)}`)];
  const draft = draftOf(schema);
  // One problem per place: the meta-schema reports a bad `type` once per form it could take.
  const errors = [...new Map(reduceErrors(validateEmbeddedSchema(schema, draft)).map((e) => [e.instancePath, e])).values()];
  if (errors.length > 0)
    return errors.map((e) => problemAt(file, at + e.instancePath, 'eval-invalid-schema', `not a valid JSON Schema (${draft}): ${e.message ?? e.keyword}`));
  const error = compileError(schema);
  return error === undefined ? [] : [problemAt(file, at, 'eval-invalid-schema', `the schema cannot be compiled: ${error}`)];
}

/** Why `pattern` (with `flags`) is not a regular expression, or undefined when it is. */
function regexError(pattern: string, flags: string): string | undefined {
  try {
    new RegExp(pattern, flags).test('');
    return undefined;
  } catch (err) {
    const message = (err as Error).message;
    const reason = message.lastIndexOf(': ');
    return message.startsWith('Invalid regular expression: /') && reason >= 0 ? message.slice(reason + 2) : message;
  }
}

/** An evaluator item as a message names it: its kind, else `evaluator`. */
export function kindOf(item: unknown): string {
  return typeof item === 'string' ? item : (evaluatorKind(item) ?? 'evaluator');
}

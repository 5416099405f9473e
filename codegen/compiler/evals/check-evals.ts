/**
 * The check stage's part for eval datasets: each dataset against the agent it evaluates, as the
 * IR describes it. An unknown agent, a case name used twice, a dataset name used twice (or one
 * that cannot name a module), a context or expected output that does not fit the agent's schemas,
 * a history that is not a message list, and evaluators that cannot pass or cannot run: a tool
 * the agent does not have, a union member it does not output, a pointer no output can hold, an
 * invalid schema or regular expression, an `expected` the case lacks. Every problem is located
 * at what is wrong.
 */
import { MESSAGES_FORMAT_VERSION, MESSAGES_JSON_SCHEMA } from 'schemantic/internal';
import { bundle } from '../ir/bundle.js';
import type { IR, IRAgent, IRType } from '../ir/types.js';
import type { LoadedEvalFile } from './load-evals.js';
import { problemAt } from '../locate.js';
import { kebabCase } from '../naming.js';
import { EVALS_INDEX_MODULE, evalDatasetNames } from '../naming-plan.js';
import { compareText, escapePointerSegment, fromPointer, type Problem } from '../problems.js';
import { checkData, compileError, errorText } from '../schema/data-check.js';
import { draftOf, validateEmbeddedSchema } from '../schema/meta.js';
import { pointerCanExist } from '../schema/pointer-reach.js';
import { isObject } from '../schema/walk.js';
import { didYouMean } from '../suggest.js';
import { describe, reduceErrors } from '../validate.js';
import { evaluatorKind, evaluatorLists, type EvalsValidation } from './validate-evals.js';

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

/** The output members an expected value may fit, each self-contained; a text output is `{type: string}`. */
interface OutputSchemas {
  /** Each member's name (empty for a lone output or text) and schema; `text` marks the text member. */
  members: { name: string; namedType?: string; schema: unknown; text?: true }[];
  text: boolean;
}

/**
 * The name `isInstance` of `schemantic/evals` knows a member by, which is what `is_instance` must
 * name (else the run throws): a union member's PascalCase name (its output tool's suffix, not its
 * type's definitions name), a single output's `$ref` name, else its title, else `output`; `text`
 * for text. Mirrors `memberName` of runtime/evals/evaluators/is-instance.ts on the emitted schema.
 */
function runtimeMemberName(member: OutputSchemas['members'][number]): string {
  if (member.name !== '') return member.name;
  if (member.text) return 'text';
  const schema = member.schema;
  if (isObject(schema)) {
    const ref = schema['$ref'];
    if (typeof ref === 'string' && ref.startsWith('#/$defs/') && !ref.slice(8).includes('/')) return ref.slice(8);
    if (typeof schema['title'] === 'string') return schema['title'];
  }
  return 'output';
}

function outputSchemas(agent: IRAgent, types: ReadonlyMap<string, IRType>): OutputSchemas {
  if (agent.output.kind === 'text') return { members: [{ name: '', schema: { type: 'string' }, text: true }], text: true };
  const members: OutputSchemas['members'] = agent.output.members.map((m) => ({
    name: m.memberName,
    ...(m.namedType !== undefined ? { namedType: m.namedType } : {}),
    schema: bundle(m.schema, types),
  }));
  if (agent.output.allowsText) members.push({ name: '', schema: { type: 'string' }, text: true });
  return { members, text: false };
}

type HistoryCheck = (history: unknown[]) => ReturnType<typeof checkData>;

function caseProblems(
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

/** The checker of histories: the runtime's message JSON schema (compiled only when a dataset has a history). */
async function historyChecker(files: readonly LoadedEvalFile[]): Promise<HistoryCheck> {
  const needed = files.some(
    (f) =>
      isObject(f.value) &&
      Array.isArray(f.value['cases']) &&
      f.value['cases'].some((c) => isObject(c) && Array.isArray(c['history']) && c['history'].length > 0),
  );
  if (!needed) return () => [];
  return (messages) => checkData(MESSAGES_JSON_SCHEMA, { version: MESSAGES_FORMAT_VERSION, messages });
}

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

function evaluatorProblems(file: LoadedEvalFile, ir: IR, agent: IRAgent, output: OutputSchemas, item: unknown, at: string): Problem[] {
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

/**
 * `equals_expected`, and `partial_equals` with no value, compare with the case's `expected`: a case
 * without one cannot pass. Reported at the evaluator when it is the case's own, at the case when
 * the dataset's evaluator meets it.
 */
function expectedNeeded(file: LoadedEvalFile, doc: Record<string, unknown>, validation: EvalsValidation): Problem[] {
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

function kindOf(item: unknown): string {
  return typeof item === 'string' ? item : (evaluatorKind(item) ?? 'evaluator');
}

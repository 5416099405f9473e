/**
 * Eval datasets against their format, `schemas/meta/eval-dataset.schema.json`: the document (with
 * each evaluator item loosened to "a name or a mapping"), then each evaluator item on its own, so
 * that a misspelt kind is said as such (with a suggestion) and the arguments of a kind are checked
 * against that kind's schema in the same meta-schema, with located errors.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv2020Module from 'ajv/dist/2020.js';
import { metaSchema } from '../../assets.js';
import type { LoadedEvalFile } from './load-evals.js';
import { problemAt } from '../locate.js';
import { escapePointerSegment, type Problem } from '../problems.js';
import { isObject } from '../schema/walk.js';
import { didYouMean } from '../suggest.js';
import { describe, documentProblem, reduceErrors, typeName } from '../validate.js';

const Ajv2020 = Ajv2020Module.default;

/** The evaluator kinds, as written (snake_case). */
export const EVALUATOR_KINDS = [
  'equals_expected',
  'equals',
  'partial_equals',
  'pointer',
  'is_instance',
  'contains',
  'regex',
  'max_duration',
  'max_tokens',
  'max_cost',
  'tool_called',
  'tool_not_called',
  'llm_judge',
  'has_matching_span',
  'custom',
] as const;

/** An evaluator kind, as written. */
export type EvaluatorKindName = (typeof EVALUATOR_KINDS)[number];

const KINDS: ReadonlySet<string> = new Set(EVALUATOR_KINDS);

/** Kinds whose arguments are all optional: the only ones that may be written bare. */
export const BARE_KINDS: ReadonlySet<string> = new Set(['equals_expected', 'partial_equals']);

/** What each kind that takes arguments takes, in words (for a bare name, or a value of no accepted form). */
const FORMS: Readonly<Record<string, string>> = {
  equals: 'the value the output must equal',
  pointer: '{ pointer, equals | schema | exists }',
  is_instance: 'the name of a member of the output union',
  contains: 'a value, or { value, case_sensitive }',
  regex: 'a pattern, or { pattern, flags }',
  max_duration: 'a number of seconds',
  max_tokens: 'a number (the total), or { total, input, output }',
  max_cost: '{ usd, input_per_million, output_per_million }',
  tool_called: 'a tool name, or { tool, args, times }',
  tool_not_called: 'a tool name',
  llm_judge: 'a rubric, or { rubric, model, verdict, include_prompt, include_expected }',
  has_matching_span: '{ span | span_pattern, attributes, max_seconds, count, absent }',
  custom: 'the name of a custom evaluator of the binding',
};

/** Result of {@link validateEvals}. */
export interface EvalsValidation {
  problems: Problem[];
  /** Evaluator items (`rel#pointer`) whose shape is wrong: later checks skip them. */
  badEvaluators: Set<string>;
}

let documentValidator: ValidateFunction | undefined;
let kindSchemas: Record<string, unknown> | undefined;
const kindValidators = new Map<string, ValidateFunction>();

function documentValidate(): ValidateFunction {
  if (!documentValidator) {
    const meta = metaSchema('eval-dataset') as { $defs: Record<string, unknown> };
    kindSchemas = (meta.$defs['evaluators'] ?? {}) as Record<string, unknown>;
    const loose = structuredClone(meta) as { $defs: Record<string, unknown> };
    loose.$defs['evaluator'] = { type: ['string', 'object'] };
    documentValidator = new Ajv2020({ allErrors: true, verbose: true, strict: false, validateSchema: false }).compile(loose);
  }
  return documentValidator;
}

/** The validator of one (branch of a) kind's argument schema. */
function kindValidate(key: string, schema: unknown): ValidateFunction {
  let v = kindValidators.get(key);
  if (!v) {
    v = new Ajv2020({ allErrors: true, verbose: true, strict: false, validateSchema: false }).compile(schema as object);
    kindValidators.set(key, v);
  }
  return v;
}

/** Checks every dataset file against the format. */
export function validateEvals(files: readonly LoadedEvalFile[]): EvalsValidation {
  const problems: Problem[] = [];
  const badEvaluators = new Set<string>();
  for (const file of files) {
    if (file.value === undefined) continue;
    const validate = documentValidate();
    if (!validate(file.value)) for (const e of reduceErrors(validate.errors ?? [])) problems.push(documentProblem(file, e));
    if (!isObject(file.value)) continue;
    for (const [items, at] of evaluatorLists(file.value)) {
      items.forEach((item, i) => {
        const pointer = `${at}/${i}`;
        const found = evaluatorProblems(file, item, pointer);
        if (found.length > 0) badEvaluators.add(`${file.rel}#${pointer}`);
        problems.push(...found);
      });
    }
  }
  return { problems, badEvaluators };
}

/** The evaluator lists of a dataset, with their pointers: the dataset's, then each case's. */
export function evaluatorLists(doc: Record<string, unknown>): [unknown[], string][] {
  const lists: [unknown[], string][] = [];
  if (Array.isArray(doc['evaluators'])) lists.push([doc['evaluators'], '/evaluators']);
  if (Array.isArray(doc['cases']))
    doc['cases'].forEach((c, i) => {
      if (isObject(c) && Array.isArray(c['evaluators'])) lists.push([c['evaluators'], `/cases/${i}/evaluators`]);
    });
  return lists;
}

/** The kind key of an evaluator item that has exactly one, else undefined. */
export function evaluatorKind(item: unknown): string | undefined {
  if (typeof item === 'string') return KINDS.has(item) ? item : undefined;
  if (!isObject(item)) return undefined;
  const kinds = Object.keys(item).filter((k) => KINDS.has(k));
  return kinds.length === 1 ? kinds[0] : undefined;
}

function evaluatorProblems(file: LoadedEvalFile, item: unknown, pointer: string): Problem[] {
  if (typeof item === 'string') {
    if (!KINDS.has(item)) return [problemAt(file, pointer, 'eval-unknown-evaluator', `unknown evaluator "${item}"${didYouMean(item, KINDS)}`)];
    if (!BARE_KINDS.has(item))
      return [problemAt(file, pointer, 'eval-invalid-evaluator', `${item} takes ${FORMS[item] ?? 'arguments'}: write \`- ${item}: ...\``)];
    return [];
  }
  if (!isObject(item)) return [];
  const keys = Object.keys(item);
  const kinds = keys.filter((k) => KINDS.has(k));
  const others = keys.filter((k) => !KINDS.has(k) && k !== 'name' && !(k === 'args' && kinds.includes('custom')));
  const problems: Problem[] = [];
  if (kinds.length === 0) {
    const unknown = others[0];
    if (unknown === undefined)
      return [problemAt(file, pointer, 'eval-invalid-evaluator', 'an evaluator needs a kind (as `contains: refund`), found only a name')];
    return [
      problemAt(file, `${pointer}/${escapePointerSegment(unknown)}`, 'eval-unknown-evaluator', `unknown evaluator "${unknown}"${didYouMean(unknown, KINDS)}`, {
        anchor: 'key',
      }),
    ];
  }
  if (kinds.length > 1)
    problems.push(
      problemAt(
        file,
        `${pointer}/${escapePointerSegment(kinds[1]!)}`,
        'eval-invalid-evaluator',
        `an evaluator has exactly one kind, found ${kinds.join(' and ')}: write each as its own item`,
        { anchor: 'key' },
      ),
    );
  for (const key of others)
    problems.push(
      problemAt(
        file,
        `${pointer}/${escapePointerSegment(key)}`,
        'eval-invalid-evaluator',
        `unknown key "${key}" beside ${kinds[0]} (an evaluator item holds its kind and an optional name${kinds.includes('custom') ? ' and args' : ''})`,
        { anchor: 'key' },
      ),
    );
  if ('name' in item && (typeof item['name'] !== 'string' || item['name'] === ''))
    problems.push(problemAt(file, `${pointer}/name`, 'eval-invalid-evaluator', `an evaluator's name is a non-empty string, found ${describe(item['name'])}`));
  if (kinds.length === 1) problems.push(...argumentProblems(file, kinds[0]!, item[kinds[0]!], `${pointer}/${escapePointerSegment(kinds[0]!)}`));
  return problems;
}

/** The arguments of kind `kind` against its schema; for a schema of several forms, the form of the value's type. */
function argumentProblems(file: LoadedEvalFile, kind: string, value: unknown, pointer: string): Problem[] {
  documentValidate();
  const schema = kindSchemas?.[kind];
  if (!isObject(schema)) return [];
  let chosen: unknown = schema;
  let key = kind;
  if (Array.isArray(schema['anyOf']) && schema['type'] === undefined) {
    const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : typeof value;
    const index = schema['anyOf'].findIndex(
      (branch) => isObject(branch) && typesOf(branch['type']).some((t) => t === actual || (t === 'integer' && actual === 'number')),
    );
    if (index < 0) return [problemAt(file, pointer, 'eval-invalid-evaluator', `${kind} takes ${FORMS[kind] ?? 'other arguments'}, found ${describe(value)}`)];
    chosen = schema['anyOf'][index];
    key = `${kind}/${index}`;
  }
  const validate = kindValidate(key, chosen);
  if (validate(value)) return [];
  return reduceErrors(validate.errors ?? []).map((e) => argumentProblem(file, kind, pointer, e));
}

function typesOf(type: unknown): string[] {
  return typeof type === 'string' ? [type] : Array.isArray(type) ? type.map(String) : [];
}

function argumentProblem(file: LoadedEvalFile, kind: string, base: string, e: ErrorObject): Problem {
  const params = e.params as Record<string, unknown>;
  const at = base + e.instancePath;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const known = isObject(e.parentSchema) && isObject(e.parentSchema['properties']) ? Object.keys(e.parentSchema['properties']) : [];
      const hint = key === 'name' ? `; an evaluator's name goes beside its kind: \`{ ${kind}: {...}, name: ... }\`` : didYouMean(key, known);
      return problemAt(file, `${at}/${escapePointerSegment(key)}`, 'eval-invalid-evaluator', `${kind}: unknown key "${key}"${hint}`, { anchor: 'key' });
    }
    case 'required':
      return problemAt(file, at, 'eval-invalid-evaluator', `${kind}: missing required key "${String(params['missingProperty'])}"`);
    case 'type':
      return problemAt(file, at, 'eval-invalid-evaluator', `${kind}: expected ${typeName(String(params['type']))}, found ${describe(e.data)}`);
    case 'anyOf':
      return problemAt(file, at, 'eval-invalid-evaluator', `${kind} takes ${FORMS[kind] ?? 'other arguments'}`);
    case 'pattern':
      return problemAt(
        file,
        at,
        'eval-invalid-evaluator',
        at.endsWith('/flags')
          ? `${kind}: flags are RegExp flags (d, g, i, m, s, u, v, y), found ${describe(e.data)}`
          : `${kind}: a JSON pointer is empty or starts with "/", found ${describe(e.data)}`,
      );
    case 'maxProperties':
      return problemAt(file, at, 'eval-invalid-evaluator', `${kind} takes no arguments: write it bare (\`- ${kind}\`)`);
    default:
      return problemAt(file, at, 'eval-invalid-evaluator', `${kind}: ${e.message ?? `fails ${e.keyword}`}`);
  }
}

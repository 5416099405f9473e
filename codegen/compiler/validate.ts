/**
 * Stage 2, validate: check each file against the definitions format, each embedded schema
 * against the meta-schema of its draft, and each schema keyword against what the toolchain can
 * honour. Every problem is located at `file:line:col`.
 *
 * An entry (one type, tool or agent) with an error is marked invalid: later stages leave it out
 * of the IR but still know its name, so one bad entry does not cause a cascade of "unknown tool".
 */
import type { ErrorObject } from 'ajv';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { problemAt } from './locate.js';
import { escapePointerSegment, fromPointer, toPointer, type Problem, type ProblemCode } from './problems.js';
import { KEYWORDS_07, KEYWORDS_2020, UNSUPPORTED_KEYWORDS } from './schema/keywords.js';
import { definitionsValidate, draftOf, DRAFT_07_URIS, DRAFT_2020_URIS, validateEmbeddedSchema } from './schema/meta.js';
import { embeddingProblem, EMBEDDING_KEYWORD } from './schema/embedding.js';
import { schemaSlots } from './schema/slots.js';
import { forEachSubschema, isObject } from './schema/walk.js';
import { didYouMean } from './suggest.js';
import type { LoadedFile } from './load.js';

/** The formats validators can check (those of ajv-formats). */
export const KNOWN_FORMATS: ReadonlySet<string> = new Set(Object.keys(fullFormats));

/** Result of {@link validate}. */
export interface ValidateResult {
  problems: Problem[];
  /** Keys (`rel#/tools/name`, or `rel#` for a whole file) of entries that must not reach the IR. */
  invalid: Set<string>;
}

/** The key of the entry (type, tool or agent) a pointer lies in. */
export function entryKey(rel: string, pointer: string): string {
  const [section, name] = fromPointer(pointer);
  return section === undefined || name === undefined ? `${rel}#` : `${rel}#${toPointer([section, name])}`;
}

/** Validation results of unchanged files, reused by watch mode. */
export type ValidateCache = WeakMap<LoadedFile, Problem[]>;

/** Validates every loaded file. */
export function validate(files: readonly LoadedFile[], cache?: ValidateCache): ValidateResult {
  const problems: Problem[] = [];
  const invalid = new Set<string>();
  for (const file of files) {
    if (file.value === undefined) {
      invalid.add(`${file.rel}#`);
      continue;
    }
    let found = cache?.get(file);
    if (!found) {
      found = [...documentProblems(file), ...schemaProblems(file)];
      cache?.set(file, found);
    }
    for (const p of found) if (keepsOut(p)) invalid.add(entryKey(file.rel, p.pointer));
    problems.push(...found);
  }
  return { problems, invalid };
}

/**
 * Problems that leave an entry as it can still be read: an unknown key or keyword, a value out of
 * range or not one of the allowed ones (a wrong model id, a negative retry count), a pattern the
 * engine rejects, a missing `parameters` (an empty object then). The entry stays in the IR, so its
 * other problems (an unknown tool, a placeholder the context lacks, a dangling `$ref`) are
 * reported in the same run. So are wrong types of values the later stages do not read (a numeric
 * description, a model that is not a string), which build IR leaves out.
 */
const CONTAINED: ReadonlySet<ProblemCode> = new Set(['unknown-key', 'unknown-keyword', 'unknown-format', 'unsupported-keyword', 'invalid-value']);

/** Fields of a tool or agent only build IR reads, each checking the type of what it reads. */
const LEAF_FIELDS: ReadonlySet<string> = new Set([
  'description',
  'model',
  'instructions',
  'system_prompt',
  'retries',
  'output_retries',
  'output_mode',
  'model_settings',
  'usage_limits',
  'end_strategy',
  'strict',
  'lax',
  'approval',
  'external',
]);

/**
 * Fields of an MCP server (`mcp/<server>/<field>`) and of its tools (`mcp/<server>/tools/<tool>/<field>`)
 * that build IR reads checking their type: which of `command` and `url` a server has is judged
 * by the check stage, which then sees what is left.
 */
const MCP_LEAF_FIELDS: ReadonlySet<string> = new Set(['description', 'command', 'args', 'env', 'cwd', 'url', 'headers', 'timeout', 'prefix']);
const MCP_TOOL_LEAF_FIELDS: ReadonlySet<string> = new Set(['title', 'description', 'annotations']);

/** Fields of a graph (`graphs/<graph>/<field>`) that are documentation only, which build IR reads checking their type. */
const GRAPH_LEAF_FIELDS: ReadonlySet<string> = new Set(['description', 'deps']);

/** Whether problem `p` keeps its entry (or, at the top of a file, the file) out of the IR. */
function keepsOut(p: Problem): boolean {
  if (p.severity !== 'error') return false;
  const segments = fromPointer(p.pointer);
  if (p.code === 'unknown-key' && isGraphField(segments)) return true;
  if (CONTAINED.has(p.code)) return false;
  if (segments[0] === 'mcp' && segments.length >= 2) return keepsServerOut(p.code, segments);
  if (segments[0] === 'graphs' && segments.length >= 2) return keepsGraphOut(p, segments);
  const inEntry = (segments[0] === 'tools' || segments[0] === 'agents') && segments.length >= 2;
  if (p.code === 'missing-key' && inEntry && segments.length === 2) return false;
  if (p.code === 'wrong-type' && inEntry && segments.length >= 3 && LEAF_FIELDS.has(segments[2]!)) return false;
  // A pattern (or a patternProperties key) the regex engine rejects: the schema is still a schema.
  return !REGEX_PROBLEMS.has(p);
}

/** Whether a problem inside MCP server `segments[1]` keeps the server out (a wrong shape of what later stages read). */
function keepsServerOut(code: ProblemCode, segments: readonly string[]): boolean {
  const inTool = segments[2] === 'tools' && segments.length >= 4;
  // A tool without parameters is read as taking an empty object, as a function tool is.
  if (code === 'missing-key' && inTool && segments.length === 4) return false;
  if (code === 'wrong-type' && segments.length >= 3 && !inTool && MCP_LEAF_FIELDS.has(segments[2]!)) return false;
  if (code === 'wrong-type' && inTool && segments.length >= 5 && MCP_TOOL_LEAF_FIELDS.has(segments[4]!)) return false;
  return true;
}

/**
 * Whether `segments` is a field of a graph or of one of its nodes. An unknown key there is most
 * often a misspelt one (`nxt:`), and the graph read without it would be judged wrongly (a dead
 * end, nodes unreachable): one mistake, one problem, so it keeps the graph out.
 */
function isGraphField(segments: readonly string[]): boolean {
  return segments[0] === 'graphs' && (segments.length === 3 || (segments.length === 5 && segments[2] === 'nodes'));
}

/**
 * Whether a problem inside graph `segments[1]` keeps the graph out. Its structure (start, nodes,
 * successors, ends) is what the check stage judges, and a part of it read wrongly would be judged
 * wrongly (a node without its `next` is a dead end): so any error keeps the graph out, but a wrong
 * type of what is only documentation (its description and deps, a node's description, an edge's
 * label) and a pattern the regex engine rejects in one of its schemas.
 */
function keepsGraphOut(p: Problem, segments: readonly string[]): boolean {
  if (p.code !== 'wrong-type') return !REGEX_PROBLEMS.has(p);
  const inNode = segments[2] === 'nodes' && segments.length >= 4;
  if (!inNode) return !(segments.length === 3 && GRAPH_LEAF_FIELDS.has(segments[2]!));
  if (segments.length === 5 && segments[4] === 'description') return false;
  return !(segments.length === 7 && segments[4] === 'next' && segments[6] === 'label');
}

/** The problems of patterns the regex engine rejects (the cache keeps the same objects between runs). */
const REGEX_PROBLEMS = new WeakSet<Problem>();

function regexProblem(problem: Problem): Problem {
  REGEX_PROBLEMS.add(problem);
  return problem;
}

function documentProblems(file: LoadedFile): Problem[] {
  const validateDoc = definitionsValidate();
  if (validateDoc(file.value)) return [];
  return reduceErrors(validateDoc.errors ?? []).map((e) => documentProblem(file, e));
}

/**
 * Drops the errors of the branches of a failed `anyOf`/`oneOf` (one problem says it better), the
 * summary `propertyNames` error that follows each name error, and the summary `if` error that
 * follows the errors of the branch it chose (an agent's `mcp` item: a name or an object).
 */
export function reduceErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.schemaPath);
  return errors.filter((e) => e.keyword !== 'propertyNames' && e.keyword !== 'if' && !unions.some((u) => e.schemaPath.startsWith(u + '/')));
}

/** One error of a document against its format's meta-schema, located and said in words. */
export function documentProblem(file: LoadedFile, e: ErrorObject): Problem {
  const params = e.params as Record<string, unknown>;
  const propertyName = (e as { propertyName?: string }).propertyName;
  const parentProps = isObject(e.parentSchema) && isObject(e.parentSchema['properties']) ? Object.keys(e.parentSchema['properties']) : [];
  const data = e.data;
  let pointer = e.instancePath;
  let code: ProblemCode = 'invalid-value';
  let message: string;
  let anchor: 'key' | 'value' = 'value';
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      pointer = `${e.instancePath}/${escapePointerSegment(key)}`;
      code = 'unknown-key';
      anchor = 'key';
      message = `unknown key "${key}"${didYouMean(key, parentProps)}`;
      break;
    }
    case 'required':
      code = 'missing-key';
      message = `missing required key "${String(params['missingProperty'])}"`;
      break;
    case 'type':
      code = 'wrong-type';
      message = `expected ${typeName(String(params['type']))}, found ${describe(data)}`;
      break;
    case 'const':
      if (e.instancePath === '/spec') {
        code = 'unsupported-spec';
        message = `unsupported spec ${JSON.stringify(data)}: this generator reads ${JSON.stringify(params['allowedValue'])}`;
      } else {
        message = `must be ${JSON.stringify(params['allowedValue'])}`;
      }
      break;
    case 'enum':
      message = `must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')} (found ${JSON.stringify(data)})`;
      break;
    case 'pattern':
      if (propertyName !== undefined) {
        pointer = `${e.instancePath}/${escapePointerSegment(propertyName)}`;
        anchor = 'key';
        code = 'invalid-name';
        message = `invalid name ${JSON.stringify(propertyName)}: ${nameRule(e.instancePath)}`;
      } else if (e.instancePath.endsWith('/model')) {
        message = `invalid model id ${JSON.stringify(data)}: write provider:model (e.g. openai:gpt-4o) or test`;
      } else if (/^\/mcp\/[^/]+\/url$/.test(e.instancePath)) {
        message = `invalid url ${JSON.stringify(data)}: an MCP server is reached at an http:// or https:// URL (streamable HTTP)`;
      } else {
        code = 'invalid-name';
        message = `invalid name ${JSON.stringify(data)}: ${nameRule(e.instancePath)}`;
      }
      break;
    case 'anyOf':
    case 'oneOf':
      code = 'wrong-type';
      message = e.instancePath.endsWith('/output')
        ? `expected a schema or a non-empty list of schemas, found ${describe(data)}`
        : `does not match any allowed form (found ${describe(data)})`;
      break;
    case 'minProperties':
      message = /^\/graphs\/[^/]+\/nodes$/.test(e.instancePath) ? 'a graph needs at least one node' : (e.message ?? 'has too few properties');
      break;
    case 'uniqueItems':
      message = `lists the same item twice (items ${String(params['j'])} and ${String(params['i'])})`;
      break;
    default:
      message = e.message ?? `fails ${e.keyword}`;
  }
  return problemAt(file, pointer, code, message, { anchor });
}

function nameRule(instancePath: string): string {
  if (instancePath.startsWith('/types')) return 'use letters, digits, _ and -, starting with a letter';
  if (/^\/mcp\/[^/]+\/tools$/.test(instancePath)) return 'an MCP tool name has letters, digits, _, - and ., at most 128 characters';
  if (instancePath.endsWith('/model_settings/logit_bias')) return 'a logit_bias key is a token id, written in digits';
  return 'use letters, digits, _ and -, starting with a letter, at most 64 characters';
}

function schemaProblems(file: LoadedFile): Problem[] {
  const problems: Problem[] = [];
  for (const slot of schemaSlots(file.value)) {
    const rootSchema = slot.schema;
    const draft = draftOf(rootSchema);
    for (const e of reduceErrors(validateEmbeddedSchema(rootSchema, draft))) {
      const pointer = slot.pointer + e.instancePath;
      problems.push(problemAt(file, pointer, 'invalid-schema', `not a valid JSON Schema (${draft}): ${e.message ?? e.keyword}`));
    }
    const known = draft === 'draft-07' ? KEYWORDS_07 : KEYWORDS_2020;
    forEachSubschema(rootSchema, slot.pointer, (node, pointer) => {
      for (const [keyword, value] of Object.entries(node)) {
        const at = `${pointer}/${escapePointerSegment(keyword)}`;
        if (keyword === EMBEDDING_KEYWORD) {
          const problem = embeddingProblem(node);
          if (problem !== undefined) problems.push(problemAt(file, at, 'invalid-schema', problem, { anchor: 'key' }));
          continue;
        }
        if (keyword.startsWith('x-')) continue;
        if (NAME_MAPS.has(keyword) && isObject(value)) {
          for (const key of Object.keys(value)) {
            const lone = loneSurrogate(key);
            if (lone !== undefined)
              problems.push(
                problemAt(
                  file,
                  `${at}/${escapePointerSegment(key)}`,
                  'invalid-name',
                  `${keyword} key ${JSON.stringify(key)} holds a lone surrogate (${lone}), which is not text: validators cannot be compiled for it; write the character whole or leave it out`,
                  { anchor: 'key' },
                ),
              );
          }
        }
        const unsupported = UNSUPPORTED_KEYWORDS[keyword];
        if (unsupported !== undefined) {
          problems.push(problemAt(file, at, 'unsupported-keyword', `${keyword} is not supported: ${unsupported}`, { anchor: 'key' }));
        } else if (keyword === '$schema') {
          if (pointer !== slot.pointer) {
            problems.push(problemAt(file, at, 'unsupported-keyword', '$schema is only allowed at the root of a schema', { anchor: 'key' }));
          } else if (typeof value === 'string' && !DRAFT_07_URIS.has(value) && !DRAFT_2020_URIS.has(value)) {
            problems.push(problemAt(file, at, 'unsupported-keyword', `unsupported $schema ${JSON.stringify(value)}: use draft 2020-12 or draft-07`));
          }
        } else if (!known.has(keyword)) {
          problems.push(
            problemAt(file, at, 'unknown-keyword', `unknown ${draft} keyword "${keyword}"${didYouMean(keyword, known)}; prefix extensions with x-`, {
              anchor: 'key',
            }),
          );
        } else if (keyword === 'format' && typeof value === 'string' && !KNOWN_FORMATS.has(value)) {
          problems.push(problemAt(file, at, 'unknown-format', `unknown format "${value}"${didYouMean(value, KNOWN_FORMATS)}`));
        } else if ((keyword === 'properties' || keyword === 'dependentRequired') && isObject(value) && Object.hasOwn(value, '__proto__')) {
          problems.push(problemAt(file, `${at}/__proto__`, 'reserved-name', PROTO_MESSAGE, { anchor: 'key' }));
        } else if (keyword === 'required' && Array.isArray(value) && value.includes('__proto__')) {
          problems.push(problemAt(file, `${at}/${value.indexOf('__proto__')}`, 'reserved-name', PROTO_MESSAGE));
        } else if (keyword === 'pattern' && typeof value === 'string') {
          const error = regexError(value);
          if (error) problems.push(regexProblem(problemAt(file, at, 'invalid-schema', `pattern is not a valid regular expression: ${error}`)));
        } else if (keyword === 'patternProperties' && isObject(value)) {
          for (const key of Object.keys(value)) {
            const error = regexError(key);
            if (error)
              problems.push(
                regexProblem(
                  problemAt(file, `${at}/${escapePointerSegment(key)}`, 'invalid-schema', `patternProperties key is not a valid regular expression: ${error}`, {
                    anchor: 'key',
                  }),
                ),
              );
          }
        }
      }
    });
  }
  return problems;
}

/** Keywords whose keys are property names (or patterns): the validator compiler percent-encodes them into paths. */
const NAME_MAPS: ReadonlySet<string> = new Set(['properties', 'patternProperties', 'dependentSchemas', 'dependencies']);

/** The first lone surrogate in `text` as `U+D800`, or undefined when `text` is well-formed. */
function loneSurrogate(text: string): string | undefined {
  const match = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(text);
  return match ? `U+${match[0].charCodeAt(0).toString(16).toUpperCase()}` : undefined;
}

const PROTO_MESSAGE = 'a property named __proto__ cannot be validated (Ajv skips it) and sets the prototype of JavaScript objects; rename it';

/**
 * Why a pattern does not compile as the validators compile it (ECMAScript, with the `u` flag),
 * or undefined when it does. A regular expression is parsed when it is made but compiled when it
 * first runs, and only then can it turn out too large for the engine (or too deep for its stack):
 * so it is run here, twice (the second run compiles it to machine code), on the empty string,
 * which no pattern takes long to match.
 */
function regexError(pattern: string): string | undefined {
  try {
    const regex = new RegExp(pattern, 'u');
    regex.test('');
    regex.test('');
    return undefined;
  } catch (err) {
    // The engine's message repeats the pattern, which can be long: keep only what is wrong.
    const message = (err as Error).message;
    const reason = message.lastIndexOf('/u: ');
    return message.startsWith('Invalid regular expression: /') && reason >= 0 ? message.slice(reason + 4) : message;
  }
}

/** Ajv's type list in words (`a mapping or a list`). */
export function typeName(ajvType: string): string {
  return ajvType
    .split(',')
    .map((t) => (t === 'object' ? 'a mapping' : t === 'array' ? 'a list' : `a ${t}`))
    .join(' or ');
}

/** A value in words, for messages (`a mapping`, `the string "x"`). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return `the ${typeof value} ${String(value)}`;
}

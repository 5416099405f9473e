/**
 * Eval datasets into the IR: each checked dataset file normalised to the data form the runtime
 * consumes (`EvalDataset` of `schemantic/evals`). Keys of the format become camelCase
 * (`case_sensitive` -> `caseSensitive`), short forms become long ones (`max_duration: 5` ->
 * `{ evaluator: 'maxDuration', seconds: 5 }`), and data (`context`, `expected`, `metadata`,
 * values, `args`, schemas) is kept as written.
 */
import { bundle } from '../ir/bundle.js';
import type { IR, IRAgent, IREvalCase, IREvalDataset, IREvaluator, IRType, IRUsageLimits } from '../ir/types.js';
import { withDefaults } from '../schema/data-check.js';
import { evalDatasetNames } from '../naming-plan.js';
import { compareText } from '../problems.js';
import { isObject } from '../schema/walk.js';
import { datasetAgent } from './check-evals.js';
import type { LoadedEvalFile } from './load-evals.js';
import { BARE_KINDS, evaluatorKind } from './validate-evals.js';

/**
 * The datasets of `files` (which the checks passed), sorted by name. Contexts and expected outputs
 * get the defaults of their agent's schemas filled in, as a run's validators fill them in: the
 * output a run ends with has them, and the generated types require them.
 */
export function buildEvals(files: readonly LoadedEvalFile[], ir: IR): IREvalDataset[] {
  const out: IREvalDataset[] = [];
  const agents = new Map(ir.agents.map((a) => [a.name, a]));
  const types = new Map(ir.types.map((t) => [t.name, t]));
  for (const file of files) {
    if (!isObject(file.value)) continue;
    const doc = file.value;
    const evaluators = evaluatorList(doc['evaluators']);
    const agent = agents.get(datasetAgent(file));
    const fill = agent ? defaultsOf(agent, types) : { context: (v: unknown) => v, expected: (v: unknown) => v };
    const cases: IREvalCase[] = (Array.isArray(doc['cases']) ? doc['cases'] : []).filter(isObject).map((c, i) => buildCase(file, c, i, fill));
    const depsKeys = [...new Set(cases.flatMap((c) => (c.deps === undefined ? [] : [c.deps])))].sort(compareText);
    const customs = [
      ...new Set([...evaluators, ...cases.flatMap((c) => c.evaluators ?? [])].flatMap((e) => (e.evaluator === 'custom' ? [String(e['custom'])] : []))),
    ].sort(compareText);
    out.push({
      name: file.name,
      agent: datasetAgent(file),
      names: evalDatasetNames(file.name),
      ...(typeof doc['description'] === 'string' ? { description: doc['description'] } : {}),
      sourceHash: file.sourceHash,
      evaluators,
      ...(isObject(doc['usage_limits']) ? { usageLimits: usageLimits(doc['usage_limits']) } : {}),
      cases,
      depsKeys,
      customs,
      source: { file: file.display, rel: file.rel, pointer: '', line: 1, col: 1 },
    });
  }
  return out.sort((a, b) => compareText(a.name, b.name));
}

/** Fills in the defaults of an agent's context and output schemas (the first output member the value fits). */
function defaultsOf(agent: IRAgent, types: ReadonlyMap<string, IRType>): { context: (v: unknown) => unknown; expected: (v: unknown) => unknown } {
  const context = agent.context ? bundle(agent.context, types) : undefined;
  const members = agent.output.kind === 'structured' ? agent.output.members.map((m) => bundle(m.schema, types)) : [];
  return {
    context: (v) => (context === undefined ? v : withDefaults(context, v).value),
    expected: (v) => {
      for (const member of members) {
        const filled = withDefaults(member, v);
        if (filled.fits) return filled.value;
      }
      return v;
    },
  };
}

function buildCase(file: LoadedEvalFile, c: Record<string, unknown>, index: number, fill: ReturnType<typeof defaultsOf>): IREvalCase {
  const pointer = `/cases/${index}`;
  const pos = file.positions.find(pointer);
  return {
    name: String(c['name']),
    prompt: String(c['prompt']),
    ...('context' in c ? { context: fill.context(c['context']) } : {}),
    ...(typeof c['deps'] === 'string' ? { deps: c['deps'] } : {}),
    ...(Array.isArray(c['history']) ? { history: c['history'] } : {}),
    ...('expected' in c ? { expected: fill.expected(c['expected']) } : {}),
    ...('metadata' in c ? { metadata: c['metadata'] } : {}),
    ...(Array.isArray(c['evaluators']) ? { evaluators: evaluatorList(c['evaluators']) } : {}),
    source: { file: file.display, rel: file.rel, pointer, line: pos.line, col: pos.col },
  };
}

function evaluatorList(raw: unknown): IREvaluator[] {
  return Array.isArray(raw) ? raw.flatMap((item) => evaluator(item) ?? []) : [];
}

/** `snake_case` -> `camelCase`. */
function camel(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The data form of one evaluator item. */
function evaluator(item: unknown): IREvaluator | undefined {
  const kind = evaluatorKind(item);
  if (kind === undefined) return undefined;
  const out: IREvaluator = { evaluator: camel(kind) };
  if (isObject(item) && typeof item['name'] === 'string') out.name = item['name'];
  const args = isObject(item) ? item[kind] : undefined;
  // `partial_equals:` with nothing after it is the bare form; `equals: null` compares with null.
  if (typeof item === 'string' || (args === null && BARE_KINDS.has(kind))) return out;
  const set = (key: string, value: unknown) => {
    if (value !== undefined) out[key] = value;
  };
  // The long forms' own keys, camelCase; values as written.
  const fields = (value: unknown, keys: readonly string[]) => {
    if (isObject(value)) for (const key of keys) if (Object.hasOwn(value, key)) set(camel(key), value[key]);
  };
  switch (kind) {
    case 'equals':
    case 'partial_equals':
      set('value', args);
      break;
    case 'pointer':
      fields(args, ['pointer', 'equals', 'schema', 'exists']);
      break;
    case 'is_instance':
      set('member', isObject(args) ? args['member'] : args);
      break;
    case 'contains':
      if (isLongContains(args)) fields(args, ['value', 'case_sensitive']);
      else set('value', args);
      break;
    case 'regex':
      if (isObject(args)) fields(args, ['pattern', 'flags']);
      else set('pattern', args);
      break;
    case 'max_duration':
      set('seconds', isObject(args) ? args['seconds'] : args);
      break;
    case 'max_tokens':
      if (isObject(args)) fields(args, ['total', 'input', 'output']);
      else set('total', args);
      break;
    case 'max_cost':
      fields(args, ['usd', 'input_per_million', 'output_per_million']);
      break;
    case 'tool_called':
      if (isObject(args)) fields(args, ['tool', 'args', 'times']);
      else set('tool', args);
      break;
    case 'tool_not_called':
      set('tool', isObject(args) ? args['tool'] : args);
      break;
    case 'llm_judge':
      if (isObject(args)) fields(args, ['rubric', 'model', 'verdict', 'include_prompt', 'include_expected']);
      else set('rubric', args);
      break;
    case 'has_matching_span':
      fields(args, ['span', 'span_pattern', 'attributes', 'max_seconds', 'count', 'absent']);
      break;
    case 'custom':
      set('custom', args);
      if (isObject(item) && Object.hasOwn(item, 'args')) set('args', item['args']);
      break;
  }
  return out;
}

/**
 * Whether a `contains` argument is the long form `{ value, case_sensitive }`: a mapping with
 * `value` and no key but those two. Any other value (a mapping included) is the value itself.
 */
export function isLongContains(args: unknown): args is Record<string, unknown> {
  return isObject(args) && Object.hasOwn(args, 'value') && Object.keys(args).every((k) => k === 'value' || k === 'case_sensitive');
}

function usageLimits(raw: Record<string, unknown>): IRUsageLimits {
  const out: IRUsageLimits = {};
  for (const [key, field] of [
    ['requests', 'requests'],
    ['tool_calls', 'toolCalls'],
    ['input_tokens', 'inputTokens'],
    ['output_tokens', 'outputTokens'],
    ['total_tokens', 'totalTokens'],
  ] as const)
    if (typeof raw[key] === 'number') out[field] = raw[key];
  return out;
}

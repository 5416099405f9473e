/**
 * Stage 4, build IR: turn the resolved corpus into the IR: final TypeScript and file names,
 * parsed instruction templates, output members, MCP servers, graphs, and the closure of named types
 * each schema needs.
 */
import type {
  InstructionPart,
  IR,
  IRAgent,
  IRGraph,
  IRMcpFilter,
  IRMcpServer,
  IRModelSettings,
  IROutput,
  IROutputMember,
  IRSchema,
  IRTool,
  IRType,
  IRUsageLimits,
} from './ir/types.js';
import { buildGraph } from './build-graph.js';
import { buildMcpServer } from './build-mcp.js';
import { sourceOf } from './ir/source.js';
import { problemAt, problemInString } from './locate.js';
import { camelCase, kebabCase, pascalCase } from './naming.js';
import { agentNames, toolNames, typesModule, typeValidatorName } from './naming-plan.js';
import { compareText, type Problem } from './problems.js';
import { directRefs, refName } from './ir/refs.js';
import { MODEL_SETTING_KEYS, USAGE_LIMIT_KEYS } from './ir/setting-keys.js';
import { isObject, type SchemaObject } from './schema/walk.js';
import type { Located, ResolvedCorpus, ResolvedEntry, ResolvedType } from './resolve.js';

/** What build IR adds beside the IR: references the check stage must report. */
export interface BuildNotes {
  /** Names in an agent's `tools` list that are neither a tool nor an agent. */
  unknownTools: { agent: string; name: string; source: Located }[];
  /** Names in an agent's `mcp` list that are not MCP servers. */
  unknownMcp: { agent: string; name: string; source: Located }[];
}

/**
 * What build IR keeps between runs (watch mode): the IR element built from each resolved element
 * (resolve hands back the same objects for files it did not redo), valid while the corpus's
 * names and the references between its types are unchanged.
 */
export interface BuildCache {
  signature: string;
  types: WeakMap<ResolvedType, IRType>;
  tools: WeakMap<ResolvedEntry, IRTool>;
  agents: WeakMap<ResolvedEntry, { agent: IRAgent; problems: Problem[]; notes: BuildNotes }>;
  mcp: WeakMap<ResolvedEntry, IRMcpServer>;
  graphs: WeakMap<ResolvedEntry, IRGraph>;
}

/** A fresh, empty build cache. */
export function createBuildCache(): BuildCache {
  return { signature: '', types: new WeakMap(), tools: new WeakMap(), agents: new WeakMap(), mcp: new WeakMap(), graphs: new WeakMap() };
}

/** Builds the IR. */
export function buildIR(corpus: ResolvedCorpus, cache: BuildCache = createBuildCache()): { ir: IR; notes: BuildNotes; problems: Problem[] } {
  const problems: Problem[] = [];
  const notes: BuildNotes = { unknownTools: [], unknownMcp: [] };
  const refsByType = new Map(corpus.types.map((t) => [t.name, directRefs(t.schema)]));
  // Tools that need approval or are external change the output names of the agents that list them.
  const deferredTools = new Set(corpus.tools.filter((t) => Object.keys(deferredFields(t.raw)).length > 0).map((t) => t.name));
  const signature = JSON.stringify([
    [...refsByType],
    corpus.tools.map((t) => t.name),
    [...deferredTools],
    corpus.agents.map((a) => a.name),
    [...corpus.declared.tools.keys()],
    [...corpus.declared.agents.keys()],
    corpus.mcp.map((s) => s.name),
    [...corpus.declared.mcp.keys()],
    corpus.graphs.map((g) => g.name),
  ]);
  if (signature !== cache.signature) Object.assign(cache, createBuildCache(), { signature });
  const irSchema = (schema: unknown, inlinedFrom: string[] = []): IRSchema => ({ schema, closure: closure(directRefs(schema), refsByType), inlinedFrom });
  const typeTsName = (name: string) => pascalCase(name);
  const typeNames = new Set(corpus.types.map((t) => t.name));
  const cached = <K extends object, V>(map: WeakMap<K, V>, key: K, build: () => V): V => {
    let value = map.get(key);
    if (value === undefined) map.set(key, (value = build()));
    return value;
  };

  const types: IRType[] = corpus.types.map((t) =>
    cached(cache.types, t, () => ({
      name: t.name,
      tsName: typeTsName(t.name),
      module: typesModule(t.source.file.rel),
      validator: typeValidatorName(typeTsName(t.name)),
      schema: irSchema(t.schema, t.inlinedFrom),
      lax: laxOf(undefined, t.source),
      source: sourceOf(t.source),
    })),
  );

  const tools: IRTool[] = corpus.tools.map((entry) =>
    cached(cache.tools, entry, () => {
      const raw = entry.raw;
      const slot = (kind: string) => entry.slots.find((s) => s.kind === kind);
      const parameters = slot('parameters');
      const returns = slot('returns');
      return {
        name: entry.name,
        tsName: pascalCase(entry.name),
        handlerKey: camelCase(entry.name),
        fileName: kebabCase(entry.name),
        names: toolNames({ tsName: pascalCase(entry.name), handlerKey: camelCase(entry.name), fileName: kebabCase(entry.name) }),
        ...optional('description', raw['description'], 'string'),
        parameters: irSchema(parameters?.schema ?? { type: 'object' }, parameters?.inlinedFrom),
        ...(returns ? { returns: irSchema(returns.schema, returns.inlinedFrom) } : {}),
        ...optional('retries', raw['retries'], 'number'),
        ...optional('strict', raw['strict'], 'boolean'),
        ...deferredFields(raw),
        lax: laxOf(raw['lax'], entry.source),
        source: sourceOf(entry.source),
      };
    }),
  );

  const toolNameSet = new Set(corpus.tools.map((t) => t.name));
  const mcpNames = new Set(corpus.mcp.map((s) => s.name));
  const agentNameSet = new Set(corpus.agents.map((a) => a.name));
  const buildAgent = (entry: ResolvedEntry, problems: Problem[], notes: BuildNotes): IRAgent => {
    const raw = entry.raw;
    const tsName = pascalCase(entry.name);
    const listed = Array.isArray(raw['tools']) ? (raw['tools'] as string[]) : [];
    listed.forEach((name, i) => {
      const known = toolNameSet.has(name) || agentNameSet.has(name) || corpus.declared.tools.has(name) || corpus.declared.agents.has(name);
      if (!known) notes.unknownTools.push({ agent: entry.name, name, source: { file: entry.source.file, pointer: `${entry.source.pointer}/tools/${i}` } });
    });
    const { servers, filters } = agentMcp(entry, problems);
    servers.forEach(({ name, index }) => {
      if (!corpus.declared.mcp.has(name)) notes.unknownMcp.push({ agent: entry.name, name, source: mcpItem(entry, index) });
    });
    const keptFilters = Object.entries(filters).filter(([name]) => mcpNames.has(name));
    const context = entry.slots.find((s) => s.kind === 'context');
    const instructions = typeof raw['instructions'] === 'string' ? parseInstructions(raw['instructions'], entry, problems) : undefined;
    const systemPrompt = typeof raw['system_prompt'] === 'string' ? parseInstructions(raw['system_prompt'], entry, problems, 'system_prompt') : undefined;
    const deferred = listed.some((n) => deferredTools.has(n));
    return {
      name: entry.name,
      tsName,
      camelName: camelCase(entry.name),
      fileName: kebabCase(entry.name),
      names: agentNames({ tsName, camelName: camelCase(entry.name), fileName: kebabCase(entry.name) }),
      ...optional('description', raw['description'], 'string'),
      ...optional('model', raw['model'], 'string'),
      ...(instructions ? { instructions } : {}),
      ...(systemPrompt ? { systemPrompt } : {}),
      ...(context ? { context: irSchema(context.schema, context.inlinedFrom) } : {}),
      tools: listed.filter((n) => toolNameSet.has(n)),
      delegates: listed.filter((n) => agentNameSet.has(n)),
      toolOrder: listed,
      mcp: servers.map((s) => s.name).filter((n) => mcpNames.has(n)),
      ...(keptFilters.length > 0 ? { mcpFilters: Object.fromEntries(keptFilters) } : {}),
      output: buildOutput(entry, tsName, deferred, typeNames, irSchema, problems),
      outputMode: typeof raw['output_mode'] === 'string' ? (raw['output_mode'] as IRAgent['outputMode']) : 'tool',
      ...optional('retries', raw['retries'], 'number'),
      ...optional('outputRetries', raw['output_retries'], 'number'),
      ...(isObject(raw['model_settings']) ? { modelSettings: modelSettings(raw['model_settings']) } : {}),
      ...(isObject(raw['usage_limits']) ? { usageLimits: usageLimits(raw['usage_limits']) } : {}),
      ...optional('endStrategy', raw['end_strategy'], 'string'),
      ...(deferred ? { deferred: true as const } : {}),
      lax: laxOf(raw['lax'], entry.source),
      source: sourceOf(entry.source),
    };
  };
  const agents: IRAgent[] = corpus.agents.map((entry) => {
    const built = cached(cache.agents, entry, () => {
      const own = { problems: [] as Problem[], notes: { unknownTools: [], unknownMcp: [] } as BuildNotes };
      return { agent: buildAgent(entry, own.problems, own.notes), problems: own.problems, notes: own.notes };
    });
    problems.push(...built.problems);
    notes.unknownTools.push(...built.notes.unknownTools);
    notes.unknownMcp.push(...built.notes.unknownMcp);
    return built.agent;
  });
  const mcp: IRMcpServer[] = corpus.mcp.map((entry) => cached(cache.mcp, entry, () => buildMcpServer(entry, irSchema)));
  const typeTsNames = new Map(corpus.types.map((t) => [t.name, typeTsName(t.name)]));
  const graphs: IRGraph[] = corpus.graphs.map((entry) => cached(cache.graphs, entry, () => buildGraph(entry, irSchema, typeTsNames)));

  const byName = <T extends { name: string }>(a: T, b: T) => compareText(a.name, b.name);
  const sources = [...new Set([...corpus.types, ...corpus.tools, ...corpus.agents, ...corpus.mcp, ...corpus.graphs].map((x) => x.source.file.display))].sort();
  const ir = {
    types: types.sort(byName),
    tools: tools.sort(byName),
    agents: agents.sort(byName),
    mcp: mcp.sort(byName),
    graphs: graphs.sort(byName),
    evals: [],
    sources,
  };
  return { ir, notes, problems };
}

/** Where item `index` of an agent's `mcp` list was written. */
function mcpItem(entry: ResolvedEntry, index: number): Located {
  return { file: entry.source.file, pointer: `${entry.source.pointer}/mcp/${index}` };
}

/**
 * An agent's `mcp` list: the servers it names, in the order written with their places (a name, or
 * an object's `server`), and the filters of the items that name tools. The validate stage
 * reported items of the wrong shape; what cannot be read is left out here. A server named twice
 * (which would be two toolsets offering the same tools) and an item with both `include` and
 * `exclude` are problems, and the later of the two is left out.
 */
function agentMcp(entry: ResolvedEntry, problems: Problem[]): { servers: { name: string; index: number }[]; filters: Record<string, IRMcpFilter> } {
  const servers: { name: string; index: number }[] = [];
  const filters: Record<string, IRMcpFilter> = {};
  const items = Array.isArray(entry.raw['mcp']) ? (entry.raw['mcp'] as unknown[]) : [];
  const names = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.filter((n): n is string => typeof n === 'string') : undefined);
  const at = (pointer: string, message: string, anchor: 'key' | 'value') =>
    problems.push(problemAt(entry.source.file, pointer, 'invalid-value', message, { anchor }));
  items.forEach((item, index) => {
    const name = typeof item === 'string' ? item : isObject(item) && typeof item['server'] === 'string' ? item['server'] : undefined;
    if (name === undefined) return;
    const place = mcpItem(entry, index);
    const first = servers.find((s) => s.name === name);
    if (first) {
      at(place.pointer, `agent "${entry.name}" lists MCP server "${name}" twice (items ${first.index} and ${index}): list it once`, 'value');
      return;
    }
    servers.push({ name, index });
    if (!isObject(item)) return;
    const include = names(item['include']);
    const exclude = names(item['exclude']);
    if (include && exclude) {
      at(`${place.pointer}/exclude`, `give include or exclude for MCP server "${name}", not both`, 'key');
      return;
    }
    // An object without include or exclude gives every tool, as the bare name does.
    if (include || exclude) filters[name] = { ...(include ? { include } : {}), ...(exclude ? { exclude } : {}), source: sourceOf(place) };
  });
  return { servers, filters };
}

/**
 * `{key: value}`, or nothing when the value is absent or not of the type the format gives it (so
 * optional IR fields stay absent). The validate stage reported a value of the wrong type, and
 * left the entry in the IR so that its other problems are found too.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function optional(key: string, value: unknown, type: 'string' | 'number' | 'boolean'): Record<string, any> {
  return value === undefined || typeof value !== type ? {} : { [key]: value };
}

/**
 * A tool's `approval` and `external`, as the IR keeps them: only the values the format allows
 * (the validate stage reported others), and `external` only when true.
 */
function deferredFields(raw: SchemaObject): Pick<IRTool, 'approval' | 'external'> {
  const approval = raw['approval'];
  return {
    ...(approval === 'required' || approval === 'conditional' ? { approval } : {}),
    ...(raw['external'] === true ? { external: true as const } : {}),
  };
}

/**
 * Whether lax scalars are on: the entry's own `lax`, else the `lax` at the top of its file, else
 * true (PydanticAI's default: a numeric or boolean string is what the model meant, and a retry
 * round trip to say so costs a request; a string that is not one still fails).
 */
function laxOf(own: unknown, loc: Located): boolean {
  if (typeof own === 'boolean') return own;
  const file = loc.file.value;
  const fileLax = isObject(file) ? file['lax'] : undefined;
  return typeof fileLax === 'boolean' ? fileLax : true;
}

function closure(start: readonly string[], refsByType: ReadonlyMap<string, readonly string[]>): string[] {
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    stack.push(...(refsByType.get(name) ?? []));
  }
  return [...seen].sort();
}

const PLACEHOLDER = /\\\{\{|\{\{\s*([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*)\s*\}\}|\{\{/g;

/** Where each well-formed placeholder of `text` starts (its first `{`), in order: one per placeholder part. */
export function placeholderOffsets(text: string): number[] {
  const out: number[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) if (match[1] !== undefined) out.push(match.index);
  return out;
}

/**
 * Splits instructions (or a system prompt: `key`) into text and `{{placeholder}}` parts. `\{{`
 * writes a literal `{{`; any other `{{` that does not open a well-formed placeholder is a problem.
 */
export function parseInstructions(
  text: string,
  entry: ResolvedEntry,
  problems: Problem[],
  key: 'instructions' | 'system_prompt' = 'instructions',
): InstructionPart[] {
  const parts: InstructionPart[] = [];
  let buffer = '';
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    buffer += text.slice(last, match.index);
    last = match.index + match[0].length;
    if (match[0] === '\\{{') {
      buffer += '{{';
    } else if (match[1] !== undefined) {
      if (buffer !== '') parts.push({ kind: 'text', text: buffer });
      buffer = '';
      parts.push({ kind: 'placeholder', path: match[1].split('.') });
    } else {
      const snippet = text.slice(match.index, match.index + 20).split('\n')[0];
      problems.push(
        problemInString(
          entry.source.file,
          `${entry.source.pointer}/${key}`,
          text,
          match.index,
          'invalid-value',
          `malformed placeholder at "${snippet}": write {{name}} or {{a.b}}, or \\{{ for a literal {{`,
        ),
      );
    }
  }
  buffer += text.slice(last);
  if (buffer !== '') parts.push({ kind: 'text', text: buffer });
  return parts;
}

function isPlainText(schema: unknown): boolean {
  return isObject(schema) && schema['type'] === 'string' && Object.keys(schema).every((k) => k === 'type' || k === 'description' || k === 'title');
}

function buildOutput(
  entry: ResolvedEntry,
  agentTsName: string,
  deferred: boolean,
  typeNames: ReadonlySet<string>,
  irSchema: (schema: unknown, inlinedFrom?: string[]) => IRSchema,
  problems: Problem[],
): IROutput {
  const slots = entry.slots.filter((s) => s.kind === 'output');
  const union = Array.isArray(entry.raw['output']);
  const structured = slots.filter((s) => !isPlainText(s.schema));
  if (structured.length === 0) return { kind: 'text' };
  const allowsText = structured.length < slots.length;
  const members: IROutputMember[] = [];
  for (const slot of structured) {
    const schema = slot.schema as SchemaObject | boolean;
    const ref = isObject(schema) && Object.keys(schema).every((k) => k === '$ref' || k === 'description') ? refName(schema) : undefined;
    const title = isObject(schema) && typeof schema['title'] === 'string' ? schema['title'] : undefined;
    const memberName = ref ?? title;
    if (union && structured.length > 1 && (memberName === undefined || pascalCase(memberName) === '')) {
      problems.push(
        problemAt(slot.source.file, slot.source.pointer, 'output-name', 'a member of an output union needs a name: $ref a named type or give it a title'),
      );
      continue;
    }
    const single = structured.length === 1;
    const description = isObject(schema) && typeof schema['description'] === 'string' ? schema['description'] : undefined;
    const namedType = ref !== undefined && typeNames.has(ref);
    members.push({
      toolName: single ? 'final_result' : `final_result_${pascalCase(memberName!)}`,
      memberName: single ? '' : pascalCase(memberName!),
      tsName: namedType ? pascalCase(ref!) : memberTsName(agentTsName, single, allowsText, deferred, memberName),
      ...(namedType ? { namedType: ref! } : {}),
      schema: irSchema(slot.schema, slot.inlinedFrom),
      ...(description !== undefined ? { description } : {}),
      source: sourceOf(slot.source),
    });
  }
  return { kind: 'structured', members, allowsText };
}

/**
 * The TypeScript name of an output member written in place. A single output is `<Agent>Output`
 * itself (`<Agent>FinalOutput` when a run may end with deferred tool calls: `<Agent>Output` is
 * then the union of the two), unless the model may also answer in text: `<Agent>Output` is then
 * the alias `<Member> | string`, and the member is `<Agent>Output<Title>`, or
 * `<Agent>OutputStructured` without a title. Members of a union are `<Agent>Output<Name>`.
 */
function memberTsName(agentTsName: string, single: boolean, allowsText: boolean, deferred: boolean, memberName: string | undefined): string {
  const suffix = memberName === undefined ? '' : pascalCase(memberName);
  if (!single) return `${agentTsName}Output${suffix}`;
  if (!allowsText) return deferred ? `${agentTsName}FinalOutput` : `${agentTsName}Output`;
  return `${agentTsName}Output${suffix === '' ? 'Structured' : suffix}`;
}

function modelSettings(raw: SchemaObject): IRModelSettings {
  return renameKeys(raw, MODEL_SETTING_KEYS) as IRModelSettings;
}

function usageLimits(raw: SchemaObject): IRUsageLimits {
  return renameKeys(raw, USAGE_LIMIT_KEYS) as IRUsageLimits;
}

function renameKeys(raw: SchemaObject, keys: readonly (readonly [string, string])[]): Record<string, unknown> {
  const map: Record<string, string> = Object.fromEntries(keys.map(([ir, yaml]) => [yaml, ir]));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const key = map[k];
    if (key !== undefined) out[key] = v;
  }
  return out;
}

/**
 * Agents defined by hand in TypeScript with raw JSON Schemas, for code that is not generated.
 * Their schemas are compiled once, with Ajv, when the agent is defined (so a broken schema fails
 * at once, not in the middle of a run).
 */
import { Agent, type AgentOptions } from './agent.js';
import { compileSchema } from '../schema/compile.js';
import { delegateParameters, delegateTool, type DelegateTarget } from './delegate-tool.js';
import { UserError } from '../contract/errors.js';
import type { Instruction, SystemPrompt } from './instructions.js';
import type { AgentSpec, AgentValidators, JsonSchema, OutputMemberSpec, OutputMode, OutputSpec } from '../contract/spec.js';
import type { Validator } from '../validators/index.js';
import { handTool, type HandTool, type RuntimeTool } from './tools.js';
import { VERSION } from '../contract/version.js';

/** An output union member of a hand-written agent. */
export interface HandOutputMember {
  /** Names the member's output tool (`final_result_<name>`) and its kind in native mode. */
  name: string;
  schema: JsonSchema;
  description?: string;
}

/** A hand-written agent. */
export interface HandAgentDefinition<Deps, Output, Context> extends Omit<AgentOptions<Deps, Context, Output>, 'instructions' | 'systemPrompt'> {
  name: string;
  description?: string;
  /**
   * Text, a function of the run context, or several of them: sent with every request, never
   * replayed from a history.
   */
  instructions?: Instruction<Deps, Context> | readonly Instruction<Deps, Context>[];
  /**
   * The same forms (and dynamic system prompts): stored at the start of a new conversation and
   * replayed with its history.
   */
  systemPrompt?: SystemPrompt<Deps, Context> | readonly SystemPrompt<Deps, Context>[];
  /** JSON Schema of the context passed to runs (checked at the start of each run). */
  context?: JsonSchema;
  tools?: readonly HandTool<Deps, Context, never, unknown>[];
  /** Agents this agent delegates to, as tools named after them. */
  delegates?: readonly (DelegateTarget & { spec: AgentSpec<unknown, unknown> })[];
  /** The output schema, or a union of named members; text when absent. */
  output?: JsonSchema | { members: readonly HandOutputMember[]; allowsText?: boolean };
  outputMode?: OutputMode;
}

/** Defines an agent by hand. Type it with `agent<Deps, Output, Context>({...})`. */
export function agent<Deps = undefined, Output = string, Context = undefined>(
  definition: HandAgentDefinition<Deps, Output, Context>,
): Agent<Deps, Output, Context> {
  const where = `agent ${definition.name}`;
  const { name, description, instructions, systemPrompt, context, tools = [], delegates = [], output, outputMode, ...options } = definition;
  const spec: { -readonly [K in keyof AgentSpec<Output, Context>]: AgentSpec<Output, Context>[K] } = {
    runtime: `^${VERSION}`,
    name,
    source: where,
    tools: [],
    delegates: [],
    output: { kind: 'text' },
  };
  const built = outputSpec(output, outputMode ?? 'tool', where);
  spec.output = built.spec;
  const validators: Record<string, Validator<unknown>> = built.validators;
  if (description !== undefined) spec.description = description;
  if (context !== undefined) {
    spec.context = { schema: context };
    validators['validateContext'] = compileSchema(context, `${where}: context`);
  }
  // Compiled here, so a broken schema fails at definition; handed over like a loaded module.
  if (Object.keys(validators).length > 0) spec.validators = () => Promise.resolve(validators as AgentValidators<Output, Context>);
  const retries = options.retries ?? 1;
  const extraTools: RuntimeTool[] = tools.map((t) => handTool(t, retries, name));
  for (const delegate of delegates) {
    const parameters = delegateParameters(delegate);
    extraTools.push(
      delegateTool(
        delegate,
        { name: delegate.name, description: delegate.spec.description, parameters },
        compileSchema(parameters, `${where}: delegate ${delegate.name}`),
        retries,
        `${where} delegate ${delegate.name}`,
      ),
    );
  }
  const list = instructions === undefined ? [] : Array.isArray(instructions) ? instructions : [instructions as Instruction<Deps, Context>];
  const prompts = systemPrompt === undefined ? [] : Array.isArray(systemPrompt) ? systemPrompt : [systemPrompt as SystemPrompt<Deps, Context>];
  return new Agent<Deps, Output, Context>(spec, {
    handlers: {},
    delegates: {},
    extraTools,
    options: { ...options, instructions: list, systemPrompt: prompts },
  });
}

/** The output spec of a hand-written agent, with its members' compiled validators by name. */
function outputSpec(
  output: HandAgentDefinition<unknown, unknown, unknown>['output'],
  mode: OutputMode,
  where: string,
): { spec: OutputSpec; validators: Record<string, Validator<unknown>> } {
  const validators: Record<string, Validator<unknown>> = {};
  if (output === undefined) return { spec: { kind: 'text' }, validators };
  const members: OutputMemberSpec[] = [];
  let allowsText = false;
  if (isUnion(output)) {
    if (output.members.length === 0) throw new UserError(`${where}: an output union needs at least one member`);
    for (const m of output.members) {
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(m.name)) throw new UserError(`${where}: invalid output member name ${JSON.stringify(m.name)}`);
      if (members.some((other) => other.toolName === `final_result_${m.name}`)) throw new UserError(`${where}: two output members are named ${m.name}`);
      const member: { -readonly [K in keyof OutputMemberSpec]: OutputMemberSpec[K] } = {
        toolName: output.members.length === 1 ? 'final_result' : `final_result_${m.name}`,
        schema: m.schema,
        validator: `validateOutput${m.name}`,
      };
      if (m.description !== undefined) member.description = m.description;
      validators[member.validator] = compileSchema(m.schema, `${where}: output ${m.name}`);
      members.push(member);
    }
    allowsText = output.allowsText === true;
  } else {
    const schema = output as JsonSchema;
    if (typeof schema === 'object' && schema['type'] === 'string' && Object.keys(schema).every((k) => ['type', 'description', 'title'].includes(k)))
      return { spec: { kind: 'text' }, validators };
    members.push({ toolName: 'final_result', schema, validator: 'validateOutput' });
    validators['validateOutput'] = compileSchema(schema, `${where}: output`);
  }
  return { spec: { kind: 'structured', mode, allowsText, members }, validators };
}

function isUnion(
  output: NonNullable<HandAgentDefinition<unknown, unknown, unknown>['output']>,
): output is { members: readonly HandOutputMember[]; allowsText?: boolean } {
  return typeof output === 'object' && output !== null && Array.isArray((output as { members?: unknown }).members);
}

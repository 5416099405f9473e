/**
 * Loading validators on an agent's first run. Generated specs hand the runtime functions that
 * import their validators modules; importing an agent therefore loads none of them, and a process
 * that imports many agents pays only for those it runs. Each loader runs once per spec, shared by
 * every agent built from it.
 */
import { UserError } from '../contract/errors.js';
import type { AgentSpec, AgentValidators, DelegateSpec, ToolSpec, ToolValidators } from '../contract/spec.js';
import type { Validator } from '../validators/index.js';
import { loadOnce, validatorsLoadError } from '../contract/validators-loading.js';

/** Everything one agent checks data with, loaded. */
export interface LoadedValidators {
  context?: Validator<unknown>;
  /** By output tool name (`final_result`, `final_result_<Member>`). */
  outputs: Map<string, Validator<unknown>>;
  tools: Map<ToolSpec, ToolValidators>;
  delegates: Map<DelegateSpec, Validator<unknown>>;
}

async function loaded<T>(what: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    throw validatorsLoadError(what, 'agent', err);
  }
}

function validatorIn(module: object, name: string, what: string): Validator<unknown> {
  const validate = (module as Record<string, unknown>)[name];
  if (typeof validate !== 'function') throw new UserError(`the validators of ${what} have no ${name}; regenerate with \`npx schemantic generate\``);
  return validate as Validator<unknown>;
}

/** Loads (once) and gathers the validators of an agent, its tools and its delegates. */
export async function loadValidators(spec: AgentSpec<unknown, unknown>, where: string): Promise<LoadedValidators> {
  const agentLoad = spec.validators;
  const [own, tools, delegates] = await Promise.all([
    agentLoad ? loadOnce(spec, () => loaded(where, agentLoad)) : Promise.resolve<AgentValidators | undefined>(undefined),
    Promise.all(spec.tools.map(({ tool }) => loadOnce(tool, () => loaded(`tool ${tool.name} of ${where}`, tool.validators)))),
    Promise.all(spec.delegates.map(({ tool }) => loadOnce(tool, () => loaded(`delegate ${tool.name} of ${where}`, tool.validators)))),
  ]);
  const out: LoadedValidators = { outputs: new Map(), tools: new Map(), delegates: new Map() };
  if (spec.context) out.context = validatorIn(own ?? {}, 'validateContext', where);
  if (spec.output.kind === 'structured') {
    for (const member of spec.output.members) out.outputs.set(member.toolName, validatorIn(own ?? {}, member.validator, where));
  }
  spec.tools.forEach(({ tool }, i) => {
    const module = tools[i]!;
    validatorIn(module, 'validateArgs', `tool ${tool.name} of ${where}`);
    if (tool.returns !== undefined) validatorIn(module, 'validateReturn', `tool ${tool.name} of ${where}`);
    out.tools.set(tool, module as ToolValidators);
  });
  spec.delegates.forEach(({ tool }, i) => out.delegates.set(tool, validatorIn(delegates[i]!, 'validateDelegateArgs', `delegate ${tool.name} of ${where}`)));
  return out;
}

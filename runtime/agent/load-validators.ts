/**
 * Loading validators on an agent's first run. Generated specs hand the runtime functions that
 * import their validators modules; importing an agent therefore loads none of them, and a process
 * that imports many agents pays only for those it runs. Each loader runs once per spec, shared by
 * every agent built from it.
 */
import { UserError } from '../contract/errors.js';
import type { AgentSpec, AgentValidators, DelegateSpec, ToolSpec, ToolValidators } from '../contract/spec.js';
import type { Validator } from '../validators/index.js';

/** Everything one agent checks data with, loaded. */
export interface LoadedValidators {
  context?: Validator<unknown>;
  /** By output tool name (`final_result`, `final_result_<Member>`). */
  outputs: Map<string, Validator<unknown>>;
  tools: Map<ToolSpec, ToolValidators>;
  delegates: Map<DelegateSpec, Validator<unknown>>;
}

/** Loads of each spec, started once; a failed load is forgotten, so the next run tries again. */
const loads = new WeakMap<object, Promise<unknown>>();

function once<T>(owner: object, load: () => Promise<T>): Promise<T> {
  let pending = loads.get(owner) as Promise<T> | undefined;
  if (!pending) {
    pending = load();
    loads.set(owner, pending);
    pending.catch(() => loads.delete(owner));
  }
  return pending;
}

async function loaded<T>(what: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    throw new UserError(`cannot load the validators of ${what}: ${(err as Error).message}; ${missingModuleHint(err)}`, { cause: err });
  }
}

/**
 * What to do about a validators module that did not load. A module that is not there at all is
 * most often one a build left behind: validators are generated as `.js` files beside their
 * `.d.ts`, which `tsc` copies to an outDir only with `allowJs` (bundlers follow the import).
 */
function missingModuleHint(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  const missing =
    code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /cannot find module|failed to (load|fetch)/i.test(String((err as Error | null)?.message));
  if (missing) {
    return 'the generated validator modules (.js files beside their .d.ts) are not where the agent module runs: when you compile with tsc to an outDir, set "allowJs": true so that tsc copies them, or copy the generated folder as it is; if the generated tree itself lacks them, regenerate with `npx schemantic generate`';
  }
  return 'regenerate with `npx schemantic generate`';
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
    agentLoad ? once(spec, () => loaded(where, agentLoad)) : Promise.resolve<AgentValidators | undefined>(undefined),
    Promise.all(spec.tools.map(({ tool }) => once(tool, () => loaded(`tool ${tool.name} of ${where}`, tool.validators)))),
    Promise.all(spec.delegates.map(({ tool }) => once(tool, () => loaded(`delegate ${tool.name} of ${where}`, tool.validators)))),
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

/**
 * What binds an agent's datasets to code: the agent (with its handlers), the deps cases select,
 * the model runs use when no `--model` is given, and the custom evaluators datasets name. The
 * evals entry module (`evals/index.ts`) default-exports `defineEvals({ <agent>: binding, ... })`.
 */
import type { Agent } from '../agent/agent.js';
import type { ModelLike } from '../models/registry.js';
import type { EvalCase, EvalDataset } from './eval-case.js';
import type { CustomEvaluator } from './evaluator.js';

/** The types of one agent's evals, as generated/evals/index.ts declares them (`EvalAgents`). */
export interface EvalAgentTypes {
  context: unknown;
  output: unknown;
  /** The `deps` keys its cases select (`never` when none does). */
  depsKey: string;
  /** The custom evaluators its datasets name (`never` when none). */
  custom: string;
}

/** The types of a binding nothing generated describes (a hand-made dataset): anything goes. */
export interface UntypedEvals {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- no schema to type from
  context: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  output: any;
  depsKey: string;
  custom: string;
}

/** A value, or a function making it (called for each run, so that runs share nothing). */
export type Made<T> = T | (() => T | Promise<T>);

/** True when no particular names are asked for: none (`never`), or any (`string`). */
type Unnamed<K extends string> = [K] extends [never] ? true : string extends K ? true : false;

/** The binding of one agent. */
export type EvalBinding<T extends EvalAgentTypes = UntypedEvals> = {
  /** The agent to run (a factory is called once per eval run). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- deps are the binding's own business
  agent: Agent<any, T['output'], T['context'], any> | (() => Agent<any, T['output'], T['context'], any>);
  /** Deps of runs whose case selects none. */
  defaultDeps?: () => unknown;
  /**
   * The model of each run when the eval is not given one (`--model`): a model, an id, or a
   * function of the case (a FunctionModel scripted per case).
   */
  model?: ModelLike | ((evalCase: EvalCase<T['context'], T['output']>) => ModelLike);
  /** The model of LLM judges whose spec names none (default: `--judge-model`). */
  judgeModel?: ModelLike;
  /** Datasets written in TypeScript, run beside the generated ones. */
  datasets?: readonly EvalDataset<T['context'], T['output'], T['depsKey'], T['custom']>[];
} & (Unnamed<T['depsKey']> extends true
  ? { deps?: Readonly<Record<string, () => unknown>> }
  : {
      /** The deps cases select, by key: each a function making fresh deps for one run. */
      deps: Readonly<Record<T['depsKey'], () => unknown>>;
    }) &
  (Unnamed<T['custom']> extends true
    ? { evaluators?: Readonly<Record<string, CustomEvaluator<T['context'], T['output']>>> }
    : {
        /** The custom evaluators datasets name, by name. */
        evaluators: Readonly<Record<T['custom'], CustomEvaluator<T['context'], T['output']>>>;
      });

/** Bindings by agent name. */
export type EvalBindings<Agents extends Record<string, EvalAgentTypes> = Record<string, UntypedEvals>> = {
  readonly [K in keyof Agents]?: EvalBinding<Agents[K]>;
};

/**
 * The evals entry module's default export: each agent's binding, typed by the generated
 * `EvalAgents` (`defineEvals<EvalAgents>({...})`), so a deps key or custom evaluator a dataset
 * names and the binding lacks is a type error.
 */
export function defineEvals<Agents extends Record<string, EvalAgentTypes>>(bindings: EvalBindings<Agents>): EvalBindings<Agents> {
  return bindings;
}

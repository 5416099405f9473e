/**
 * The eval dataset modules: `evals/<dataset>.ts`, one per dataset of the evals folder, holding the
 * dataset as the runtime's data (`EvalDataset` of `schemantic/evals`) typed by its agent's context
 * and output, the deps keys its cases select and the custom evaluators it names; and
 * `evals/index.ts`, every dataset and `EvalAgents`, the types the evals entry module binds with
 * (`defineEvals<EvalAgents>({...})`).
 */
import type { IRAgent, IREvalDataset, IREvaluator } from '../../compiler/ir/types.js';
import { EVALS_INDEX_MODULE } from '../../compiler/naming-plan.js';
import { compareText } from '../../compiler/problems.js';
import { render } from '../templates.js';
import { importPath } from './plan.js';

/** The agent types a dataset's values are typed by: context (undefined when the agent has none) and output. */
function agentTypes(agent: IRAgent): { contextType: string | null; outputType: string } {
  return {
    contextType: agent.context ? agent.names.context : null,
    // What the agent outputs itself: a run stopped by deferred tool calls has no output to evaluate.
    outputType: agent.deferred ? agent.names.finalOutput : agent.names.output,
  };
}

/** An evaluator as `key: value` fields, in the data form's order (kind, name, arguments). */
function evaluatorView(e: IREvaluator): { fields: { key: string; value: unknown }[] } {
  return { fields: Object.entries(e).map(([key, value]) => ({ key, value })) };
}

/** Renders `evals/<dataset>.ts`. */
export function renderEvalDataset(dataset: IREvalDataset, agent: IRAgent): string {
  const names = dataset.names;
  const { contextType, outputType } = agentTypes(agent);
  const where = `dataset \`${dataset.name}\` (${dataset.source.file})`;
  return render('eval-dataset.ts', {
    sourceList: dataset.source.file,
    agentImports: [...(contextType ? [contextType] : []), outputType].sort(compareText),
    agentModule: importPath(names.module, agent.names.module),
    depsKeyDoc: `The deps keys the cases of ${where} select: each must be a key of the \`deps\` of agent \`${agent.name}\`'s binding in the evals entry module.`,
    depsKeyType: names.depsKey,
    depsKeys: dataset.depsKeys,
    customDoc: `The custom evaluators ${where} names: each must be an evaluator of agent \`${agent.name}\`'s binding.`,
    customType: names.custom,
    customs: dataset.customs,
    caseDoc: `A case of ${where}, for agent \`${agent.name}\` (cases written in TypeScript are typed the same way).`,
    caseType: names.caseType,
    datasetDoc: [
      `Eval dataset \`${dataset.name}\` of agent \`${agent.name}\`, from ${dataset.source.file}${dataset.description ? `: ${dataset.description}` : '.'}`,
      '',
      `Cases: ${dataset.cases.map((c) => c.name).join(', ') || 'none'}.`,
    ].join('\n'),
    constant: names.constant,
    contextType,
    outputType,
    name: dataset.name,
    agent: dataset.agent,
    source: dataset.source.file,
    sourceHash: dataset.sourceHash,
    evaluators: dataset.evaluators.map(evaluatorView),
    hasUsageLimits: dataset.usageLimits !== undefined,
    usageLimits: dataset.usageLimits ?? null,
    cases: dataset.cases.map((c) => {
      const fields: { key: string; value: unknown }[] = [
        { key: 'name', value: c.name },
        { key: 'prompt', value: c.prompt },
      ];
      for (const key of ['context', 'deps', 'history', 'expected', 'metadata'] as const) if (key in c) fields.push({ key, value: c[key] });
      return { name: c.name, fields, evaluators: (c.evaluators ?? []).map(evaluatorView) };
    }),
  });
}

/** Renders `evals/index.ts` (only when there are datasets). */
export function renderEvalsIndex(datasets: readonly IREvalDataset[], agents: ReadonlyMap<string, IRAgent>): string {
  const byAgent = new Map<string, IREvalDataset[]>();
  for (const d of datasets) byAgent.set(d.agent, [...(byAgent.get(d.agent) ?? []), d]);
  const agentNames = [...byAgent.keys()].sort(compareText);
  const agentImports = agentNames
    .map((name) => {
      const agent = agents.get(name)!;
      const { contextType, outputType } = agentTypes(agent);
      return { module: agent.names.module, names: [...(contextType ? [contextType] : []), outputType].sort(compareText) };
    })
    .sort((a, b) => compareText(a.module, b.module))
    .map((i) => ({ from: importPath(EVALS_INDEX_MODULE, i.module), names: i.names }));
  return render('evals-index.ts', {
    sourceList: datasets.map((d) => d.source.file).join(', '),
    agentImports,
    datasets: datasets.map((d) => ({
      constant: d.names.constant,
      from: importPath(EVALS_INDEX_MODULE, d.names.module),
      types: [d.names.custom, d.names.depsKey].sort(compareText),
      exportedTypes: [d.names.caseType, d.names.custom, d.names.depsKey].sort(compareText),
    })),
    datasetsDoc: `Every eval dataset generated from the evals folder, by name: ${datasets.map((d) => d.name).join(', ')}.`,
    agentsDoc:
      'The types of each evaluated agent, by its name: context, output, the deps keys its datasets select and the custom evaluators they name. The evals entry module binds them: `export default defineEvals<EvalAgents>({ ... })`.',
    agents: agentNames.map((name) => {
      const agent = agents.get(name)!;
      const list = byAgent.get(name)!;
      return {
        name,
        doc: `Agent \`${name}\`: datasets ${list.map((d) => d.name).join(', ')}.`,
        ...agentTypes(agent),
        depsKeys: list.map((d) => d.names.depsKey),
        customs: list.map((d) => d.names.custom),
      };
    }),
  });
}

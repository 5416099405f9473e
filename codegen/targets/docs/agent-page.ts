/**
 * The view model of an agent's page (`agents/<agent>.md`): what it is, where it is defined, its
 * model and instructions, context, tools, delegates, output, and the settings that are set.
 */
import type { InstructionPart, IRAgent } from '../../compiler/ir/types.js';
import { MODEL_SETTING_KEYS, USAGE_LIMIT_KEYS } from '../../compiler/ir/setting-keys.js';
import { code, join, md, type Markdown } from './markdown.js';
import { agentItems, definedIn, toolItems, type Fact, type LinkItem } from './page-parts.js';
import { schemaTable, type SchemaTable } from './schema-table.js';
import { PageLinks, type DocsSite } from './site.js';

/** A setting or a limit: its key in the definitions and its value. */
export interface Setting {
  name: Markdown;
  value: Markdown;
}

/** One member of a structured output. */
export interface OutputMemberView {
  /** The member's name in a union; null for a single output. */
  heading: string | null;
  /** `Output tool: final_result_X` in tool mode. */
  toolLine: Markdown | null;
  table: SchemaTable;
}

/** The agent page's view model. */
export interface AgentPageView {
  sources: string;
  name: string;
  description: string;
  facts: Fact[];
  /** The instructions as written, placeholders included; empty when there are none. */
  instructions: string;
  context: SchemaTable | null;
  tools: LinkItem[];
  delegates: LinkItem[];
  delegators: LinkItem[];
  output: { summary: Markdown; members: OutputMemberView[] };
  usageLimits: Setting[];
  modelSettings: Setting[];
}

/** The page of one agent, and where it goes. */
export function agentPage(agent: IRAgent, site: DocsSite): { path: string; view: AgentPageView } {
  const path = site.agentPage(agent.name);
  const links = new PageLinks(site, path);
  const facts: Fact[] = [definedIn(agent.source, links)];
  if (agent.model !== undefined) facts.push({ label: 'Model', value: code(agent.model) });
  if (agent.retries !== undefined) facts.push({ label: 'Retries', value: md`${String(agent.retries)}` });
  if (agent.outputRetries !== undefined) facts.push({ label: 'Output retries', value: md`${String(agent.outputRetries)}` });
  if (agent.endStrategy !== undefined) facts.push({ label: 'End strategy', value: code(agent.endStrategy) });
  const view: AgentPageView = {
    sources: '',
    name: agent.name,
    description: agent.description ?? '',
    facts,
    instructions: agent.instructions ? instructionsAsWritten(agent.instructions) : '',
    context: agent.context ? schemaTable(agent.context, links, { expandRef: true }) : null,
    tools: toolItems(agent.tools, links),
    delegates: agentItems(agent.delegates, links),
    delegators: agentItems(
      site.delegators(agent.name).map((a) => a.name),
      links,
    ),
    output: output(agent, links),
    usageLimits: settings(agent.usageLimits ?? {}, USAGE_LIMIT_KEYS),
    modelSettings: settings(agent.modelSettings ?? {}, MODEL_SETTING_KEYS),
  };
  view.sources = links.sourceList();
  return { path, view };
}

/**
 * The instructions as the definitions write them: placeholders as `{{path}}`, and a literal `{{`
 * in the text as its escape `\{{` (so it does not read as a placeholder).
 */
function instructionsAsWritten(parts: readonly InstructionPart[]): string {
  return parts.map((p) => (p.kind === 'placeholder' ? `{{${p.path.join('.')}}}` : p.text.replace(/\{\{/g, '\\{{'))).join('');
}

function output(agent: IRAgent, links: PageLinks): AgentPageView['output'] {
  const out = agent.output;
  const deferred = agent.deferred
    ? md` A run may instead end with deferred tool calls (${code('DeferredToolRequests')}): calls that wait for a person's approval, or that the caller runs.`
    : md``;
  if (out.kind === 'text') return { summary: md`Text: the run ends with the model's text answer.${deferred}`, members: [] };
  const mode = code(agent.outputMode);
  const union = out.members.length > 1;
  const text = out.allowsText ? md` The model may also answer in text.` : md``;
  const summary = union
    ? md`One of ${String(out.members.length)} structured members, in ${mode} mode.${text}${deferred}`
    : md`Structured, in ${mode} mode.${text}${deferred}`;
  const members = out.members.map((m) => {
    links.uses(m.source);
    return {
      heading: union ? m.memberName : null,
      toolLine: agent.outputMode === 'tool' ? md`Output tool: ${code(m.toolName)}` : null,
      table: schemaTable(m.schema, links, { expandRef: true }),
    };
  });
  return { summary, members };
}

/** The set entries of a settings object, under the names the definitions use. */
function settings<T extends object>(values: T, keys: readonly (readonly [keyof T, string])[]): Setting[] {
  const out: Setting[] = [];
  for (const [key, name] of keys) {
    const value: unknown = values[key];
    if (value === undefined) continue;
    const shown = Array.isArray(value)
      ? join(
          value.map((v) => code(String(v))),
          ', ',
        )
      : key === 'timeout'
        ? md`${String(value)} s`
        : typeof value === 'object' && value !== null
          ? code(JSON.stringify(value)) // a map (`logit_bias`): as written
          : md`${String(value)}`;
    out.push({ name: code(name), value: shown });
  }
  return out;
}

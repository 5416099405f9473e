/**
 * The view model of a tool's page (`tools/<tool>.md`): what it does, where it is defined, its
 * parameters and returns as tables, strict, retries, approval and external when set, and the
 * agents that use it.
 */
import type { IRTool } from '../../compiler/ir/types.js';
import { code, md, type Markdown } from './markdown.js';
import { agentItems, definedIn, type Fact, type LinkItem } from './page-parts.js';
import { schemaTable, type SchemaTable } from './schema-table.js';
import { PageLinks, type DocsSite } from './site.js';

/** The tool page's view model. */
export interface ToolPageView {
  sources: string;
  name: string;
  description: string;
  facts: Fact[];
  parameters: SchemaTable;
  /** Null when the tool declares no returns (the handler's result is not checked). */
  returns: SchemaTable | null;
  usedBy: LinkItem[];
}

/** The page of one tool, and where it goes. */
export function toolPage(tool: IRTool, site: DocsSite): { path: string; view: ToolPageView } {
  const path = site.toolPage(tool.name);
  const links = new PageLinks(site, path);
  const facts: Fact[] = [definedIn(tool.source, links)];
  if (tool.strict !== undefined)
    facts.push({ label: 'Strict', value: md`${tool.strict ? 'yes: providers are asked to enforce the parameters schema' : 'no'}` });
  if (tool.retries !== undefined) facts.push({ label: 'Retries', value: md`${String(tool.retries)}` });
  if (tool.approval !== undefined) facts.push({ label: 'Approval', value: approvalText(tool.approval) });
  if (tool.external)
    facts.push({
      label: 'External',
      value: md`yes: the caller runs its calls (it has no handler); a run that calls it ends with the call among its deferred tool requests`,
    });
  const view: ToolPageView = {
    sources: '',
    name: tool.name,
    description: tool.description ?? '',
    facts,
    parameters: schemaTable(tool.parameters, links, { expandRef: true }),
    returns: tool.returns ? schemaTable(tool.returns, links, { expandRef: true }) : null,
    usedBy: agentItems(
      site.toolUsers(tool.name).map((a) => a.name),
      links,
    ),
  };
  view.sources = links.sourceList();
  return { path, view };
}

/** What `approval` means for a tool's calls. */
export function approvalText(approval: NonNullable<IRTool['approval']>): Markdown {
  return approval === 'required'
    ? md`${code('required')}: each call waits for a person's approval before the handler runs`
    : md`${code('conditional')}: a call waits for a person's approval when the agent factory's ${code('needsApproval')} condition says so`;
}

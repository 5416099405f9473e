/**
 * The view model of a tool's page (`tools/<tool>.md`): what it does, where it is defined, its
 * parameters and returns as tables, strict and retries when set, and the agents that use it.
 */
import type { IRTool } from '../../compiler/ir/types.js';
import { md } from './markdown.js';
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

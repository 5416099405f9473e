/**
 * The view model of the index page (`README.md`): the diagram of agents, tools and delegations,
 * then every agent, tool, graph (when there are any) and named type with its one-line description
 * and a link to its page.
 */
import { isObject } from '../../compiler/schema/walk.js';
import { code, join, md, type Markdown } from './markdown.js';
import { diagram, type MermaidDiagram } from './mermaid.js';
import { firstLine, INDEX_PAGE, PageLinks, type DocsSite } from './site.js';

/** A row of one of the index tables. */
export interface IndexRow {
  link: Markdown;
  /** A second column of the generator's (model, users); empty markdown when there is nothing to say. */
  detail: Markdown;
  /** The first line of the description (user text). */
  summary: string;
}

/** The index page's view model. */
export interface IndexPageView {
  sources: string;
  /** The definitions files, as code spans. */
  files: Markdown;
  /** Null when there is neither an agent nor a tool to draw. */
  diagram: MermaidDiagram | null;
  agents: IndexRow[];
  tools: IndexRow[];
  /** Graphs, with their start node; the section is left out when there are none. */
  graphs: IndexRow[];
  types: IndexRow[];
}

/** The index page. */
export function indexPage(site: DocsSite): { path: string; view: IndexPageView } {
  const links = new PageLinks(site, INDEX_PAGE);
  const ir = site.ir;
  const agents = ir.agents.map((a) => ({
    link: links.agent(a.name),
    detail: a.model === undefined ? md`` : code(a.model),
    summary: firstLine(a.description),
  }));
  const tools = ir.tools.map((t) => ({
    link: links.tool(t.name),
    detail: join(
      site.toolUsers(t.name).map((a) => links.agent(a.name)),
      ', ',
    ),
    summary: firstLine(t.description),
  }));
  const graphs = ir.graphs.map((g) => ({
    link: links.graph(g.name),
    detail: code(g.start),
    summary: firstLine(g.description),
  }));
  const types = ir.types.map((t) => ({
    link: links.type(t.name),
    detail: code(t.source.file),
    summary: firstLine(isObject(t.schema.schema) && typeof t.schema.schema['description'] === 'string' ? t.schema.schema['description'] : undefined),
  }));
  return {
    path: INDEX_PAGE,
    view: {
      // The index covers the whole corpus: every definitions file, even one that defines nothing.
      sources: ir.sources.join(', '),
      files: join(ir.sources.map(code), ', '),
      diagram: ir.agents.length + ir.tools.length > 0 ? diagram(ir) : null,
      agents,
      tools,
      graphs,
      types,
    },
  };
}

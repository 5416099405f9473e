/**
 * The documentation site as a whole: which page each agent, tool, graph and type lives on, the anchors of
 * the types page, who uses what, and, per page, the links it makes and the definitions files its
 * content comes from (for its banner). Page builders ask this for every link, so every link points
 * at a page the site produces.
 */
import path from 'node:path';
import type { IR, IRAgent, IRGraph, IRSchema, IRSource, IRTool, IRType } from '../../compiler/ir/types.js';
import { directRefs } from '../../compiler/ir/refs.js';
import { code, link, md, type Markdown } from './markdown.js';
import { Slugger } from './slugger.js';
import { compareText } from '../../compiler/problems.js';

/** The index page. */
export const INDEX_PAGE = 'README.md';
/** The page of every named type. */
export const TYPES_PAGE = 'types.md';
/** The title of the types page (its first heading, which takes part in the anchors). */
export const TYPES_TITLE = 'Types';

/** Everything page builders look up. */
export class DocsSite {
  readonly agents: ReadonlyMap<string, IRAgent>;
  readonly tools: ReadonlyMap<string, IRTool>;
  readonly types: ReadonlyMap<string, IRType>;
  readonly graphs: ReadonlyMap<string, IRGraph>;
  private readonly anchors = new Map<string, string>();
  private readonly files = new Map<string, string>();
  private typeUsers?: Map<string, Map<string, Referrer>>;

  constructor(readonly ir: IR) {
    this.agents = new Map(ir.agents.map((a) => [a.name, a]));
    this.tools = new Map(ir.tools.map((t) => [t.name, t]));
    this.types = new Map(ir.types.map((t) => [t.name, t]));
    this.graphs = new Map(ir.graphs.map((g) => [g.name, g]));
    // The types page has its title, then one heading per type in this order.
    const slugger = new Slugger();
    slugger.slug(TYPES_TITLE);
    for (const type of ir.types) this.anchors.set(type.name, slugger.slug(type.name));
    for (const element of [...ir.types, ...ir.tools, ...ir.agents, ...ir.graphs]) this.files.set(element.source.rel, element.source.file);
  }

  /** The page of an agent, relative to the output folder. */
  agentPage(name: string): string {
    return `agents/${this.agents.get(name)!.fileName}.md`;
  }

  /** The page of a tool. */
  toolPage(name: string): string {
    return `tools/${this.tools.get(name)!.fileName}.md`;
  }

  /** The page of a graph. */
  graphPage(name: string): string {
    return `graphs/${this.graphs.get(name)!.fileName}.md`;
  }

  /** The anchor of a type's section on the types page. */
  typeAnchor(name: string): string {
    return this.anchors.get(name)!;
  }

  /** The display path of a definitions file, from its path relative to the definitions folder. */
  displayFile(rel: string): string | undefined {
    return this.files.get(rel);
  }

  /** Agents whose `tools` list this tool, sorted. */
  toolUsers(tool: string): IRAgent[] {
    return this.ir.agents.filter((a) => a.tools.includes(tool));
  }

  /** Agents that delegate to this agent, sorted. */
  delegators(agent: string): IRAgent[] {
    return this.ir.agents.filter((a) => a.delegates.includes(agent));
  }

  /**
   * What refers to a named type directly (`$ref` in its schemas), other than the type itself:
   * agents, then tools, then graphs, then types, each sorted by name.
   */
  referrers(type: string): Referrer[] {
    if (!this.typeUsers) {
      const users = new Map<string, Map<string, Referrer>>();
      const note = (schema: IRSchema | undefined, who: Referrer) => {
        for (const name of directRefs(schema?.schema)) {
          if (!users.has(name)) users.set(name, new Map());
          users.get(name)!.set(`${who.kind}:${who.name}`, who);
        }
      };
      for (const t of this.ir.types) note(t.schema, { kind: 'type', name: t.name });
      for (const t of this.ir.tools) {
        note(t.parameters, { kind: 'tool', name: t.name });
        note(t.returns, { kind: 'tool', name: t.name });
      }
      for (const a of this.ir.agents) {
        note(a.context, { kind: 'agent', name: a.name });
        if (a.output.kind === 'structured') for (const m of a.output.members) note(m.schema, { kind: 'agent', name: a.name });
      }
      for (const g of this.ir.graphs) {
        for (const slot of [g.state, g.output, ...g.nodes.flatMap((n) => [n.input, n.waitsFor])]) note(slot?.schema, { kind: 'graph', name: g.name });
      }
      this.typeUsers = users;
    }
    const order = { agent: 0, tool: 1, graph: 2, type: 3 } as const;
    return [...(this.typeUsers.get(type)?.values() ?? [])]
      .filter((who) => !(who.kind === 'type' && who.name === type))
      .sort((a, b) => order[a.kind] - order[b.kind] || compareText(a.name, b.name));
  }
}

/** An agent, tool, graph or type that refers to a named type. */
export interface Referrer {
  kind: 'agent' | 'tool' | 'graph' | 'type';
  name: string;
}

/**
 * The links of one page, relative to it, and the definitions files its content comes from: every
 * element it shows or links to is recorded, so the banner names them all.
 */
export class PageLinks {
  private readonly sources = new Set<string>();

  constructor(
    readonly site: DocsSite,
    /** The page, relative to the output folder. */
    readonly page: string,
  ) {}

  /** Records that the page shows something defined at `source`. */
  uses(source: IRSource): void {
    this.sources.add(source.file);
  }

  /** Records a schema the page shows, with the files its content was copied from. */
  usesSchema(schema: IRSchema): void {
    for (const from of schema.inlinedFrom) {
      const file = this.site.displayFile(from.slice(0, from.indexOf('#')));
      if (file !== undefined) this.sources.add(file);
    }
  }

  /** The definitions files of the page, sorted, as the banner lists them. */
  sourceList(): string {
    return [...this.sources].sort().join(', ');
  }

  /** A link to an agent's page, labelled with its name. */
  agent(name: string): Markdown {
    this.uses(this.site.agents.get(name)!.source);
    return link(code(name), this.href(this.site.agentPage(name)));
  }

  /** A link to a tool's page. */
  tool(name: string): Markdown {
    this.uses(this.site.tools.get(name)!.source);
    return link(code(name), this.href(this.site.toolPage(name)));
  }

  /** A link to a graph's page. */
  graph(name: string): Markdown {
    this.uses(this.site.graphs.get(name)!.source);
    return link(code(name), this.href(this.site.graphPage(name)));
  }

  /** A link to a type's section on the types page. */
  type(name: string): Markdown {
    this.uses(this.site.types.get(name)!.source);
    return link(md`${name}`, this.href(TYPES_PAGE, this.site.typeAnchor(name)));
  }

  /** A link to another page of the site (or a section of it). */
  href(target: string, fragment?: string): string {
    const hash = fragment === undefined ? '' : `#${fragment}`;
    if (target === this.page && fragment !== undefined) return hash;
    return path.posix.relative(path.posix.dirname(this.page), target) + hash;
  }
}

/** The first line of a description, for one-line summaries (index tables, lists of links). */
export function firstLine(description: string | undefined): string {
  return (
    (description ?? '')
      .split(/\r\n?|[\n\u0085\u2028\u2029]/)
      .map((l) => l.trim())
      .find((l) => l !== '') ?? ''
  );
}

/**
 * The view model of the types page (`types.md`): every named type, in name order, as a section
 * whose heading gives the anchor other pages link to (`types.md#flightdetails`).
 */
import { join, type Markdown } from './markdown.js';
import { definedIn, type Fact } from './page-parts.js';
import { schemaTable, type SchemaTable } from './schema-table.js';
import { PageLinks, TYPES_PAGE, TYPES_TITLE, type DocsSite } from './site.js';

/** One type's section. */
export interface TypeSectionView {
  /** The heading: the type's name (its anchor is the heading's slug). */
  name: string;
  /** The type's description (user text), shown before its facts. */
  description: string;
  facts: Fact[];
  table: SchemaTable;
  /** Links to what refers to the type; null when nothing does. */
  usedBy: Markdown | null;
}

/** The types page's view model. */
export interface TypesPageView {
  sources: string;
  title: string;
  types: TypeSectionView[];
}

/** The types page. */
export function typesPage(site: DocsSite): { path: string; view: TypesPageView } {
  const links = new PageLinks(site, TYPES_PAGE);
  const types = site.ir.types.map((type): TypeSectionView => {
    const facts = [definedIn(type.source, links)];
    const users = site
      .referrers(type.name)
      .map(({ kind, name }) =>
        kind === 'agent' ? links.agent(name) : kind === 'tool' ? links.tool(name) : kind === 'graph' ? links.graph(name) : links.type(name),
      );
    const table = schemaTable(type.schema, links, { expandRef: false });
    return {
      name: type.name,
      description: table.description,
      facts,
      table: { ...table, description: '' },
      usedBy: users.length > 0 ? join(users, ', ') : null,
    };
  });
  return { path: TYPES_PAGE, view: { sources: links.sourceList(), title: TYPES_TITLE, types } };
}

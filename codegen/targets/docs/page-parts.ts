/**
 * Pieces several pages share: a list of facts (`Model: openai:gpt-4o`), a list of links with a
 * one-line summary each, and where an element is defined.
 */
import type { IRSource } from '../../compiler/ir/types.js';
import { code, md, type Markdown } from './markdown.js';
import { firstLine, type PageLinks } from './site.js';

/** One line of a page's fact list: a label of the generator's and a value. */
export interface Fact {
  label: string;
  value: Markdown;
}

/** A link to another page, with the first line of what it links to (user text). */
export interface LinkItem {
  link: Markdown;
  summary: string;
}

/** `schemas/weather.yaml, line 12` (the file relative to the working directory). */
export function definedIn(source: IRSource, links: PageLinks): Fact {
  links.uses(source);
  return { label: 'Defined in', value: md`${code(source.file)}, line ${String(source.line)}` };
}

/** Links to agents, each with the first line of its description. */
export function agentItems(names: readonly string[], links: PageLinks): LinkItem[] {
  return names.map((name) => ({ link: links.agent(name), summary: firstLine(links.site.agents.get(name)!.description) }));
}

/**
 * Links to tools, each with the first line of its description; a tool that needs approval or is
 * external says so after its link.
 */
export function toolItems(names: readonly string[], links: PageLinks): LinkItem[] {
  return names.map((name) => {
    const tool = links.site.tools.get(name)!;
    const link = links.tool(name);
    const marked = tool.external ? md`${link} (external)` : tool.approval !== undefined ? md`${link} (approval: ${code(tool.approval)})` : link;
    return { link: marked, summary: firstLine(tool.description) };
  });
}

/**
 * The documentation of a corpus, as files: `README.md` (index and diagram), `agents/<agent>.md`,
 * `tools/<tool>.md`, `graphs/<graph>.md` and `types.md`, each a function of the IR only (sorted, no time, no absolute
 * path), so the same definitions always give the same bytes. File names on the pages are the IR's
 * display paths, relative to the working directory as generate's banners are: run docs (and its
 * --check) from the same folder every time, as CI does from the repository root.
 */
import type { IR } from '../../compiler/ir/types.js';
import { agentPage } from './agent-page.js';
import { graphPage } from './graph-page.js';
import { indexPage } from './index-page.js';
import { renderPage } from './render-page.js';
import { DocsSite } from './site.js';
import { toolPage } from './tool-page.js';
import { typesPage } from './types-page.js';
import { compareText } from '../../compiler/problems.js';

/** Renders every page; paths are relative to the output folder, in sorted order. */
export function renderDocs(ir: IR): Map<string, string> {
  const site = new DocsSite(ir);
  const pages: [path: string, text: string][] = [];
  const index = indexPage(site);
  pages.push([index.path, renderPage('index.md', index.view)]);
  const types = typesPage(site);
  pages.push([types.path, renderPage('types.md', types.view)]);
  for (const agent of ir.agents) {
    const page = agentPage(agent, site);
    pages.push([page.path, renderPage('agent.md', page.view)]);
  }
  for (const tool of ir.tools) {
    const page = toolPage(tool, site);
    pages.push([page.path, renderPage('tool.md', page.view)]);
  }
  for (const graph of ir.graphs) {
    const page = graphPage(graph, site);
    pages.push([page.path, renderPage('graph.md', page.view)]);
  }
  return new Map(pages.sort(([a], [b]) => compareText(a, b)));
}

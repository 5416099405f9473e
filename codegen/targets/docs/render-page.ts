/**
 * Rendering documentation pages from `templates/docs/`. As for generated code, Handlebars runs
 * with escaping off and in strict mode; templates use only `each`, `if`, partials and the helpers
 * below, and every value reaches a page through one of them (a test checks the templates for
 * that). HTML escaping would be wrong for markdown: these helpers escape for markdown instead.
 */
import path from 'node:path';
import { UnsafeValueError } from '../escape.js';
import { assetRoot } from '../../assets.js';
import { templateRenderer } from '../templates.js';
import { codeSpan, escapePipes, fencedBlock, htmlCommentText, inlineText, paragraphText } from './escape.js';
import { Markdown } from './markdown.js';
import { checkedMermaidId, mermaidLabel } from './mermaid.js';

/** The helpers documentation templates may call. */
export const DOCS_TEMPLATE_HELPERS = ['text', 'cell', 'codespan', 'md', 'fence', 'comment', 'mermaidId', 'mermaidLabel'] as const;

/** A value the view model says is text: a string or a number, never markup or an object. */
function plain(value: unknown, helper: string): string {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  throw new UnsafeValueError(`the ${helper} helper takes text, not ${value instanceof Markdown ? 'markdown' : typeof value}`);
}

/** The folder of the documentation templates. */
export function docsTemplates(): string {
  return path.join(assetRoot(), 'templates', 'docs');
}

/**
 * Renders `templates/docs/<name>.hbs` with a view model. Sections end with a blank line, so the
 * page's trailing blank lines are trimmed to one final newline.
 */
export function renderPage(name: string, view: object): string {
  return renderDocsTemplate(name, view).replace(/\n*$/, '\n');
}

const renderDocsTemplate = templateRenderer(docsTemplates(), (hb) => {
  // User text as a paragraph (or any place in a line outside tables).
  hb.registerHelper('text', (value: unknown) => paragraphText(plain(value, 'text')));
  // A table cell: user text escaped, or generator markdown with its pipes escaped.
  hb.registerHelper('cell', (value: unknown) => escapePipes(value instanceof Markdown ? value.text : inlineText(plain(value, 'cell'))));
  hb.registerHelper('codespan', (value: unknown) => codeSpan(plain(value, 'codespan')));
  hb.registerHelper('md', (value: unknown) => {
    if (!(value instanceof Markdown)) throw new UnsafeValueError('the md helper only takes generator-made markdown');
    return value.text;
  });
  hb.registerHelper('fence', (value: unknown, info: unknown) => fencedBlock(plain(value, 'fence'), plain(info, 'fence')));
  hb.registerHelper('comment', (value: unknown) => htmlCommentText(plain(value, 'comment')));
  hb.registerHelper('mermaidId', (value: unknown) => checkedMermaidId(plain(value, 'mermaidId')));
  hb.registerHelper('mermaidLabel', (value: unknown) => mermaidLabel(plain(value, 'mermaidLabel')));
});

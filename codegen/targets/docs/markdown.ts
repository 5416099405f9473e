/**
 * Inline markdown the generator made: links, code spans, type labels. Pages insert it through the
 * `md` and `cell` helpers, which take nothing else as markdown, so a plain string from the
 * definitions always goes through an escaping helper and can never reach a page as markup.
 */
import { codeSpan, inlineText } from './escape.js';

/** One line of inline markdown built by the functions below from escaped parts. */
export class Markdown {
  constructor(readonly text: string) {}
}

/** A value a {@link md} template may hold: markdown as is, anything else as escaped text. */
export type MarkdownPart = Markdown | string | number | boolean;

function part(value: MarkdownPart): string {
  return value instanceof Markdown ? value.text : inlineText(String(value));
}

/**
 * Tagged template for markdown: the literal parts are the generator's own markup; every
 * interpolated string is user text and is escaped (see {@link inlineText}).
 */
export function md(strings: TemplateStringsArray, ...values: MarkdownPart[]): Markdown {
  let text = strings[0]!;
  values.forEach((value, i) => (text += part(value) + strings[i + 1]!));
  return new Markdown(text);
}

/** A code span (names, values, paths). */
export function code(text: string): Markdown {
  return new Markdown(codeSpan(text));
}

/** Markdown parts joined with a separator of the generator's own. */
export function join(parts: readonly MarkdownPart[], separator: string): Markdown {
  return new Markdown(parts.map(part).join(separator));
}

/**
 * A link. The target is a relative path (and fragment) the generator computed; characters outside
 * a plain path are percent-encoded so no target can end the link early.
 */
export function link(label: Markdown, href: string): Markdown {
  return new Markdown(`[${label.text}](${href.replace(/[^A-Za-z0-9._~/#-]/gu, percentEncode)})`);
}

function percentEncode(char: string): string {
  return [...new TextEncoder().encode(char)].map((b) => '%' + b.toString(16).toUpperCase().padStart(2, '0')).join('');
}

/**
 * Untrusted text (case names, reasons, outputs) as literal GitHub-flavoured markdown: shown as
 * written, never read as markup. The docs target's `inlineText` keeps what authors meant as
 * markdown (their code spans and emphasis); report text has no author to trust, so here every
 * character markdown could act on is escaped, and `@` too, so a case named `@org/team` mentions
 * no one in a pull request comment.
 */
import { escapePipes } from '../../targets/docs/escape.js';

/**
 * Punctuation GitHub may read as syntax inside a line: escapes, code, emphasis, links and images,
 * strikethrough, mentions, math (`|` is left to escapePipes; a line of a cell
 * or a list item never starts with ours, so block markers need nothing).
 */
const MARKDOWN_PUNCTUATION = /[\\`*_[\]#!~@$]/g;

/**
 * `text` as literal inline markdown on one line, safe in a table cell: `&`, `<`, `>` as entities
 * (no HTML), line ends as `<br>`, other controls as spaces, punctuation backslash-escaped and
 * `|` escaped so the cell cannot split.
 */
export function markdownText(text: string): string {
  const escaped = text
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/\r\n?|[\u0085\u2028\u2029]/g, '\n')
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, ' ')
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
    .replace(MARKDOWN_PUNCTUATION, '\\$&')
    .replace(/\n/g, '<br>');
  return escapePipes(escaped);
}

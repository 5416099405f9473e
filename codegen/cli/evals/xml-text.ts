/**
 * Untrusted text in XML 1.0 (the JUnit report): characters the format forbids (most C0 controls,
 * lone surrogates, U+FFFE and U+FFFF) dropped, since no escape can carry them, and markup
 * characters written as entities, so a name holding `]]>` or `</testcase>` stays text.
 */

/** What XML 1.0 does not allow anywhere in a document, even as a character reference. */
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Element content: `&`, `<`, `>` as entities; a carriage return as a reference, since parsers turn a literal one into a line feed. */
export function xmlText(text: string): string {
  return text.replace(FORBIDDEN, '').replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;'));
}

/** An attribute value in double quotes: also `"`, and tab and line ends as references, which parsers would otherwise turn into spaces. */
export function xmlAttribute(text: string): string {
  return xmlText(text).replace(/["\t\n]/g, (c) => (c === '"' ? '&quot;' : c === '\t' ? '&#9;' : '&#10;'));
}

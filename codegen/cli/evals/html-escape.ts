/**
 * Untrusted text in the HTML report. Everything in an eval report (names, prompts, outputs,
 * messages, reasons) came from datasets and models, so every value is written through
 * `escapeHtml`, in text and in double-quoted attributes alike: no value can open or close a tag,
 * end an attribute, or start a comment. (The trace viewer needs no such helper: its script builds
 * the page with `textContent`; this page is static and has no script at all.)
 */

/** Lone surrogates, which no encoder can write. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** Controls HTML shows as nothing or rejects (NUL): shown as their escapes instead. Tab and line ends stay. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `text` as HTML text or a double-quoted attribute value: markup characters as entities, controls as `\u0007`. */
export function escapeHtml(text: string): string {
  return text
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A value as the page shows it: a string as it is, anything else as indented JSON (keys sorted when asked). */
export function shownValue(value: unknown, sortKeys = false): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  const replacer = sortKeys
    ? (_key: string, v: unknown) =>
        v !== null && typeof v === 'object' && !Array.isArray(v)
          ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
          : v
    : undefined;
  try {
    return JSON.stringify(value, replacer, 2) ?? String(value);
  } catch {
    // A cycle or a BigInt: reports are JSON, so only a hand-made one gets here.
    return String(value);
  }
}

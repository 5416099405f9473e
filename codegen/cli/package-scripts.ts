/**
 * The scripts `schemantic init` adds to package.json, edited as text: new scripts are inserted
 * where they go, in the file's own style (indentation, line endings, spacing after colons), and
 * not one other byte changes.
 */

/** The scripts added to package.json, in this order. */
export const SCRIPTS: readonly (readonly [name: string, command: string])[] = [
  ['generate', 'schemantic generate'],
  ['check:generated', 'schemantic generate --check'],
];

/** A JSON value with where it sits in the text; members only for objects. */
interface JsonNode {
  start: number;
  end: number;
  members?: JsonMember[];
}

interface JsonMember {
  key: string;
  keyStart: number;
  keyEnd: number;
  value: JsonNode;
}

/** Locates the values of `text`, which must be valid JSON (JSON.parse has accepted it). */
function scanJson(text: string): JsonNode {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const string = (): string => {
    const start = i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): JsonNode => {
    ws();
    const start = i;
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      const members: JsonMember[] = [];
      i++;
      ws();
      if (text[i] === close) {
        i++;
      } else {
        for (;;) {
          ws();
          if (c === '{') {
            const keyStart = i;
            const key = string();
            const keyEnd = i;
            ws();
            i++; // the colon
            members.push({ key, keyStart, keyEnd, value: value() });
          } else {
            value();
          }
          ws();
          if (text[i++] === ',') continue;
          break;
        }
      }
      return c === '{' ? { start, end: i, members } : { start, end: i };
    }
    if (c === '"') string();
    else while (i < text.length && !',}] \t\n\r'.includes(text[i]!)) i++;
    return { start, end: i };
  };
  return value();
}

/** The whitespace at the start of the line that holds `offset`. */
function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** How a JSON file is laid out: its line ending, indentation step (undefined: all on one line), and colon. */
interface JsonStyle {
  nl: string;
  unit: string | undefined;
  colon: string;
}

function jsonStyle(text: string, root: JsonNode): JsonStyle {
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const first = root.members?.[0];
  if (!first) return { nl, unit: '  ', colon: ': ' };
  const colon = text.slice(first.keyEnd, first.value.start);
  const before = text.slice(root.start + 1, first.keyStart);
  if (!before.includes('\n')) return { nl, unit: undefined, colon };
  const own = before.slice(before.lastIndexOf('\n') + 1);
  const outer = lineIndent(text, root.start);
  return { nl, unit: own.startsWith(outer) && own.length > outer.length ? own.slice(outer.length) : own || '  ', colon };
}

/** `entries` as the members of a new object whose key sits on a line indented by `indent`. */
function objectText(entries: readonly (readonly [string, string])[], indent: string, style: JsonStyle): string {
  const member = ([k, v]: readonly [string, string]) => `${JSON.stringify(k)}${style.colon}${v}`;
  if (style.unit === undefined) return `{${entries.map(member).join(',')}}`;
  return `{${style.nl}${entries.map((e) => indent + style.unit + member(e)).join(',' + style.nl)}${style.nl}${indent}}`;
}

/** `text` with `entries` (keys and JSON values as text) added at the end of the object `obj`. */
function addMembers(text: string, obj: JsonNode, entries: readonly (readonly [string, string])[], style: JsonStyle): string {
  const members = obj.members!;
  const last = members.at(-1);
  if (!last) return text.slice(0, obj.start) + objectText(entries, lineIndent(text, obj.start), style) + text.slice(obj.end);
  const before = text.slice(obj.start + 1, members[0]!.keyStart);
  const gap = before.includes('\n') ? style.nl + before.slice(before.lastIndexOf('\n') + 1) : before;
  const colon = text.slice(last.keyEnd, last.value.start);
  const inserted = entries.map(([k, v]) => `,${gap}${JSON.stringify(k)}${colon}${v}`).join('');
  return text.slice(0, last.value.end) + inserted + text.slice(last.value.end);
}

/** What init does to package.json. */
export type PackageStep =
  | { kind: 'missing' }
  | { kind: 'error'; message: string }
  | { kind: 'edit'; old: string; text: string; added: string[]; kept: [name: string, command: string][] };

/** Works out the scripts to add to the package.json `old` (its text; undefined when there is none). */
export function packageStep(old: string | undefined): PackageStep {
  if (old === undefined) return { kind: 'missing' };
  const bom = old.startsWith('\uFEFF') ? 1 : 0;
  const body = old.slice(bom);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    return { kind: 'error', message: `package.json is not valid JSON (${(err as Error).message}); fix it, then run schemantic init again` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { kind: 'error', message: 'package.json is not a JSON object' };
  const scripts = (parsed as Record<string, unknown>)['scripts'];
  if (scripts !== undefined && (typeof scripts !== 'object' || scripts === null || Array.isArray(scripts))) {
    return { kind: 'error', message: 'package.json: "scripts" is not an object; fix it, then run schemantic init again' };
  }
  const existing = (scripts ?? {}) as Record<string, unknown>;
  const kept: [string, string][] = [];
  const wanted: [string, string][] = [];
  for (const [name, command] of SCRIPTS) {
    if (!Object.hasOwn(existing, name)) wanted.push([name, command]);
    else if (existing[name] !== command) kept.push([name, String(existing[name])]);
  }
  if (wanted.length === 0) return { kind: 'edit', old, text: old, added: [], kept };
  const root = scanJson(body);
  const style = jsonStyle(body, root);
  const entries = wanted.map(([name, command]) => [name, JSON.stringify(command)] as const);
  // JSON.parse keeps the last of duplicate keys; so does this.
  const scriptsMember = root.members!.findLast((m) => m.key === 'scripts');
  // A new "scripts" member sits where the root's members do (one step in, when there are none yet).
  const memberIndent = root.members!.length > 0 ? lineIndent(body, root.members![0]!.keyStart) : lineIndent(body, root.start) + (style.unit ?? '');
  const text = scriptsMember
    ? addMembers(body, scriptsMember.value, entries, style)
    : addMembers(body, root, [['scripts', objectText(entries, memberIndent, style)]], style);
  return { kind: 'edit', old, text: old.slice(0, bom) + text, added: wanted.map(([name]) => name), kept };
}

// ---------------------------------------------------------------------------------------------

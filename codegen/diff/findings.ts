/**
 * The findings of a comparison as they are collected: each change judged by the direction of the
 * place it is in (rules.ts) and located in both revisions. compare-contracts.ts (tools, agents)
 * and compare-mcp.ts (MCP servers) add to one list.
 */
import { canonical } from 'schemantic/internal';
import type { IRSchema } from '../compiler/ir/types.js';
import { compareSchemas, type SchemaAt, type SchemaChange } from './compare-schemas.js';
import type { DiffSubject, Finding } from './finding.js';
import { judge, type Direction, type RuleId } from './rules.js';
import { childCursor, locate, type Cursor, type Side } from './side.js';

/** Collects findings, judging and locating them as they come. */
export class Findings {
  readonly list: Finding[] = [];
  constructor(
    readonly old: Side,
    readonly neu: Side,
  ) {}

  /** A finding about a whole contract or one of its fields. */
  add(
    subject: DiffSubject,
    rule: RuleId,
    pointer: string,
    message: string,
    before: Cursor | undefined,
    after: Cursor | undefined,
    direction: Direction = 'input',
    extra: Pick<Finding, 'text'> = {},
  ): void {
    const { severity, impact } = judge(rule, direction);
    const b = locate(this.old, before);
    const a = locate(this.neu, after);
    this.list.push({ rule, severity, subject, pointer, message, impact, ...(b ? { before: b } : {}), ...(a ? { after: a } : {}), ...extra });
  }

  /** The findings of a schema comparison at a place of the given direction. */
  schemas(subject: DiffSubject, direction: Direction, before: SchemaAt, after: SchemaAt, pointer: string): void {
    for (const c of compareSchemas({ old: this.old, new: this.neu }, before, after, pointer)) this.fromChange(subject, direction, c);
  }

  private fromChange(subject: DiffSubject, direction: Direction, c: SchemaChange): void {
    const { severity, impact } = judge(c.rule, direction);
    const b = locate(this.old, c.before);
    const a = locate(this.neu, c.after);
    this.list.push({
      rule: c.rule,
      severity,
      subject,
      pointer: c.pointer,
      ...(c.inType !== undefined ? { inType: c.inType } : {}),
      message: c.message,
      impact,
      ...(b ? { before: b } : {}),
      ...(a ? { after: a } : {}),
      ...(c.text ? { text: c.text } : {}),
    });
  }
}

/** A schema of the IR at the child `key` of a cursor: what {@link Findings.schemas} compares. */
export function at(schema: IRSchema, cursor: Cursor, key: string): SchemaAt {
  return { schema: schema.schema, cursor: childCursor(cursor, key) };
}

/**
 * A changed text (description, instructions): behavioural, with both texts. The text's key is
 * the last segment of `pointer`, under `ca` and `cb`.
 */
export function text(
  out: Findings,
  subject: DiffSubject,
  pointer: string,
  p: string | undefined,
  q: string | undefined,
  ca: Cursor,
  cb: Cursor,
  rule: RuleId,
): void {
  if ((p ?? '') === (q ?? '')) return;
  const key = pointer.slice(pointer.lastIndexOf('/') + 1);
  const verb = p === undefined ? 'added' : q === undefined ? 'removed' : 'changed';
  out.add(subject, rule, pointer, `${key} ${verb}`, child(ca, key, p), child(cb, key, q), 'input', { text: { before: p ?? '', after: q ?? '' } });
}

/** A changed setting (retries, limits, model settings, strict, an MCP server's connection): behavioural. */
export function setting(out: Findings, subject: DiffSubject, pointer: string, label: string, p: unknown, q: unknown, ca: Cursor, cb: Cursor): void {
  if (canonical(p) === canonical(q)) return;
  const key = pointer.slice(pointer.lastIndexOf('/') + 1);
  const show = (v: unknown) => (v === undefined ? '(default)' : JSON.stringify(v));
  out.add(subject, 'setting-changed', pointer, `${label} changed from ${show(p)} to ${show(q)}`, child(ca, key, p), child(cb, key, q));
}

/** The cursor of a field when it is set, else of its parent. */
export function child(cursor: Cursor, key: string, value: unknown): Cursor {
  return value === undefined ? cursor : childCursor(cursor, key);
}

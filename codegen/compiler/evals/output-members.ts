/**
 * The output members of an agent as eval checks see them: each member's schema made
 * self-contained, and the name the runtime's `is_instance` evaluator knows it by.
 */
import { bundle } from '../ir/bundle.js';
import type { IRAgent, IRType } from '../ir/types.js';
import { isObject } from '../schema/walk.js';

/** The output members an expected value may fit, each self-contained; a text output is `{type: string}`. */
export interface OutputSchemas {
  /** Each member's name (empty for a lone output or text) and schema; `text` marks the text member. */
  members: { name: string; namedType?: string; schema: unknown; text?: true }[];
  text: boolean;
}

/**
 * The name `isInstance` of `schemantic/evals` knows a member by, which is what `is_instance` must
 * name (else the run throws): a union member's PascalCase name (its output tool's suffix, not its
 * type's definitions name), a single output's `$ref` name, else its title, else `output`; `text`
 * for text. Mirrors `memberName` of runtime/evals/evaluators/is-instance.ts on the emitted schema.
 */
export function runtimeMemberName(member: OutputSchemas['members'][number]): string {
  if (member.name !== '') return member.name;
  if (member.text) return 'text';
  const schema = member.schema;
  if (isObject(schema)) {
    const ref = schema['$ref'];
    if (typeof ref === 'string' && ref.startsWith('#/$defs/') && !ref.slice(8).includes('/')) return ref.slice(8);
    if (typeof schema['title'] === 'string') return schema['title'];
  }
  return 'output';
}

/** The output members of `agent`, each schema bundled with the types it refers to. */
export function outputSchemas(agent: IRAgent, types: ReadonlyMap<string, IRType>): OutputSchemas {
  if (agent.output.kind === 'text') return { members: [{ name: '', schema: { type: 'string' }, text: true }], text: true };
  const members: OutputSchemas['members'] = agent.output.members.map((m) => ({
    name: m.memberName,
    ...(m.namedType !== undefined ? { namedType: m.namedType } : {}),
    schema: bundle(m.schema, types),
  }));
  if (agent.output.allowsText) members.push({ name: '', schema: { type: 'string' }, text: true });
  return { members, text: false };
}

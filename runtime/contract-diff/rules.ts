/**
 * The rules of `schemantic diff`: every kind of change it reports, with a stable id, and how bad
 * it is for each side of a contract. The runtime judges a changed contract by the same table when
 * it resumes a paused run (schema-changes.ts), which is why the table lives in the runtime package
 * and the generator imports it through `schemantic/internal`.
 *
 * Direction is what makes a change breaking or not. Tool parameters and an agent's context are
 * written elsewhere (by the model, by stored histories, by the calling app) and read here: a
 * schema that now accepts less breaks those writers, one that accepts more is safe. Tool returns
 * and agent outputs are written here and read elsewhere (by the model, by the app, by another
 * team): a schema that now allows more breaks those readers, and one that allows less may break
 * other implementations of the writer (a tool server in another language, stored results).
 */

/** How bad a change is, worst first. */
export type DiffSeverity = 'breaking' | 'potentially-breaking' | 'behavioural' | 'safe';

/** Severities, worst first (the order `--fail-on` compares in). */
export const SEVERITIES: readonly DiffSeverity[] = ['breaking', 'potentially-breaking', 'behavioural', 'safe'];

/** Which way data crosses the contract at the place a schema sits. */
export type Direction = 'input' | 'output';

/** One rule: its severity and who it hurts, for each direction. */
export interface Rule {
  /** One line saying what the rule detects (for `--help` and the README table). */
  summary: string;
  input: { severity: DiffSeverity; impact: string };
  output: { severity: DiffSeverity; impact: string };
}

const same = (severity: DiffSeverity, impact: string): Rule['input'] => ({ severity, impact });

/** Writers of input (the model, stored histories, callers) hit a narrowing. */
const NARROW_IN = same('breaking', 'values valid before are now rejected: the model, stored histories or callers may still send them');
/** Other writers of an output (tool servers elsewhere, stored results) hit a narrowing. */
const NARROW_OUT = same('potentially-breaking', 'values valid before are now rejected: other implementations and stored results may not comply');
/** Readers of input get more than before. */
const WIDEN_IN = same('safe', 'accepts more than before: existing callers are unaffected');
/** Readers of an output get more than before. */
const WIDEN_OUT = same('breaking', 'consumers may now receive values they were not written for');

const narrowing = (summary: string): Rule => ({ summary, input: NARROW_IN, output: NARROW_OUT });
const widening = (summary: string): Rule => ({ summary, input: WIDEN_IN, output: WIDEN_OUT });
const either = (summary: string, severity: DiffSeverity, impact: string): Rule => ({ summary, input: same(severity, impact), output: same(severity, impact) });

/** Every rule, by id. Ids are stable: configs and CI scripts match on them. */
export const RULES = {
  // Contracts appearing, disappearing, renamed.
  'tool-removed': either('a tool was removed', 'breaking', 'agents and stored histories that call it fail'),
  'tool-added': either('a tool was added', 'safe', 'nothing existing uses it yet'),
  'tool-renamed': either('a tool was renamed (the name the model sees)', 'breaking', 'stored histories and prompts call the old name'),
  'agent-removed': either('an agent was removed', 'breaking', 'code that creates it no longer compiles'),
  'agent-added': either('an agent was added', 'safe', 'nothing existing uses it yet'),
  'agent-tool-added': either('an agent was given a tool', 'potentially-breaking', 'its factory now needs a handler for the tool'),
  'agent-tool-removed': either(
    'a tool was taken from an agent',
    'potentially-breaking',
    'stored histories may call it; its factory no longer takes the handler',
  ),
  'agent-delegate-added': either('an agent was given a delegate agent', 'potentially-breaking', 'its factory now needs the delegate'),
  'agent-delegate-removed': either(
    'a delegate agent was taken from an agent',
    'potentially-breaking',
    'stored histories may call it; its factory no longer takes the delegate',
  ),
  'agent-mcp-added': either('an agent was given an MCP server', 'behavioural', "its runs get the server's tools: the model may act differently"),
  'agent-mcp-removed': either(
    'an MCP server was taken from an agent',
    'potentially-breaking',
    'stored histories may call its tools; its factory no longer takes the server',
  ),
  'mcp-server-added': either('an MCP server was added', 'safe', 'nothing existing uses it yet'),
  'mcp-server-removed': either('an MCP server was removed', 'breaking', 'agents that use it and code that calls its tools no longer compile'),
  'returns-added': either('a tool now declares its returns', 'potentially-breaking', 'handlers must now return values matching the schema'),
  'returns-removed': either('a tool no longer declares its returns', 'breaking', 'consumers of its results lose their type'),
  // Deferred tools: calls that stop a run until a person approves them or the caller runs them.
  'tool-approval-added': either(
    'a tool now needs approval (required or conditional)',
    'breaking',
    'runs of its agents may now end with DeferredToolRequests: their output type gains it, and callers must handle it and resume',
  ),
  'tool-approval-removed': either(
    'a tool no longer needs approval',
    'potentially-breaking',
    "its calls now run without a person's approval; approval flows no longer see them, and a needsApproval condition for it is no longer read",
  ),
  'tool-approval-changed': either(
    "a tool's approval changed between required and conditional",
    'breaking',
    "a conditional tool's agents must be given a needsApproval condition for it, which a required tool's do not take",
  ),
  'tool-external-added': either(
    'a tool became external (the caller runs its calls)',
    'breaking',
    'its handlers are no longer called: runs end with its calls for the caller to run, and factories no longer take its handler',
  ),
  'tool-external-removed': either(
    'a tool is no longer external',
    'potentially-breaking',
    "its agents' factories now need a handler for it, and callers no longer get its calls to run",
  ),
  'context-added': either('an agent now has a context', 'breaking', 'every caller must now pass it'),
  'context-removed': either('an agent no longer has a context', 'potentially-breaking', 'callers still pass one, and instructions no longer read it'),
  'output-mode-changed': either(
    'the output mode changed (tool, native, prompted)',
    'breaking',
    'the model is asked for the output another way; stored histories hold the old form',
  ),
  'output-kind-changed': either('the output changed between text and structured', 'breaking', 'consumers of the output get another kind of value'),
  'output-member-added': widening('a member was added to a union output'),
  'output-member-removed': narrowing('a member was removed from a union output'),
  'output-member-renamed': either('a union output member was renamed', 'breaking', 'its output tool name and its TypeScript type name change'),
  // Schemas.
  'property-added-optional': either('an optional property was added', 'safe', 'existing writers and readers are unaffected'),
  'property-added-required': {
    summary: 'a required property was added',
    input: same('breaking', 'callers and stored histories do not send it'),
    output: same('potentially-breaking', 'other implementations of the writer do not produce it yet'),
  },
  'property-removed': {
    summary: 'a property was removed',
    input: same('breaking', 'callers and stored histories still send it'),
    output: same('breaking', 'consumers that read it get nothing'),
  },
  'property-renamed': {
    summary: 'a property was renamed (same schema, new name)',
    input: same('breaking', 'callers and stored histories send the old name'),
    output: same('breaking', 'consumers read the old name'),
  },
  'property-made-required': {
    summary: 'an optional property became required',
    input: same('breaking', 'callers that leave it out are now rejected'),
    output: same('potentially-breaking', 'other implementations of the writer may leave it out'),
  },
  'property-made-optional': {
    summary: 'a required property became optional',
    input: same('safe', 'callers that send it are unaffected'),
    output: same('breaking', 'consumers may not find it any more'),
  },
  'type-narrowed': narrowing('the type accepts fewer kinds of value (number to integer, a type dropped from a list)'),
  'type-widened': widening('the type accepts more kinds of value (integer to number, null allowed)'),
  'type-changed': either('the type changed to an unrelated one', 'breaking', 'values of the old type are rejected, and readers get values of a new type'),
  'enum-value-removed': narrowing('an allowed value was removed from an enum'),
  'enum-value-added': widening('an allowed value was added to an enum'),
  'values-restricted': narrowing('the value is now restricted to an enum or const'),
  'values-unrestricted': widening('the value is no longer restricted to an enum or const'),
  'bound-tightened': narrowing('a bound was added or tightened (minimum, maxLength, maxItems, ...)'),
  'bound-loosened': widening('a bound was removed or loosened'),
  'pattern-added': narrowing('a pattern was added'),
  'pattern-removed': widening('a pattern was removed'),
  'pattern-changed': either('a pattern changed', 'potentially-breaking', 'values matching the old pattern may not match the new one'),
  'format-added': narrowing('a format was added'),
  'format-removed': widening('a format was removed'),
  'format-changed': either('a format changed', 'breaking', 'values of the old format are rejected, and readers get values of a new format'),
  'additional-properties-closed': narrowing('an object no longer accepts properties it does not list'),
  'additional-properties-opened': widening('an object now accepts properties it does not list'),
  'variant-added': widening('an alternative was added to anyOf/oneOf'),
  'variant-removed': narrowing('an alternative was removed from anyOf/oneOf'),
  'constraint-added': narrowing('another validation keyword was added (uniqueItems, not, if, ...)'),
  'constraint-removed': widening('another validation keyword was removed'),
  'constraint-changed': either('another validation keyword changed', 'potentially-breaking', 'the set of valid values changed in a way diff does not classify'),
  'ref-retargeted': either(
    'a $ref now names another type, of another shape',
    'potentially-breaking',
    'the generated type name changes; the other findings here say how the shape changed',
  ),
  'ref-renamed': either('a $ref now names another type of the same shape', 'safe', 'the values are the same; only the generated type name changes'),
  // Behaviour: not breaking, worth a reviewer's eye.
  'description-changed': either('a description changed (the model reads it)', 'behavioural', 'the model may use the tool or fill the value differently'),
  'annotation-changed': either('an annotation changed (title, default, examples, ...)', 'behavioural', 'documentation and defaults shown to the model changed'),
  'instructions-changed': either("an agent's instructions changed", 'behavioural', 'the model may behave differently'),
  'model-changed': either("an agent's model changed", 'behavioural', 'another model may behave differently'),
  'setting-changed': either(
    "a setting changed (retries, limits, model settings, end strategy, strict, an MCP server's connection)",
    'behavioural',
    'runs may go differently',
  ),
} satisfies Record<string, Rule>;

/** A rule id. */
export type RuleId = keyof typeof RULES;

/** True when `id` names a rule. */
export function isRuleId(id: string): id is RuleId {
  return Object.hasOwn(RULES, id);
}

/** The severity and impact of `rule` where data flows in `direction`. */
export function judge(rule: RuleId, direction: Direction): { severity: DiffSeverity; impact: string } {
  return RULES[rule][direction];
}

/** True when `a` is at least as bad as `b`. */
export function atLeast(a: DiffSeverity, b: DiffSeverity): boolean {
  return SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b);
}

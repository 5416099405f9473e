/**
 * The rules of `schemantic diff`: every kind of change it reports, with a stable id, and how bad
 * it is for each side of a contract. The table lives in the runtime package (contract-diff/rules.ts),
 * which judges a changed contract by the same rules when it resumes a paused run; the generator's
 * modules and tests keep importing it from here.
 */
export { atLeast, isRuleId, judge, RULES, SEVERITIES, type DiffSeverity, type Direction, type Rule, type RuleId } from 'schemantic/internal';

/**
 * Running a case's evaluators on one run: each output normalised into named results, each thrown
 * error kept as an `error` result (an evaluator that breaks fails its run, never the eval run).
 */
import { redactText } from '../contract/redact.js';
import type { EvaluationResult } from './eval-report.js';
import type { EvaluationReason, EvaluationValue, Evaluator, EvaluatorContext } from './evaluator.js';
import { unlessCancelled } from './unless-cancelled.js';

/**
 * The results of `evaluators` on one run, in order. One at a time: an LLM judge is a model
 * request, and the runner already runs cases concurrently. A second evaluator of the same name
 * is renamed `<name> #2` (then `#3`), so every result name is unique within the run.
 */
export async function applyEvaluators<Context, Output>(
  evaluators: readonly Evaluator<Context, Output>[],
  ctx: EvaluatorContext<Context, Output>,
): Promise<EvaluationResult[]> {
  const results: EvaluationResult[] = [];
  const taken = new Set<string>();
  const unique = (name: string): string => {
    let candidate = name;
    for (let n = 2; taken.has(candidate); n++) candidate = `${name} #${n}`;
    taken.add(candidate);
    return candidate;
  };
  const usedEvaluatorNames = new Set<string>();
  for (const evaluator of evaluators) {
    let name = evaluator.name;
    for (let n = 2; usedEvaluatorNames.has(name); n++) name = `${evaluator.name} #${n}`;
    usedEvaluatorNames.add(name);
    let produced: EvaluationResult[];
    try {
      // Bounded by the signal: an evaluator that never settles must not hold a cancelled eval run.
      produced = normalise(await unlessCancelled(evaluator.evaluate(ctx), ctx.signal, `evaluator ${name}`), name, evaluator.kind);
    } catch (err) {
      produced = [{ name, source: evaluator.kind, kind: 'error', reason: errorText(err) }];
    }
    // Names can still meet across evaluators (`a.b` from one, key `b` of `a` from another).
    for (const result of produced) results.push({ ...result, name: unique(result.name) });
  }
  return results;
}

/** True when the run passed: no assertion failed and no evaluator threw. */
export function runPassed(results: readonly EvaluationResult[]): boolean {
  return results.every((r) => r.kind !== 'error' && !(r.kind === 'assertion' && r.value === false));
}

/** An evaluator's output as results: one value named after it, or `<name>.<key>` for each of a record. */
function normalise(output: unknown, name: string, source: string): EvaluationResult[] {
  const one = single(output, name, source);
  if (one) return [one];
  if (!isPlainRecord(output) || Object.keys(output).length === 0)
    throw new Error(`returned ${describe(output)}: expected a boolean, number, string, { value, reason } or a record of them`);
  return Object.entries(output).map(([key, value]) => {
    const result = single(value, `${name}.${key}`, source);
    if (!result) throw new Error(`returned ${describe(value)} for ${key}: expected a boolean, number, string or { value, reason }`);
    return result;
  });
}

/** One value (or value with a reason) as a result; undefined for anything else. */
function single(output: unknown, name: string, source: string): EvaluationResult | undefined {
  if (isValue(output)) return { name, source, kind: kindOf(output), value: output };
  if (isReason(output)) {
    const result: EvaluationResult = { name, source, kind: kindOf(output.value), value: output.value };
    if (output.reason !== undefined) result.reason = output.reason;
    return result;
  }
  return undefined;
}

function kindOf(value: EvaluationValue): 'assertion' | 'score' | 'label' {
  return typeof value === 'boolean' ? 'assertion' : typeof value === 'number' ? 'score' : 'label';
}

/** A result value; not NaN or an infinity, which JSON cannot hold (a report would read them as null). */
function isValue(value: unknown): value is EvaluationValue {
  return typeof value === 'boolean' || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * `{ value, reason? }`, and nothing else: a record whose keys happen to be `value` (a scalar) and
 * `reason` (a string) reads as this, not as two results.
 */
function isReason(value: unknown): value is EvaluationReason {
  if (!isPlainRecord(value) || !isValue(value['value'])) return false;
  const reason = value['reason'];
  return Object.keys(value).every((k) => k === 'value' || k === 'reason') && (reason === undefined || typeof reason === 'string');
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === undefined) return 'undefined';
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 79)}…` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** A thrown error as a result's reason, redacted: an evaluator calling a model may quote its API key. */
function errorText(err: unknown): string {
  if (err instanceof Error) return redactText(err.message || err.name);
  return redactText(typeof err === 'string' ? err : describe(err));
}

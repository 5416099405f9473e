/**
 * Built-in evaluators as data (what datasets hold) turned into evaluators: each spec into its
 * factory's evaluator, a `custom` spec into the binding's function of that name.
 */
import { UserError } from '../contract/errors.js';
import type { EvaluatorEntry, EvaluatorSpec } from './eval-case.js';
import type { CustomEvaluator, Evaluator } from './evaluator.js';
import { equals, equalsExpected, partialEquals } from './evaluators/equality.js';
import { isInstance } from './evaluators/is-instance.js';
import { maxCost, maxDuration, maxTokens } from './evaluators/limits.js';
import { llmJudge } from './evaluators/llm-judge.js';
import { hasMatchingSpan } from './evaluators/matching-span.js';
import { pointer } from './evaluators/pointer.js';
import { contains, regex } from './evaluators/text.js';
import { toolCalled, toolNotCalled } from './evaluators/tool-calls.js';

/**
 * The evaluator of an entry: an Evaluator object as it is; a spec made into one (its schemas and
 * patterns compiled now, so a broken one fails before any run). A `custom` spec takes its
 * function from `customs` (the binding's `evaluators`); a name it lacks is a UserError. `where`
 * (`dataset bank-support case x`) prefixes the errors.
 */
export function evaluatorFromSpec<Context = unknown, Output = unknown>(
  entry: EvaluatorEntry<Context, Output>,
  customs: Readonly<Record<string, CustomEvaluator<Context, Output>>> = {},
  where?: string,
): Evaluator<Context, Output> {
  if (typeof (entry as Evaluator).evaluate === 'function') return entry as Evaluator<Context, Output>;
  try {
    return fromSpec(entry as EvaluatorSpec, customs as Readonly<Record<string, CustomEvaluator>>) as Evaluator<Context, Output>;
  } catch (err) {
    if (where === undefined || !UserError.isInstance(err)) throw err;
    throw new UserError(`${where}: ${err.message}`, { cause: err });
  }
}

function fromSpec(spec: EvaluatorSpec, customs: Readonly<Record<string, CustomEvaluator>>): Evaluator {
  const named = { name: spec.name };
  switch (spec.evaluator) {
    case 'equalsExpected':
      return equalsExpected(named);
    case 'equals':
      return equals(spec.value, named);
    case 'partialEquals':
      return partialEquals(spec.value, named);
    case 'pointer':
      return pointer(spec.pointer, { ...named, equals: spec.equals, schema: spec.schema, exists: spec.exists });
    case 'isInstance':
      return isInstance(spec.member, named);
    case 'contains':
      return contains(spec.value, { ...named, caseSensitive: spec.caseSensitive });
    case 'regex':
      return regex(spec.pattern, { ...named, flags: spec.flags });
    case 'maxDuration':
      return maxDuration(spec.seconds, named);
    case 'maxTokens':
      return maxTokens({ ...named, total: spec.total, input: spec.input, output: spec.output });
    case 'maxCost':
      return maxCost({ ...named, usd: spec.usd, inputPerMillion: spec.inputPerMillion, outputPerMillion: spec.outputPerMillion });
    case 'toolCalled':
      return toolCalled(spec.tool, { ...named, args: spec.args, times: spec.times });
    case 'toolNotCalled':
      return toolNotCalled(spec.tool, named);
    case 'llmJudge': {
      const { rubric, model, verdict, includePrompt, includeExpected } = spec;
      return llmJudge({ ...named, rubric, model, verdict, includePrompt, includeExpected });
    }
    case 'hasMatchingSpan': {
      const { span, spanPattern, attributes, maxSeconds, count, absent } = spec;
      return hasMatchingSpan({ span, spanPattern, attributes, maxSeconds, count, absent }, named);
    }
    case 'custom':
      return customEvaluator(spec.custom, spec.args, spec.name, customs);
    default:
      throw new UserError(`unknown evaluator ${JSON.stringify((spec as { evaluator?: unknown }).evaluator)}`);
  }
}

function customEvaluator(custom: string, args: unknown, name: string | undefined, customs: Readonly<Record<string, CustomEvaluator>>): Evaluator {
  const fn = Object.hasOwn(customs, custom) ? customs[custom] : undefined;
  if (typeof fn !== 'function') {
    const known = Object.keys(customs).filter((k) => typeof customs[k] === 'function');
    throw new UserError(
      `no custom evaluator ${JSON.stringify(custom)}: the binding's \`evaluators\` ${known.length === 0 ? 'has none' : `has ${known.join(', ')}`}`,
    );
  }
  return { name: name ?? custom, kind: 'custom', evaluate: (ctx) => fn(ctx, args) };
}

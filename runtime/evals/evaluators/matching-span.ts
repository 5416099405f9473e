/**
 * Assertions on the run's OpenTelemetry spans (captured by the runner when a dataset has span
 * evaluators; see span-capture.ts): that a span matching a query exists, how many do, or that
 * none does.
 */
import { UserError } from '../../contract/errors.js';
import type { Evaluator } from '../evaluator.js';
import type { SpanNode } from '../span-tree.js';
import type { EvaluatorOptions } from './options.js';
import { preview, truncate } from './json-values.js';

/** Which spans match, and how many must. */
export interface SpanQuery {
  /** The span's name, exactly (`execute_tool customer_balance`). */
  span?: string;
  /** A regular expression the span's name matches (`^chat `). */
  spanPattern?: string;
  /** Attribute values the span has (each compared exactly). */
  attributes?: Readonly<Record<string, string | number | boolean>>;
  /** The span took at most this many seconds. */
  maxSeconds?: number;
  /** How many spans match (default: at least one). */
  count?: { min?: number; max?: number };
  /** `true`: no span matches. */
  absent?: boolean;
}

/** Every span of a forest, depth first, parents before children. */
function allSpans(nodes: readonly SpanNode[]): SpanNode[] {
  return nodes.flatMap((n) => [n, ...allSpans(n.children)]);
}

/**
 * A span of the run matches `query`; with `count`, between `min` and `max` do; with `absent`, none
 * does. Result name: `hasMatchingSpan <span>` (or `/<spanPattern>/`). The spans must have been
 * captured (`ctx.spans`): when they were not, the result is an error, never a pass or a fail.
 */
export function hasMatchingSpan(query: SpanQuery, options: EvaluatorOptions = {}): Evaluator {
  let pattern: RegExp | undefined;
  try {
    pattern = query.spanPattern === undefined ? undefined : new RegExp(query.spanPattern);
  } catch (err) {
    throw new UserError(`hasMatchingSpan: spanPattern ${JSON.stringify(query.spanPattern)}: ${(err as Error).message}`);
  }
  if (query.absent && query.count !== undefined) throw new UserError('hasMatchingSpan: absent cannot go with count');
  const max = query.absent ? 0 : (query.count?.max ?? Infinity);
  const min = query.absent ? 0 : (query.count?.min ?? Math.min(1, max));
  if (!(min >= 0) || !(max >= min)) throw new UserError(`hasMatchingSpan: count must have 0 <= min <= max, not ${JSON.stringify(query.count)}`);
  const attributes = Object.entries(query.attributes ?? {});
  const matches = (span: SpanNode): boolean =>
    (query.span === undefined || span.name === query.span) &&
    (pattern === undefined || pattern.test(span.name)) &&
    (query.maxSeconds === undefined || span.durationMs <= query.maxSeconds * 1000) &&
    attributes.every(([key, value]) => span.attributes[key] === value);
  const described = describe(query);
  return {
    name: options.name ?? `hasMatchingSpan ${query.span ?? (query.spanPattern !== undefined ? `/${query.spanPattern}/` : '*')}`,
    kind: 'hasMatchingSpan',
    evaluate: (ctx) => {
      if (ctx.spans === undefined) throw new Error("the run's spans were not captured (the runner captures them for datasets with span evaluators)");
      const spans = allSpans(ctx.spans);
      const found = spans.filter(matches).length;
      if (found >= min && found <= max) return true;
      const spansText = (n: number) => `${n} span${n === 1 ? '' : 's'}`;
      const wanted =
        max === 0 ? 'no span' : max === Infinity ? `at least ${spansText(min)}` : min === max ? `exactly ${spansText(min)}` : `${min} to ${max} spans`;
      const names = [...new Set(spans.map((s) => s.name))];
      const seen = names.length === 0 ? 'no spans' : `spans: ${truncate(names.join(', '), 160)}`;
      return { value: false, reason: `expected ${wanted} ${described}, found ${found} (${seen})` };
    },
  };
}

/** A query in words: `named "chat m" with {"a":1} within 2s`. */
function describe(query: SpanQuery): string {
  const parts = ['matching'];
  if (query.span !== undefined) parts.push(`name ${JSON.stringify(query.span)}`);
  if (query.spanPattern !== undefined) parts.push(`/${query.spanPattern}/`);
  if (query.attributes !== undefined) parts.push(`with ${preview(query.attributes, 100)}`);
  if (query.maxSeconds !== undefined) parts.push(`within ${query.maxSeconds}s`);
  return parts.length === 1 ? 'of any kind' : parts.join(' ');
}

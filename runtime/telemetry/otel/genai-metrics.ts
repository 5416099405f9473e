/**
 * The GenAI client metrics: `gen_ai.client.token.usage` and `gen_ai.client.operation.duration`
 * histograms (and, for streamed requests in the latest set, `gen_ai.client.operation.time_to_first_chunk`),
 * with the bucket boundaries the conventions advise.
 */
import type { Attributes, Histogram, Meter } from '@opentelemetry/api';
import type { RequestUsage } from '../../contract/messages.js';

const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const SECOND_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

/** The histograms of one meter. */
export class GenAiMetrics {
  private readonly tokens: Histogram;
  private readonly duration: Histogram;
  private readonly firstChunk: Histogram;

  constructor(meter: Meter) {
    this.tokens = meter.createHistogram('gen_ai.client.token.usage', {
      unit: '{token}',
      description: 'Number of input and output tokens used',
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    });
    this.duration = meter.createHistogram('gen_ai.client.operation.duration', {
      unit: 's',
      description: 'GenAI operation duration',
      advice: { explicitBucketBoundaries: SECOND_BUCKETS },
    });
    this.firstChunk = meter.createHistogram('gen_ai.client.operation.time_to_first_chunk', {
      unit: 's',
      description: 'Time from issuing a streaming request to its first chunk',
      advice: { explicitBucketBoundaries: SECOND_BUCKETS },
    });
  }

  /** A response's input and output tokens. */
  recordUsage(usage: RequestUsage, attributes: Attributes): void {
    this.tokens.record(usage.inputTokens, { ...attributes, 'gen_ai.token.type': 'input' });
    this.tokens.record(usage.outputTokens, { ...attributes, 'gen_ai.token.type': 'output' });
  }

  /** How long an operation took, in seconds (with `error.type` when it failed). */
  recordDuration(seconds: number, attributes: Attributes): void {
    this.duration.record(seconds, attributes);
  }

  /** How long a streamed request waited for its first chunk, in seconds. */
  recordFirstChunk(seconds: number, attributes: Attributes): void {
    this.firstChunk.record(seconds, attributes);
  }
}

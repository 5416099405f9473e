/**
 * The settings of tracing, as agents and runs take them (`instrument: true | {...}`).
 */

/** A tracer provider, as far as Schemantic needs one (an OpenTelemetry `TracerProvider` fits). */
export interface TracerProviderLike {
  getTracer(name: string, version?: string): object;
}

/** A meter provider, as far as Schemantic needs one (an OpenTelemetry `MeterProvider` fits). */
export interface MeterProviderLike {
  getMeter(name: string, version?: string): object;
}

/** How runs are traced. Every field is optional; `instrument: true` takes every default. */
export interface InstrumentationSettings {
  /**
   * Record content: instructions, prompts, model responses, tool arguments and results, the
   * output (default false). Content may hold personal data and reaches whichever backend the
   * spans are exported to; key-shaped strings and known API keys are redacted either way.
   */
  includeContent?: boolean;
  /** With `includeContent`, also record inline binary content (images, documents) in full (default false: media type only). */
  includeBinaryContent?: boolean;
  /**
   * Which generation of the OpenTelemetry GenAI semantic conventions to emit: `latest` (default;
   * v1.37 and later: `gen_ai.provider.name`, messages in `gen_ai.input.messages` /
   * `gen_ai.output.messages` attributes) or `1.36` (`gen_ai.system`, messages as span events),
   * for backends that read the older set.
   */
  semconv?: 'latest' | '1.36';
  /** The tracer provider to use (default: the global one registered with `@opentelemetry/api`). */
  tracerProvider?: TracerProviderLike;
  /** The meter provider for the token and duration histograms (default: the global one). */
  meterProvider?: MeterProviderLike;
}

/** `instrument` on an agent or a run: on with defaults, off, or on with settings. */
export type Instrument = boolean | InstrumentationSettings;

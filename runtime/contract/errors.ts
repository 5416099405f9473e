/**
 * Errors. One base class; each class has a static `isInstance` that also recognises errors made
 * by another copy of this package (two versions installed side by side), which `instanceof`
 * cannot.
 */

const KINDS = Symbol.for('schemantic.error.kinds');

/** The base of every error Schemantic throws on purpose. */
export class SchemanticError extends Error {
  /** Class names from this error's class up to `SchemanticError`. */
  readonly [KINDS]: readonly string[];

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    const kinds: string[] = [];
    for (let proto = new.target.prototype; proto && proto !== Error.prototype; proto = Object.getPrototypeOf(proto)) {
      kinds.push((proto.constructor as { name: string }).name);
    }
    this[KINDS] = kinds;
  }

  /** True when `value` is an error of this class (or a subclass), from any copy of Schemantic. */
  static isInstance<T extends abstract new (...args: never[]) => SchemanticError>(this: T, value: unknown): value is InstanceType<T> {
    if (typeof value !== 'object' || value === null) return false;
    const kinds = (value as { [KINDS]?: unknown })[KINDS];
    return Array.isArray(kinds) && kinds.includes(this.name);
  }
}

/** The caller used the API wrongly: a bad option, an incompatible generated module, a missing handler. */
export class UserError extends SchemanticError {}

/** A message part the chosen provider cannot take (a document by URL, an audio file...). */
export class UnsupportedContentError extends UserError {}

/**
 * Thrown by a tool handler or output validator to ask the model to try again. The message is
 * sent back to the model as a retry prompt.
 */
export class ModelRetry extends SchemanticError {}

/** The model kept misbehaving (invalid arguments, invalid output) past its retry budget. */
export class UnexpectedModelBehavior extends SchemanticError {
  /** The offending model response, when there is one. */
  readonly response: unknown;

  constructor(message: string, options?: ErrorOptions & { response?: unknown }) {
    super(message, options);
    this.response = options?.response;
  }
}

/** A usage limit was reached. */
export class UsageLimitExceeded extends SchemanticError {
  /** The limit that was exceeded (`requests`, `inputTokens`, ...). */
  readonly limit: string;
  /** The figure that broke it. */
  readonly value: number;
  /** The configured maximum. */
  readonly max: number;

  constructor(limit: string, value: number, max: number) {
    super(`usage limit exceeded: ${limit} would reach ${value}, over the limit of ${max}`);
    this.limit = limit;
    this.value = value;
    this.max = max;
  }
}

/**
 * A request to a model provider failed: the connection failed or timed out, or (as the subclass
 * ModelHTTPError) the provider answered with an HTTP error. Never holds an API key or the
 * request's headers.
 */
export class ModelAPIError extends SchemanticError {
  readonly modelName: string;

  constructor(modelName: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.modelName = modelName;
  }
}

/** A model provider answered with an HTTP error. Holds the provider's body, never the request's headers. */
export class ModelHTTPError extends ModelAPIError {
  readonly status: number;
  readonly body: unknown;

  constructor(status: number, modelName: string, body: unknown, options?: ErrorOptions & { message?: string }) {
    super(modelName, `model ${modelName} answered HTTP ${status}${options?.message ? `: ${options.message}` : ''}`, options);
    this.status = status;
    this.body = body;
  }
}

/**
 * What a model request's or a tool call's span needs of its run's span (so that those spans do
 * not depend on the run span's class, which makes them).
 */
import type { Context } from '@opentelemetry/api';
import type { RequestUsage } from '../../contract/messages.js';
import type { InstrumentationSettings } from '../settings.js';
import type { Instruments } from './instruments.js';

/** The run a child span belongs to. */
export interface RunParent {
  readonly instruments: Instruments;
  /** The run span's context: children start under it. */
  readonly context: Context;
  readonly settings: InstrumentationSettings;
  /** Counts a response's tokens towards the run's. */
  addUsage(usage: RequestUsage): void;
}

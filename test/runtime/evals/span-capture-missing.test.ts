/**
 * startSpanCapture without the OpenTelemetry SDK installed: a UserError that says what to install.
 */
import { describe, expect, it, vi } from 'vitest';
import { UserError } from 'schemantic';
import { startSpanCapture } from 'schemantic/evals';

vi.mock('@opentelemetry/sdk-trace-base', () => {
  throw new Error("Cannot find package '@opentelemetry/sdk-trace-base'");
});

describe('startSpanCapture without the SDK', () => {
  it('throws a UserError naming the packages to install', async () => {
    const capture = startSpanCapture();
    await expect(capture).rejects.toThrow(UserError);
    await expect(capture).rejects.toThrow(
      /^capturing spans \(for span evaluators\) needs OpenTelemetry: npm install @opentelemetry\/api @opentelemetry\/sdk-trace-base/,
    );
  });
});

/**
 * Property: for each example tool, 1,000 random malformed argument payloads (arbitrary JSON,
 * mutations of valid arguments, broken JSON text) never reach the handler; each one goes back to
 * the model as a retry prompt.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineAgent, VERSION, type ToolSpec, type Validator } from 'schemantic';
import { FunctionModel, sampleFromSchema } from 'schemantic/testing';
import { dropOptionalNulls } from '../../runtime/schema/optional-nulls.js';
import { buyTicketsTool } from '../../generated/tools/buy-tickets.js';
import { customerBalanceTool } from '../../generated/tools/customer-balance.js';
import { extractFlightsTool } from '../../generated/tools/extract-flights.js';
import { getLatLngTool } from '../../generated/tools/get-lat-lng.js';
import { getPageContentTool } from '../../generated/tools/get-page-content.js';
import { getWeatherTool } from '../../generated/tools/get-weather.js';
import { listDocumentationPagesTool } from '../../generated/tools/list-documentation-pages.js';
import { retrieveRelevantDocumentationTool } from '../../generated/tools/retrieve-relevant-documentation.js';

const tools = [
  buyTicketsTool,
  customerBalanceTool,
  extractFlightsTool,
  getLatLngTool,
  getPageContentTool,
  getWeatherTool,
  listDocumentationPagesTool,
  retrieveRelevantDocumentationTool,
] as ToolSpec[];

/** Payloads that are malformed for a tool: each is either JSON text that is not JSON, or a value failing the schema. */
function malformed(tool: ToolSpec, validateArgs: Validator<unknown>): fc.Arbitrary<string> {
  const valid = sampleFromSchema(tool.parameters, 1) as Record<string, unknown>;
  const keys = Object.keys(valid);
  const wrongValue = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer()), fc.object());
  const mutated = fc.oneof(
    // a value of the wrong type (or out of range) for one property
    keys.length > 0 ? fc.tuple(fc.constantFrom(...keys), wrongValue).map(([k, v]) => ({ ...valid, [k]: v })) : fc.constant(valid),
    // a required property dropped
    keys.length > 0 ? fc.constantFrom(...keys).map((k) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== k))) : fc.constant(valid),
    // an unknown property added
    fc
      .tuple(
        fc.string({ minLength: 1 }).filter((k) => !keys.includes(k)),
        wrongValue,
      )
      .map(([k, v]) => ({ ...valid, [k]: v })),
    // anything at all
    fc.jsonValue(),
  );
  // A null for an optional property reads as absent (strict-mode models send one), so such a
  // payload can be valid: only values still invalid after that count as malformed.
  const asJson = mutated.filter((value) => !validateArgs(dropOptionalNulls(value, tool.parameters))).map((value) => JSON.stringify(value));
  const brokenText = fc.oneof(
    fc
      .nat({ max: Math.max(0, JSON.stringify(valid).length - 1) })
      .map((n) => JSON.stringify(valid).slice(0, n))
      .filter((t) => t.trim() !== ''),
    // Blank text is not malformed: models send "" for a call without arguments, read as {}.
    fc.string({ minLength: 1 }).filter((t) => {
      if (t.trim() === '') return false;
      try {
        JSON.parse(t);
        return false;
      } catch {
        return true;
      }
    }),
  );
  return fc.oneof({ weight: 4, arbitrary: asJson }, { weight: 1, arbitrary: brokenText });
}

describe('malformed tool arguments', () => {
  it.each(tools.map((t) => [t.name, t] as const))('%s: 1,000 malformed payloads never reach the handler', async (_name, tool) => {
    let reached = 0;
    const agentFor = (payload: string) =>
      defineAgent<undefined, string, undefined>(
        { runtime: `^${VERSION}`, name: 'fuzz', tools: [{ key: 'tool', tool }], delegates: [], output: { kind: 'text' } },
        {
          model: new FunctionModel((messages) =>
            messages.length === 1 ? [{ kind: 'tool-call', toolName: tool.name, args: payload, toolCallId: 'f1' }] : 'done',
          ),
          tools: { tool: () => (reached++, null) },
        },
      );
    await fc.assert(
      fc.asyncProperty(malformed(tool, (await tool.validators()).validateArgs), async (payload) => {
        const result = await agentFor(payload).run('fuzz');
        const answer = result.allMessages()[2];
        return answer?.kind === 'request' && answer.parts[0]?.kind === 'retry-prompt' && answer.parts[0].toolCallId === 'f1';
      }),
      { numRuns: 1000, seed: 42 },
    );
    expect(reached).toBe(0);
  });
});

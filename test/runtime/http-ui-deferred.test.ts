/**
 * Deferred calls over HTTP: a run that stops at calls waiting for approval or for the client, and
 * its resume, as AI SDK UI message stream chunks and as the message the AI SDK's own reader builds
 * from them (the resume continuing that message, as the chat client does); and the same run as SSE.
 */
import type { UIMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import { agent, defineTool, type AgentRunEvent, type DeferredToolResults, type PausedRun } from 'schemantic';
import { deferredResultsFromUIMessages, eventStreamResponse, uiMessageStreamResponse, type UIMessageStreamOptions } from 'schemantic/http';
import { aiSdkMessage, parseSse, streamed, uiChunks } from './http.helpers.js';

const obj = (properties: Record<string, unknown>) => ({ type: 'object', properties, required: Object.keys(properties), additionalProperties: false });

/**
 * A shop agent whose model asks for two refunds (each needs approval), a balance (runs at once)
 * and a quote (an external tool: the client runs it), then answers once it has seen the answers.
 */
function shop() {
  const model = streamed(
    [
      {
        0: { name: 'refund', jsonArgs: '{"amount":25}', toolCallId: 'r1' },
        1: { name: 'refund', jsonArgs: '{"amount":900}', toolCallId: 'r2' },
        2: { name: 'balance', jsonArgs: '{}', toolCallId: 'b1' },
        3: { name: 'quote', jsonArgs: '{"q":"flight"}', toolCallId: 'q1' },
      },
    ],
    ['All ', 'done.'],
  );
  return agent({
    name: 'shop',
    model,
    tools: [
      defineTool<{ amount: number }, string>({
        name: 'refund',
        parameters: obj({ amount: { type: 'number' } }),
        needsApproval: true,
        handler: (_ctx, { amount }) => `refunded ${amount}`,
      }),
      defineTool<Record<string, never>, string>({ name: 'balance', parameters: obj({}), handler: () => '$10.00' }),
      defineTool<{ q: string }, { price: number }>({
        name: 'quote',
        parameters: obj({ q: { type: 'string' } }),
        returns: obj({ price: { type: 'number' } }),
        external: true,
      }),
    ],
  });
}

/** The UI message stream of a run, and the paused state it ended with (if it paused). */
async function uiStream(events: AsyncIterable<AgentRunEvent<unknown>>, options: UIMessageStreamOptions = {}) {
  let paused: PausedRun | undefined;
  async function* watched() {
    for await (const event of events) {
      if (event.kind === 'run-result') paused = event.result.paused();
      yield event;
    }
  }
  const text = await uiMessageStreamResponse(watched(), options).text();
  return { text, chunks: uiChunks(text), paused };
}

/** What the chat client does to a message when the user decides (addToolApprovalResponse) or a client tool returns (addToolOutput). */
function answered(message: UIMessage, answers: Record<string, Record<string, unknown>>): UIMessage {
  const copy = structuredClone(message);
  copy.parts = copy.parts.map((part) => {
    const id = (part as { toolCallId?: string }).toolCallId;
    return id !== undefined && answers[id] ? ({ ...part, ...answers[id] } as typeof part) : part;
  });
  return copy;
}

const user: UIMessage = { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Refund both, check my balance, quote a flight.' }] };

describe('deferred calls in the UI message stream', () => {
  it('shows a paused run: approval requests (AI SDK 6), external calls left at input-available, data-deferred, no error', async () => {
    const { chunks, text, paused } = await uiStream(shop().runStreamEvents('go'), { messageId: 'msg-1' });
    expect(paused?.requests.approvals.map((c) => c.toolCallId)).toEqual(['r1', 'r2']);
    expect(chunks.filter((c) => !c.type.startsWith('tool-input-start') && c.type !== 'tool-input-delta')).toEqual([
      { type: 'start', messageId: 'msg-1' },
      { type: 'start-step' },
      { type: 'tool-input-available', toolCallId: 'r1', toolName: 'refund', input: { amount: 25 } },
      { type: 'tool-input-available', toolCallId: 'r2', toolName: 'refund', input: { amount: 900 } },
      { type: 'tool-input-available', toolCallId: 'b1', toolName: 'balance', input: {} },
      { type: 'tool-input-available', toolCallId: 'q1', toolName: 'quote', input: { q: 'flight' } },
      { type: 'tool-output-available', toolCallId: 'b1', output: '$10.00' },
      { type: 'tool-approval-request', approvalId: 'r1', toolCallId: 'r1' },
      { type: 'tool-approval-request', approvalId: 'r2', toolCallId: 'r2' },
      { type: 'finish-step' },
      // Not data-output: the requests are what the run waits on, not its answer.
      {
        type: 'data-deferred',
        id: 'deferred',
        data: {
          approvals: [
            { toolCallId: 'r1', toolName: 'refund' },
            { toolCallId: 'r2', toolName: 'refund' },
          ],
          calls: [{ toolCallId: 'q1', toolName: 'quote' }],
        },
      },
      { type: 'finish' },
    ]);
    // Nothing of the paused state (its history, its contract) reaches the client.
    expect(text).not.toContain('schemantic.paused-run');
    expect(text).not.toContain('fingerprint');

    const message = (await aiSdkMessage(text))!;
    expect(message.parts).toEqual([
      { type: 'step-start' },
      expect.objectContaining({ type: 'tool-refund', toolCallId: 'r1', state: 'approval-requested', input: { amount: 25 }, approval: { id: 'r1' } }),
      expect.objectContaining({ type: 'tool-refund', toolCallId: 'r2', state: 'approval-requested', input: { amount: 900 }, approval: { id: 'r2' } }),
      expect.objectContaining({ type: 'tool-balance', toolCallId: 'b1', state: 'output-available', output: '$10.00' }),
      expect.objectContaining({ type: 'tool-quote', toolCallId: 'q1', state: 'input-available', input: { q: 'flight' } }),
      expect.objectContaining({ type: 'data-deferred', id: 'deferred' }),
    ]);
  });

  it('continues the message on resume: outcomes of the answered calls (a denial as output-denied), then the new step', async () => {
    const shopAgent = shop();
    const first = await uiStream(shopAgent.runStreamEvents('go'));
    const shown = (await aiSdkMessage(first.text))!;
    // The user approves r1 and denies r2 with a reason; the client ran the quote.
    const posted = answered(shown, {
      r1: { state: 'approval-responded', approval: { id: 'r1', approved: true } },
      r2: { state: 'approval-responded', approval: { id: 'r2', approved: false, reason: 'Too much.' } },
      q1: { state: 'output-available', output: { price: 9 } },
    });
    const results: DeferredToolResults = deferredResultsFromUIMessages([user, posted], first.paused!);
    expect(results).toEqual({ approvals: { r1: true, r2: { approved: false, message: 'Too much.' } }, calls: { q1: { price: 9 } } });

    const resumed = await uiStream(shopAgent.resumeStreamEvents(first.paused!, results), { resumedWith: results });
    const chunks = resumed.chunks;
    // No new tool parts (no tool-input-*: a client tool would run again), no step for them.
    expect(chunks.filter((c) => c.type.startsWith('tool-input'))).toEqual([]);
    const outcomes = chunks.slice(1, 4);
    expect(outcomes).toHaveLength(3);
    expect(outcomes).toEqual(
      expect.arrayContaining([
        { type: 'tool-output-available', toolCallId: 'r1', output: 'refunded 25' },
        { type: 'tool-output-denied', toolCallId: 'r2' },
        { type: 'tool-output-available', toolCallId: 'q1', output: { price: 9 } },
      ]),
    );
    expect(chunks.slice(4)).toEqual([
      { type: 'start-step' },
      { type: 'text-start', id: 'text-1-0' },
      { type: 'text-delta', id: 'text-1-0', delta: 'All ' },
      { type: 'text-delta', id: 'text-1-0', delta: 'done.' },
      { type: 'text-end', id: 'text-1-0' },
      { type: 'finish-step' },
      // The message waits on nothing any more.
      { type: 'data-deferred', id: 'deferred', data: { approvals: [], calls: [] } },
      { type: 'finish' },
    ]);
    expect(chunks[0]).toEqual({ type: 'start' });

    const message = (await aiSdkMessage(resumed.text, undefined, posted))!;
    expect(message.id).toBe(shown.id);
    expect(message.parts).toEqual([
      { type: 'step-start' },
      expect.objectContaining({ toolCallId: 'r1', state: 'output-available', output: 'refunded 25', approval: { id: 'r1', approved: true } }),
      expect.objectContaining({ toolCallId: 'r2', state: 'output-denied', approval: { id: 'r2', approved: false, reason: 'Too much.' } }),
      expect.objectContaining({ toolCallId: 'b1', state: 'output-available' }),
      expect.objectContaining({ toolCallId: 'q1', state: 'output-available', output: { price: 9 } }),
      { type: 'data-deferred', id: 'deferred', data: { approvals: [], calls: [] } },
      { type: 'step-start' },
      expect.objectContaining({ type: 'text', text: 'All done.', state: 'done' }),
    ]);
  });

  it('asks again for the calls a resume left unanswered, in the same message', async () => {
    const shopAgent = shop();
    const first = await uiStream(shopAgent.runStreamEvents('go'));
    const shown = (await aiSdkMessage(first.text))!;
    const posted = answered(shown, { r1: { state: 'approval-responded', approval: { id: 'r1', approved: true } } });
    const results = deferredResultsFromUIMessages([user, posted], first.paused!);
    expect(results).toEqual({ approvals: { r1: true }, calls: {} });
    const again = await uiStream(shopAgent.resumeStreamEvents(first.paused!, results), { resumedWith: results });
    expect(again.chunks).toEqual([
      { type: 'start' },
      { type: 'tool-output-available', toolCallId: 'r1', output: 'refunded 25' },
      { type: 'tool-approval-request', approvalId: 'r2', toolCallId: 'r2' },
      {
        type: 'data-deferred',
        id: 'deferred',
        data: { approvals: [{ toolCallId: 'r2', toolName: 'refund' }], calls: [{ toolCallId: 'q1', toolName: 'quote' }] },
      },
      { type: 'finish' },
    ]);
    expect(again.paused?.requests.approvals.map((c) => c.toolCallId)).toEqual(['r2']);
    const message = (await aiSdkMessage(again.text, undefined, posted))!;
    expect(
      message.parts.filter((p) => p.type.startsWith('tool-')).map((p) => [(p as { toolCallId: string }).toolCallId, (p as { state: string }).state]),
    ).toEqual([
      ['r1', 'output-available'],
      ['r2', 'approval-requested'],
      ['b1', 'output-available'],
      ['q1', 'input-available'],
    ]);
  });

  it('sends AI SDK 5 clients no approval chunks (approvalChunks: false): the requests in data-deferred, a denial as a tool error', async () => {
    const shopAgent = shop();
    const first = await uiStream(shopAgent.runStreamEvents('go'), { approvalChunks: false });
    const types = new Set(first.chunks.map((c) => c.type));
    expect(types.has('tool-approval-request')).toBe(false);
    expect(first.chunks.find((c) => c.type === 'data-deferred')).toMatchObject({ data: { approvals: [{ toolCallId: 'r1' }, { toolCallId: 'r2' }] } });
    // Neither an error nor a call marked "not executed": the calls wait at input-available.
    expect(first.chunks.filter((c) => c.type === 'tool-output-error')).toEqual([]);
    const shown = (await aiSdkMessage(first.text))!;
    expect(shown.parts.filter((p) => p.type === 'tool-refund').map((p) => (p as { state: string }).state)).toEqual(['input-available', 'input-available']);

    const results: DeferredToolResults = { approvals: { r1: true, r2: { approved: false, message: 'Too much.' } }, calls: { q1: { price: 9 } } };
    const resumed = await uiStream(shopAgent.resumeStreamEvents(first.paused!, results), { approvalChunks: false, resumedWith: results });
    expect(resumed.chunks.map((c) => c.type)).not.toContain('tool-output-denied');
    expect(resumed.chunks).toContainEqual({ type: 'tool-output-error', toolCallId: 'r2', errorText: 'Too much.' });
    const message = (await aiSdkMessage(resumed.text, undefined, shown))!;
    expect(message.parts.find((p) => (p as { toolCallId?: string }).toolCallId === 'r2')).toMatchObject({ state: 'output-error', errorText: 'Too much.' });
  });

  it('reads a resume streamed without resumedWith as a new message: new tool parts, the denial as the output the model read', async () => {
    const shopAgent = shop();
    const first = await uiStream(shopAgent.runStreamEvents('go'));
    const results: DeferredToolResults = { approvals: { r1: true, r2: false }, calls: { q1: { price: 9 } } };
    const resumed = await uiStream(shopAgent.resumeStreamEvents(first.paused!, results));
    expect(resumed.chunks.slice(0, 3)).toEqual([{ type: 'start' }, { type: 'start-step' }, { type: 'tool-input-start', toolCallId: 'r1', toolName: 'refund' }]);
    expect(resumed.chunks).toContainEqual({ type: 'tool-output-available', toolCallId: 'r2', output: 'The tool call was denied.' });
    expect(resumed.chunks.map((c) => c.type)).not.toContain('data-deferred');
  });
});

describe('deferred calls as SSE', () => {
  it('sends the pending calls (deferred-tool-requests, then the requests as the output), never the paused state', async () => {
    const text = await eventStreamResponse(shop().runStreamEvents('go')).text();
    const messages = parseSse(text);
    expect(messages.slice(-3).map((m) => m.event)).toEqual(['deferred-tool-requests', 'run-result', 'done']);
    expect(JSON.parse(messages.at(-3)!.data)).toEqual({
      kind: 'deferred-tool-requests',
      requests: {
        kind: 'deferred-tool-requests',
        approvals: [
          { toolName: 'refund', toolCallId: 'r1', args: { amount: 25 } },
          { toolName: 'refund', toolCallId: 'r2', args: { amount: 900 } },
        ],
        calls: [{ toolName: 'quote', toolCallId: 'q1', args: { q: 'flight' } }],
      },
    });
    expect((JSON.parse(messages.at(-2)!.data) as { output: unknown }).output).toMatchObject({ kind: 'deferred-tool-requests' });
    expect(text).not.toContain('schemantic.paused-run');
    expect(text).not.toContain('fingerprint');
  });
});

/**
 * The models `npm start` runs on without a provider key: scripted demo models (FunctionModel) that
 * do what a real model would do with these agents, and answer from what the tools really returned.
 * They stand in for a provider so that the demo shows the agents, tools and typed outputs working
 * together; the built-in test model would fill outputs with random schema-valid samples instead.
 */
import type { ModelMessage, ResponsePart, ToolReturnPart } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';

/** The tool returns of the run so far, by tool name, in order. */
function returns(messages: readonly ModelMessage[], tool: string): ToolReturnPart[] {
  return messages.flatMap((m) => (m.kind === 'request' ? m.parts.filter((p): p is ToolReturnPart => p.kind === 'tool-return' && p.toolName === tool) : []));
}

/** A tool call part with a fresh id. */
function call(toolName: string, args: Record<string, unknown>, id: string): ResponsePart {
  return { kind: 'tool-call', toolName, args, toolCallId: id };
}

/** The weather agent's demo: locate both places, ask for their weather, then report it. */
export const weatherDemoModel = new FunctionModel(
  (messages) => {
    const places = ['London', 'Wiltshire'];
    const located = returns(messages, 'get_lat_lng');
    if (located.length === 0) return places.map((place, i) => call('get_lat_lng', { location_description: place }, `locate-${i}`));
    const weather = returns(messages, 'get_weather');
    if (weather.length === 0) return located.map((r, i) => call('get_weather', r.content as Record<string, unknown>, `weather-${i}`));
    return places.map((place, i) => `${place}: ${JSON.stringify(weather[i]?.content)}`).join('; ');
  },
  { name: 'weather-demo' },
);

/** The bank support agent's demo: look the balance up, then advise from it. */
export const bankSupportDemoModel = new FunctionModel(
  (messages, info) => {
    const balance = returns(messages, 'customer_balance')[0];
    if (!balance) return [call('customer_balance', { include_pending: true }, 'balance-0')];
    const output = info.outputTools[0]!.name;
    return [
      call(output, { support_advice: `Your balance, pending payments included, is ${String(balance.content)}.`, block_card: false, risk: 1 }, 'answer-0'),
    ];
  },
  { name: 'bank-support-demo' },
);

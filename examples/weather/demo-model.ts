/**
 * The model the weather example runs on without a provider key: a scripted FunctionModel that does
 * what a real model does with the weather agent. It reads the places from the question ("... in
 * London and in Wiltshire?"), calls `get_lat_lng` for each, then `get_weather` for each place
 * found, and answers in one sentence from what the tools really returned - so the answer changes
 * with the recordings, or with the live APIs when their keys are set.
 */
import type { ModelMessage, ResponsePart, RetryPromptPart, ToolReturnPart } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';
import type { GetWeatherReturn } from '../../generated/agents/weather.js';

/**
 * The places a question asks about: what follows its first "in", split at commas and "and"
 * (`What is the weather like in Paris, Tokyo and in Atlantis?` gives Paris, Tokyo, Atlantis).
 */
export function placesAsked(question: string): string[] {
  const after = /\bin\s+(.+)$/is.exec(question.trim())?.[1] ?? '';
  return after
    .replace(/[?.!]+\s*$/, '')
    .split(/\s*(?:,|;|\band\b)\s*/i)
    .map((p) => p.replace(/^in\s+/i, '').trim())
    .filter((p) => p !== '');
}

/** The demo model (stateless: every step is worked out from the messages). */
export const demoModel = new FunctionModel(
  (messages) => {
    const { question, called, results } = readRun(messages);
    const places = placesAsked(question);
    if (places.length === 0) return 'Ask me about the weather somewhere, such as: "What is the weather like in London?"';
    // Step 1: locate every place at once (the runtime runs the calls of one response concurrently).
    if (!called.has('locate-0')) return places.map((place, i) => call('get_lat_lng', { location_description: place }, `locate-${i}`));
    // Step 2: the weather of each place found.
    const next = places.flatMap((_, i) => {
      const located = results.get(`locate-${i}`);
      return located?.kind === 'tool-return' && !called.has(`weather-${i}`)
        ? [call('get_weather', located.content as Record<string, unknown>, `weather-${i}`)]
        : [];
    });
    if (next.length > 0) return next;
    // Step 3: one sentence, as the agent's instructions ask.
    return sentence(places.map((place, i) => clause(place, results.get(`locate-${i}`), results.get(`weather-${i}`))));
  },
  { name: 'weather-demo' },
);

/** The question, the tool call ids answered so far (by the model), and each call's result. */
function readRun(messages: readonly ModelMessage[]): { question: string; called: Set<string>; results: Map<string, ToolReturnPart | RetryPromptPart> } {
  let question = '';
  const called = new Set<string>();
  const results = new Map<string, ToolReturnPart | RetryPromptPart>();
  for (const message of messages) {
    for (const part of message.parts) {
      if (part.kind === 'user-prompt' && typeof part.content === 'string') question = part.content;
      else if (part.kind === 'tool-call') called.add(part.toolCallId);
      else if ((part.kind === 'tool-return' || part.kind === 'retry-prompt') && part.toolCallId !== undefined) results.set(part.toolCallId, part);
    }
  }
  return { question, called, results };
}

/** What to say about one place. */
function clause(place: string, located: ToolReturnPart | RetryPromptPart | undefined, weather: ToolReturnPart | RetryPromptPart | undefined): string {
  if (located?.kind !== 'tool-return') return `I could not find ${place}`;
  if (weather?.kind !== 'tool-return') return `I could not get the weather in ${place}`;
  const { temperature, description } = weather.content as GetWeatherReturn;
  return `in ${place} it feels like ${temperature} (${description})`;
}

/** Clauses joined into one sentence: "a, b, and c." with a capital first letter. */
function sentence(clauses: string[]): string {
  const joined = clauses.length <= 2 ? clauses.join(' and ') : `${clauses.slice(0, -1).join(', ')}, and ${clauses.at(-1)}`;
  return `${joined.charAt(0).toUpperCase()}${joined.slice(1)}.`;
}

function call(toolName: string, args: Record<string, unknown>, toolCallId: string): ResponsePart {
  return { kind: 'tool-call', toolName, args, toolCallId };
}

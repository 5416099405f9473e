/**
 * The scripted models the shipped datasets run on without a provider key (`npm run eval`). Each
 * stands in for a real model the way examples/demo-models.ts does, deciding from the prompt, so
 * that the evaluators have something real to check; with `--model openai:gpt-4o` (and a key) the
 * same datasets judge a real model instead.
 */
import type { ModelMessage, ResponsePart, ToolReturnPart } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';
import { latestPrompt } from '../examples/latest-prompt.js';

/** The first tool return of `tool` in the run so far. */
function returned(messages: readonly ModelMessage[], tool: string): ToolReturnPart | undefined {
  for (const message of messages) {
    if (message.kind !== 'request') continue;
    for (const part of message.parts) if (part.kind === 'tool-return' && part.toolName === tool) return part;
  }
  return undefined;
}

/** The customer's name, from the instructions (`The customer's name is John.`). */
function customerName(messages: readonly ModelMessage[]): string {
  for (const message of messages) {
    if (message.kind === 'request' && message.instructions) {
      const name = /customer's name is ([^.]+)\./.exec(message.instructions)?.[1];
      if (name) return name;
    }
  }
  return 'there';
}

/** Bank support: a lost or stolen card is blocked at once (high risk); anything else is answered from the balance. */
export const bankSupportEvalModel = new FunctionModel(
  (messages, info): ResponsePart[] => {
    const name = customerName(messages);
    const output = info.outputTools[0]!.name;
    if (/\b(lost|stolen)\b/i.test(latestPrompt(messages)))
      return [
        {
          kind: 'tool-call',
          toolName: output,
          args: { support_advice: `${name}, I have blocked your card. Order a new one in the app.`, block_card: true, risk: 8 },
          toolCallId: 'answer',
        },
      ];
    const balance = returned(messages, 'customer_balance');
    if (!balance) return [{ kind: 'tool-call', toolName: 'customer_balance', args: { include_pending: true }, toolCallId: 'balance' }];
    const advice = `Hello ${name}, your balance, pending payments included, is ${String(balance.content)}.`;
    return [{ kind: 'tool-call', toolName: output, args: { support_advice: advice, block_card: false, risk: 1 }, toolCallId: 'answer' }];
  },
  { name: 'bank-support-eval' },
);

/** SQL generation: a query when the request names records to find, else a request for more. */
export const sqlGenEvalModel = new FunctionModel(
  (messages): ResponsePart[] => {
    const prompt = latestPrompt(messages).toLowerCase();
    const answer = (member: string, args: object): ResponsePart[] => [{ kind: 'tool-call', toolName: `final_result_${member}`, args, toolCallId: 'answer' }];
    if (prompt.includes('error') && prompt.includes('yesterday'))
      return answer('Success', { sql_query: "SELECT * FROM records WHERE level = 'error' AND start_timestamp::date = CURRENT_DATE - INTERVAL '1 day'" });
    if (prompt.includes('exception'))
      return answer('Success', {
        sql_query: "SELECT DISTINCT service_name FROM records WHERE is_exception AND start_timestamp >= now() - INTERVAL '1 hour'",
        explanation: 'Services with an exception record in the last hour.',
      });
    return answer('InvalidRequest', { error_message: 'Say which records you want: a level, a time range, a service or a message.' });
  },
  { name: 'sql-gen-eval' },
);

/** Weather: locate each place the prompt names, ask for its weather, answer in one sentence. */
export const weatherEvalModel = new FunctionModel(
  (messages): ResponsePart[] | string => {
    const places = ['London', 'Wiltshire', 'Paris'].filter((place) => latestPrompt(messages).includes(place));
    if (!returned(messages, 'get_lat_lng'))
      return places.map((place, i) => ({ kind: 'tool-call', toolName: 'get_lat_lng', args: { location_description: place }, toolCallId: `locate-${i}` }));
    const located = messages.flatMap((m) =>
      m.kind === 'request' ? m.parts.filter((p): p is ToolReturnPart => p.kind === 'tool-return' && p.toolName === 'get_lat_lng') : [],
    );
    if (!returned(messages, 'get_weather'))
      return located.map((r, i) => ({ kind: 'tool-call', toolName: 'get_weather', args: r.content as Record<string, unknown>, toolCallId: `weather-${i}` }));
    return `It is 21 °C and sunny in ${places.join(' and in ')}.`;
  },
  { name: 'weather-eval' },
);

/**
 * A stand-in judge: scores the share of the rubric's longer words the output uses, and passes
 * from half of them. Crude on purpose: it shows where a judge's verdict lands in the report; a
 * real judge (`--judge-model openai:gpt-4o-mini`) reads the rubric for meaning.
 */
export const judgeEvalModel = new FunctionModel(
  (messages, info): ResponsePart[] => {
    const prompt = latestPrompt(messages);
    const rubric = /<rubric>([\s\S]*?)<\/rubric>/.exec(prompt)?.[1] ?? '';
    const output = (/<output>([\s\S]*?)<\/output>/.exec(prompt)?.[1] ?? '').toLowerCase();
    const words = [...new Set(rubric.toLowerCase().match(/[a-z]{5,}/g) ?? [])];
    const found = words.filter((w) => output.includes(w.slice(0, 5)));
    const score = words.length === 0 ? 0 : Math.round((found.length / words.length) * 100) / 100;
    const verdict = {
      pass: score >= 0.5,
      score,
      reason: `The output uses ${found.length} of the rubric's ${words.length} key words (${found.join(', ') || 'none'}).`,
    };
    return [{ kind: 'tool-call', toolName: info.outputTools[0]!.name, args: verdict, toolCallId: 'verdict' }];
  },
  { name: 'judge-eval' },
);

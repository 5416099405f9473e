/**
 * The handler of the chat agent's one tool, `current_time`: the local date and time in an IANA
 * time zone, read from this machine's clock with the time zone data Node ships (no network).
 */
import { ModelRetry } from 'schemantic';
import type { ChatTools, CurrentTimeArgs, CurrentTimeReturn } from '../../generated/agents/chat.js';

/** `current_time` at the instant `now()` gives; a zone Node does not know goes back to the model as a retry. */
export function currentTime({ time_zone }: CurrentTimeArgs, now: () => Date = () => new Date()): CurrentTimeReturn {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: time_zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
  } catch {
    throw new ModelRetry(`unknown time zone ${JSON.stringify(time_zone)}: use an IANA name such as "Europe/Paris" or "UTC"`);
  }
  const part = Object.fromEntries(format.formatToParts(now()).map((p) => [p.type, p.value]));
  return { time_zone: format.resolvedOptions().timeZone, local_time: `${part['year']}-${part['month']}-${part['day']} ${part['hour']}:${part['minute']}` };
}

/** The tools of the chat agent (`createChatAgent({ tools })`), on the given clock. */
export function chatTools(now?: () => Date): ChatTools<undefined> {
  return { currentTime: (_ctx, args) => currentTime(args, now) };
}

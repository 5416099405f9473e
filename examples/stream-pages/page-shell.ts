/**
 * What the two stream pages share: the frame of the page (style, a prompt form, a status line) and
 * the script that reads `GET /events` as Server-Sent Events. The script reads the stream with
 * fetch rather than EventSource: a refused prompt (400) then shows the server's message, and a
 * finished stream is not reconnected.
 */

/**
 * Browser JavaScript defining `readEvents(url, onEvent)`: fetches `url`, calls `onEvent(kind, data)`
 * for each SSE message as it arrives (data parsed as JSON), and resolves when the stream ends. A
 * response that is not 200 rejects with the server's `{ "error": "..." }` message.
 */
export const SSE_CLIENT_SCRIPT = String.raw`
async function readEvents(url, onEvent) {
  const response = await fetch(url, { headers: { accept: 'text/event-stream' } });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(body.error || 'the server answered ' + response.status);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    // A message ends at a blank line; a read may hold several, or half of one.
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let kind = 'message';
      const data = [];
      for (const line of message.split('\n')) {
        if (line.startsWith('event:')) kind = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
      }
      onEvent(kind, JSON.parse(data.join('\n') || 'null'));
    }
  }
}
`;

/** The parts of a page that differ. */
export interface PageParts {
  /** The title (text, no markup). */
  title: string;
  /** A line under the title (HTML). */
  intro: string;
  /** The prompt box's first value. */
  prompt: string;
  /** Where the answer shows (HTML). */
  body: string;
  /** Extra style rules. */
  style?: string;
  /** The page's script (its text; {@link SSE_CLIENT_SCRIPT} is put first). */
  script: string;
  /** Load the script as an ES module (to import the files the server serves). */
  module?: boolean;
}

/**
 * A whole page: title, intro, the prompt form (`#ask`, `#prompt`, a submit button), the status line
 * (`#status`), then `body` and the script.
 */
export function pageHtml(parts: PageParts): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${parts.title}</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; max-width: 64rem; margin: 2rem auto; padding: 0 1rem; color: #1d2330; }
  form { display: flex; gap: .5rem; margin: 1rem 0; }
  #prompt { flex: 1; padding: .4rem .6rem; font: inherit; }
  button { padding: .4rem 1rem; font: inherit; cursor: pointer; }
  #status { color: #5b6475; min-height: 1.5em; }
  #status.failed { color: #b3261e; }
  ${parts.style ?? ''}
</style>
</head>
<body>
<h1>${parts.title}</h1>
<p>${parts.intro}</p>
<form id="ask">
  <input id="prompt" name="prompt" maxlength="2000" autocomplete="off" value="${parts.prompt.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`)}" aria-label="Prompt">
  <button type="submit">Ask</button>
</form>
<p id="status" role="status"></p>
${parts.body}
<script${parts.module ? ' type="module"' : ''}>${SSE_CLIENT_SCRIPT}${parts.script}</script>
</body>
</html>
`;
}

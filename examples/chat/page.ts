/**
 * The chat page `GET /` answers with (examples/chat/server.ts): plain HTML, a little CSS and one
 * module script (page-script.ts), no build step. The page's Content-Security-Policy lets only this
 * server's scripts and the page's own (by nonce) run, and loads nothing from elsewhere: a second
 * wall behind DOMPurify, should a model's markdown ever get HTML past it.
 */
import { PAGE_SCRIPT } from './page-script.js';

/** The page's Content-Security-Policy for a response whose inline script and style carry `nonce`. */
export function pageSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The page, its inline script and style marked with `nonce` (a fresh one per response). */
export function chatPage(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Schemantic chat</title>
<link rel="icon" href="data:,">
<style nonce="${nonce}">
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
  header { display: flex; justify-content: space-between; align-items: baseline; }
  #conversation { list-style: none; padding: 0; }
  #conversation > li { margin: 1rem 0; padding: .6rem .8rem; border-radius: .5rem; }
  li.user { background: #eef3ff; white-space: pre-wrap; }
  li.user::before { content: 'You'; display: block; font-weight: 600; }
  li.assistant { background: #f6f6f6; }
  li.assistant::before { content: 'Assistant'; display: block; font-weight: 600; }
  li.assistant[data-state="streaming"] .answer::after { content: ' ▍'; color: #888; }
  .tools { list-style: none; padding: 0; margin: .3rem 0; font-size: 14px; color: #444; }
  .tool .name { font-weight: 600; margin-right: .4rem; }
  .tool .result::before { content: ' → '; }
  .tool[data-state="error"] .result { color: #a00; }
  .answer blockquote { margin: .4rem 0; padding-left: .8rem; border-left: 3px solid #ccc; color: #555; }
  .follow-ups { display: flex; flex-wrap: wrap; gap: .4rem; }
  .follow-up { font: inherit; font-size: 14px; padding: .2rem .6rem; border: 1px solid #99b; border-radius: 1rem; background: #fff; cursor: pointer; }
  .error { color: #a00; margin: 0; }
  .error:empty { display: none; }
  form { display: flex; gap: .5rem; align-items: flex-end; }
  textarea { flex: 1; font: inherit; padding: .4rem; min-height: 3rem; }
  #status { color: #666; }
</style>
<header>
  <h1>Chat</h1>
  <button id="new-chat" type="button">New chat</button>
</header>
<p>Replies stream in as they are written and the conversation is stored on the server: reload the
page and it is still here. Ask about the time somewhere to see a tool call.</p>
<ol id="conversation" aria-live="polite"></ol>
<p id="status" role="status"></p>
<form id="ask">
  <textarea id="prompt" maxlength="4000" placeholder="Ask a question (Enter sends, Shift+Enter for a new line)" autofocus></textarea>
  <button id="send">Send</button>
</form>
<script type="module" nonce="${nonce}">${PAGE_SCRIPT}</script>
</html>
`;
}

/**
 * The page of `npm run serve:stream-markdown`: a prompt box and the answer, rendered as markdown
 * as it streams (text `part-start` and `part-delta` events appended, the whole text rendered again
 * at most once a frame). The final text comes with `run-result`.
 *
 * A model's answer is untrusted HTML once rendered: it can quote a user, a web page or a tool.
 * So `marked`'s HTML goes through DOMPurify before it reaches the page (no `<script>`, no event
 * handler attributes, no `javascript:` links), and the server's Content-Security-Policy would stop
 * an inline script or handler that got through anyway. Both libraries are served by this server
 * from node_modules (`/vendor/...`), as ES modules: the page needs no CDN and no network.
 */
import { pageHtml } from '../stream-pages/page-shell.js';
import { DEFAULT_PROMPT } from './default-prompt.js';

/** Where the page loads marked's browser ES module from. */
export const MARKED_ROUTE = '/vendor/marked.esm.js';

/** Where the page loads DOMPurify's browser ES module from. */
export const DOMPURIFY_ROUTE = '/vendor/purify.es.mjs';

const SCRIPT = String.raw`
import { marked } from '${MARKED_ROUTE}';
import DOMPurify from '${DOMPURIFY_ROUTE}';

const form = document.getElementById('ask');
const input = document.getElementById('prompt');
const status = document.getElementById('status');
const answer = document.getElementById('answer');
let text = '';
let frame = 0;
// Beyond scripts and handlers (DOMPurify's defaults): no media, frames, forms or inline styles, so
// the model cannot load remote images (a tracking pixel) or draw a fake form over the page.
const PURIFY = {
  FORBID_TAGS: ['img', 'picture', 'source', 'video', 'audio', 'iframe', 'object', 'embed', 'form', 'input', 'button', 'textarea', 'select', 'style', 'svg', 'math'],
  FORBID_ATTR: ['style'],
};

// Markdown -> HTML -> sanitised HTML: nothing the model wrote runs in this page.
function render() {
  frame = 0;
  answer.innerHTML = DOMPurify.sanitize(marked.parse(text, { async: false, gfm: true }), PURIFY);
}

// At most one render per frame: deltas can come faster than the screen redraws.
function schedule() {
  if (!frame) frame = requestAnimationFrame(render);
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const prompt = input.value.trim();
  if (!prompt) {
    status.textContent = 'Type a question first.';
    return;
  }
  const button = form.querySelector('button');
  button.disabled = true;
  status.className = '';
  status.textContent = 'Asking…';
  text = '';
  render();
  let pieces = 0;
  try {
    await readEvents('/events?prompt=' + encodeURIComponent(prompt), (kind, data) => {
      if (kind === 'part-start' && data.part.kind === 'text') text += data.part.content;
      else if (kind === 'part-delta' && data.delta.kind === 'text') text += data.delta.content;
      else if (kind === 'run-result') {
        if (frame) cancelAnimationFrame(frame);
        text = data.output;
        render();
        status.textContent = 'Done: ' + text.length + ' characters in ' + pieces + ' pieces, ' + data.usage.totalTokens + ' tokens.';
        return;
      } else if (kind === 'error') throw new Error(data.message);
      else return;
      pieces++;
      status.textContent = 'Streaming: ' + text.length + ' characters so far';
      schedule();
    });
  } catch (err) {
    status.className = 'failed';
    status.textContent = 'Failed: ' + err.message;
  } finally {
    button.disabled = false;
  }
});
`;

/** The page's HTML. */
export const MARKDOWN_PAGE = pageHtml({
  title: 'Stream markdown',
  intro: 'The markdown_writer agent answers in markdown; the answer is rendered (and sanitised) as it streams in.',
  prompt: DEFAULT_PROMPT,
  body: '<article id="answer"></article>',
  style: `
  #answer { border-top: 1px solid #dde1e8; padding-top: .5rem; }
  #answer pre { background: #f5f7fa; padding: .75rem; overflow-x: auto; }
  #answer code { font: 13px/1.45 ui-monospace, monospace; }
  #answer blockquote { color: #5b6475; border-left: 3px solid #dde1e8; margin-left: 0; padding-left: .75rem; }`,
  script: SCRIPT,
  module: true,
});

/**
 * The page of `npm run serve:stream-whales`: a prompt box and a table of whales that gains a row as
 * each whale begins to stream and fills its cells as their values arrive (`partial-output` events:
 * the output so far, at most one every 100 ms). The final, validated output comes with
 * `run-result` and is drawn last. Cells are set as text, never as HTML: what a model writes is
 * data here.
 */
import { pageHtml } from '../stream-pages/page-shell.js';
import { DEFAULT_PROMPT } from './default-prompt.js';

const SCRIPT = String.raw`
const form = document.getElementById('ask');
const input = document.getElementById('prompt');
const status = document.getElementById('status');
const table = document.getElementById('whales');
const rows = table.tBodies[0];
const PENDING = '…';

function number(value) {
  return typeof value === 'number' ? value.toLocaleString('en-US', { maximumFractionDigits: 1 }) : undefined;
}

// Brings the table to the whales so far: rows added as whales begin, cells updated in place.
function draw(whales, final) {
  if (!Array.isArray(whales)) return;
  while (rows.rows.length > whales.length) rows.deleteRow(-1);
  whales.forEach((whale, i) => {
    const row = rows.rows[i] || rows.insertRow();
    while (row.cells.length < 6) row.insertCell();
    const cells = [String(i + 1), whale.name, number(whale.length), number(whale.weight), whale.ocean, whale.description];
    cells.forEach((text, c) => {
      const cell = row.cells[c];
      const missing = text === undefined || text === '';
      cell.textContent = missing ? (final ? '-' : PENDING) : text;
      cell.classList.toggle('pending', missing && !final);
    });
    row.classList.toggle('streaming', !final && i === whales.length - 1);
  });
  table.caption.textContent = final ? 'Species of whale: ' + whales.length : 'Species of whale: ' + whales.length + ' so far, streaming…';
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
  draw([], false);
  let updates = 0;
  try {
    await readEvents('/events?prompt=' + encodeURIComponent(prompt), (kind, data) => {
      if (kind === 'partial-output') {
        updates++;
        status.textContent = 'Streaming: ' + updates + ' updates so far';
        draw(data.output, false);
      } else if (kind === 'run-result') {
        draw(data.output, true);
        status.textContent = 'Done: ' + data.output.length + ' species after ' + updates + ' partial updates, ' + data.usage.totalTokens + ' tokens.';
      } else if (kind === 'error') {
        throw new Error(data.message);
      }
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
export const WHALES_PAGE = pageHtml({
  title: 'Stream whales',
  intro:
    'The whales agent answers with a list of whale species (structured output, checked against the <code>Whale</code> schema). ' +
    'The table grows row by row as the list streams in; "…" marks a value still on its way.',
  prompt: DEFAULT_PROMPT,
  body: `<table id="whales">
  <caption></caption>
  <thead><tr><th>#</th><th>Name</th><th>Avg. length (m)</th><th>Avg. weight (kg)</th><th>Ocean</th><th>Description</th></tr></thead>
  <tbody></tbody>
</table>`,
  style: `
  table { border-collapse: collapse; width: 100%; }
  caption { text-align: left; font-weight: 600; padding: .3rem 0; }
  th, td { border-bottom: 1px solid #dde1e8; padding: .3rem .5rem; text-align: left; vertical-align: top; }
  td:nth-child(1), td:nth-child(3), td:nth-child(4) { text-align: right; font-variant-numeric: tabular-nums; }
  td.pending { color: #9aa3b2; }
  tr.streaming { background: #f3f7ff; }`,
  script: SCRIPT,
});

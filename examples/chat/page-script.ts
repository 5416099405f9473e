/**
 * The script of the chat page (examples/chat/page.ts), as text: a browser module, no build step.
 * Written without template literals, so that it sits in a `String.raw` template as it is.
 */

/**
 * Loads the stored conversation of the chat in the URL (`#chat=<uuid>`, else the one kept in
 * localStorage, else a new one), posts each question as `{ prompt }` and reads the reply's UI message
 * stream itself (Server-Sent Events, `data: {json}` frames): tool calls as they start, their
 * arguments and results, and the `data-output` part, the structured reply so far, re-rendered each
 * time it comes. The model's markdown goes through marked, then DOMPurify; everything else the
 * server sends is set as text.
 */
export const PAGE_SCRIPT = String.raw`
import { marked } from '/vendor/marked.esm.js';
import DOMPurify from '/vendor/purify.es.mjs';

const conversation = document.getElementById('conversation');
const form = document.getElementById('ask');
const promptBox = document.getElementById('prompt');
const sendButton = document.getElementById('send');
const statusLine = document.getElementById('status');
const STORAGE_KEY = 'schemantic-chat-id';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// No images or embedded content from the model: an image URL it writes could carry the
// conversation to any server. No forms or inline styles either.
const PURIFY = {
  FORBID_TAGS: ['img', 'picture', 'source', 'video', 'audio', 'iframe', 'object', 'embed', 'form', 'input', 'button', 'textarea', 'select', 'style', 'svg', 'math'],
  FORBID_ATTR: ['style'],
};
DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A' && node.hasAttribute('href')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

let chatId = pickChatId();
let busy = false;

function pickChatId() {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('chat');
  const stored = localStorage.getItem(STORAGE_KEY);
  const id = UUID.test(fromHash || '') ? fromHash.toLowerCase() : UUID.test(stored || '') ? stored : crypto.randomUUID();
  localStorage.setItem(STORAGE_KEY, id);
  if (fromHash !== id) history.replaceState(null, '', '#chat=' + id);
  return id;
}

function markdown(text) {
  return DOMPurify.sanitize(marked.parse(text, { async: false, gfm: true }), PURIFY);
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function addUser(text) {
  const item = element('li', 'user');
  item.append(element('div', 'text', text));
  conversation.append(item);
  return item;
}

function addReply() {
  const item = element('li', 'assistant');
  item.append(element('ul', 'tools'), element('div', 'answer'), element('div', 'follow-ups'), element('p', 'error'));
  conversation.append(item);
  return item;
}

function addTool(reply, id, name) {
  const tool = element('li', 'tool');
  tool.dataset.toolCallId = id;
  tool.dataset.state = 'input';
  tool.append(element('span', 'name', name), element('code', 'args'), element('code', 'result', '…'));
  reply.querySelector('.tools').append(tool);
  return tool;
}

function json(value) {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function settleTool(tool, state, text) {
  tool.dataset.state = state;
  tool.querySelector('.result').textContent = text;
}

function renderOutput(reply, output) {
  if (!output || typeof output.answer !== 'string') return;
  reply.querySelector('.answer').innerHTML = markdown(output.answer);
  const buttons = (Array.isArray(output.follow_ups) ? output.follow_ups : [])
    .filter((q) => typeof q === 'string' && q !== '')
    .map((q) => {
      const button = element('button', 'follow-up', q);
      button.type = 'button';
      button.disabled = busy;
      return button;
    });
  reply.querySelector('.follow-ups').replaceChildren(...buttons);
}

function showStored(item) {
  if (item.role === 'user') return addUser(item.text);
  const reply = addReply();
  for (const call of item.tools) {
    const tool = addTool(reply, call.id, call.name);
    tool.querySelector('.args').textContent = json(call.args);
    if ('result' in call) settleTool(tool, 'done', json(call.result));
    else settleTool(tool, 'error', call.error || 'no result');
  }
  renderOutput(reply, { answer: item.answer, follow_ups: item.followUps });
  reply.dataset.state = 'done';
}

async function load() {
  conversation.replaceChildren();
  document.body.dataset.loaded = 'false';
  statusLine.textContent = 'Loading the conversation…';
  const response = await fetch('/chat/' + chatId + '/messages');
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || 'the server answered ' + response.status);
  body.messages.forEach(showStored);
  statusLine.textContent = body.messages.length ? '' : 'A new chat: ask anything.';
  document.body.dataset.loaded = 'true';
}

// One chunk of the UI message stream, applied to the reply being written.
function apply(chunk, reply, tools) {
  const tool = tools.get(chunk.toolCallId);
  switch (chunk.type) {
    case 'tool-input-start':
      tools.set(chunk.toolCallId, { node: addTool(reply, chunk.toolCallId, chunk.toolName), input: '' });
      break;
    case 'tool-input-delta':
      if (!tool) break;
      tool.input += chunk.inputTextDelta;
      tool.node.querySelector('.args').textContent = tool.input;
      break;
    case 'tool-input-available':
      if (!tool) break;
      tool.node.querySelector('.args').textContent = json(chunk.input);
      settleTool(tool.node, 'running', 'running…');
      break;
    case 'tool-output-available':
      if (tool) settleTool(tool.node, 'done', json(chunk.output));
      break;
    case 'tool-input-error':
    case 'tool-output-error':
      if (tool) settleTool(tool.node, 'error', chunk.errorText);
      break;
    case 'data-output':
      renderOutput(reply, chunk.data);
      break;
    case 'text-delta':
      // An agent that answers in plain text (not this one) would stream it here.
      reply.dataset.text = (reply.dataset.text || '') + chunk.delta;
      reply.querySelector('.answer').innerHTML = markdown(reply.dataset.text);
      break;
    case 'error':
      reply.querySelector('.error').textContent = chunk.errorText + ' Nothing of this turn was stored: send it again.';
      break;
  }
}

// Reads the reply's stream to its end; true when it finished (a 'finish' chunk came).
async function follow(response, reply) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const tools = new Map();
  let buffer = '';
  let finished = false;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    buffer += read.value;
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = frame.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
      if (data === '' || data === '[DONE]') continue;
      const chunk = JSON.parse(data);
      if (chunk.type === 'finish') finished = true;
      apply(chunk, reply, tools);
    }
  }
  return finished;
}

function setBusy(on) {
  busy = on;
  document.body.dataset.busy = String(on);
  sendButton.disabled = on;
  for (const button of conversation.querySelectorAll('button.follow-up')) button.disabled = on;
}

async function send(text) {
  const prompt = text.trim();
  if (busy || prompt === '') return;
  setBusy(true);
  statusLine.textContent = '';
  addUser(prompt);
  const reply = addReply();
  reply.dataset.state = 'streaming';
  promptBox.value = '';
  reply.scrollIntoView({ block: 'end' });
  let finished = false;
  try {
    const response = await fetch('/chat/' + chatId, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt }) });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      reply.querySelector('.error').textContent = (body.error || 'the server answered ' + response.status) + '.';
    } else finished = await follow(response, reply);
  } catch (err) {
    reply.querySelector('.error').textContent = 'The connection was lost (' + err.message + '). Nothing of this turn was stored: send it again.';
  }
  reply.dataset.state = finished ? 'done' : 'error';
  // A turn that did not finish is not stored: its question goes back to the box to send again.
  if (!finished) promptBox.value = prompt;
  setBusy(false);
  promptBox.focus();
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  send(promptBox.value);
});
promptBox.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    form.requestSubmit();
  }
});
conversation.addEventListener('click', (event) => {
  const button = event.target.closest('button.follow-up');
  if (button) send(button.textContent);
});
document.getElementById('new-chat').addEventListener('click', () => {
  if (busy) return;
  localStorage.removeItem(STORAGE_KEY);
  history.replaceState(null, '', '#');
  chatId = pickChatId();
  load().catch(showLoadError);
});
window.addEventListener('hashchange', () => {
  if (busy) return;
  chatId = pickChatId();
  load().catch(showLoadError);
});

function showLoadError(err) {
  statusLine.textContent = 'Could not load the conversation: ' + err.message;
}

load().catch(showLoadError);
`;

/**
 * The page `npm run serve` answers `GET /` with (examples/server.ts): plain HTML and a script, no
 * build step.
 */

/**
 * The page: runs an agent through /events and shows its text, tool calls and output as they come
 * (a structured output as it fills in, from the `partial-output` events).
 * A run that stops at calls waiting for approval shows each with Approve and Deny (and a reason
 * for a denial); once every call is decided the page posts `{ id, decisions }` to /resume and
 * shows the rest of the run. Everything a run sends is shown as text, never as HTML.
 *
 * The streams are read with fetch, not EventSource: the page needs the `x-run-id` header (the
 * server's id of a paused run) and POSTs the decisions, which EventSource can do neither of.
 */
export const PAGE = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>Schemantic: streamed runs</title>
<link rel="icon" href="data:,">
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
  form { display: flex; gap: .5rem; } #ask input { flex: 1; padding: .4rem; }
  #text { white-space: pre-wrap; min-height: 3rem; padding: .5rem; background: #f4f4f4; }
  #log { color: #555; font-size: 14px; } pre { white-space: pre-wrap; }
  #pending li { margin: .5rem 0; padding: .5rem; border: 1px solid #c90; background: #fff8e6; list-style: none; }
  #pending code { display: block; margin-bottom: .4rem; }
</style>
<h1>Schemantic: a run, as it streams</h1>
<form id="ask">
  <select id="agent"><option>weather</option><option>whales</option><option>refunds</option></select>
  <input id="prompt" value="What is the weather like in London?" autofocus>
  <button>Run</button>
</form>
<p id="text"></p>
<ul id="log"></ul>
<ul id="pending"></ul>
<pre id="output"></pre>
<script>
  const $ = (id) => document.getElementById(id);
  const log = (line) => { const li = document.createElement('li'); li.textContent = line; $('log').append(li); };
  let reading; // the AbortController of the stream being read

  // Reads a run's Server-Sent Events (event: <kind>, data: <json>, a blank line after each).
  async function follow(url, init) {
    reading?.abort();
    const controller = (reading = new AbortController());
    try {
      const response = await fetch(url, { ...init, signal: controller.signal });
      if (!response.ok) return log('error: ' + ((await response.json().catch(() => ({}))).error ?? response.status));
      const runId = response.headers.get('x-run-id');
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        buffer += chunk.value;
        for (let end = buffer.indexOf('\\n\\n'); end >= 0; end = buffer.indexOf('\\n\\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let kind = 'message';
          const data = [];
          for (const line of block.split('\\n')) {
            if (line.startsWith('event: ')) kind = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          handle(kind, JSON.parse(data.join('\\n')), runId);
        }
      }
    } catch (err) {
      // Leaving a stream for a new one aborts it: nothing went wrong.
      if (!controller.signal.aborted) log('connection lost');
    }
  }

  function handle(kind, e, runId) {
    if (kind === 'part-start' && e.part.kind === 'text') $('text').textContent += e.part.content;
    else if (kind === 'part-delta' && e.delta.kind === 'text') $('text').textContent += e.delta.content;
    else if (kind === 'function-tool-call') log('calls ' + e.toolName + ' ' + JSON.stringify(e.args));
    else if (kind === 'function-tool-result') log(e.toolName + ' returned ' + JSON.stringify(e.result.content));
    else if (kind === 'deferred-tool-requests') ask(e.requests, runId);
    // A structured output as it fills in (the whales, row by row); run-result replaces it.
    else if (kind === 'partial-output') $('output').textContent = 'output so far: ' + JSON.stringify(e.output, null, 2);
    else if (kind === 'run-result')
      $('output').textContent =
        e.output?.kind === 'deferred-tool-requests'
          ? 'waiting for your decision'
          : 'output: ' + JSON.stringify(e.output, null, 2) + '\\nusage: ' + JSON.stringify(e.usage);
    else if (kind === 'error') log('error: ' + e.message);
  }

  // Shows the calls waiting for approval; once each is decided, resumes the run with the decisions.
  function ask(requests, runId) {
    const decisions = {};
    for (const call of requests.calls) log(call.toolName + ' waits for the caller to run it');
    for (const call of requests.approvals) {
      const item = document.createElement('li');
      item.className = 'approval';
      item.dataset.toolCallId = call.toolCallId;
      const what = document.createElement('code');
      what.textContent = call.toolName + ' ' + JSON.stringify(call.args);
      const reason = document.createElement('input');
      reason.className = 'reason';
      reason.placeholder = 'Reason, if you deny';
      const button = (label, decision) => {
        const b = document.createElement('button');
        b.textContent = label;
        b.className = label.toLowerCase();
        b.addEventListener('click', () => {
          decisions[call.toolCallId] = decision();
          for (const other of item.querySelectorAll('button, input')) other.disabled = true;
          item.dataset.decided = label.toLowerCase();
          if (Object.keys(decisions).length === requests.approvals.length) resume(runId, decisions);
        });
        return b;
      };
      item.append(
        what,
        reason,
        ' ',
        button('Approve', () => ({ approved: true })),
        ' ',
        button('Deny', () => (reason.value.trim() ? { approved: false, reason: reason.value.trim() } : { approved: false })),
      );
      $('pending').append(item);
    }
  }

  function resume(id, decisions) {
    $('pending').textContent = '';
    $('output').textContent = '';
    log('resumes with ' + JSON.stringify(decisions));
    follow('/resume', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id, decisions }) });
  }

  $('ask').addEventListener('submit', (e) => {
    e.preventDefault();
    for (const id of ['text', 'log', 'pending', 'output']) $(id).textContent = '';
    follow('/events?' + new URLSearchParams({ prompt: $('prompt').value, agent: $('agent').value }));
  });
</script>
</html>
`;

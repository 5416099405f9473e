/**
 * The page `npm run serve` answers `GET /` with (examples/server.ts): plain HTML and a script, no
 * build step.
 */

/** The page: runs an agent through /events and shows its text, tool calls and output as they come. */
export const PAGE = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>Schemantic: streamed runs</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
  form { display: flex; gap: .5rem; } input { flex: 1; padding: .4rem; }
  #text { white-space: pre-wrap; min-height: 3rem; padding: .5rem; background: #f4f4f4; }
  #log { color: #555; font-size: 14px; } pre { white-space: pre-wrap; }
</style>
<h1>Schemantic: a run, as it streams</h1>
<form id="ask">
  <select id="agent"><option>weather</option><option>whales</option></select>
  <input id="prompt" value="What is the weather like in London?" autofocus>
  <button>Run</button>
</form>
<p id="text"></p>
<ul id="log"></ul>
<pre id="output"></pre>
<script>
  const $ = (id) => document.getElementById(id);
  const log = (line) => { const li = document.createElement('li'); li.textContent = line; $('log').append(li); };
  let source;
  $('ask').addEventListener('submit', (e) => {
    e.preventDefault();
    source?.close();
    $('text').textContent = ''; $('log').textContent = ''; $('output').textContent = '';
    const query = new URLSearchParams({ prompt: $('prompt').value, agent: $('agent').value });
    source = new EventSource('/events?' + query);
    const on = (kind, fn) => source.addEventListener(kind, (m) => fn(JSON.parse(m.data)));
    on('part-start', (e) => { if (e.part.kind === 'text') $('text').textContent += e.part.content; });
    on('part-delta', (e) => { if (e.delta.kind === 'text') $('text').textContent += e.delta.content; });
    on('function-tool-call', (e) => log('calls ' + e.toolName + ' ' + JSON.stringify(e.args)));
    on('function-tool-result', (e) => log(e.toolName + ' returned ' + JSON.stringify(e.result.content)));
    on('run-result', (e) => { $('output').textContent = 'output: ' + JSON.stringify(e.output, null, 2) + '\\nusage: ' + JSON.stringify(e.usage); });
    // Closed at the end: an EventSource would otherwise reconnect, and run the agent again.
    on('done', () => source.close());
    source.addEventListener('error', (m) => {
      log(m.data ? 'error: ' + JSON.parse(m.data).message : 'connection lost');
      source.close();
    });
  });
</script>
</html>
`;

/**
 * The script of the viewer page (viewer-page.ts), as the source the browser runs: no build step,
 * no library. It reads the list of runs and one run's spans from the server's API, and refreshes
 * when the server's event stream says runs changed.
 *
 * Everything it shows came from whatever process exported the spans, so it builds the page with
 * createElement and textContent only, never from HTML text: a span named `<img onerror=...>` is
 * shown as those characters. (The page's Content-Security-Policy would block such a script anyway;
 * this is the first line of defence, and a test checks the source for HTML sinks.)
 *
 * Written as String.raw so that its backslashes reach the browser as written; it uses no
 * backquote and no dollar-brace, which would end or interpolate the string.
 */
export const VIEWER_SCRIPT = String.raw`'use strict';
(() => {
  const state = { traces: [], counts: null, selected: null, trace: null, span: null, live: false };
  const $ = (id) => document.getElementById(id);

  /** An element with attributes (data-*, class, title, ...) and children (nodes or text). */
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'onclick') node.addEventListener('click', value);
      else node.setAttribute(key, String(value));
    }
    for (const child of children || []) {
      if (child === undefined || child === null || child === false) continue;
      node.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
    }
    return node;
  }

  const nanos = (s) => BigInt(s);
  const epochMs = (s) => Number(nanos(s) / 1000n) / 1000;
  function duration(ms) {
    if (ms < 1) return Math.round(ms * 1000) + ' µs';
    if (ms < 10) return ms.toFixed(1) + ' ms';
    if (ms < 1000) return Math.round(ms) + ' ms';
    return (ms / 1000).toFixed(2) + ' s';
  }
  function clock(s) {
    const d = new Date(epochMs(s));
    return d.toLocaleTimeString([], { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
  }
  const count = (n) => Number(n).toLocaleString('en-US');
  const plural = (n, word) => count(n) + ' ' + word + (n === 1 ? '' : 's');
  const attr = (span, key) => span.attributes[key];
  const isError = (span) => span.status.code === 'error' || attr(span, 'error.type') !== undefined;
  const show = (value) => (typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  function parsed(value) {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }

  // The list of runs.
  function renderRuns() {
    const rows = state.traces.map((t) =>
      el(
        'tr',
        { 'data-trace-id': t.traceId, 'data-error': t.errorCount > 0, class: t.traceId === state.selected ? 'selected' : null, tabindex: 0, onclick: () => select(t.traceId) },
        [
          el('td', { class: 'run-name' }, [
            t.name || '(unnamed)',
            el('small', {}, [
              t.serviceName || '',
              t.errorCount > 0 ? el('span', { class: 'error-marker', title: plural(t.errorCount, 'span') + ' with an error' }, [' ✕ ' + plural(t.errorCount, 'error')]) : null,
              t.complete ? null : el('span', { class: 'pending', title: 'the root span has not arrived yet' }, [' running']),
            ]),
          ]),
          el('td', { class: 'agent' }, [t.agentName || '']),
          el('td', { class: 'start' }, [clock(t.startTimeUnixNano)]),
          el('td', { class: 'duration' }, [duration(t.durationMs)]),
          el('td', { class: 'tokens', title: count(t.inputTokens) + ' in, ' + count(t.outputTokens) + ' out' }, [count(t.inputTokens + t.outputTokens)]),
        ],
      ),
    );
    $('run-list').replaceChildren(...rows);
    $('empty').hidden = state.traces.length > 0;
    const c = state.counts;
    $('status').textContent = [
      state.live ? 'live' : 'reconnecting…',
      plural(state.traces.length, 'run'),
      c ? plural(c.spans, 'span') + ' received' : '',
      c && c.rejectedSpans ? plural(c.rejectedSpans, 'span') + ' rejected' : '',
      c && c.metricExports ? plural(c.metricExports, 'metrics export') : '',
      c && c.logExports ? plural(c.logExports, 'log export') : '',
    ].filter(Boolean).join(' · ');
  }

  // One run: the waterfall, each span under its parent (a span whose parent never arrived at the top).
  function tree(spans) {
    const ids = new Set(spans.map((s) => s.spanId));
    const children = new Map();
    const roots = [];
    for (const s of spans) {
      const parent = s.parentSpanId;
      if (parent && parent !== s.spanId && ids.has(parent)) (children.get(parent) || children.set(parent, []).get(parent)).push(s);
      else roots.push(s);
    }
    const rows = [];
    const seen = new Set();
    // Depth first without recursion (a trace may nest deeply); spans in a cycle of parents come last, at the top.
    const walk = (start) => {
      const stack = [[start, 0]];
      while (stack.length > 0) {
        const [span, depth] = stack.pop();
        if (seen.has(span.spanId)) continue;
        seen.add(span.spanId);
        rows.push({ span, depth });
        const kids = children.get(span.spanId) || [];
        for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i], depth + 1]);
      }
    };
    roots.forEach(walk);
    spans.forEach(walk);
    return rows;
  }

  function chips(span) {
    const out = [];
    const op = attr(span, 'gen_ai.operation.name');
    if (typeof op === 'string') out.push(el('span', { class: 'chip op op-' + op.replace(/[^a-z_]/g, '') }, [op]));
    const requested = attr(span, 'gen_ai.request.model');
    const answered = attr(span, 'gen_ai.response.model');
    if (requested !== undefined || answered !== undefined)
      out.push(el('span', { class: 'chip model' }, [requested !== undefined && answered !== undefined && requested !== answered ? show(requested) + ' → ' + show(answered) : show(answered !== undefined ? answered : requested)]));
    const tool = attr(span, 'gen_ai.tool.name');
    if (tool !== undefined) out.push(el('span', { class: 'chip tool' }, ['tool ' + show(tool)]));
    const input = attr(span, 'gen_ai.usage.input_tokens');
    const output = attr(span, 'gen_ai.usage.output_tokens');
    if (input !== undefined || output !== undefined)
      out.push(el('span', { class: 'chip tokens', 'data-tokens': '' }, [count(input || 0) + ' in · ' + count(output || 0) + ' out']));
    if (span.status.code === 'error') out.push(el('span', { class: 'chip error', 'data-error-marker': '' }, ['✕ ' + (span.status.message || 'error')]));
    const type = attr(span, 'error.type');
    if (type !== undefined) out.push(el('span', { class: 'chip error' }, ['error.type ' + show(type)]));
    for (const e of span.events) out.push(el('span', { class: 'chip event' + (e.name === 'exception' ? ' error' : ''), title: show(e.attributes) }, ['⚑ ' + (e.name || '(event)')]));
    return out;
  }

  function renderTrace() {
    const box = $('waterfall');
    const t = state.trace;
    if (!t) {
      $('run-title').replaceChildren(state.selected ? 'This run is no longer held.' : 'Select a run.');
      box.replaceChildren();
      $('details').replaceChildren();
      return;
    }
    const s = t.summary;
    $('run-title').replaceChildren(
      el('h2', {}, [s.name || '(unnamed)']),
      el('p', {}, [
        [s.agentName ? 'agent ' + s.agentName : '', clock(s.startTimeUnixNano), duration(s.durationMs), plural(s.spanCount, 'span'), count(s.inputTokens) + ' in · ' + count(s.outputTokens) + ' out tokens']
          .filter(Boolean)
          .join(' · '),
        s.errorCount > 0 ? el('span', { class: 'error-marker' }, [' ✕ ' + plural(s.errorCount, 'error')]) : null,
      ]),
    );
    const start = t.spans.reduce((m, x) => (nanos(x.startTimeUnixNano) < m ? nanos(x.startTimeUnixNano) : m), nanos(t.spans[0].startTimeUnixNano));
    const end = t.spans.reduce((m, x) => (nanos(x.endTimeUnixNano) > m ? nanos(x.endTimeUnixNano) : m), start);
    const total = end > start ? end - start : 1n;
    const percent = (n) => Number((n * 10000n) / total) / 100;
    const rows = tree(t.spans).map(({ span, depth }) => {
      const bar = el('div', { class: 'bar' + (isError(span) ? ' error' : '') });
      bar.style.left = percent(nanos(span.startTimeUnixNano) - start) + '%';
      bar.style.width = Math.max(percent(nanos(span.endTimeUnixNano) - nanos(span.startTimeUnixNano)), 0.3) + '%';
      const lane = el('div', { class: 'lane' }, [bar]);
      for (const e of span.events) {
        const tick = el('div', { class: 'tick', title: e.name });
        tick.style.left = percent(nanos(e.timeUnixNano) - start) + '%';
        lane.appendChild(tick);
      }
      const label = el('div', { class: 'label' }, [el('span', { class: 'name' }, [span.name || '(unnamed)']), ...chips(span)]);
      label.style.paddingLeft = Math.min(depth, 40) * 16 + 6 + 'px';
      return el(
        'div',
        {
          class: 'row' + (isError(span) ? ' error' : '') + (span.spanId === state.span ? ' selected' : ''),
          'data-span-id': span.spanId,
          'data-parent-span-id': span.parentSpanId || '',
          'data-depth': depth,
          'data-name': span.name,
          'data-error': isError(span),
          tabindex: 0,
          onclick: () => selectSpan(span.spanId),
        },
        [label, lane, el('div', { class: 'took' }, [duration(span.durationMs)])],
      );
    });
    box.replaceChildren(...rows);
    renderDetails();
  }

  // The span clicked: everything it carries, with captured messages shown as a conversation.
  const CONTENT = [
    ['gen_ai.system_instructions', 'System instructions'],
    ['gen_ai.input.messages', 'Input messages'],
    ['gen_ai.output.messages', 'Output messages'],
    ['gen_ai.tool.call.arguments', 'Tool call arguments'],
    ['gen_ai.tool.call.result', 'Tool call result'],
  ];

  function part(p) {
    if (!p || typeof p !== 'object') return el('pre', { class: 'text' }, [show(p)]);
    if (p.type === 'text') return el('pre', { class: 'text' }, [show(p.content)]);
    if (p.type === 'tool_call')
      return el('div', { class: 'tool-call' }, [el('div', { class: 'what' }, ['calls ' + show(p.name) + (p.id ? ' (' + show(p.id) + ')' : '')]), el('pre', {}, [show(parsed(p.arguments))])]);
    if (p.type === 'tool_call_response')
      return el('div', { class: 'tool-result' }, [el('div', { class: 'what' }, ['result' + (p.id ? ' of ' + show(p.id) : '')]), el('pre', {}, [show(parsed(p.response))])]);
    return el('div', { class: 'other-part' }, [el('div', { class: 'what' }, [show(p.type || 'part')]), el('pre', {}, [show(p.content !== undefined ? p.content : p)])]);
  }

  function conversation(value) {
    const v = parsed(value);
    if (!Array.isArray(v)) return el('pre', {}, [show(v)]);
    // System instructions are a list of parts; the others a list of messages with a role.
    const messages = v.every((m) => m && typeof m === 'object' && 'role' in m) ? v : [{ role: 'system', parts: v }];
    return el(
      'div',
      { class: 'messages' },
      messages.map((m) =>
        el('div', { class: 'message', 'data-role': show(m.role) }, [
          el('div', { class: 'role' }, [show(m.role) + (m.finish_reason ? ' (' + show(m.finish_reason) + ')' : '')]),
          ...(Array.isArray(m.parts) ? m.parts.map(part) : [part(m)]),
        ]),
      ),
    );
  }

  function table(attributes) {
    const keys = Object.keys(attributes).sort();
    if (keys.length === 0) return el('p', { class: 'none' }, ['none']);
    return el('table', { class: 'attributes' }, [
      el('tbody', {}, keys.map((k) => el('tr', {}, [el('th', {}, [k]), el('td', {}, [el('pre', {}, [show(attributes[k])])])]))),
    ]);
  }

  function renderDetails() {
    const span = state.trace && state.trace.spans.find((s) => s.spanId === state.span);
    if (!span) return $('details').replaceChildren();
    const t0 = state.trace.spans.reduce((m, x) => (nanos(x.startTimeUnixNano) < m ? nanos(x.startTimeUnixNano) : m), nanos(span.startTimeUnixNano));
    const since = (s) => '+' + duration(Number(nanos(s) - t0) / 1e6);
    const facts = [
      ['span id', span.spanId],
      ['parent', span.parentSpanId || '(none)'],
      ['kind', span.kind],
      ['start', since(span.startTimeUnixNano)],
      ['duration', duration(span.durationMs)],
      ['status', span.status.code + (span.status.message ? ': ' + span.status.message : '')],
      ['scope', span.scope ? span.scope.name + (span.scope.version ? ' ' + span.scope.version : '') : ''],
    ];
    const content = CONTENT.filter(([key]) => span.attributes[key] !== undefined);
    $('details').replaceChildren(
      el('h3', { 'data-span-id': span.spanId }, [span.name || '(unnamed)']),
      el('dl', {}, facts.flatMap(([k, v]) => [el('dt', {}, [k]), el('dd', { class: k === 'status' && span.status.code === 'error' ? 'error' : null }, [v])])),
      ...content.flatMap(([key, title]) => [
        el('h4', {}, [title]),
        key.startsWith('gen_ai.tool.call.') ? el('pre', { class: 'content' }, [show(parsed(span.attributes[key]))]) : conversation(span.attributes[key]),
      ]),
      el('h4', {}, ['Events']),
      span.events.length === 0
        ? el('p', { class: 'none' }, ['none'])
        : el('div', { class: 'events' }, span.events.flatMap((e) => [el('div', { class: 'event-name' }, [(e.name || '(event)') + ' at ' + since(e.timeUnixNano)]), table(e.attributes)])),
      el('h4', {}, ['Attributes']),
      table(span.attributes),
      el('details', {}, [el('summary', {}, ['Resource']), table(span.resource)]),
    );
  }

  // Loading, selecting, and staying live.
  async function getJson(path) {
    const res = await fetch(path, { cache: 'no-store' });
    return res.ok ? res.json() : undefined;
  }
  /** The load, run once at a time; asked again meanwhile, it runs once more after (so the last change is never missed). */
  function coalesced(load) {
    let running = null;
    let again = false;
    const run = () => {
      if (running) {
        again = true;
        return running;
      }
      running = load().finally(() => {
        running = null;
        if (again) {
          again = false;
          run();
        }
      });
      return running;
    };
    return run;
  }
  const loadRuns = coalesced(async () => {
    const data = await getJson('/api/traces');
    if (!data) return;
    state.traces = data.traces;
    state.counts = data.counts;
    renderRuns();
  });
  const loadTrace = coalesced(async () => {
    const id = state.selected;
    const data = id ? await getJson('/api/traces/' + encodeURIComponent(id)) : undefined;
    if (id !== state.selected) return;
    state.trace = data;
    renderTrace();
  });
  function select(traceId) {
    if (traceId === state.selected) return;
    state.selected = traceId;
    state.span = null;
    state.trace = null;
    history.replaceState(null, '', '#' + traceId);
    renderRuns();
    loadTrace();
  }
  function selectSpan(spanId) {
    state.span = state.span === spanId ? null : spanId;
    for (const row of $('waterfall').children) row.classList.toggle('selected', row.getAttribute('data-span-id') === state.span);
    renderDetails();
  }

  $('endpoint').textContent = 'OTEL_EXPORTER_OTLP_ENDPOINT=' + location.origin + '  OTEL_EXPORTER_OTLP_PROTOCOL=http/json';
  document.addEventListener('keydown', (e) => {
    const target = e.target;
    if (e.key === 'Enter' && target instanceof HTMLElement && (target.hasAttribute('data-span-id') || target.hasAttribute('data-trace-id'))) target.click();
  });
  const events = new EventSource('/api/events');
  events.addEventListener('open', () => {
    state.live = true;
    loadRuns();
  });
  events.addEventListener('error', () => {
    state.live = false;
    renderRuns();
  });
  events.addEventListener('change', (e) => {
    loadRuns();
    if (state.selected && JSON.parse(e.data).traceIds.includes(state.selected)) loadTrace();
  });
  const fromHash = location.hash.slice(1);
  if (/^[0-9a-f]{32}$/.test(fromHash)) select(fromHash);
  loadRuns();
})();
`;

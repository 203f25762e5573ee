// Agent Runtime console: plain JavaScript against the service's own API. No build step, no CDN.
'use strict';

const $ = (id) => document.getElementById(id);
const PAGE_SIZE = 10;
const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'rejected']);

const state = {
  apiKey: sessionStorage.getItem('agent-api-key') || '',
  run: null,
  stream: null,
  offset: 0,
  fork: null,   // the step the fork form is open for: { runId, step, original (its input as shown) }
  forks: null,  // the forks of the run on screen, once loaded: { runId, runs }
};
const FORKS_SHOWN = 20;

// ---- HTTP -------------------------------------------------------------------------------------------------------

function headers(extra = {}) {
  const h = { Accept: 'application/json', ...extra };
  if (state.apiKey) h['X-API-Key'] = state.apiKey;
  return h;
}

/**
 * Fetches JSON; a problem answer becomes an Error carrying its detail (and the HTTP status as `status`), a network
 * failure a readable message.
 */
async function api(path, options = {}) {
  let response;
  try {
    response = await fetch(path, { ...options, headers: headers(options.headers) });
  } catch (e) {
    throw new Error('The service cannot be reached. Is it running?');
  }
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
  if (!response.ok) {
    const detail = body && body.detail ? body.detail : `${response.status} ${response.statusText}`;
    const hint = response.status === 401 ? ' Enter an API key above.' : '';
    const error = new Error(detail + hint);
    error.status = response.status;
    throw error;
  }
  return body;
}

function showError(message) {
  const box = $('error');
  box.textContent = message;
  box.hidden = !message;
}

async function guarded(action) {
  try {
    showError('');
    await action();
  } catch (e) {
    showError(e.message || String(e));
  }
}

// ---- Health, runs list, todos -----------------------------------------------------------------------------------

async function loadHealth() {
  try {
    const h = await api('/api/v1/health');
    // With the LLM planner, whether the model answers: while it does not, the rules plan.
    const model = h.model && h.model.status === 'DOWN' ? ` (model down: ${h.model.last_failure})` : '';
    $('health').textContent = `${h.status} · store ${h.store} · planner ${h.planner}${model} · version ${h.version}`;
  } catch (e) {
    $('health').textContent = 'Instance unavailable: ' + e.message;
  }
}

async function loadRuns() {
  const runs = await api(`/api/v1/runs?limit=${PAGE_SIZE}&offset=${state.offset}`);
  const list = $('runs');
  list.replaceChildren(...runs.map(runItem));
  if (!runs.length) list.replaceChildren(element('li', 'muted', 'No runs yet.'));
  $('newer').disabled = state.offset === 0;
  $('older').disabled = runs.length < PAGE_SIZE;
  $('page').textContent = `Page ${state.offset / PAGE_SIZE + 1}`;
}

function runItem(run) {
  const li = element('li');
  li.tabIndex = 0;
  li.dataset.runId = run.run_id;
  li.setAttribute('role', 'button');
  li.setAttribute('aria-label', `Open run: ${run.prompt}`);
  if (state.run && state.run.run_id === run.run_id) li.setAttribute('aria-current', 'true');
  const line = element('div', 'line');
  line.append(badge(run.status),
    element('span', 'muted', `${duration(run)} · ${run.planner}${run.forked_from ? ' · fork' : ''}`));
  li.append(line, element('div', 'text', run.prompt));
  const open = () => guarded(() => openRun(run.run_id));
  li.addEventListener('click', open);
  li.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(); } });
  return li;
}

/** Runs waiting for a person: the most recent request first. */
async function loadApprovals() {
  const runs = await api('/api/v1/runs?status=awaiting_approval&limit=20');
  const list = $('approvals');
  list.replaceChildren(...runs.map(runItem));
  if (!runs.length) list.replaceChildren(element('li', 'muted', 'Nothing to decide.'));
}

async function loadTodos() {
  const list = await api('/api/v1/todos');
  $('todo-counts').textContent =
    `${list.total_count} total · ${list.pending_count} pending · ${list.completed_count} done`;
  $('todos').replaceChildren(...list.todos.map((t) => element('li', t.completed ? 'done' : '', t.text)));
}

// ---- One run ----------------------------------------------------------------------------------------------------

async function submitRun(event) {
  event.preventDefault();
  const prompt = $('prompt').value.trim();
  if (!prompt) {
    showError('Write a prompt first.');
    return;
  }
  const key = $('idempotency-key').value.trim();
  const extra = { 'Content-Type': 'application/json' };
  if (key) extra['Idempotency-Key'] = key;
  $('submit').disabled = true;
  // The run on screen is not this prompt's: take it away, so that a refusal is never read as its result.
  clearRun('Submitting…');
  try {
    const run = await api('/api/v1/runs', { method: 'POST', headers: extra, body: JSON.stringify({ prompt }) });
    show(run);
    reveal();
    follow(run);
    await Promise.all([loadRuns(), loadApprovals()]);
  } catch (e) {
    if (!state.run) clearRun('Not run: the prompt was refused (the message above says why).');
    throw e;
  } finally {
    $('submit').disabled = false;
  }
}

async function openRun(runId) {
  const run = await api(`/api/v1/runs/${encodeURIComponent(runId)}`);
  show(run);
  reveal();
  follow(run);
  await Promise.all([loadRuns(), loadForks(run.run_id)]);
}

/** No run on screen, and the message says why; the live updates of the run that was stop. */
function clearRun(message) {
  if (state.stream) state.stream.abort();
  state.stream = null;
  state.run = null;
  $('run').hidden = true;
  $('run-empty').hidden = false;
  $('run-empty').textContent = message;
  document.querySelectorAll('#runs li').forEach((li) => li.setAttribute('aria-current', 'false'));
}

/** On a narrow screen the run is below the lists: bring it into view, and move focus there for a screen reader. */
function reveal() {
  const title = $('run-title');
  const top = title.getBoundingClientRect().top;
  if (top < 0 || top > window.innerHeight - 80) {
    title.scrollIntoView({ block: 'start' });
    title.focus({ preventScroll: true });
  }
}

/** Approves or rejects exactly the request on screen: its input hash goes with the decision. */
async function decide(action) {
  const run = state.run;
  if (!run || !run.approval) return;
  const body = { input_hash: run.approval.input_hash };
  const comment = $('approval-comment').value.trim();
  if (comment) body.comment = comment;
  const decided = await api(`/api/v1/runs/${run.run_id}/${action}`,
    { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  $('approval-comment').value = '';
  show(decided);
  follow(decided);
  await Promise.all([loadRuns(), loadApprovals(), loadTodos()]);
}

async function cancelRun() {
  if (!state.run) return;
  const run = await api(`/api/v1/runs/${state.run.run_id}/cancel`, { method: 'POST' });
  show(run);
}

/** Follows the run's Server-Sent Events over fetch (EventSource cannot send the API key header). */
async function follow(run) {
  if (state.stream) state.stream.abort();
  if (TERMINAL.has(run.status)) return;
  const controller = new AbortController();
  state.stream = controller;
  try {
    const response = await fetch(`/api/v1/runs/${run.run_id}/events`,
      { headers: headers({ Accept: 'text/event-stream' }), signal: controller.signal });
    if (!response.ok) throw new Error(`The event stream answered ${response.status}`);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const raw = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = parseEvent(raw);
        if (event) await apply(run.run_id, event);
      }
    }
  } catch (e) {
    if (e.name !== 'AbortError') showError('Live updates stopped: ' + e.message);
  }
}

function parseEvent(raw) {
  let name = 'message';
  const data = [];
  for (const line of raw.split('\n')) {
    if (line.startsWith('event:')) name = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trim());
  }
  if (!data.length) return null;
  try { return { name, data: JSON.parse(data.join('\n')) }; } catch (e) { return null; }
}

async function apply(runId, event) {
  if (!state.run || state.run.run_id !== runId) return;
  const run = state.run;
  const data = event.data;
  if (event.name === 'run_started') {
    run.status = 'running';
  } else if (['step_started', 'step_completed', 'step_failed', 'step_interrupted'].includes(event.name)) {
    const { run_id, ...step } = data;
    run.execution_log[step.step_number - 1] = step;
    run.status = 'running';
  } else if (event.name === 'step_retrying') {
    const step = run.execution_log[data.step_number - 1];
    if (step) { step.attempts = data.attempt; step.retrying = true; }
  } else if (event.name === 'approval_requested' || event.name === 'approval_granted') {
    show(await api(`/api/v1/runs/${runId}`));
    await Promise.all([loadRuns(), loadApprovals()]);
    return;
  } else if (TERMINAL.has(data.status)) {
    show(await api(`/api/v1/runs/${runId}`));
    await Promise.all([loadRuns(), loadApprovals(), loadTodos()]);
    return;
  }
  show(run);
}

function show(run) {
  state.run = run;
  $('run-empty').hidden = true;
  $('run').hidden = false;
  $('run-status').replaceChildren(badge(run.status));
  $('run-id').textContent = run.run_id;
  $('run-prompt').textContent = run.prompt;
  $('run-planner').textContent = run.planner;
  $('run-fallback').textContent = run.fallback_reason || '—';
  $('run-duration').textContent = duration(run);
  const u = run.usage || {};
  $('run-usage').textContent = `${u.input_tokens || 0} in · ${u.output_tokens || 0} out · $${(u.cost_usd || 0).toFixed(6)}`;
  $('run-error').hidden = !run.error;
  $('run-error').textContent = run.error || '';
  $('cancel').hidden = TERMINAL.has(run.status);
  const asking = run.status === 'awaiting_approval' && run.approval && run.approval.decision === 'pending';
  $('approval').hidden = !asking;
  if (asking) {
    $('approval-step').textContent = `#${run.approval.step_number}`;
    $('approval-tool').textContent = run.approval.tool_name;
    $('approval-input').textContent = pretty(run.approval.tool_input);
    $('approval-hash').textContent = run.approval.input_hash.slice(0, 12) + '…';
    $('approval-hash').title = run.approval.input_hash;
    $('approval-expires').textContent = new Date(run.approval.expires_at).toLocaleString();
  }
  $('steps').replaceChildren(...run.execution_log.map((step, i) => stepItem(run, step, run.plan.steps[i])));
  showLineage(run);
  if (state.fork && (state.fork.runId !== run.run_id || !TERMINAL.has(run.status))) closeFork();
  $('run-result').textContent = run.result === null || run.result === undefined ? '—' : pretty(run.result);
  document.querySelectorAll('#runs li').forEach((li) =>
    li.setAttribute('aria-current', String(li.dataset.runId === run.run_id)));
}

function stepItem(run, step, planned) {
  const li = element('li');
  li.dataset.step = step.step_number;
  li.dataset.status = step.status;
  const head = element('div', 'step-head');
  head.append(element('span', '', `#${step.step_number}`), element('span', 'tool', step.tool_name), badge(step.status));
  // A fork's reused step kept the source run's output and timings: it did not run again.
  if (step.reused) {
    const reused = element('span', 'status reused', 'reused');
    reused.title = 'Kept from the run this one was forked from: not run again';
    head.append(reused);
  }
  head.append(element('span', 'muted', attempts(step)),
    element('span', 'muted', step.duration_ms != null ? `${step.duration_ms.toFixed(1)} ms` : ''));
  if (planned && planned.reasoning) head.append(element('span', 'muted', `— ${planned.reasoning}`));
  if (TERMINAL.has(run.status)) {
    const fork = element('button', 'fork-button secondary', 'Fork from here');
    fork.type = 'button';
    fork.setAttribute('aria-label', `Fork from step ${step.step_number}`);
    fork.addEventListener('click', () => openFork(run, step, planned));
    head.append(fork);
  }
  li.append(head, timeline(run, step));
  li.append(labelled('Input', step.tool_input));
  if (step.error) li.append(labelled('Error', step.error));
  else if (step.output !== null && step.output !== undefined) li.append(labelled('Output', step.output));
  return li;
}

/** "attempt 2" while a step runs (it is on its first attempt when it starts), "1 attempt" once it has ended. */
function attempts(step) {
  if (step.status === 'running') return `attempt ${Math.max(1, step.attempts || 0)}`;
  if (step.status === 'pending' || step.status === 'skipped') return 'not run';
  const n = step.attempts || 0;
  return `${n} attempt${n === 1 ? '' : 's'}`;
}

/** Where the step's time went within the run: offset from the run's start, width its duration. */
function timeline(run, step) {
  const bar = element('div', 'timeline');
  bar.setAttribute('aria-hidden', 'true');
  const runStart = Date.parse(run.started_at || run.created_at);
  const runEnd = run.completed_at ? Date.parse(run.completed_at) : Date.now();
  // A reused step's times are the source run's: they lie before this run began.
  if (step.started_at && !step.reused && runEnd > runStart) {
    const start = Date.parse(step.started_at);
    const end = step.finished_at ? Date.parse(step.finished_at) : Date.now();
    const span = element('span', step.attempts > 1 ? 'retried' : step.status);
    span.style.left = `${Math.max(0, (start - runStart) / (runEnd - runStart)) * 100}%`;
    span.style.width = `${Math.min(1, Math.max(0, (end - start) / (runEnd - runStart))) * 100}%`;
    span.title = step.attempts > 1 ? `${step.attempts} attempts` : '';
    bar.append(span);
  }
  return bar;
}

// ---- Forks ------------------------------------------------------------------------------------------------------

/** The fork form for a step of the ended run on screen, pre-filled with the input the step ran with. */
function openFork(run, step, planned) {
  const input = step.tool_input !== undefined && step.tool_input !== null ? step.tool_input
    : planned ? planned.tool_input : {};
  state.fork = { runId: run.run_id, step: step.step_number, original: input };
  $('fork-step').textContent = `#${step.step_number}`;
  $('fork-tool').textContent = step.tool_name;
  $('fork-input').value = pretty(input);
  $('fork-reason').value = '';
  forkError('');
  $('fork').hidden = false;
  $('fork').scrollIntoView({ block: 'nearest' });
  $('fork-input').focus();
}

function closeFork() {
  state.fork = null;
  $('fork').hidden = true;
  forkError('');
}

/** A message in the form itself, next to what it is about (and read out: the box is an alert). */
function forkError(message) {
  $('fork-error').textContent = message;
  $('fork-error').hidden = !message;
}

/**
 * Sends the fork. The input is checked here first: text that is not a JSON object is refused with its reason and
 * nothing is sent. An input left as it was is not sent, so the step runs with its planned input (its references
 * resolving against the reused outputs), as a retry should. A refusal (409, 422, …) stays in the form, in full.
 */
async function submitFork(event) {
  event.preventDefault();
  const fork = state.fork;
  if (!fork || !state.run || state.run.run_id !== fork.runId) return;
  let input;
  try {
    input = JSON.parse($('fork-input').value);
  } catch (e) {
    forkError(`Not sent: the input is not valid JSON (${e.message}).`);
    $('fork-input').focus();
    return;
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    forkError('Not sent: the input must be a JSON object, { … }.');
    $('fork-input').focus();
    return;
  }
  const body = { from_step: fork.step };
  if (JSON.stringify(input) !== JSON.stringify(fork.original)) body.tool_input = input;
  const reason = $('fork-reason').value.trim();
  if (reason) body.reason = reason;
  forkError('');
  $('fork-submit').disabled = true;
  let created;
  try {
    created = await api(`/api/v1/runs/${encodeURIComponent(fork.runId)}/fork`,
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  } catch (e) {
    forkError(`Not forked${e.status ? ` (${e.status})` : ''}: ${e.message}`);
    return;
  } finally {
    $('fork-submit').disabled = false;
  }
  closeFork();
  show(created);
  reveal();
  follow(created);
  await Promise.all([loadRuns(), loadApprovals()]);
}

/** The forks of a run, newest first; shown while that run is on screen. */
async function loadForks(runId) {
  const runs = await api(`/api/v1/runs/${encodeURIComponent(runId)}/forks?limit=${FORKS_SHOWN}`);
  state.forks = { runId, runs };
  if (state.run && state.run.run_id === runId) showLineage(state.run);
}

/** Where the run on screen comes from and what was forked from it, both as links to open. */
function showLineage(run) {
  const from = run.forked_from;
  $('run-forked-from-label').hidden = !from;
  $('run-forked-from').hidden = !from;
  if (from) {
    const parts = [runLink(from.run_id), document.createTextNode(` at step ${from.step_number}`)];
    if (from.reason) parts.push(element('span', 'muted', ` — ${from.reason}`));
    $('run-forked-from').replaceChildren(...parts);
  }
  const forks = state.forks && state.forks.runId === run.run_id ? state.forks.runs : [];
  $('run-forks-label').hidden = !forks.length;
  $('run-forks').hidden = !forks.length;
  const list = element('ul', 'forks');
  list.replaceChildren(...forks.map((f) => {
    const li = element('li');
    li.append(runLink(f.run_id), badge(f.status));
    if (f.forked_from) li.append(element('span', 'muted', `from step ${f.forked_from.step_number}`));
    return li;
  }));
  if (forks.length === FORKS_SHOWN) list.append(element('li', 'muted', `the newest ${FORKS_SHOWN}`));
  $('run-forks').replaceChildren(list);
}

/** A link that opens a run in the console. */
function runLink(runId) {
  const a = element('a', 'run-link', runId);
  a.href = `#run-${encodeURIComponent(runId)}`;
  a.dataset.runId = runId;
  a.addEventListener('click', (e) => { e.preventDefault(); guarded(() => openRun(runId)); });
  return a;
}

// ---- Small helpers ----------------------------------------------------------------------------------------------

function element(tag, className = '', text = '') {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text) e.textContent = text;
  return e;
}

function badge(status) {
  return element('span', `status ${status}`, status);
}

function labelled(label, value) {
  const wrap = element('div');
  wrap.append(element('div', 'muted', label), element('pre', 'json', typeof value === 'string' ? value : pretty(value)));
  return wrap;
}

function pretty(value) {
  return JSON.stringify(value, null, 2);
}

function duration(run) {
  if (!run.started_at) return run.status === 'pending' ? 'not started' : '—';
  const end = run.completed_at ? Date.parse(run.completed_at) : Date.now();
  const ms = end - Date.parse(run.started_at);
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

// ---- Wiring -----------------------------------------------------------------------------------------------------

$('api-key').value = state.apiKey;
$('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  state.apiKey = $('api-key').value.trim();
  sessionStorage.setItem('agent-api-key', state.apiKey);
  guarded(() => Promise.all([loadRuns(), loadApprovals(), loadTodos()]));
});
$('run-form').addEventListener('submit', (e) => guarded(() => submitRun(e)));
$('open-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const id = $('open-id').value.trim();
  if (id) guarded(() => openRun(id));
});
$('cancel').addEventListener('click', () => guarded(cancelRun));
$('approve').addEventListener('click', () => guarded(() => decide('approve')));
$('reject').addEventListener('click', () => guarded(() => decide('reject')));
$('refresh-todos').addEventListener('click', () => guarded(loadTodos));
$('fork-form').addEventListener('submit', (e) => guarded(() => submitFork(e)));
$('fork-close').addEventListener('click', closeFork);
$('newer').addEventListener('click', () => { state.offset = Math.max(0, state.offset - PAGE_SIZE); guarded(loadRuns); });
$('older').addEventListener('click', () => { state.offset += PAGE_SIZE; guarded(loadRuns); });
setInterval(() => { if (state.run && !TERMINAL.has(state.run.status)) $('run-duration').textContent = duration(state.run); }, 500);

loadHealth();
guarded(() => Promise.all([loadRuns(), loadApprovals(), loadTodos()]));

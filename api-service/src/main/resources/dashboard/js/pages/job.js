// One job: spec, status timeline, live progress and ETA, loss and mAP curves, events, trainer
// log, artifacts, links out, and Cancel. Everything live comes from GET /v1/jobs/{id}/stream
// (with logs=true), which first replays the job's history and the log's tail, then follows.
import { api } from '../api.js';
import { fill, h } from '../dom.js';
import { MetricChart } from '../chart.js';
import { downloadArtifact } from '../download.js';
import { ago, attemptBadge, bytes, duration, isTerminal, progressBar, reasonText, statusBadge, time } from '../format.js';
import { liveIndicator } from '../live.js';
import { openStream } from '../sse.js';

const LOG_LINES = 2000; // kept on the page
const LOG_TAIL = 500; // asked for when the page opens
const EVENT_ROWS = 1000;

export async function render(view, params, ctx) {
  const id = params.id;
  view.dataset.title = 'Job ' + id;
  fill(view, h('p', { class: 'state', text: 'Loading job ' + id + '…' }));
  let job;
  try {
    job = await api('/v1/jobs/' + id);
  } catch (e) {
    fill(
      view,
      h('h1', { text: 'Job ' + id }),
      h('p', { class: 'error', role: 'alert', text: e.status === 404 ? 'There is no job ' + id + ' that this key may see.' : 'Could not load the job: ' + e.message }),
      h('p', {}, h('a', { href: '#/jobs', text: 'Back to the job list' })),
    );
    return;
  }

  const live = liveIndicator();
  const badge = h('span', { id: 'job-status' });
  const cancelButton = h('button', { type: 'button', id: 'cancel-button', class: 'danger', text: 'Cancel job' });
  const cancelState = h('p', { id: 'cancel-state', class: 'notice', role: 'status', hidden: true });
  const reason = h('div', { id: 'failure-reason', class: 'failure', role: 'alert', hidden: true });
  const progress = h('div', { id: 'job-progress' });
  const facts = h('dl', { class: 'facts', id: 'job-facts' });
  const timeline = h('ol', { class: 'timeline', id: 'status-timeline' });
  const attemptRows = h('tbody', { id: 'attempt-rows' });
  const attemptsCard = h(
    'section',
    { class: 'card', id: 'job-attempts', hidden: true },
    h('h2', { text: 'Attempts' }),
    h('div', { class: 'table-wrap' }, h('table', { class: 'attempts' }, h('thead', {}, h('tr', {}, ['Attempt', 'Started', 'Ended', 'Cause', 'Resumed from'].map((t) => h('th', { scope: 'col', text: t })))), attemptRows)),
  );
  const links = h('p', { class: 'links', id: 'job-links' });
  const loss = new MetricChart('chart-loss', 'Loss', (k) => /loss/i.test(k));
  const map = new MetricChart('chart-map', 'mAP', (k) => /map/i.test(k));
  const events = h('tbody', { id: 'event-rows' });
  const log = h('pre', { id: 'log-tail', class: 'log', tabindex: '0', 'aria-label': 'Trainer log' });
  const follow = h('input', { type: 'checkbox', id: 'log-follow', checked: true });
  const artifacts = h('div', { id: 'artifacts' });
  const spec = h('dl', { class: 'facts', id: 'job-spec' });
  const dialog = cancelDialog(id, () => requestCancel());

  fill(
    view,
    h('p', { class: 'crumbs' }, h('a', { href: '#/jobs', text: '← Jobs' })),
    h('div', { class: 'title-row' }, h('h1', { text: 'Job #' + id }), badge, live, ctx.me.role === 'viewer' ? null : cancelButton),
    cancelState,
    reason,
    h('section', { class: 'card' }, h('h2', { text: 'Progress' }), progress, facts, links),
    h('div', { class: 'charts' }, loss.el, map.el),
    h('section', { class: 'card' }, h('h2', { text: 'Status' }), timeline),
    attemptsCard,
    h(
      'section',
      { class: 'card' },
      h('div', { class: 'title-row' }, h('h2', { text: 'Trainer log' }), h('label', { class: 'inline' }, follow, ' follow')),
      log,
    ),
    h(
      'section',
      { class: 'card' },
      h('h2', { text: 'Events' }),
      h('div', { class: 'table-wrap' }, h('table', { class: 'events' }, h('thead', {}, h('tr', {}, ['Time', 'Level', 'Type', 'Message'].map((t) => h('th', { scope: 'col', text: t })))), events)),
    ),
    h('section', { class: 'card' }, h('h2', { text: 'Artifacts' }), artifacts),
    h('section', { class: 'card' }, h('h2', { text: 'Spec' }), spec),
    dialog,
  );

  cancelButton.addEventListener('click', () => dialog.showModal());

  function update(next) {
    const ended = !isTerminal(job) && isTerminal(next);
    // the stream's job frames are the list's shape: the attempts come from GET /v1/jobs/{id}
    const attemptMoved = next.attempt !== undefined && next.attempt !== job.attempt;
    job = { ...next, attempts: next.attempts || job.attempts, max_attempts: next.max_attempts || job.max_attempts };
    fill(badge, statusBadge(job), attemptBadge(job) ? ' ' : null, attemptBadge(job));
    showAttempts();
    if (attemptMoved || (ended && job.attempt > 1)) reloadAttempts();
    refreshClock();
    cancelButton.hidden = isTerminal(job) || Boolean(job.cancel_requested_at);
    showCancel();
    const why = reasonText(job);
    reason.hidden = !(job.status === 'failed' || (job.status === 'cancelled' && job.failure_reason));
    fill(reason, h('strong', { text: job.status === 'failed' ? 'Why it failed: ' : 'How it ended: ' }), why);
    reason.className = job.status === 'failed' ? 'failure' : 'notice';
    fill(timeline, statusSteps(job));
    fill(links, jobLinks(job, ctx.config));
    fill(spec, specFacts(job));
    if (ended) loadArtifacts();
  }

  /** The attempts table, once the job has had more than one. */
  function showAttempts() {
    const attempts = job.attempts || [];
    attemptsCard.hidden = attempts.length < 2;
    if (!attemptsCard.hidden) fill(attemptRows, attempts.map((a) => attemptRow(a, job)));
  }

  // An attempt that started or ended: its row and its neighbour's come from the job's own view.
  let reloading = null;
  function reloadAttempts() {
    if (reloading) return;
    reloading = setTimeout(async () => {
      try {
        const fresh = await api('/v1/jobs/' + id);
        job = { ...job, attempt: fresh.attempt, attempts: fresh.attempts, max_attempts: fresh.max_attempts };
        fill(badge, statusBadge(job), attemptBadge(job) ? ' ' : null, attemptBadge(job));
        showAttempts();
      } catch (e) {
        // the next attempt event tries again
      } finally {
        reloading = null;
      }
    }, 200);
  }

  /** What moves with the clock (ETA, "ago"); nothing focusable, so a keyboard user keeps focus. */
  function refreshClock() {
    fill(progress, progressBar(job));
    fill(
      facts,
      fact('Epoch', (job.current_epoch || 0) + ' of ' + job.epochs),
      fact('Last heartbeat', !job.last_heartbeat_at ? 'none' : isTerminal(job) ? time(job.last_heartbeat_at) : ago(job.last_heartbeat_at)),
      fact('Training time', job.training_time_seconds != null ? duration(job.training_time_seconds) : job.started_at ? duration((Date.parse(job.completed_at || new Date().toISOString()) - Date.parse(job.started_at)) / 1000) : '—'),
      job.final_metrics && Object.keys(job.final_metrics).length ? fact('Final metrics', metricsText(job.final_metrics)) : null,
    );
  }

  function showCancel() {
    if (!job.cancel_requested_at) {
      cancelState.hidden = true;
      return;
    }
    cancelState.hidden = false;
    const asked = 'Cancel requested ' + time(job.cancel_requested_at) + (job.cancel_requested_by ? ' by ' + job.cancel_requested_by : '');
    let text;
    if (!isTerminal(job)) {
      cancelState.dataset.phase = 'requested';
      text = asked + '. Waiting for the trainer to stop: it is told at its next heartbeat, and stopped by force after ' + duration(job.cancel_grace_seconds) + ' if it does not.';
    } else {
      cancelState.dataset.phase = job.status === 'cancelled' ? 'cancelled' : 'finished';
      text = asked + '. ' + (job.status === 'cancelled' ? 'The job is cancelled.' : 'The job ended ' + job.status + ' before the cancel took effect.');
    }
    cancelState.textContent = text;
  }

  async function requestCancel() {
    try {
      const reply = await api('/v1/jobs/' + id + '/cancel', { method: 'POST' });
      update({ ...job, status: reply.status, cancel_requested_at: reply.cancel_requested_at || job.cancel_requested_at });
    } catch (e) {
      cancelState.hidden = false;
      cancelState.textContent = 'The cancel was not accepted: ' + e.message;
    }
  }

  const queuedEvents = [];
  function addEvent(event) {
    queuedEvents.push(event);
    if (queuedEvents.length === 1) requestAnimationFrame(flushEvents);
  }
  function flushEvents() {
    const rows = queuedEvents.splice(0).map(eventRow);
    events.append(...rows);
    while (events.rows.length > EVENT_ROWS) events.deleteRow(0);
  }

  // Log text is gathered and written once per frame, keeping the last LOG_LINES lines.
  let pendingText = '';
  function addText(text) {
    if (!pendingText) requestAnimationFrame(flushText);
    pendingText += text;
  }
  function flushText() {
    let text = log.textContent + pendingText;
    pendingText = '';
    let cut = text.length;
    for (let n = 0; n <= LOG_LINES && cut > 0; n++) cut = text.lastIndexOf('\n', cut - 1);
    if (cut > 0) text = text.slice(cut + 1);
    log.textContent = text;
    if (follow.checked) log.scrollTop = log.scrollHeight;
  }

  async function loadArtifacts() {
    fill(artifacts, h('p', { class: 'state', text: 'Loading artifacts…' }));
    try {
      const list = await api('/v1/jobs/' + id + '/artifacts');
      fill(artifacts, artifactList(id, list.artifacts, job));
    } catch (e) {
      fill(artifacts, reported(job), h('p', { class: 'muted', text: e.status === 503 || e.status === 404 ? 'No artifact storage is configured on this API.' : 'Could not list stored artifacts: ' + e.message }));
    }
  }

  update(job);
  loadArtifacts();
  let fallback = false;
  const stream = openStream('/v1/jobs/' + id + '/stream?logs=true&tail=' + LOG_TAIL, {
    onState: (s, detail) => {
      live.set(s, detail);
      if (s === 'failed' && !fallback) {
        fallback = true;
        loadWithoutStream();
      }
    },
    onMessage: (event, data) => {
      const value = JSON.parse(data);
      if (event === 'job') update(value);
      else if (event === 'event') {
        addEvent(value);
        if (value.event_type === 'attempt_started' || value.event_type === 'attempt_failed') reloadAttempts();
      }
      else if (event === 'metric') {
        loss.add(value);
        map.add(value);
      } else if (event === 'log') {
        addText(value.lines.map((line) => line + '\n').join(''));
      }
    },
  });

  // "ago" and the ETA move with the clock, not only with messages
  const tick = setInterval(refreshClock, 1000);

  /** The REST pages once, for an API without the stream (an older server). */
  async function loadWithoutStream() {
    for (const [path, key, add] of [
      ['events', 'events', addEvent],
      ['metrics', 'metrics', (m) => { loss.add(m); map.add(m); }],
    ]) {
      let after = null;
      do {
        const page = await api('/v1/jobs/' + id + '/' + path + '?limit=500' + (after ? '&after=' + after : ''));
        page[key].forEach(add);
        after = page.next_after;
      } while (after);
    }
  }

  return () => {
    stream.close();
    clearInterval(tick);
    loss.destroy();
    map.destroy();
  };
}

function fact(term, ...value) {
  return [h('dt', { text: term }), h('dd', {}, ...value)];
}

function metricsText(metrics) {
  return Object.entries(metrics)
    .map(([k, v]) => k + ' ' + (typeof v === 'number' ? +v.toFixed(4) : JSON.stringify(v)))
    .join(', ');
}

function statusSteps(job) {
  const step = (name, at, done, extra) =>
    h('li', { class: done ? 'done' : 'todo', 'data-step': name }, h('span', { class: 'step', text: name }), ' ', h('span', { class: 'muted', text: at ? time(at) : done ? '' : 'not yet' }), extra ? h('div', { class: 'step-detail', text: extra }) : null);
  const started = Boolean(job.started_at);
  const steps = [
    step('submitted', job.created_at, true),
    step('queued', job.queued_at, Boolean(job.queued_at) || started),
    step('running', job.started_at, started),
  ];
  if (job.cancel_requested_at) steps.push(step('cancel requested', job.cancel_requested_at, true));
  if (isTerminal(job)) {
    steps.push(step(job.status, job.completed_at, true, job.status === 'succeeded' ? null : reasonText(job)));
  } else {
    steps.push(step('finished', null, false));
  }
  return steps;
}

function attemptRow(a, job) {
  const ended = a.ended_at ? time(a.ended_at) : 'running';
  const cause = a.cause ? a.cause_explanation || a.cause : a.ended_at ? (a.attempt === job.attempt && isTerminal(job) ? job.status : 'ended') : '—';
  const resumed = a.resumed_from ? (a.resumed_from.epoch != null ? 'epoch ' + a.resumed_from.epoch : 'a checkpoint') : 'the start';
  return h(
    'tr',
    { 'data-attempt': String(a.attempt), 'data-cause': a.cause || '' },
    h('td', { text: String(a.attempt) }),
    h('td', { class: 'nowrap', text: time(a.started_at) }),
    h('td', { class: 'nowrap', text: ended }),
    h('td', { text: cause }),
    h('td', { title: a.resumed_from ? a.resumed_from.uri : null, text: resumed }),
  );
}

function eventRow(event) {
  return h(
    'tr',
    { class: 'level-' + event.level, 'data-event-type': event.event_type },
    h('td', { class: 'nowrap', text: time(event.created_at) }),
    h('td', {}, h('span', { class: 'badge level-' + event.level, text: event.level })),
    h('td', { class: 'mono', text: event.event_type }),
    h('td', { text: event.message }),
  );
}

function jobLinks(job, config) {
  const out = [];
  if (config && config.temporal_ui_url && job.workflow_id) {
    const ns = encodeURIComponent(config.temporal_namespace || 'default');
    out.push(h('a', { id: 'link-temporal', href: config.temporal_ui_url + '/namespaces/' + ns + '/workflows/' + encodeURIComponent(job.workflow_id), target: '_blank', rel: 'noopener noreferrer', text: 'Workflow in Temporal UI ↗' }));
  }
  if (config && config.mlflow_url && job.mlflow_run_id) {
    out.push(h('a', { id: 'link-mlflow', href: config.mlflow_url + '/#/runs/' + encodeURIComponent(job.mlflow_run_id), target: '_blank', rel: 'noopener noreferrer', text: 'Run in MLflow ↗' }));
  }
  return out.length ? out.flatMap((a, i) => (i ? [' · ', a] : [a])) : [h('span', { class: 'muted', text: job.mlflow_run_id ? 'MLflow run ' + job.mlflow_run_id : '' })];
}

function specFacts(job) {
  return [
    fact('Framework', job.framework),
    fact('Model', job.model_name),
    fact('Dataset', job.dataset_id),
    fact('Project', job.project_id),
    fact('Epochs', String(job.epochs)),
    fact('Batch size', String(job.batch_size)),
    fact('Learning rate', String(job.learning_rate)),
    fact('Timeouts', 'heartbeat ' + duration(job.heartbeat_timeout_seconds) + ', startup ' + duration(job.startup_timeout_seconds) + ', max runtime ' + duration(job.max_runtime_seconds) + ', cancel grace ' + duration(job.cancel_grace_seconds)),
    fact('Attempts', job.max_attempts > 1 ? 'up to ' + job.max_attempts + ' (a retried attempt resumes from the last checkpoint)' : '1 (a dead trainer fails the job)'),
    fact('Hyperparameters', h('pre', { class: 'json', text: JSON.stringify(job.hyperparameters || {}, null, 2) })),
    fact('Trace id', h('span', { class: 'mono', text: job.trace_id })),
    fact('Workflow id', h('span', { class: 'mono', text: job.workflow_id })),
    fact('Submitted by', job.submitted_by || '—'),
  ];
}

function reported(job) {
  const entries = Object.entries(job.artifacts || {});
  if (!entries.length) return null;
  return h('p', {}, 'Reported by the trainer: ', entries.map(([k, v]) => k + ' = ' + v).join(', '));
}

function artifactList(id, list, job) {
  if (!list.length) {
    return [reported(job), h('p', { class: 'state', text: isTerminal(job) ? 'No artifacts were stored for this job.' : 'Artifacts appear here when the trainer uploads them.' })];
  }
  return [
    reported(job),
    h('ul', { class: 'artifacts' }, list.map((a) =>
      h('li', {},
        h('button', { type: 'button', class: 'link', 'data-artifact': a.name, onclick: (e) => downloadArtifact(a.download_path, a.name, e.target) , text: a.name }),
        h('span', { class: 'muted', text: ' ' + bytes(a.size_bytes) + ' · ' + time(a.last_modified) })))),
  ];
}

function cancelDialog(id, confirm) {
  const close = (value) => () => dialog.close(value);
  const dialog = h(
    'dialog',
    { id: 'cancel-dialog', 'aria-labelledby': 'cancel-title' },
    h('h2', { id: 'cancel-title', text: 'Cancel job #' + id + '?' }),
    h('p', { text: 'The trainer is told to stop at its next heartbeat and reports back; if it does not stop within the grace period it is stopped by force. This cannot be undone.' }),
    h('div', { class: 'buttons' },
      h('button', { type: 'button', id: 'cancel-dismiss', class: 'secondary', autofocus: true, onclick: close('keep'), text: 'Keep running' }),
      h('button', { type: 'button', id: 'cancel-confirm', class: 'danger', onclick: close('cancel'), text: 'Cancel job' })),
  );
  dialog.addEventListener('close', () => {
    if (dialog.returnValue === 'cancel') confirm();
    dialog.returnValue = '';
  });
  return dialog;
}

// The job list: filters (status, project, model, free text on job id or trace id), pages of 50
// newest first, and live updates from GET /v1/jobs/stream (which cannot filter by status: a job
// leaving the status must still reach us, so status is applied here).
import { api, query } from '../api.js';
import { fill, h } from '../dom.js';
import { STATUSES, attemptBadge, progressBar, statusBadge, time } from '../format.js';
import { liveIndicator } from '../live.js';
import { openStream } from '../sse.js';

const PAGE = 50;

export async function render(view, params, ctx) {
  view.dataset.title = 'Jobs';
  const filter = {
    status: params.status || '',
    project: params.project || '',
    model: params.model || '',
    q: params.q || '',
  };
  const live = liveIndicator();
  const body = h('tbody', { id: 'job-rows' });
  const table = h(
    'table',
    { class: 'jobs', id: 'job-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Job', 'Status', 'Progress', 'Model', 'Dataset', 'Project', 'Created'].map((t) =>
          h('th', { scope: 'col', text: t }),
        ),
      ),
    ),
    body,
  );
  const state = h('div', { id: 'jobs-state', role: 'status' });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' });
  fill(
    view,
    h('div', { class: 'title-row' }, h('h1', { text: 'Jobs' }), live),
    filters(filter, ctx),
    state,
    h('div', { class: 'table-wrap' }, table),
    pager,
  );

  const rows = new Map(); // job id -> tr
  let page;
  fill(state, h('p', { class: 'state', text: 'Loading jobs…' }));
  try {
    page = await api('/v1/jobs' + query({ ...filter, limit: PAGE, before: params.before }));
  } catch (e) {
    fill(state, h('p', { class: 'error', role: 'alert', text: 'Could not load jobs: ' + e.message }));
    fillErrors(view, e.errors);
    live.set('failed');
    return;
  }
  for (const job of page.jobs) {
    const tr = row(job);
    rows.set(job.job_id, tr);
    body.append(tr);
  }
  showEmpty();
  fill(
    pager,
    params.before ? h('a', { href: link({ ...filter }), class: 'button secondary', text: 'Newest' }) : null,
    page.next_before
      ? h('a', {
          href: link({ ...filter, before: page.next_before }),
          class: 'button secondary',
          id: 'older',
          text: 'Older',
        })
      : null,
  );

  function showEmpty() {
    table.hidden = rows.size === 0;
    if (rows.size > 0) {
      fill(state);
      return;
    }
    const filtered = Object.values(filter).some(Boolean);
    fill(
      state,
      h(
        'p',
        { class: 'state', id: 'jobs-empty' },
        filtered ? 'No job matches these filters. ' : 'No jobs yet. ',
        filtered ? h('a', { href: '#/jobs', text: 'Clear the filters' }) : null,
        filtered ? ' or ' : '',
        h('a', { href: '#/submit', text: filtered ? 'submit a job' : 'Submit a job' }),
        filtered ? '.' : ' to see it here.',
      ),
    );
  }

  // Live: the stream reports every job that changes; rows in view are redrawn, and new jobs go
  // on top of the first page.
  const stream = openStream(
    '/v1/jobs/stream' + query({ project: filter.project, model: filter.model, q: filter.q }),
    {
      onState: (s, detail) => live.set(s, detail),
      onMessage: (event, data) => {
        if (event === 'reset') {
          window.dispatchEvent(new HashChangeEvent('hashchange')); // reload this page
          return;
        }
        if (event !== 'job') return;
        const job = JSON.parse(data);
        const old = rows.get(job.job_id);
        if (old) {
          const fresh = row(job);
          old.replaceWith(fresh);
          rows.set(job.job_id, fresh);
        } else if (!params.before && (!filter.status || filter.status === job.status)) {
          const newest = rows.size ? Math.max(...rows.keys()) : 0;
          if (job.job_id > newest) {
            const tr = row(job);
            rows.set(job.job_id, tr);
            body.prepend(tr);
            showEmpty();
          }
        }
      },
    },
  );
  return () => stream.close();
}

function row(job) {
  const cell = (label, ...content) => h('td', { 'data-label': label }, ...content);
  return h(
    'tr',
    { 'data-job-id': String(job.job_id), 'data-status': job.status },
    cell(
      'Job',
      h('a', { href: '#/jobs/' + job.job_id, class: 'job-link', text: '#' + job.job_id }),
      h('div', { class: 'muted mono', title: job.trace_id, text: job.trace_id.slice(0, 12) }),
    ),
    cell('Status', statusBadge(job), attemptBadge(job) ? ' ' : null, attemptBadge(job)),
    cell('Progress', progressBar(job)),
    cell('Model', job.model_name),
    cell('Dataset', job.dataset_id),
    cell('Project', job.project_id),
    cell('Created', h('span', { text: time(job.created_at) })),
  );
}

function link(params) {
  return '#/jobs' + query(params);
}

function filters(filter, ctx) {
  const status = h(
    'select',
    { id: 'filter-status', name: 'status' },
    h('option', { value: '', text: 'any status' }),
    STATUSES.map((s) => h('option', { value: s, text: s, selected: s === filter.status })),
  );
  const input = (name, label, placeholder) =>
    h('input', {
      id: 'filter-' + name,
      name,
      value: filter[name],
      placeholder,
      'aria-label': label,
      autocomplete: 'off',
    });
  const project = ctx.me.project
    ? null
    : field('project', 'Project', input('project', 'Project', 'any project'));
  const form = h(
    'form',
    { class: 'filters', id: 'job-filters', role: 'search' },
    field('status', 'Status', status),
    project,
    field('model', 'Model', input('model', 'Model', 'any model')),
    field('q', 'Job or trace id', input('q', 'Job or trace id', 'e.g. 42 or 3f2a…')),
    h('button', { type: 'submit', id: 'filter-apply', text: 'Filter' }),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = {};
    for (const el of form.elements) if (el.name) next[el.name] = el.value.trim();
    location.hash = link(next);
  });
  return form;
}

function field(name, label, control) {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: 'filter-' + name, text: label }),
    control,
    h('span', { class: 'field-error', id: 'filter-' + name + '-error', 'data-field': name }),
  );
}

function fillErrors(view, errors = {}) {
  for (const [name, reason] of Object.entries(errors)) {
    const el = view.querySelector('#filter-' + name + '-error');
    if (el) el.textContent = reason;
  }
}

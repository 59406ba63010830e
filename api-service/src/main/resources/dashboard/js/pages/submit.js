// Submit a job: POST /v1/jobs. The API checks every field; its reasons appear next to the fields.
// The hyperparameters' JSON is parsed here first, since a syntax error is better shown at once.
import { api } from '../api.js';
import { fill, h } from '../dom.js';
import { clearErrors, field, projectControl, showErrors, summaryBox } from '../forms.js';

const P = 'submit';

export async function render(view, params, ctx) {
  view.dataset.title = 'Submit a job';
  fill(view, h('p', { class: 'state', text: 'Loading…' }));
  let project;
  try {
    project = await projectControl(ctx, params.project);
  } catch (e) {
    fill(view, h('p', { class: 'error', role: 'alert', text: 'Could not load the projects: ' + e.message }));
    return;
  }
  const frameworks = ctx.config.frameworks || [];
  const framework = frameworks.length
    ? h('select', {}, frameworks.map((f) => h('option', { value: f, text: f, selected: f === (params.framework || 'ultralytics') })))
    : h('input', { placeholder: 'e.g. ultralytics' });
  const dataset = h('select', {});
  const datasetBox = h('div', { id: 'dataset-box' });
  const number = (value, attrs = {}) => h('input', { type: 'number', inputmode: 'decimal', value, ...attrs });
  const summary = summaryBox('submit-summary');
  const button = h('button', { type: 'submit', id: 'submit-button', text: 'Submit job' });
  let idempotencyKey = crypto.randomUUID();

  const form = h(
    'form',
    { class: 'card form', id: 'submit-form', novalidate: true },
    h('h1', { text: 'Submit a training job' }),
    summary,
    field(P, 'project_id', 'Project', project),
    field(P, 'framework', 'Framework', framework, frameworks.length ? null : 'No worker has registered a framework yet; type one.'),
    field(P, 'model_name', 'Model', h('input', { value: params.model || '', placeholder: 'e.g. yolov8n', autocomplete: 'off' })),
    datasetBox,
    h('div', { class: 'row' },
      field(P, 'epochs', 'Epochs', number('10', { min: '1', step: '1' })),
      field(P, 'batch_size', 'Batch size', number('16', { min: '1', step: '1' })),
      field(P, 'learning_rate', 'Learning rate', number('0.01', { min: '0', step: 'any' }))),
    h('div', { class: 'row' },
      // named `retry`: the API's reasons for any retry.* field appear under it
      field(P, 'retry', 'Max attempts', number('', { min: '1', max: '20', step: '1', placeholder: 'default' }), 'A trainer that dies (OOM, preemption, crash) is retried from its last checkpoint.'),
      field(P, 'checkpoint_every_epochs', 'Checkpoint every (epochs)', number('', { min: '1', step: '1', placeholder: '1' }))),
    h('details', { class: 'timeouts' },
      h('summary', { text: 'Timeouts (optional, seconds)' }),
      h('div', { class: 'row' },
        field(P, 'heartbeat_timeout_seconds', 'Heartbeat timeout', number('', { min: '1', placeholder: 'default' })),
        field(P, 'startup_timeout_seconds', 'Startup timeout', number('', { min: '1', placeholder: 'default' })),
        field(P, 'max_runtime_seconds', 'Max runtime', number('', { min: '1', placeholder: 'default' })),
        field(P, 'cancel_grace_seconds', 'Cancel grace', number('', { min: '0', placeholder: 'default' })))),
    field(P, 'hyperparameters', 'Hyperparameters (JSON object)', h('textarea', { rows: '4', spellcheck: 'false', class: 'mono' }, '{}'), 'Passed to the trainer as HYPERPARAMETERS, e.g. {"imgsz": 640}.'),
    h('div', { class: 'buttons' }, button),
  );
  fill(view, form);

  async function loadDatasets() {
    const chosen = project.value;
    fill(datasetBox, h('p', { class: 'state', text: 'Loading datasets of ' + chosen + '…' }));
    let list = null;
    let why = '';
    try {
      list = (await api('/v1/projects/' + encodeURIComponent(chosen) + '/datasets')).datasets;
    } catch (e) {
      why = 'Could not list the datasets (' + e.message + '); type the dataset id.';
    }
    let control;
    if (list && list.length) {
      control = h('select', {}, list.map((d) => h('option', { value: d.dataset_id, text: d.dataset_id, selected: d.dataset_id === params.dataset })));
    } else {
      control = h('input', { value: params.dataset || '', placeholder: 'dataset id', autocomplete: 'off' });
      if (list) why = 'No dataset uploaded to ' + chosen + ' yet: upload one on the Datasets page, or type the id of one the trainer can find.';
    }
    fill(datasetBox, field(P, 'dataset_id', 'Dataset', control, why || null));
  }
  project.addEventListener('change', loadDatasets);
  await loadDatasets();

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form, summary);
    const value = (name) => form.elements[name].value.trim();
    const numberOrNone = (name) => (value(name) === '' ? undefined : Number(value(name)));
    let hyperparameters;
    try {
      hyperparameters = JSON.parse(value('hyperparameters') || '{}');
      if (typeof hyperparameters !== 'object' || hyperparameters === null || Array.isArray(hyperparameters)) {
        throw new Error('it must be a JSON object, like {"imgsz": 640}');
      }
    } catch (err) {
      showErrors(form, P, summary, '', { hyperparameters: 'is not a JSON object: ' + err.message });
      return;
    }
    const body = {
      project_id: value('project_id'),
      framework: value('framework'),
      model_name: value('model_name'),
      dataset_id: value('dataset_id'),
      epochs: numberOrNone('epochs'),
      batch_size: numberOrNone('batch_size'),
      learning_rate: numberOrNone('learning_rate'),
      heartbeat_timeout_seconds: numberOrNone('heartbeat_timeout_seconds'),
      startup_timeout_seconds: numberOrNone('startup_timeout_seconds'),
      max_runtime_seconds: numberOrNone('max_runtime_seconds'),
      cancel_grace_seconds: numberOrNone('cancel_grace_seconds'),
      checkpoint_every_epochs: numberOrNone('checkpoint_every_epochs'),
      retry: value('retry') === '' ? undefined : { max_attempts: numberOrNone('retry') },
      hyperparameters,
    };
    button.disabled = true;
    button.textContent = 'Submitting…';
    try {
      // the same key for a retry of this very form: a double click or a lost reply submits once
      const job = await api('/v1/jobs', { method: 'POST', json: body, headers: { 'Idempotency-Key': idempotencyKey } });
      idempotencyKey = crypto.randomUUID();
      location.hash = '#/jobs/' + job.job_id;
    } catch (err) {
      // refused: the next try is a new request; not answered: the same one again
      if (err.status >= 400 && err.status < 500) idempotencyKey = crypto.randomUUID();
      showErrors(form, P, summary, 'The job was not submitted: ' + err.message, err.errors);
    } finally {
      button.disabled = false;
      button.textContent = 'Submit job';
    }
  });
}

// A project's datasets: the list (GET /v1/projects/{p}/datasets) and an upload form that sends
// the zip as the raw body (POST ...?dataset_id=&overwrite=). The API checks the archive (a
// data.yaml naming train and val folders) and answers why it refuses one.
import { api, query } from '../api.js';
import { fill, h } from '../dom.js';
import { bytes, time } from '../format.js';
import { clearErrors, field, projectControl, showErrors, summaryBox } from '../forms.js';

const P = 'upload';

export async function render(view, params, ctx) {
  view.dataset.title = 'Datasets';
  fill(view, h('p', { class: 'state', text: 'Loading…' }));
  let project;
  try {
    project = await projectControl(ctx, params.project);
  } catch (e) {
    fill(view, h('p', { class: 'error', role: 'alert', text: 'Could not load the projects: ' + e.message }));
    return;
  }
  const listBox = h('div', { id: 'dataset-list' });
  const summary = summaryBox('upload-summary');
  const done = h('p', { id: 'upload-done', class: 'notice', role: 'status', hidden: true });
  const file = h('input', { type: 'file', accept: '.zip,application/zip' });
  const id = h('input', { placeholder: 'e.g. coco128', autocomplete: 'off' });
  const overwrite = h('input', { type: 'checkbox', id: 'upload-overwrite' });
  const button = h('button', { type: 'submit', id: 'upload-button', text: 'Upload' });
  const form = h(
    'form',
    { class: 'card form', id: 'upload-form', novalidate: true },
    h('h2', { text: 'Upload a dataset' }),
    summary,
    done,
    field(P, 'file', 'Zip archive', file, 'A zip with a data.yaml (at the top or in one folder) naming its train and val folders and its class names.'),
    field(P, 'dataset_id', 'Dataset id', id, 'Letters, digits, “.”, “_” and “-”; jobs name the dataset by it.'),
    h('label', { class: 'inline' }, overwrite, ' Replace a dataset with this id'),
    h('div', { class: 'buttons' }, button),
  );
  fill(
    view,
    h('h1', { text: 'Datasets' }),
    h('div', { class: 'card' }, field('datasets', 'project', 'Project', project), listBox),
    form,
  );

  file.addEventListener('change', () => {
    // the file's name is the likely id: offer it, never overwrite what the user typed
    const name = file.files[0] ? file.files[0].name.replace(/\.zip$/i, '') : '';
    if (!id.value && name) id.value = name.replace(/[^A-Za-z0-9._-]/g, '-');
  });

  async function loadList() {
    fill(listBox, h('p', { class: 'state', text: 'Loading datasets…' }));
    try {
      const { datasets } = await api('/v1/projects/' + encodeURIComponent(project.value) + '/datasets');
      fill(
        listBox,
        datasets.length
          ? h('table', { class: 'datasets', id: 'dataset-table' },
              h('thead', {}, h('tr', {}, ['Dataset', 'Size', 'Uploaded', ''].map((t) => h('th', { scope: 'col', text: t })))),
              h('tbody', {}, datasets.map((d) => h('tr', { 'data-dataset-id': d.dataset_id },
                h('td', { class: 'mono', 'data-label': 'Dataset', text: d.dataset_id }),
                h('td', { 'data-label': 'Size', text: bytes(d.size_bytes) }),
                h('td', { 'data-label': 'Uploaded', text: time(d.last_modified) }),
                h('td', {}, h('a', { href: '#/submit' + query({ project: project.value, dataset: d.dataset_id }), text: 'Train on it' }))))))
          : h('p', { class: 'state', id: 'datasets-empty', text: 'No datasets in ' + project.value + ' yet. Upload one below.' }),
      );
    } catch (e) {
      fill(listBox, h('p', { class: 'error', role: 'alert', text: e.status === 503 ? 'This API has no object storage configured, so it cannot hold datasets.' : 'Could not list datasets: ' + e.message }));
    }
  }
  project.addEventListener('change', loadList);
  await loadList();

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form, summary);
    done.hidden = true;
    const zip = file.files[0];
    if (!zip) {
      showErrors(form, P, summary, '', { file: 'choose a .zip file to upload' });
      return;
    }
    button.disabled = true;
    button.textContent = 'Uploading ' + bytes(zip.size) + '…';
    try {
      const path = '/v1/projects/' + encodeURIComponent(project.value) + '/datasets' + query({ dataset_id: id.value.trim(), overwrite: overwrite.checked ? 'true' : '' });
      const reply = await api(path, { method: 'POST', body: zip, headers: { 'Content-Type': 'application/zip' } });
      done.hidden = false;
      done.textContent = 'Uploaded ' + reply.dataset_id + ': ' + reply.images + ' images, classes ' + (reply.classes || []).join(', ') + '.';
      form.reset();
      await loadList();
    } catch (err) {
      const errors = { ...err.errors };
      // the archive's own problems (422), its size (413) and a name clash (409) belong to a field
      if (err.status === 422 || err.status === 413) errors.file = err.message;
      if (err.status === 409) errors.dataset_id = err.message + ' (tick “Replace” to do so)';
      showErrors(form, P, summary, 'The dataset was not uploaded: ' + err.message, errors);
    } finally {
      button.disabled = false;
      button.textContent = 'Upload';
    }
  });
}

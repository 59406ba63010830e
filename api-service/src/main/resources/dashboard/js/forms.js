// Form fields with a place for the API's reason under each one: a problem+json's `errors` maps a
// request field (`epochs`, `hyperparameters.lr`) to what is wrong, and showErrors puts each reason
// under the field it names, or in the form's summary when no field on the form has that name.
import { api } from './api.js';
import { fill, h } from './dom.js';

export function field(prefix, name, label, control, help) {
  control.id = prefix + '-' + name;
  control.name = name;
  control.setAttribute('aria-describedby', prefix + '-' + name + '-error' + (help ? ' ' + prefix + '-' + name + '-help' : ''));
  return h(
    'div',
    { class: 'field', 'data-field': name },
    h('label', { for: control.id, text: label }),
    control,
    help ? h('p', { class: 'help', id: prefix + '-' + name + '-help', text: help }) : null,
    h('p', { class: 'field-error', id: prefix + '-' + name + '-error', 'data-testid': 'error-' + name }),
  );
}

export function clearErrors(form, summary) {
  for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  fill(summary);
}

/** Shows each reason next to its field; returns how many had no field (shown in the summary). */
export function showErrors(form, prefix, summary, detail, errors = {}) {
  const unplaced = [];
  for (const [path, reason] of Object.entries(errors)) {
    const name = path.split(/[.[]/)[0];
    const slot = form.querySelector('#' + CSS.escape(prefix + '-' + name + '-error'));
    if (!slot) {
      unplaced.push(path + ' ' + reason);
      continue;
    }
    slot.textContent = (slot.textContent ? slot.textContent + '; ' : '') + (path === name ? reason : path + ' ' + reason);
    const control = form.querySelector('#' + CSS.escape(prefix + '-' + name));
    if (control) control.setAttribute('aria-invalid', 'true');
  }
  fill(
    summary,
    h('p', { text: Object.keys(errors).length ? 'Please fix the fields marked below.' : detail }),
    unplaced.length ? h('ul', {}, unplaced.map((u) => h('li', { text: u }))) : null,
  );
  // the first field in the form's order, so the keyboard user starts from the top
  (form.querySelector('[aria-invalid="true"]') || summary).focus();
}

export function summaryBox(id) {
  return h('div', { id, class: 'form-summary error', role: 'alert', tabindex: '-1' });
}

/**
 * The project the form works in: a project key's own project, fixed; for a global admin, a choice
 * of the projects it may see.
 */
export async function projectControl(ctx, selected) {
  if (ctx.me.project) {
    return h('input', { value: ctx.me.project, readonly: true });
  }
  const list = await api('/v1/projects');
  return h(
    'select',
    {},
    list.projects.map((p) => h('option', { value: p.name, text: p.name, selected: p.name === selected })),
  );
}

// Login: the user pastes an API key; it is checked with GET /v1/whoami before it is kept.
import { ApiError } from '../api.js';
import { fill, h } from '../dom.js';
import { session } from '../session.js';

export function render(view, params, ctx) {
  view.dataset.title = 'Log in';
  ctx.next = params.next && params.next !== '#/login' ? params.next : null;
  const key = h('input', {
    id: 'login-key',
    name: 'key',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    placeholder: 'ty_…',
    'aria-describedby': 'login-help login-error',
  });
  const error = h('p', { id: 'login-error', class: 'field-error', role: 'alert' });
  const button = h('button', { id: 'login-submit', type: 'submit', text: 'Log in' });
  const form = h(
    'form',
    { class: 'card narrow', id: 'login-form', novalidate: true },
    h('h1', { text: 'Log in to Trainyard' }),
    ctx.notice ? h('p', { class: 'notice', text: ctx.notice }) : null,
    h('label', { for: 'login-key', text: 'API key' }),
    key,
    h(
      'p',
      { id: 'login-help', class: 'help' },
      'Paste a key made with ',
      h('code', { text: 'trainyard admin create-key' }),
      ' (the dev stack keeps its admin key in ',
      h('code', { text: '.trainyard/admin-api-key' }),
      '). It is kept in this tab only and sent as an Authorization header; no cookie is set.',
    ),
    error,
    button,
  );
  ctx.notice = null;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const value = key.value.trim();
    fill(error);
    if (!/^ty_\S+$/.test(value)) {
      fill(error, 'An API key starts with “ty_” and has no spaces; check that you pasted all of it.');
      key.setAttribute('aria-invalid', 'true');
      key.focus();
      return;
    }
    button.disabled = true;
    session.set(value);
    try {
      await ctx.signIn();
      ctx.signedIn();
    } catch (err) {
      session.clear();
      ctx.me = null;
      key.setAttribute('aria-invalid', 'true');
      fill(error, loginError(err));
      key.focus();
    } finally {
      button.disabled = false;
    }
  });
  fill(view, form);
  key.focus();
}

function loginError(err) {
  if (!(err instanceof ApiError) || err.status === 0) return err.message;
  if (err.status === 401) {
    return (
      'This key was not accepted: it is wrong, expired or revoked. ' +
      'Check it, or ask an admin for a new one.'
    );
  }
  return 'Login failed: ' + err.message;
}

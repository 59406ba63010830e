// The dashboard's shell: login gate, hash routes (#/jobs, #/jobs/12, #/submit, #/datasets) and
// the header. Each page module exports render(view, params, ctx) and may return a cleanup
// function (closing its streams) that runs when the user leaves the page.
import { api } from './api.js';
import { fill, h } from './dom.js';
import { session } from './session.js';
import * as login from './pages/login.js';
import * as jobs from './pages/jobs.js';
import * as job from './pages/job.js';
import * as submit from './pages/submit.js';
import * as datasets from './pages/datasets.js';

const view = document.getElementById('view');
const ctx = { me: null, config: null, notice: null };
let cleanup = null;

function parse(hash) {
  const [path, search] = hash.replace(/^#/, '').split('?');
  const params = Object.fromEntries(new URLSearchParams(search || ''));
  const parts = (path || '/jobs').split('/').filter(Boolean);
  if (parts[0] === 'jobs' && /^\d+$/.test(parts[1] || '')) {
    return { page: job, name: 'jobs', params: { ...params, id: parts[1] } };
  }
  const pages = { jobs, submit, datasets, login };
  return { page: pages[parts[0]] || jobs, name: parts[0] in pages ? parts[0] : 'jobs', params };
}

async function route() {
  if (cleanup) cleanup();
  cleanup = null;
  const { page, name, params } = parse(location.hash);
  if (!session.key() || !ctx.me) {
    if (session.key() && (await restore())) return route();
    showHeader(false);
    cleanup = login.render(view, { ...params, next: name === 'login' ? '' : location.hash }, ctx);
    return;
  }
  if (page === login) {
    location.hash = '#/jobs';
    return;
  }
  showHeader(true, name);
  cleanup = (await page.render(view, params, ctx)) || null;
  document.title = (view.dataset.title ? view.dataset.title + ' · ' : '') + 'Trainyard';
}

/** A key kept from before a reload: checked again, since it may have been revoked meanwhile. */
async function restore() {
  try {
    await signIn();
    return true;
  } catch (e) {
    if (e.status === 401) session.clear();
    ctx.notice = e.message;
    return false;
  }
}

async function signIn() {
  ctx.me = await api('/v1/whoami');
  ctx.config = await api('/v1/dashboard/config');
}

function showHeader(signedIn, current) {
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('logout').hidden = !signedIn;
  const who = document.getElementById('who');
  if (!signedIn) {
    fill(who);
    return;
  }
  const me = ctx.me;
  fill(
    who,
    h('span', { 'data-testid': 'whoami', text: me.name + ' · ' + me.role }),
    ' ',
    h('span', { class: 'muted', text: me.project ? 'project ' + me.project : 'all projects' }),
  );
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.nav === current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function logout(message) {
  session.clear();
  ctx.me = null;
  ctx.config = null;
  ctx.notice = message || null;
  if (location.hash === '#/login') route();
  else location.hash = '#/login';
}

document.getElementById('logout').addEventListener('click', () => logout('You are logged out.'));
window.addEventListener('trainyard:unauthorized', (e) => {
  if (ctx.me) logout('The API refused your key (' + e.detail + '). Paste a valid key to go on.');
});
window.addEventListener('hashchange', route);
ctx.signIn = signIn;
ctx.signedIn = () => {
  const next = ctx.next || '#/jobs';
  ctx.next = null;
  if (location.hash === next) route();
  else location.hash = next;
};
route();

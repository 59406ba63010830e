// How jobs read on screen: status badges, progress and ETA, times, and failure reasons in words.
import { h } from './dom.js';

export const STATUSES = ['pending', 'queued', 'running', 'succeeded', 'failed', 'cancelled'];
export const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

export function isTerminal(job) {
  return TERMINAL.has(job.status);
}

/** The status as a badge; a running job whose cancel was asked says so (cancel's first phase). */
export function statusBadge(job) {
  const cancelling = job.cancel_requested_at && !isTerminal(job);
  return h('span', {
    class: 'badge status-' + job.status + (cancelling ? ' cancelling' : ''),
    'data-testid': 'status',
    'data-status': job.status,
    text: cancelling ? job.status + ' · cancelling' : job.status,
  });
}

/** "attempt 2" beside the status of a job on a later attempt than its first; null otherwise. */
export function attemptBadge(job) {
  if (!(job.attempt > 1)) return null;
  const of = job.max_attempts > 1 ? ' of ' + job.max_attempts : '';
  return h('span', { class: 'badge attempt', 'data-testid': 'attempt', 'data-attempt': String(job.attempt), text: 'attempt ' + job.attempt + of });
}

/** Seconds left, from the rate since the job started; null when it cannot be told yet. */
export function etaSeconds(job, now = Date.now()) {
  if (job.status !== 'running' || !job.started_at || !(job.progress > 0) || job.progress >= 100) {
    return null;
  }
  const elapsed = (now - Date.parse(job.started_at)) / 1000;
  return elapsed > 0 ? (elapsed * (100 - job.progress)) / job.progress : null;
}

export function progressBar(job) {
  const percent = Math.max(0, Math.min(100, Number(job.progress) || 0));
  const eta = etaSeconds(job);
  let label = percent.toFixed(percent % 1 ? 1 : 0) + ' %';
  if (job.epochs) label += ' · epoch ' + (job.current_epoch || 0) + '/' + job.epochs;
  if (eta !== null) label += ' · ETA ' + duration(eta);
  return h(
    'div',
    { class: 'progress', 'data-testid': 'progress', 'data-progress': String(percent) },
    h('progress', { max: '100', value: String(percent), 'aria-label': 'progress ' + label }),
    h('span', { class: 'progress-label', text: label }),
  );
}

export function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const parts = [];
  if (s >= 86400) parts.push(Math.floor(s / 86400) + ' d');
  if (s >= 3600 && s % 86400 >= 3600) parts.push(Math.floor((s % 86400) / 3600) + ' h');
  if (s < 86400 && s % 3600 >= 60) parts.push(Math.floor((s % 3600) / 60) + ' min');
  if (s < 3600 && (s % 60 || s === 0)) parts.push((s % 60) + ' s');
  return parts.join(' ');
}

export function time(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return date.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

export function ago(iso, now = Date.now()) {
  if (!iso) return '—';
  return duration((now - Date.parse(iso)) / 1000) + ' ago';
}

export function bytes(n) {
  if (n < 1024) return n + ' B';
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return value.toFixed(1) + ' ' + units[unit];
}

/**
 * What happened, in words a user can act on: the API's `failure_explanation` (its FailureReasons
 * owns the words, so the dashboard, `trainyard explain` and the API say the same), with the bare
 * reason and message for an API that predates it.
 */
export function reasonText(job) {
  if (job.failure_explanation) return job.failure_explanation;
  const message = job.error_message ? ' The message was: “' + job.error_message + '”.' : '';
  return job.failure_reason ? job.failure_reason + '.' + message : message.trim();
}

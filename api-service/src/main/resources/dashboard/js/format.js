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

/** What happened, in words a user can act on; the trainer's own message where there is one. */
export function reasonText(job) {
  const message = job.error_message ? ' The message was: “' + job.error_message + '”.' : '';
  switch (job.failure_reason) {
    case 'startup_timeout':
      return (
        'The trainer never called back within the startup timeout (' +
        duration(job.startup_timeout_seconds) +
        '). Check that it starts and can reach the API at its BACKEND_BASE_URL.' +
        message
      );
    case 'heartbeat_timeout':
      return (
        'The trainer stopped sending heartbeats for longer than the heartbeat timeout (' +
        duration(job.heartbeat_timeout_seconds) +
        '): it hung, lost its network, or its machine went away. Its log below may say more.' +
        message
      );
    case 'trainer_exited':
      return (
        'The trainer process ended without reporting a result (it crashed or was killed).' +
        ' Its log below shows its last words.' +
        message
      );
    case 'trainer_reported_failure':
      return 'The trainer reported that training failed.' + message;
    case 'launch_failed':
      return 'The trainer could not be started.' + message;
    case 'deadline_exceeded':
      return (
        'The job ran longer than its maximum runtime (' +
        duration(job.max_runtime_seconds) +
        ') and was stopped.' +
        message
      );
    case 'cancelled_by_user':
      return 'Cancelled on request; the trainer stopped cleanly and reported back.';
    case 'cancel_forced':
      return (
        'Cancelled on request; the trainer did not stop within the grace period (' +
        duration(job.cancel_grace_seconds) +
        ') and was stopped by force.'
      );
    case 'workflow_cancelled':
      return "The job's workflow was cancelled or terminated in Temporal, outside Trainyard.";
    default:
      return job.failure_reason ? job.failure_reason + '.' + message : message.trim();
  }
}

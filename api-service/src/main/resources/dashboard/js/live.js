// The "live" indicator every page with a stream shows, so a user knows whether what they see is
// current: connecting, live, reconnecting (with why), ended, or failed.
import { h } from './dom.js';

const WORDS = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting',
  ended: 'Finished',
  failed: 'Live updates unavailable',
};

export function liveIndicator() {
  const el = h('span', {
    id: 'live-state',
    class: 'live',
    'data-state': 'connecting',
    role: 'status',
    text: WORDS.connecting,
  });
  el.set = (state, detail) => {
    el.dataset.state = state;
    el.textContent = WORDS[state] + (detail ? ': ' + detail : '');
  };
  return el;
}

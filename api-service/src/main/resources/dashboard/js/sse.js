// Server-Sent Events over fetch(). EventSource cannot send an Authorization header, and the key
// must never go into a URL or a cookie, so this reads the text/event-stream body itself.
// Reconnects with Last-Event-ID after a drop (the server resumes without gaps), backing off
// from the server's `retry:` up to MAX_BACKOFF_MS, and stops for good after `event: end`.
import { authHeaders, problem } from './api.js';

const MAX_BACKOFF_MS = 10_000;
// The server sends a keepalive comment every 15 s: silence for longer means a dead connection.
const SILENCE_MS = 40_000;

/**
 * @param path the stream's URL path (with its query)
 * @param onMessage called with (event, data, id) for each message; data is the raw text
 * @param onState called with 'connecting' | 'live' | 'reconnecting' | 'ended' | 'failed', detail
 * @returns {{close: function}}
 */
export function openStream(path, { onMessage, onState = () => {} }) {
  let lastEventId = null;
  let retryMs = 2000;
  let failures = 0;
  let closed = false;
  let controller = null;
  // A page the browser keeps in its back/forward cache would hold its stream's connection open
  // while hidden: with HTTP/1.1's six connections per host, the seventh page load in a row then
  // waited about a minute for one (measured in headless chromium). So the stream closes when the
  // page is hidden that way and resumes, from its last id, when the page is shown again.
  let hidden = false;
  let shown = null;
  const onHide = () => {
    hidden = true;
    if (controller) controller.abort();
  };
  const onShow = () => {
    hidden = false;
    if (shown) shown();
  };
  window.addEventListener('pagehide', onHide);
  window.addEventListener('pageshow', onShow);

  async function run() {
    onState('connecting');
    while (!closed) {
      if (hidden) await new Promise((resolve) => (shown = resolve));
      shown = null;
      controller = new AbortController();
      const headers = authHeaders({ Accept: 'text/event-stream' });
      if (lastEventId) headers['Last-Event-ID'] = lastEventId;
      let reason;
      try {
        const response = await fetch(path, {
          headers,
          signal: controller.signal,
          cache: 'no-store',
        });
        if (response.status >= 400 && response.status < 500 && response.status !== 429) {
          // refused (bad filter, no access, gone): asking again cannot change the answer
          const error = await problem(response);
          onState('failed', error.message);
          return;
        }
        if (!response.ok) throw new Error('HTTP ' + response.status);
        onState('live');
        failures = 0;
        if (await read(response.body)) {
          onState('ended');
          return;
        }
        reason = 'the server closed the stream';
      } catch (e) {
        if (closed) return;
        if (hidden) continue; // closed for the back/forward cache: resume when shown
        reason = e.name === 'AbortError' ? 'no data for a while' : 'the connection was lost';
      }
      const wait = Math.min(retryMs * 2 ** failures, MAX_BACKOFF_MS) * (0.8 + Math.random() * 0.4);
      failures++;
      onState('reconnecting', reason + '; reconnecting in ' + Math.round(wait / 1000) + ' s');
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** Reads messages until the body ends; true if the server said `end`. */
  async function read(body) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let watchdog = setTimeout(() => controller.abort(), SILENCE_MS);
    const parser = new SseParser({
      message: (event, data) => {
        onMessage(event, data, lastEventId);
        return event === 'end';
      },
      id: (id) => (lastEventId = id),
      retry: (ms) => (retryMs = ms),
    });
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return false;
        clearTimeout(watchdog);
        watchdog = setTimeout(() => controller.abort(), SILENCE_MS);
        if (parser.push(value)) {
          controller.abort(); // the server closes too; nothing more is wanted either way
          return true;
        }
      }
    } finally {
      clearTimeout(watchdog);
    }
  }

  run();
  return {
    close() {
      closed = true;
      window.removeEventListener('pagehide', onHide);
      window.removeEventListener('pageshow', onShow);
      if (controller) controller.abort();
    },
  };
}

/** The text/event-stream grammar (WHATWG HTML, "event stream interpretation"), incrementally. */
export class SseParser {
  /** handlers: message(event, data) returning true to stop, id(lastEventId), retry(ms). */
  constructor(handlers) {
    this.handlers = handlers;
    this.buffer = '';
    this.idBuffer = null;
    this.reset();
  }

  reset() {
    this.event = '';
    this.data = [];
  }

  /** Feeds a chunk; true once a dispatched message asked to stop. */
  push(chunk) {
    this.buffer += chunk;
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      // a CR at the very end may be the first half of CRLF: wait for the next chunk
      if (!match || (match[0] === '\r' && match.index === this.buffer.length - 1)) return false;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      if (this.line(line)) return true;
    }
  }

  line(line) {
    if (line === '') {
      if (this.idBuffer !== null) this.handlers.id(this.idBuffer);
      this.idBuffer = null;
      const event = this.event || 'message';
      const data = this.data;
      this.reset();
      return data.length > 0 && this.handlers.message(event, data.join('\n'));
    }
    if (line.startsWith(':')) return false; // a comment: the keepalive
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.idBuffer = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.handlers.retry(Number(value));
    return false;
  }
}

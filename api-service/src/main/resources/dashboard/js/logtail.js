// The trainer log, followed live: GET /v1/jobs/{id}/logs?tail=N&follow=true streams plain text
// until the job ends. After a drop (an API restart) it asks for the tail again and replaces what
// it showed, so nothing is shown twice; before the trainer starts the API has no log yet and
// answers at once with nothing, so it asks again a little later.
import { authHeaders, problem } from './api.js';

const RETRY_MS = 2000;

export function followLog(jobId, tail, { onReset, onText, isDone }) {
  let closed = false;
  let controller = null;

  async function run() {
    while (!closed) {
      controller = new AbortController();
      let fresh = true;
      try {
        const response = await fetch('/v1/jobs/' + jobId + '/logs?tail=' + tail + '&follow=true', {
          headers: authHeaders({ Accept: 'text/plain' }),
          signal: controller.signal,
          cache: 'no-store',
        });
        if (!response.ok) {
          const error = await problem(response);
          // a proxy between replicas may say 502/504 for a moment; anything else is an answer
          if (response.status !== 502 && response.status !== 504) {
            onReset();
            onText('[The log is not available: ' + error.message + ']\n');
            return;
          }
        } else {
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            if (fresh) onReset();
            fresh = false;
            onText(value);
          }
        }
      } catch (e) {
        if (closed) return;
      }
      if (isDone()) return;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }

  run();
  return {
    close() {
      closed = true;
      if (controller) controller.abort();
    },
  };
}

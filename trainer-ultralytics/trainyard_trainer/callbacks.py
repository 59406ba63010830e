"""The three callbacks of the contract (heartbeat, event, done), with retries that suit each.

Network errors, 5xx and 429 are retried with exponential backoff and full jitter (so a fleet of
trainers does not hammer a recovering API in lockstep). Any other 4xx is a final answer: sending
the same request again cannot change it, so it is logged with the server's reason and dropped.
`done` is retried until the API acknowledges it or a deadline passes: a lost final status is the
worst failure this system can have. With a UserText, what users read (event messages and data,
done's error) is cleaned of this machine's paths on the way out (see user_text.py).
"""

import json
import logging
import math
import random
import threading
import time
from collections.abc import Callable
from typing import Any

import requests

from .user_text import UserText

log = logging.getLogger("trainyard.callbacks")
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


class CallbackClient:
    def __init__(
        self,
        base_url: str,
        job_id: str,
        trace_id: str,
        token: str,
        timeout: float = 10.0,
        base_delay: float = 0.5,
        max_delay: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        user_text: UserText | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.job_id = job_id
        self.trace_id = trace_id
        self._token = token
        self.timeout = timeout
        self.base_delay = base_delay
        self.max_delay = max_delay
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._user_text = user_text
        self._done_lock = threading.Lock()
        self._done_sent = False
        self.stop_requested = threading.Event()  # set when the API answers should_continue:false

    def backoff(self, attempt: int) -> float:
        """Full jitter: uniform in [0, min(max, base * 2^attempt)] (AWS architecture blog)."""
        return self._rng.uniform(0, min(self.max_delay, self.base_delay * (2**attempt)))

    def post(
        self,
        endpoint: str,
        body: dict[str, Any],
        attempts: int | None = 5,
        deadline: float | None = None,
    ) -> tuple[int | None, dict[str, Any]]:
        """Returns (HTTP status, reply) or (None, {}) when no final answer came in `attempts` tries
        or before the monotonic `deadline`."""
        url = "%s/v1/jobs/%s/%s" % (self.base_url, self.job_id, endpoint)
        data = json.dumps(finite_json(dict(body, trace_id=self.trace_id)), allow_nan=False)
        headers = {"Authorization": "Bearer " + self._token, "Content-Type": "application/json"}
        attempt = 0
        while True:
            retry_after = None
            try:
                reply = requests.post(url, data=data, headers=headers, timeout=self.timeout)
                if reply.status_code < 400:
                    return reply.status_code, _json(reply)
                if reply.status_code not in RETRYABLE_STATUS:
                    log.warning(
                        "%s rejected: HTTP %d %s", endpoint, reply.status_code, _reason(reply)
                    )
                    return reply.status_code, _json(reply)
                problem = "HTTP %d %s" % (reply.status_code, _reason(reply))
                retry_after = _retry_after(reply)
            except requests.RequestException as error:
                problem = "%s: %s" % (type(error).__name__, error)
            delay = self.backoff(attempt)
            if retry_after is not None:
                delay = max(delay, min(retry_after, self.max_delay))
            attempt += 1
            if (attempts is not None and attempt >= attempts) or (
                deadline is not None and time.monotonic() + delay > deadline
            ):
                log.error("%s gave up after %d attempts: %s", endpoint, attempt, problem)
                return None, {}
            log.warning("%s failed (%s); retry %d in %.2fs", endpoint, problem, attempt, delay)
            self._sleep(delay)

    def heartbeat(self, **fields: Any) -> bool:
        """False when the API asks the trainer to stop (or the job has already ended: 409)."""
        fields.setdefault("metrics", {})
        status, reply = self.post("heartbeat", fields, attempts=4)
        keep_going = status != 409 and (status != 200 or bool(reply.get("should_continue", True)))
        if not keep_going:
            self.stop_requested.set()
        return keep_going

    def event(
        self,
        event_type: str,
        message: str,
        level: str = "info",
        data: dict[str, Any] | None = None,
    ) -> None:
        if self._user_text is not None:
            message, data = self._user_text.text(message), self._user_text.data(data)
        self.post(
            "event",
            {"level": level, "event_type": event_type, "message": message, "data": data or {}},
            attempts=4,
        )

    def done(
        self,
        status: str,
        deadline_seconds: float,
        error: str | None = None,
        final_metrics: dict[str, Any] | None = None,
        artifacts: dict[str, str] | None = None,
        mlflow_run_id: str | None = None,
        training_time_seconds: int | None = None,
    ) -> bool:
        """Sends the final status once per process; True when the API acknowledged it (a repeat of
        the same done is answered 200 by the API, so retrying after a lost reply is safe)."""
        with self._done_lock:
            if self._done_sent:
                return True
            if error is not None and self._user_text is not None:
                error = self._user_text.error_line(error)
            body = {
                "status": status,
                "error": error,
                "final_metrics": final_metrics or {},
                "artifacts": artifacts or {},
                "mlflow_run_id": mlflow_run_id,
                "training_time_seconds": training_time_seconds,
            }
            code, _ = self.post(
                "done", body, attempts=None, deadline=time.monotonic() + deadline_seconds
            )
            self._done_sent = code is not None and code < 300
            return self._done_sent


def _json(reply: requests.Response) -> dict[str, Any]:
    try:
        value = reply.json()
        return value if isinstance(value, dict) else {}
    except ValueError:
        return {}


def _reason(reply: requests.Response) -> str:
    body = _json(reply)
    return str(body.get("detail") or body.get("title") or reply.text[:200])


def _retry_after(reply: requests.Response) -> float | None:
    try:
        return float(reply.headers.get("Retry-After", ""))
    except ValueError:
        return None


def finite_json(value: Any) -> Any:
    """The value with every NaN and infinity (a diverged loss) as null: JSON has no such numbers,
    and the API refuses a body that carries them (a 400 would lose the whole heartbeat or done)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [finite_json(item) for item in value]
    return value

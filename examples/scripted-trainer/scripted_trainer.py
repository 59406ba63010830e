#!/usr/bin/env python3
"""A scripted trainer that speaks Trainyard's callback contract (the seed's heartbeat/event/done).

It trains nothing: each "epoch" sleeps and reports a decreasing loss. It exists so the whole
orchestration path (launch, callbacks, cancel, timeouts, crashes) can run on any laptop with only
Python's standard library. Behaviour is chosen through the HYPERPARAMETERS JSON:

  seconds_per_epoch  float, default 1
  done_retry_seconds how long `done` is retried while the backend is unreachable, default 3600
  callback_retry_seconds  how long a heartbeat or event is retried while the backend is
                     unreachable or answers 5xx (an API restart), default 30
  mode               "train" (default) | "silent" (never calls back) | "crash" (one heartbeat,
                     then exit 3) | "hang_after" (stops calling back after `hang_after` epochs,
                     default 1, but keeps running)

Exit codes: 0 finished (succeeded, or cancelled and reported), 2 bad input (missing environment,
unknown dataset), 3 simulated crash.
"""

import json
import math
import os
import signal
import sys
import time
import urllib.error
import urllib.request

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_CRASH = 3
REQUIRED_ENV = ("JOB_ID", "TRACE_ID", "BACKEND_BASE_URL", "CALLBACK_TOKEN")


class Config:
    """Everything the trainer reads from its environment, read once at start."""

    def __init__(self, env):
        missing = [key for key in REQUIRED_ENV if not env.get(key)]
        if missing:
            raise ValueError("missing environment variables: " + ", ".join(missing))
        self.job_id = env["JOB_ID"]
        self.trace_id = env["TRACE_ID"]
        self.base_url = env["BACKEND_BASE_URL"].rstrip("/")
        self.token = env["CALLBACK_TOKEN"]
        self.dataset_id = env.get("DATASET_ID", "")
        self.dataset_root = env.get("DATASET_ROOT") or None
        self.model_name = env.get("MODEL_NAME", "scripted")
        self.epochs = int(env.get("EPOCHS", "5"))
        self.batch_size = int(env.get("BATCH_SIZE", "16"))
        self.learning_rate = float(env.get("LEARNING_RATE", "0.01"))
        hyper = json.loads(env.get("HYPERPARAMETERS") or "{}")
        if not isinstance(hyper, dict):
            raise ValueError("HYPERPARAMETERS must be a JSON object")
        self.seconds_per_epoch = float(hyper.get("seconds_per_epoch", 1))
        self.mode = str(hyper.get("mode", "train"))
        if self.mode not in ("train", "silent", "crash", "hang_after"):
            raise ValueError("unknown mode '%s' (train, silent, crash, hang_after)" % self.mode)
        self.hang_after = int(hyper.get("hang_after", 1))
        self.done_retry_seconds = float(hyper.get("done_retry_seconds", 3600))
        self.callback_retry_seconds = float(hyper.get("callback_retry_seconds", 30))


class CallbackClient:
    """POSTs the three callbacks with the job's bearer token, retrying what a retry can fix."""

    def __init__(self, config, timeout=5.0, max_backoff=5.0):
        self.config = config
        self.timeout = timeout
        self.max_backoff = max_backoff

    def post(self, endpoint, body, attempts=None, deadline=None):
        """Returns (http_status, reply dict) or (None, None) when no answer came within `attempts`
        tries or before the monotonic `deadline`. Connection errors and 5xx are retried with
        backoff; a 4xx is a final answer, because sending the same request again cannot change
        it."""
        url = "%s/v1/jobs/%s/%s" % (self.config.base_url, self.config.job_id, endpoint)
        data = json.dumps(dict(body, trace_id=self.config.trace_id)).encode("utf-8")
        delay, attempt = 0.25, 0
        while True:
            attempt += 1
            request = urllib.request.Request(
                url,
                data=data,
                method="POST",
                headers={
                    "Authorization": "Bearer " + self.config.token,
                    "Content-Type": "application/json",
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return response.status, _json_or_empty(response.read())
            except urllib.error.HTTPError as error:
                reply = _json_or_empty(error.read())
                if error.code < 500:
                    log("%s rejected: HTTP %d %s" % (endpoint, error.code, reply.get("detail", "")))
                    return error.code, reply
                problem = "HTTP %d" % error.code
            except (urllib.error.URLError, OSError) as error:
                problem = str(getattr(error, "reason", error))
            if (attempts is not None and attempt >= attempts) or (
                deadline is not None and time.monotonic() + delay > deadline
            ):
                log("%s failed after %d attempts: %s" % (endpoint, attempt, problem))
                return None, None
            log("%s failed (%s); retrying in %.1fs" % (endpoint, problem, delay))
            time.sleep(delay)
            delay = min(delay * 2, self.max_backoff)

    def heartbeat(self, **fields):
        """True unless the backend asked the trainer to stop (or the job already ended: 409)."""
        status, reply = self.post("heartbeat", fields, deadline=self._callback_deadline())
        if status == 409:
            return False
        return bool(reply.get("should_continue", True)) if status == 200 else True

    def event(self, event_type, message, level="info", data=None):
        self.post(
            "event",
            {"level": level, "event_type": event_type, "message": message, "data": data},
            deadline=self._callback_deadline(),
        )

    def _callback_deadline(self):
        # Long enough to ride out an API restart or a rolling deploy; a trainer whose backend is
        # gone for longer carries on training and reports again at its next heartbeat.
        return time.monotonic() + self.config.callback_retry_seconds

    def done(self, status, error=None, final_metrics=None, artifacts=None, training_time=None):
        """Retried until the backend answers (the job cannot end cleanly without it), but not
        forever: a trainer whose backend is gone for good must still exit."""
        self.post(
            "done",
            {
                "status": status,
                "error": error,
                "final_metrics": final_metrics or {},
                "artifacts": artifacts or {},
                "mlflow_run_id": None,
                "training_time_seconds": training_time,
            },
            deadline=time.monotonic() + self.config.done_retry_seconds,
        )


class Stop(Exception):
    """Raised inside the training loop when the backend or a signal asks the trainer to stop."""


def _json_or_empty(raw):
    try:
        value = json.loads(raw.decode("utf-8")) if raw else {}
        return value if isinstance(value, dict) else {}
    except ValueError:
        return {}


def log(message, level="INFO"):
    """Trainyard's log line shape (text, or JSON with TRAINYARD_LOG_FORMAT=json): the fields
    job_id and trace_id as the API, the worker and trainer-ultralytics write them."""
    now = time.time()
    job_id, trace_id = os.environ.get("JOB_ID", ""), os.environ.get("TRACE_ID", "")
    if os.environ.get("TRAINYARD_LOG_FORMAT", "text").strip().lower() == "json":
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + ".%03dZ" % (now % 1 * 1000)
        fields = {"timestamp": stamp, "level": level, "thread": "MainThread"}
        fields.update(logger="scripted_trainer", message=message, job_id=job_id, trace_id=trace_id)
        print(json.dumps(fields), flush=True)
        return
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(now)) + ",%03d" % (now % 1 * 1000)
    print(
        "%s %-5s [MainThread] scripted_trainer job_id=%s trace_id=%s - %s"
        % (stamp, level, job_id, trace_id, message),
        flush=True,
    )


def interruptible_sleep(seconds, stop_requested):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if stop_requested():
            raise Stop("signal")
        time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))


def epoch_metrics(config, epoch):
    """A smoothly decreasing loss and a cosine-decayed learning rate."""
    loss = round(2.5 * math.exp(-0.45 * epoch) + 0.05, 6)
    lr = config.learning_rate * 0.5 * (1 + math.cos(math.pi * epoch / max(config.epochs, 1)))
    return {"loss": loss, "lr": round(lr, 8)}


def train(config, client, stop_requested):
    """Runs the epochs; returns the final metrics. Raises Stop when asked to stop."""
    client.event(
        "model_initialized",
        "Model initialised: %s" % config.model_name,
        data={"model_name": config.model_name, "batch_size": config.batch_size},
    )
    client.event(
        "training_started", "Training %d epochs" % config.epochs, data={"epochs": config.epochs}
    )
    metrics = {}
    for epoch in range(1, config.epochs + 1):
        interruptible_sleep(config.seconds_per_epoch, stop_requested)
        metrics = epoch_metrics(config, epoch)
        progress = round(100.0 * epoch / config.epochs, 2)
        log(
            "epoch %d/%d progress %.1f%% loss %.4f"
            % (epoch, config.epochs, progress, metrics["loss"])
        )
        if config.mode == "hang_after" and epoch > config.hang_after:
            continue  # keeps "training" but never calls back again
        should_continue = client.heartbeat(
            epoch=epoch, total_epochs=config.epochs, progress=progress, metrics=metrics
        )
        if config.mode == "crash":
            print(
                "simulated crash after epoch %d (mode=crash)" % epoch, file=sys.stderr, flush=True
            )
            sys.exit(EXIT_CRASH)
        client.event(
            "epoch_completed",
            "Epoch %d/%d completed" % (epoch, config.epochs),
            data={"epoch": epoch, **metrics},
        )
        if not should_continue:
            raise Stop("backend")
    if config.mode == "hang_after":
        while True:  # a hung trainer: alive, silent, until someone stops it
            interruptible_sleep(3600, stop_requested)
    return metrics


def main():
    stop = {"requested": False}

    def on_signal(signum, _frame):
        stop["requested"] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        config = Config(os.environ)
    except ValueError as error:
        print("scripted_trainer: %s" % error, file=sys.stderr, flush=True)
        return EXIT_BAD_INPUT
    started = time.monotonic()
    log(
        "job %s: model=%s dataset=%s epochs=%d mode=%s"
        % (config.job_id, config.model_name, config.dataset_id, config.epochs, config.mode)
    )

    if config.mode == "silent":
        while not stop["requested"]:
            time.sleep(0.2)
        log("stopped while silent")
        return EXIT_OK

    client = CallbackClient(config)
    if config.dataset_root is not None:
        dataset_dir = os.path.join(config.dataset_root, config.dataset_id)
        if not config.dataset_id or not os.path.isdir(dataset_dir):
            # Users read events and done's error: this machine's folders go to the log only.
            message = "dataset '%s' not found" % config.dataset_id
            print(
                "scripted_trainer: %s under %s" % (message, config.dataset_root),
                file=sys.stderr,
                flush=True,
            )
            client.event(
                "dataset_not_found", message, level="error", data={"dataset_id": config.dataset_id}
            )
            client.done("failed", error=message)
            return EXIT_BAD_INPUT
    client.event(
        "dataset_loaded",
        "Dataset loaded: %s" % config.dataset_id,
        data={"dataset_id": config.dataset_id},
    )

    try:
        final = train(config, client, lambda: stop["requested"])
    except Stop as why:
        log("cancelled (%s); reporting done" % why)
        client.event(
            "training_cancelled",
            "Training stopped on request",
            level="warning",
            data={"by": str(why)},
        )
        client.done("failed", error="cancelled", training_time=int(time.monotonic() - started))
        return EXIT_OK

    elapsed = int(time.monotonic() - started)
    client.event("training_completed", "Training completed in %ds" % elapsed, data=final)
    client.done(
        "succeeded",
        final_metrics=final,
        artifacts={"model": "scripted://job-%s/%s.json" % (config.job_id, config.model_name)},
        training_time=elapsed,
    )
    log("succeeded in %ds" % elapsed)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())

"""One MLflow run per job: params at the start, metrics per epoch, closed with the right status
(FINISHED, FAILED or KILLED) on every exit path. A retried job's later attempts continue the same
run (found by its trainyard.job_id and trainyard.trace_id tags; tag trainyard.attempts counts the
attempts), so its metrics stay one history, stepped by epoch. Logged by us rather than by
Ultralytics' own MLflow callback, which overrides the tracking URI and ends the run on its own
terms.

MLflow lives in a helper process (mlflow_process.py), started first thing. `import mlflow` alone
costs about 1 s of CPU; the helper spends it, and creates the run, on another core while this
process imports torch and Ultralytics and unpacks the dataset, so it is off the job's critical
path. Per-epoch metrics become a pipe write instead of MLflow I/O on the training thread. And if
this process dies without ending the run (SIGKILL, the OOM killer), the helper sees its input
close and ends the run FAILED, which an in-process run cannot do.
"""

import json
import logging
import os
import queue
import re
import subprocess
import sys
import threading
from typing import Any

log = logging.getLogger("trainyard.mlflow")
UNSAFE = re.compile(r"[^A-Za-z0-9_\-. /]")
HELPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mlflow_process.py")
END_TIMEOUT_SECONDS = 60.0  # bounded: `done` must not wait forever on a tracking server


class MlflowError(Exception):
    """The MLflow run could not be created (server unreachable, bad URI, MLflow missing)."""


def metric_name(key: str) -> str:
    """'metrics/mAP50-95(B)' -> 'metrics/mAP50-95B': MLflow refuses parentheses."""
    return UNSAFE.sub("", key)


class MlflowRun:
    def __init__(self, tracking_uri: str | None):
        self.tracking_uri = tracking_uri
        self.run_id: str | None = None
        self.continued = False  # True when an earlier attempt's run was found and reopened
        self._helper: subprocess.Popen | None = None
        self._replies: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._start_error: str | None = None
        self._start_answered = False

    @property
    def enabled(self) -> bool:
        return self.tracking_uri is not None

    def start(
        self,
        experiment: str,
        run_name: str,
        params: dict[str, Any],
        tags: dict[str, str],
        continue_run: dict[str, str] | None = None,
    ) -> None:
        """Starts the helper, which creates the run in the background; see wait_for_run().
        continue_run: tags of an earlier run to reopen instead (the newest that has them all);
        a new run is created when there is none."""
        if not self.enabled:
            return
        env = dict(
            os.environ, MLFLOW_DISABLE_TELEMETRY=os.environ.get("MLFLOW_DISABLE_TELEMETRY", "true")
        )  # the trainer reaches no one it was not told to
        if self.tracking_uri.startswith("file:"):
            # mlflow >= 3.13 refuses the file store unless told it is wanted (dev stack, tests)
            env.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")
        try:
            self._helper = subprocess.Popen(
                [sys.executable, HELPER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
                text=True,
            )
        except OSError as error:  # reported by wait_for_run(), inside the job's error handling
            self._start_answered, self._start_error = True, "helper not started: %s" % error
            return
        threading.Thread(
            target=self._read_replies, args=(self._helper,), name="trainyard-mlflow", daemon=True
        ).start()
        self._send(
            op="start",
            tracking_uri=self.tracking_uri,
            experiment=experiment,
            run_name=run_name,
            params={k: str(v)[:500] for k, v in params.items()},
            tags=tags,
            continue_tags=continue_run,
        )

    def wait_for_run(self) -> str | None:
        """The run id once the helper has created the run (None without MLflow); MlflowError
        when it could not."""
        if not self._start_answered:
            if self._helper is None:  # no MLflow for this job
                return None
            self._take_start_reply(self._replies.get())
        if self._start_error is not None:
            raise MlflowError(
                "MLflow run not created (%s): %s" % (self.tracking_uri, self._start_error)
            )
        return self.run_id

    def log_metrics(self, metrics: dict[str, float], step: int) -> None:
        """Hands the metrics to the helper and returns at once."""
        if self._helper is not None:
            self._send(
                op="metrics",
                step=step,
                metrics={metric_name(k): float(v) for k, v in metrics.items()},
            )

    def end(self, status: str) -> None:
        """status: FINISHED, FAILED or KILLED. Returns once the helper has closed the run (or
        after END_TIMEOUT_SECONDS). Safe to call more than once."""
        helper, self._helper = self._helper, None
        if helper is None:
            return
        self._send_to(helper, op="end", status=status)
        ended = None
        try:
            while ended is None:
                reply = self._replies.get(timeout=END_TIMEOUT_SECONDS)
                if reply is None:
                    break
                if "ended" in reply:
                    ended = reply["ended"]
                else:
                    self._take_start_reply(reply)  # a job that failed before it asked for the run
            helper.wait(timeout=10)
        except (queue.Empty, subprocess.TimeoutExpired):
            log.warning("MLflow helper did not finish within %ds", END_TIMEOUT_SECONDS)
            helper.kill()
            helper.wait()
        try:
            helper.stdin.close()
        except OSError:
            pass
        if ended is None and self.run_id is not None:
            log.warning(
                "MLflow run %s may not be closed (helper exit %s)", self.run_id, helper.returncode
            )

    def _take_start_reply(self, reply: dict[str, Any] | None) -> None:
        self._start_answered = True
        if reply is None:
            self._start_error = "the MLflow helper process exited"
        elif "error" in reply:
            self._start_error = reply["error"]
        else:
            self.run_id = reply.get("run_id")
            self.continued = bool(reply.get("continued"))

    def _send(self, **message: Any) -> None:
        if self._helper is not None:
            self._send_to(self._helper, **message)

    @staticmethod
    def _send_to(helper: subprocess.Popen, **message: Any) -> None:
        try:
            helper.stdin.write(json.dumps(message) + "\n")
            helper.stdin.flush()
        except (
            OSError,
            ValueError,
        ) as error:  # the helper is gone: tracking must not stop training
            log.warning("MLflow helper not reachable: %s", error)

    def _read_replies(self, helper: subprocess.Popen) -> None:
        for line in helper.stdout:
            self._replies.put(json.loads(line))
        self._replies.put(None)  # the helper's output closed

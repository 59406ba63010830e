"""One MLflow run per job: params at the start, metrics per epoch, closed with the right status
(FINISHED, FAILED or KILLED) on every exit path. Logged by us rather than by Ultralytics' own
MLflow callback, which overrides the tracking URI and ends the run on its own terms."""
import logging
import os
import re
from typing import Any, Dict, Optional

log = logging.getLogger("trainyard.mlflow")
UNSAFE = re.compile(r"[^A-Za-z0-9_\-. /]")


def metric_name(key: str) -> str:
    """'metrics/mAP50-95(B)' -> 'metrics/mAP50-95B': MLflow refuses parentheses."""
    return UNSAFE.sub("", key)


class MlflowRun:
    def __init__(self, tracking_uri: Optional[str]):
        self.tracking_uri = tracking_uri
        self.run_id: Optional[str] = None
        self._mlflow = None

    @property
    def enabled(self) -> bool:
        return self.tracking_uri is not None

    def start(self, experiment: str, run_name: str, params: Dict[str, Any],
              tags: Dict[str, str]) -> Optional[str]:
        if not self.enabled:
            return None
        if self.tracking_uri.startswith("file:"):
            # mlflow >= 3.13 refuses the file store unless told it is wanted (dev stack, tests)
            os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")
        import mlflow

        self._mlflow = mlflow
        mlflow.set_tracking_uri(self.tracking_uri)
        mlflow.set_experiment(experiment)
        run = mlflow.start_run(run_name=run_name, tags=tags)
        self.run_id = run.info.run_id
        mlflow.log_params({k: str(v)[:500] for k, v in params.items()})
        return self.run_id

    def log_metrics(self, metrics: Dict[str, float], step: int) -> None:
        if self._mlflow is None or self.run_id is None:
            return
        try:
            self._mlflow.log_metrics({metric_name(k): float(v) for k, v in metrics.items()},
                                     step=step)
        except Exception as error:  # tracking trouble must not end the training
            log.warning("MLflow metrics not logged: %s", error)

    def log_artifact(self, path: str) -> None:
        if self._mlflow is not None and self.run_id is not None:
            try:
                self._mlflow.log_artifact(path)
            except Exception as error:
                log.warning("MLflow artifact %s not logged: %s", path, error)

    def end(self, status: str) -> None:
        """status: FINISHED, FAILED or KILLED. Safe to call more than once."""
        if self._mlflow is None or self._mlflow.active_run() is None:
            return
        try:
            self._mlflow.end_run(status=status)
        except Exception as error:
            log.warning("MLflow run %s not closed: %s", self.run_id, error)

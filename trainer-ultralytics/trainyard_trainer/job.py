"""One training job, stage by stage: dataset, MLflow, model, training, checkpoints.

Returns an Outcome; raises for failures (main.py turns any exception into done=failed). Each stage
is announced as an event so a user following the job sees where it is.
"""

import logging
import os
import time
from dataclasses import dataclass, field
from typing import Any

from . import dataset, offline
from .config import TrainerConfig
from .reporter import Reporter, friendly
from .stopping import Stopped
from .storage import Storage, StorageError, checkpoint_key, dataset_key, model_key

log = logging.getLogger("trainyard.job")
# Arguments the trainer owns; a job's train_args hyperparameter may set any other YOLO argument.
RESERVED_TRAIN_ARGS = {"data", "project", "name", "exist_ok", "epochs", "batch", "lr0", "resume"}


def mlflow_run_description(cfg: TrainerConfig) -> dict[str, Any]:
    """What MlflowRun.start() records for a job: experiment, run name, params and tags."""
    return dict(
        experiment="project-%s" % cfg.project_id,
        run_name="job-%s" % cfg.job_id,
        params={
            "model": cfg.model_name,
            "dataset": cfg.dataset_id,
            "epochs": cfg.epochs,
            "batch_size": cfg.batch_size,
            "learning_rate": cfg.learning_rate,
            "imgsz": cfg.imgsz,
            **{"hp." + k: v for k, v in cfg.hyperparameters.items()},
        },
        tags={"trainyard.job_id": cfg.job_id, "trainyard.trace_id": cfg.trace_id},
    )


def _server_uri(tracking_uri: str | None) -> dict[str, str]:
    """The tracking URI for users when it names a server; a file store is a folder of the
    trainer's machine, which users are not shown (see user_text.py)."""
    if not tracking_uri or "://" not in tracking_uri or tracking_uri.startswith("file:"):
        return {}
    return {"tracking_uri": tracking_uri}


class JobFailure(Exception):
    """A failure with a message meant for the user, and the event type that announces it."""

    def __init__(self, event_type: str, message: str):
        super().__init__(message)
        self.event_type = event_type


@dataclass
class Outcome:
    cancelled: bool
    final_metrics: dict[str, float] = field(default_factory=dict)
    artifacts: dict[str, str] = field(default_factory=dict)


class TrainingJob:
    def __init__(self, config: TrainerConfig, client, heartbeat, mlflow_run, stop, work_dir: str):
        self.config = config
        self.client = client
        self.heartbeat = heartbeat
        self.mlflow = mlflow_run
        self.stop = stop
        self.work_dir = work_dir
        self.storage: Storage | None = Storage(config.storage) if config.storage else None
        self.reporter = Reporter(client, heartbeat, mlflow_run, stop, config.epochs)

    def run(self) -> Outcome:
        offline.prepare(os.path.join(self.work_dir, "yolo-config"))  # before ultralytics loads
        data_yaml = self._dataset()
        self._check_stop()
        self._announce_mlflow()
        model = self._model()
        self._check_stop()
        self.reporter.register(model)
        device = offline.pick_device(self.config.device)
        self.client.event(
            "training_started",
            "Training %d epochs on %s"
            % (self.config.epochs, "cpu" if device == "cpu" else "cuda:%s" % device),
            data={"epochs": self.config.epochs, "device": str(device), "imgsz": self.config.imgsz},
        )
        train_started = time.monotonic()
        model.train(**self._train_args(data_yaml, device))
        train_seconds = time.monotonic() - train_started
        trainer = model.trainer
        cancelled = self.stop.requested
        artifacts = self._upload_checkpoints(trainer)
        # The last epoch's losses and lr, with best.pt's validation when final_eval() ran.
        final = friendly({**self.reporter.last_metrics, **(self.reporter.final_eval_metrics or {})})
        if not cancelled:
            self.client.event(
                "training_completed",
                "Training completed: mAP50-95 %.4f" % final.get("mAP50-95", 0.0),
                data={
                    **final,
                    "train_seconds": round(train_seconds, 3),
                    "reporting_seconds": round(self.reporter.seconds_in_callbacks, 4),
                },
            )
        return Outcome(cancelled=cancelled, final_metrics=final, artifacts=artifacts)

    def _check_stop(self) -> None:
        if self.stop.requested:
            raise Stopped(self.stop.reason)

    def _dataset(self) -> str:
        cfg = self.config
        self.client.event(
            "dataset_download_started",
            "Downloading dataset %s" % cfg.dataset_id,
            data={"dataset_id": cfg.dataset_id},
        )
        zip_path = os.path.join(self.work_dir, "download", "%s.zip" % cfg.dataset_id)
        if self.storage is not None:
            try:
                self.storage.download(dataset_key(cfg.dataset_id), zip_path, cfg.max_dataset_bytes)
            except StorageError as error:
                raise JobFailure(
                    "dataset_not_found", "dataset '%s' cannot be used: %s" % (cfg.dataset_id, error)
                ) from None
        else:
            zip_path = self._local_dataset(zip_path)
        try:
            data_yaml = dataset.prepare(
                zip_path, os.path.join(self.work_dir, "dataset"), cfg.max_dataset_bytes
            )
        except dataset.DatasetError as error:
            raise JobFailure(
                "dataset_invalid", "dataset '%s' is invalid: %s" % (cfg.dataset_id, error)
            ) from None
        self.client.event(
            "dataset_loaded",
            "Dataset %s ready" % cfg.dataset_id,
            data={"dataset_id": cfg.dataset_id, "data_yaml": data_yaml},
        )
        return data_yaml

    def _local_dataset(self, zip_path: str) -> str:
        """Without storage (benchmarks, laptops): DATASET_ROOT/{id}.zip, copied so that
        dataset.prepare may delete it."""
        root = os.environ.get("DATASET_ROOT")
        source = os.path.join(root, "%s.zip" % self.config.dataset_id) if root else None
        if source is None or not os.path.isfile(source):
            raise JobFailure(
                "dataset_not_found",
                "dataset '%s' not found: no storage configured (STORAGE_BUCKET) and no %s.zip"
                " in DATASET_ROOT" % (self.config.dataset_id, self.config.dataset_id),
            )
        import shutil

        os.makedirs(os.path.dirname(zip_path), exist_ok=True)
        shutil.copyfile(source, zip_path)
        return zip_path

    def _announce_mlflow(self) -> None:
        """The run was started by main() before anything else (see tracking.py); wait for it."""
        run_id = self.mlflow.wait_for_run()
        if run_id:
            self.client.event(
                "mlflow_initialized",
                "MLflow run %s" % run_id,
                data={"run_id": run_id, **_server_uri(self.mlflow.tracking_uri)},
            )

    def _model(self):
        from ultralytics import YOLO

        name = self.config.model_name
        if name.endswith(".pt"):
            if self.storage is None:
                raise JobFailure(
                    "model_not_found", "model %s needs storage (STORAGE_BUCKET)" % name
                )
            path = os.path.join(self.work_dir, "models", name)
            try:
                self.storage.download(model_key(name), path, 4 * 1024**3)
            except StorageError as error:
                raise JobFailure(
                    "model_not_found", "model %s cannot be used: %s" % (name, error)
                ) from None
        else:
            # A bare name means the architecture (built from Ultralytics' YAML, no download).
            path = name if name.endswith((".yaml", ".yml")) else name + ".yaml"
        try:
            model = YOLO(path)
        except (FileNotFoundError, ValueError, KeyError) as error:
            raise JobFailure(
                "model_invalid", "model %s cannot be built: %s" % (name, error)
            ) from None
        self.client.event(
            "model_initialized",
            "Model %s ready" % name,
            data={"model_name": name, "task": getattr(model, "task", None)},
        )
        return model

    def _train_args(self, data_yaml: str, device) -> dict[str, Any]:
        cfg = self.config
        extra = cfg.hyperparameters.get("train_args") or {}
        if not isinstance(extra, dict):
            raise JobFailure(
                "invalid_hyperparameters", "hyperparameter train_args must be an object"
            )
        clash = RESERVED_TRAIN_ARGS.intersection(extra)
        if clash:
            raise JobFailure(
                "invalid_hyperparameters", "train_args may not set %s" % ", ".join(sorted(clash))
            )
        args = dict(
            data=data_yaml,
            epochs=cfg.epochs,
            batch=cfg.batch_size,
            lr0=cfg.learning_rate,
            imgsz=cfg.imgsz,
            device=device,
            workers=cfg.workers,
            seed=cfg.seed,
            project=os.path.join(self.work_dir, "runs"),
            name="job-%s" % cfg.job_id,
            exist_ok=True,
            amp=False,
            plots=False,
            val=True,
            verbose=True,
        )
        args.update(extra)
        return args

    def _upload_checkpoints(self, trainer) -> dict[str, str]:
        artifacts: dict[str, str] = {}
        for label, path in (("best_checkpoint", trainer.best), ("last_checkpoint", trainer.last)):
            path = str(path)
            if not os.path.isfile(path):
                continue
            if self.storage is None:
                artifacts[label] = "file://" + path
                continue
            started = time.monotonic()
            url = self.storage.upload(
                path, checkpoint_key(self.config.job_id, os.path.basename(path))
            )
            artifacts[label] = url
            self.client.event(
                "checkpoint_saved",
                "%s uploaded to %s" % (os.path.basename(path), url),
                data={
                    "path": url,
                    "bytes": os.path.getsize(path),
                    "seconds": round(time.monotonic() - started, 3),
                },
            )
        return artifacts

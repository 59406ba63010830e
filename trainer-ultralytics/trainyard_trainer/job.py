"""One training job, stage by stage: dataset, MLflow, model, training, checkpoints.

Returns an Outcome; raises for failures (main.py turns any exception into done=failed). Each stage
is announced as an event so a user following the job sees where it is.
"""

import logging
import os
import shutil
import time
from dataclasses import dataclass, field
from typing import Any

from . import dataset, offline, resume
from .checkpoints import MAX_CHECKPOINT_BYTES, CheckpointUploader
from .config import TrainerConfig
from .reporter import Reporter, friendly
from .stopping import Stopped
from .storage import Storage, StorageError, checkpoint_key, dataset_key, model_key

log = logging.getLogger("trainyard.job")
# Arguments the trainer owns; a job's train_args hyperparameter may set any other YOLO argument.
RESERVED_TRAIN_ARGS = {"data", "project", "name", "exist_ok", "epochs", "batch", "lr0", "resume"}
# What a resumed attempt sets itself (the rest comes from the checkpoint: BaseTrainer.check_resume
# lets only these, among others, be replaced). The data path, device and folders are this
# attempt's; the checkpoint's would name the previous attempt's machine.
RESUME_TRAIN_ARGS = ("data", "device", "workers", "batch", "imgsz", "plots", "val")
FINAL_UPLOAD_WAIT_SECONDS = 600.0  # a checkpoint still uploading when training ends
FAILED_UPLOAD_WAIT_SECONDS = 60.0  # ... when training failed: a retry resumes from it


@dataclass(frozen=True)
class ResumePoint:
    uri: str
    path: str  # the downloaded last.pt
    epoch: int  # 1-based epoch it completed
    best_path: str | None  # the same attempt's best.pt, when there is one
    best_epoch: int | None
    download_seconds: float


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
        tags={
            "trainyard.job_id": cfg.job_id,
            "trainyard.trace_id": cfg.trace_id,
            "trainyard.attempts": str(cfg.attempt),
        },
        # A retried job continues its one run: the helper finds it by these tags (a job id alone
        # repeats across fresh databases; the trace id does not).
        continue_run=(
            {"trainyard.job_id": cfg.job_id, "trainyard.trace_id": cfg.trace_id}
            if cfg.attempt > 1
            else None
        ),
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
        self.uploader = CheckpointUploader(
            self.storage,
            client,
            config.job_id,
            config.attempt,
            config.checkpoint_every_epochs,
            os.path.join(work_dir, "checkpoint-uploads"),
        )
        self._resume: ResumePoint | None = None
        self._training_began = False
        if config.resume_from is not None:
            # Until the resume is done (or given up), beats say where the job stands: not epoch 0.
            self._beat_at(config.resume_epoch)

    def _beat_at(self, completed: int) -> None:
        completed = min(completed, self.config.epochs)
        self.heartbeat.update(
            epoch=completed, progress=round(100.0 * completed / self.config.epochs, 2)
        )

    @property
    def runs_dir(self) -> str:
        """Ultralytics' save_dir for this job (weights/ inside)."""
        return os.path.join(self.work_dir, "runs", "job-%s" % self.config.job_id)

    def run(self) -> Outcome:
        offline.prepare(os.path.join(self.work_dir, "yolo-config"))  # before ultralytics loads
        data_yaml = self._dataset()
        self._check_stop()
        self._announce_mlflow()
        self._resume = self._resume_point()
        self._check_stop()
        model = self._model()
        self._check_stop()
        device = offline.pick_device(self.config.device)
        self.client.event(
            "training_started",
            "Training %d epochs on %s"
            % (self.config.epochs, "cpu" if device == "cpu" else "cuda:%s" % device),
            data={"epochs": self.config.epochs, "device": str(device), "imgsz": self.config.imgsz},
        )
        train_started = time.monotonic()
        try:
            model = self._train(model, data_yaml, device)
        except Exception:
            self.uploader.wait(FAILED_UPLOAD_WAIT_SECONDS)  # the checkpoint a retry resumes from
            raise
        train_seconds = time.monotonic() - train_started
        trainer = model.trainer
        cancelled = self.stop.requested
        waited = time.monotonic()
        self.uploader.wait(FINAL_UPLOAD_WAIT_SECONDS)
        self.reporter.seconds_in_callbacks += time.monotonic() - waited
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
                    "checkpoint_uploads": self.uploader.uploads,
                    "checkpoint_upload_seconds": round(self.uploader.upload_seconds, 3),
                },
            )
        return Outcome(cancelled=cancelled, final_metrics=final, artifacts=artifacts)

    def _train(self, model, data_yaml: str, device):
        """Trains (resumed when there is a resume point); a resume that Ultralytics refuses before
        the first epoch starts over from scratch instead of failing the job."""
        args = self._train_args(data_yaml, device)
        self._register(model)
        try:
            model.train(**args)
            return model
        except Exception as error:
            if self._resume is None or self._training_began:
                raise
            self._resume_failed(self._resume.uri, self._resume.epoch, _error_line(error))
        self._resume = None
        self.uploader.best_carried_over(None, None)
        shutil.rmtree(self.runs_dir, ignore_errors=True)  # no carried-over best.pt
        model = self._model()
        args = self._train_args(data_yaml, device)
        self._register(model)
        model.train(**args)
        return model

    def _register(self, model) -> None:
        self.reporter.register(model)
        model.add_callback("on_train_start", self._on_train_start)
        model.add_callback("on_model_save", self.reporter.timed(self.uploader.on_model_save))

    def _on_train_start(self, trainer) -> None:
        self._training_began = True
        if self._resume is None:
            return
        completed = int(trainer.start_epoch)  # the 0-based epoch to run = epochs completed
        total = self.config.epochs
        self._beat_at(completed)
        self.client.event(
            "training_resumed",
            "Resuming from epoch %d of %d: training epochs %d to %d (attempt %d)"
            % (completed, total, completed + 1, total, self.config.attempt),
            data={
                "epoch": completed,
                "total_epochs": total,
                "uri": self._resume.uri,
                "attempt": self.config.attempt,
                "download_seconds": round(self._resume.download_seconds, 3),
            },
        )

    def _resume_point(self) -> ResumePoint | None:
        """RESUME_FROM downloaded and checked, or None (a fresh start; with a warning event when
        a resume was asked for and cannot be done: never a failed job)."""
        cfg = self.config
        if cfg.resume_from is None:
            return None
        uri, epoch = cfg.resume_from, cfg.resume_epoch
        if self.storage is None:
            self._resume_failed(uri, epoch, "no storage configured (STORAGE_BUCKET)")
            return None
        folder = os.path.join(self.work_dir, "resume")
        started = time.monotonic()
        try:
            key = self.storage.key_of(uri)
            path = self.storage.download(key, os.path.join(folder, "last.pt"), MAX_CHECKPOINT_BYTES)
        except Exception as error:  # StorageError, or the store unreachable: start over
            self._resume_failed(uri, epoch, "download failed: %s" % _error_line(error))
            return None
        try:
            checkpoint = resume.inspect(path, cfg.epochs)
        except resume.ResumeError as error:
            self._resume_failed(uri, epoch, str(error))
            return None
        if checkpoint.epoch != epoch:
            log.warning(
                "RESUME_EPOCH is %d but %s completed epoch %d: resuming from %d",
                epoch,
                uri,
                checkpoint.epoch,
                checkpoint.epoch,
            )
        best_path = None
        best_key = key.rsplit("/", 1)[0] + "/best.pt" if "/" in key else "best.pt"
        try:
            best_path = self.storage.download(
                best_key, os.path.join(self.runs_dir, "weights", "best.pt"), MAX_CHECKPOINT_BYTES
            )
        except Exception as error:  # the last epochs' best.pt stays this attempt's own then
            log.info("no best.pt beside the resume checkpoint (%s)", _error_line(error))
        if best_path is not None:
            self.uploader.best_carried_over(
                checkpoint.best_epoch or checkpoint.epoch, checkpoint.best_fitness
            )
        return ResumePoint(
            uri,
            path,
            checkpoint.epoch,
            best_path,
            checkpoint.best_epoch,
            time.monotonic() - started,
        )

    def _resume_failed(self, uri: str, epoch: int | None, reason: str) -> None:
        log.warning("cannot resume from %s: %s; starting over", uri, reason)
        self._beat_at(0)
        self.client.event(
            "resume_failed",
            "Cannot resume from epoch %s (%s): %s; starting over from epoch 1"
            % (epoch, uri, reason),
            level="warning",
            data={"uri": uri, "epoch": epoch, "reason": reason, "attempt": self.config.attempt},
        )

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
        os.makedirs(os.path.dirname(zip_path), exist_ok=True)
        shutil.copyfile(source, zip_path)
        return zip_path

    def _announce_mlflow(self) -> None:
        """The run was started by main() before anything else (see tracking.py); wait for it."""
        run_id = self.mlflow.wait_for_run()
        if run_id:
            continued = getattr(self.mlflow, "continued", False)
            self.client.event(
                "mlflow_initialized",
                "MLflow run %s%s"
                % (run_id, " continued (attempt %d)" % self.config.attempt if continued else ""),
                data={
                    "run_id": run_id,
                    **_server_uri(self.mlflow.tracking_uri),
                    **({"continued": True} if continued else {}),
                },
            )

    def _model(self):
        from ultralytics import YOLO

        name = self.config.model_name
        if self._resume is not None:
            model = YOLO(self._resume.path)  # the checkpoint: architecture, weights and state
            self.client.event(
                "model_initialized",
                "Model %s ready, from the checkpoint of epoch %d" % (name, self._resume.epoch),
                data={"model_name": name, "task": getattr(model, "task", None), "resumed": True},
            )
            return model
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
        if self._resume is not None:
            # Ultralytics takes every other argument from the checkpoint (the same job's).
            args = {key: args[key] for key in (*RESUME_TRAIN_ARGS, *extra) if key in args}
            args.update(resume=True, save_dir=self.runs_dir)
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


def _error_line(error: BaseException) -> str:
    text = str(error).strip()
    return (text.splitlines()[0] if text else type(error).__name__)[:300]

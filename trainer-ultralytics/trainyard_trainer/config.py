"""Everything the trainer reads from its environment, read once at start and validated."""

import json
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .log_format import FORMATS

REQUIRED = (
    "JOB_ID",
    "TRACE_ID",
    "BACKEND_BASE_URL",
    "CALLBACK_TOKEN",
    "DATASET_ID",
    "MODEL_NAME",
    "EPOCHS",
    "BATCH_SIZE",
    "LEARNING_RATE",
)
# Dataset ids and model names become file paths and S3 keys. The API refuses at submit what this
# refuses (SubmitJobValidator); tests/model_names.json holds the cases both sides are tested on.
SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


SAFE_ID_RULE = (
    "it must start with a letter or digit and contain only letters, digits, '.', '_' or '-'"
    " (at most 128), and no '..'"
)


def is_safe_id(value: str) -> bool:
    """fullmatch, not match with "$": "$" also matches before a trailing newline."""
    return SAFE_ID.fullmatch(value) is not None and ".." not in value


def is_safe_dataset_id(value: str) -> bool:
    """Trainyard hands a project's dataset as "<project>/<dataset id>" (storage key
    datasets/<project>/<id>.zip); a bare id, as in the seed, is accepted too."""
    parts = value.split("/")
    return len(parts) <= 2 and all(is_safe_id(part) for part in parts)


class ConfigError(ValueError):
    """The environment cannot describe a job: a user error, reported as one clear line."""


@dataclass(frozen=True)
class StorageConfig:
    endpoint: str | None
    access_key: str | None
    secret_key: str | None
    bucket: str
    region: str = "us-east-1"


@dataclass(frozen=True)
class TrainerConfig:
    job_id: str
    trace_id: str
    base_url: str
    token: str
    dataset_id: str
    model_name: str
    epochs: int
    batch_size: int
    learning_rate: float
    project_id: str
    storage: StorageConfig | None
    mlflow_uri: str | None
    work_dir: str
    hyperparameters: dict[str, Any] = field(default_factory=dict)
    # TRAINYARD_LOG_FORMAT: "text" or "json", as the worker's logging.format (log_format.py).
    log_format: str = "text"
    # Retries (issue #16): which attempt of the job this process is (1, 2, ...), how often a
    # checkpoint is uploaded, and, on a resumed attempt only, the checkpoint to continue from and
    # the epoch (1-based, as heartbeats count) it completed.
    attempt: int = 1
    checkpoint_every_epochs: int = 1
    resume_from: str | None = None
    resume_epoch: int | None = None
    # ATTEMPT was set: the launcher knows retries (a seed launcher does not set it).
    retry_aware: bool = False

    # Knobs from HYPERPARAMETERS (documented in README.md); defaults suit a real job.
    @property
    def imgsz(self) -> int:
        return int(self.hyperparameters.get("imgsz", 640))

    @property
    def heartbeat_interval(self) -> float:
        return float(self.hyperparameters.get("heartbeat_interval_seconds", 30))

    @property
    def done_deadline(self) -> float:
        return float(self.hyperparameters.get("done_retry_seconds", 600))

    @property
    def max_dataset_bytes(self) -> int:
        return int(self.hyperparameters.get("max_dataset_bytes", 20 * 1024**3))

    @property
    def device(self) -> str | None:
        value = self.hyperparameters.get("device")
        return None if value is None else str(value)

    @property
    def workers(self) -> int:
        return int(self.hyperparameters.get("workers", 2))

    @property
    def seed(self) -> int:
        return int(self.hyperparameters.get("seed", 0))


def _number(env: Mapping[str, str], key: str, kind):
    try:
        return kind(env[key])
    except (TypeError, ValueError):
        raise ConfigError("%s must be a number, was '%s'" % (key, env.get(key))) from None


def _whole_number(env: Mapping[str, str], key: str, default: int, minimum: int = 1) -> int:
    """An optional variable holding a whole number >= minimum; unset or empty means default."""
    raw = (env.get(key) or "").strip()
    if not raw:
        return default
    if not re.fullmatch(r"[0-9]{1,9}", raw) or int(raw) < minimum:
        raise ConfigError(
            "%s must be a whole number of at least %d, was '%s'" % (key, minimum, env.get(key))
        )
    return int(raw)


def _resume(env: Mapping[str, str]) -> tuple[str | None, int | None]:
    """RESUME_FROM and RESUME_EPOCH come together (a resumed attempt) or not at all."""
    uri = (env.get("RESUME_FROM") or "").strip() or None
    has_epoch = bool((env.get("RESUME_EPOCH") or "").strip())
    if uri is None and not has_epoch:
        return None, None
    if uri is None or not has_epoch:
        raise ConfigError(
            "RESUME_FROM and RESUME_EPOCH go together: %s is set, %s is not"
            % (("RESUME_FROM", "RESUME_EPOCH") if uri else ("RESUME_EPOCH", "RESUME_FROM"))
        )
    bucket, _, key = uri[len("s3://") :].partition("/") if uri.startswith("s3://") else ("", "", "")
    if not bucket or not key or key.endswith("/") or ".." in key.split("/"):
        raise ConfigError("RESUME_FROM must be an s3://<bucket>/<key> URI, was '%s'" % uri)
    return uri, _whole_number(env, "RESUME_EPOCH", 0)


def _storage(env: Mapping[str, str]) -> StorageConfig | None:
    bucket = env.get("STORAGE_BUCKET")
    if not bucket:
        return None
    kind = env.get("STORAGE_TYPE", "minio").lower()
    if kind == "minio":
        return StorageConfig(
            env.get("MINIO_ENDPOINT", "http://localhost:9000"),
            env.get("MINIO_ACCESS_KEY"),
            env.get("MINIO_SECRET_KEY"),
            bucket,
        )
    if kind == "r2":
        return StorageConfig(
            env.get("R2_ENDPOINT"),
            env.get("R2_ACCESS_KEY_ID"),
            env.get("R2_SECRET_ACCESS_KEY"),
            bucket,
            region="auto",
        )
    if kind == "s3":  # AWS itself: credentials from the usual AWS chain
        return StorageConfig(
            env.get("S3_ENDPOINT") or None,
            None,
            None,
            bucket,
            region=env.get("AWS_REGION", "us-east-1"),
        )
    raise ConfigError("STORAGE_TYPE must be minio, r2 or s3, was '%s'" % kind)


def load(env: Mapping[str, str] = os.environ) -> TrainerConfig:
    missing = [key for key in REQUIRED if not env.get(key)]
    if missing:
        raise ConfigError("missing environment variables: " + ", ".join(missing))
    dataset_id = env["DATASET_ID"]
    if not is_safe_dataset_id(dataset_id):
        raise ConfigError(
            "DATASET_ID %r is not a safe dataset id: %s (optionally after '<project>/')"
            % (dataset_id, SAFE_ID_RULE)
        )
    model_name = env["MODEL_NAME"]
    if not is_safe_id(model_name):
        raise ConfigError("MODEL_NAME %r is not a safe model name: %s" % (model_name, SAFE_ID_RULE))
    try:
        hyper = json.loads(env.get("HYPERPARAMETERS") or "{}")
    except ValueError as error:
        raise ConfigError("HYPERPARAMETERS is not JSON: %s" % error) from None
    if not isinstance(hyper, dict):
        raise ConfigError("HYPERPARAMETERS must be a JSON object")
    epochs = _number(env, "EPOCHS", int)
    if epochs < 1:
        raise ConfigError("EPOCHS must be at least 1")
    log_format = (env.get("TRAINYARD_LOG_FORMAT") or "text").strip().lower()
    if log_format not in FORMATS:
        raise ConfigError("TRAINYARD_LOG_FORMAT must be text or json, not %r" % log_format)
    resume_from, resume_epoch = _resume(env)
    job_id = env["JOB_ID"]
    work_dir = env.get("TRAINER_WORK_DIR") or os.path.join(
        tempfile.gettempdir(), "trainyard-job-%s" % job_id
    )
    return TrainerConfig(
        job_id=job_id,
        trace_id=env["TRACE_ID"],
        base_url=env["BACKEND_BASE_URL"].rstrip("/"),
        token=env["CALLBACK_TOKEN"],
        dataset_id=dataset_id,
        model_name=model_name,
        epochs=epochs,
        batch_size=_number(env, "BATCH_SIZE", int),
        learning_rate=_number(env, "LEARNING_RATE", float),
        project_id=env.get("PROJECT_ID") or "default",
        storage=_storage(env),
        mlflow_uri=env.get("MLFLOW_TRACKING_URI") or None,
        work_dir=os.path.abspath(work_dir),
        hyperparameters=hyper,
        log_format=log_format,
        attempt=_whole_number(env, "ATTEMPT", 1),
        checkpoint_every_epochs=_whole_number(env, "CHECKPOINT_EVERY_EPOCHS", 1),
        resume_from=resume_from,
        resume_epoch=resume_epoch,
        retry_aware=bool((env.get("ATTEMPT") or "").strip()),
    )

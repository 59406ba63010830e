"""Checkpoints while training (issue #16): what a retried attempt resumes from.

Every CHECKPOINT_EVERY_EPOCHS epochs, right after Ultralytics has written last.pt (on_model_save),
last.pt (and best.pt when its fitness improved since the last upload: Ultralytics also rewrites
best.pt on a tie, which is not worth an upload) is copied aside and uploaded to
checkpoints/job-<id>/attempt-<n>/ on a background thread; each upload is announced with event
`checkpoint_saved` {"epoch", "uri", "kind": "last"|"best", "bytes", "seconds"}. The API signals
the workflow for kind "last", and the next attempt is launched with RESUME_FROM/RESUME_EPOCH.

The epoch loop does not wait for uploads: it pays for the copy only. At most one upload runs and
at most one waits; a newer checkpoint replaces the waiting one (its best.pt is kept if the newer
has none), so a slow store skips checkpoints instead of queueing them without bound.

The last epoch's checkpoint is not uploaded here: after the last epoch the job's final
checkpoints go to the seed's keys (job.py), and a "finished" last.pt cannot be resumed (a retry
would have to start over instead of redoing one epoch). Nor when training stops early (a stop
request, early stopping): that last.pt goes to the seed's keys too.
"""

import logging
import os
import shutil
import threading
import time
from dataclasses import dataclass

from .storage import Storage, attempt_checkpoint_key

log = logging.getLogger("trainyard.checkpoints")
MAX_CHECKPOINT_BYTES = 16 * 1024**3


@dataclass
class _Snapshot:
    epoch: int  # 1-based epoch that the weights completed
    path: str  # a private copy, deleted once uploaded or replaced


@dataclass
class _Upload:
    last: _Snapshot
    best: _Snapshot | None


class CheckpointUploader:
    def __init__(
        self,
        storage: Storage | None,
        client,
        job_id: str,
        attempt: int,
        every_epochs: int,
        staging_dir: str,
    ):
        self.storage = storage
        self.client = client
        self.job_id = job_id
        self.attempt = attempt
        self.every = max(1, every_epochs)
        self.staging_dir = staging_dir
        self.uploads = 0  # checkpoint files uploaded
        self.upload_seconds = 0.0  # spent on the background thread
        self.skipped = 0  # checkpoints replaced by a newer one before their upload began
        self._best_changed_at: int | None = None  # epoch of a best.pt not uploaded yet
        self._best_fitness: float | None = None  # of the newest best.pt counted as improved
        self._lock = threading.Condition()
        self._running = False
        self._waiting: _Upload | None = None
        self._logged_no_storage = False

    def best_carried_over(self, epoch: int | None, fitness: float | None = None) -> None:
        """A resumed attempt brought the previous attempt's best.pt along: upload it with this
        attempt's first checkpoint, so every attempt's folder holds its best.pt. (None, None):
        nothing carried over after all."""
        self._best_changed_at, self._best_fitness = epoch, fitness

    def on_model_save(self, trainer) -> None:
        """Ultralytics callback, right after save_model() wrote last.pt (and best.pt)."""
        epoch = trainer.epoch + 1
        fitness = trainer.fitness
        if (
            fitness is not None
            and trainer.best_fitness == fitness  # save_model() wrote best.pt in this epoch
            and (self._best_fitness is None or fitness > self._best_fitness)
        ):
            self._best_changed_at, self._best_fitness = epoch, fitness
        if epoch % self.every != 0 or epoch >= trainer.epochs or trainer.stop:
            return
        if self.storage is None:
            if not self._logged_no_storage:
                log.info("no storage configured (STORAGE_BUCKET): checkpoints are not uploaded")
                self._logged_no_storage = True
            return
        last = self._snapshot(str(trainer.last), "last", epoch)
        if last is None:
            return
        best = None
        if self._best_changed_at is not None and os.path.isfile(str(trainer.best)):
            best = self._snapshot(str(trainer.best), "best", self._best_changed_at)
            self._best_changed_at = None
        self._submit(_Upload(last, best))

    def wait(self, timeout: float) -> bool:
        """Waits for the uploads under way (before the final checkpoints go up, so that events
        keep their order); False when they did not end within timeout seconds."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._running or self._waiting is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    log.warning("checkpoint upload still running after %.0fs", timeout)
                    return False
                self._lock.wait(left)
        return True

    def _snapshot(self, source: str, kind: str, epoch: int) -> _Snapshot | None:
        # A copy, because the next epoch's save_model() rewrites last.pt in place (write_bytes
        # truncates it) while this one may still be uploading.
        if not os.path.isfile(source):
            return None
        os.makedirs(self.staging_dir, exist_ok=True)
        path = os.path.join(self.staging_dir, "%s-epoch%d.pt" % (kind, epoch))
        shutil.copyfile(source, path)
        return _Snapshot(epoch, path)

    def _submit(self, upload: _Upload) -> None:
        with self._lock:
            if self._running:
                replaced = self._waiting
                if replaced is not None:
                    self.skipped += 1
                    log.warning(
                        "checkpoint of epoch %d not uploaded: the upload before it is still"
                        " running, epoch %d's replaces it",
                        replaced.last.epoch,
                        upload.last.epoch,
                    )
                    _remove(replaced.last)
                    if upload.best is None:
                        upload.best = replaced.best
                    else:
                        _remove(replaced.best)
                self._waiting = upload
                return
            self._running = True
        threading.Thread(
            target=self._run, args=(upload,), name="trainyard-checkpoints", daemon=True
        ).start()

    def _run(self, upload: _Upload | None) -> None:
        while upload is not None:
            try:
                self._upload(upload)
            finally:
                with self._lock:
                    upload, self._waiting = self._waiting, None
                    if upload is None:
                        self._running = False
                    self._lock.notify_all()

    def _upload(self, upload: _Upload) -> None:
        # last.pt first: it is what a retry resumes from.
        for kind, snapshot in (("last", upload.last), ("best", upload.best)):
            if snapshot is None:
                continue
            key = attempt_checkpoint_key(self.job_id, self.attempt, "%s.pt" % kind)
            size = os.path.getsize(snapshot.path)
            started = time.monotonic()
            try:
                uri = self.storage.upload(snapshot.path, key)
            except Exception as error:  # a failed checkpoint must not end the training
                log.warning(
                    "checkpoint %s.pt of epoch %d not uploaded: %s", kind, snapshot.epoch, error
                )
                self.client.event(
                    "checkpoint_upload_failed",
                    "%s.pt of epoch %d not uploaded: %s" % (kind, snapshot.epoch, error),
                    level="warning",
                    data={"epoch": snapshot.epoch, "kind": kind},
                )
                if kind == "last":
                    _remove(upload.best)
                    return
                continue
            finally:
                _remove(snapshot)
            seconds = time.monotonic() - started
            self.uploads += 1
            self.upload_seconds += seconds
            self.client.event(
                "checkpoint_saved",
                "%s.pt of epoch %d uploaded to %s" % (kind, snapshot.epoch, uri),
                data={
                    "epoch": snapshot.epoch,
                    "uri": uri,
                    "kind": kind,
                    "bytes": size,
                    "seconds": round(seconds, 3),
                },
            )


def _remove(snapshot: _Snapshot | None) -> None:
    if snapshot is not None:
        try:
            os.remove(snapshot.path)
        except OSError:
            pass

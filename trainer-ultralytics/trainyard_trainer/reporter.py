"""Ultralytics callbacks that report training to Trainyard and MLflow and honour stop requests.

Order per epoch in Ultralytics: on_train_batch_end (each batch) -> on_train_epoch_end ->
validation -> save (on_model_save) -> on_fit_epoch_end -> loop breaks if trainer.stop. After the
loop, final_eval() validates best.pt and fires on_fit_epoch_end once more (only metrics/* keys):
that one is recognised by the epoch having been closed already and taken as the final metrics.
"""

import functools
import logging
import time
from typing import Any

log = logging.getLogger("trainyard.reporter")

# Heartbeat names for Ultralytics' metric keys; everything is also logged to MLflow unrenamed.
FRIENDLY = {
    "train/box_loss": "box_loss",
    "train/cls_loss": "cls_loss",
    "train/dfl_loss": "dfl_loss",
    "metrics/precision(B)": "precision",
    "metrics/recall(B)": "recall",
    "metrics/mAP50(B)": "mAP50",
    "metrics/mAP50-95(B)": "mAP50-95",
    "val/box_loss": "val_box_loss",
    "val/cls_loss": "val_cls_loss",
    "val/dfl_loss": "val_dfl_loss",
}


def _floats(values: dict[str, Any]) -> dict[str, float]:
    out = {}
    for key, value in (values or {}).items():
        try:
            out[key] = float(value)
        except (TypeError, ValueError):
            continue
    return out


def friendly(raw: dict[str, float]) -> dict[str, float]:
    named = {FRIENDLY[k]: round(v, 6) for k, v in raw.items() if k in FRIENDLY}
    if "lr/pg0" in raw:
        named["lr"] = raw["lr/pg0"]
    return named


class Reporter:
    def __init__(self, client, heartbeat, mlflow_run, stop, total_epochs: int):
        self.client = client
        self.heartbeat = heartbeat
        self.mlflow = mlflow_run
        self.stop = stop
        self.total_epochs = total_epochs
        self.epochs_reported = 0
        self.last_metrics: dict[str, float] = {}
        self.final_eval_metrics: dict[str, float] | None = None
        self._batch = 0
        self._epoch_open = False
        self.seconds_in_callbacks = 0.0  # what reporting costs training (the benchmark reads it)

    def register(self, model) -> None:
        for event in (
            "on_train_epoch_start",
            "on_train_batch_end",
            "on_train_epoch_end",
            "on_fit_epoch_end",
        ):
            model.add_callback(event, self.timed(getattr(self, event)))

    def timed(self, callback):
        """The callback, with its time added to seconds_in_callbacks."""

        @functools.wraps(callback)
        def timed(trainer):
            started = time.perf_counter()
            try:
                callback(trainer)
            finally:
                self.seconds_in_callbacks += time.perf_counter() - started

        return timed

    def on_train_epoch_start(self, trainer) -> None:
        self._batch = 0
        self._epoch_open = True

    def on_train_batch_end(self, trainer) -> None:
        self._batch += 1
        if self._batch % 10 == 0:  # cheap, but not on every batch
            self.heartbeat.update(step=self._batch, total_steps=len(trainer.train_loader))
        if self.stop.requested and not trainer.stop:
            log.warning("stop requested (%s): stopping after this batch", self.stop.reason)
            self._stop(trainer)

    def on_train_epoch_end(self, trainer) -> None:
        if self.stop.requested:
            self._stop(trainer)

    def on_fit_epoch_end(self, trainer) -> None:
        if not self._epoch_open:  # final_eval(): validation of best.pt after the last epoch
            self.final_eval_metrics = _floats(trainer.metrics)
            return
        self._epoch_open = False
        epoch = trainer.epoch + 1
        raw = {
            **_floats(trainer.label_loss_items(trainer.tloss, prefix="train")),
            **_floats(trainer.metrics),
            **_floats(trainer.lr),
        }
        self.last_metrics = raw
        progress = round(100.0 * epoch / self.total_epochs, 2)
        self.heartbeat.update(epoch=epoch, progress=progress, step=None, total_steps=None)
        # After a resume Ultralytics' epoch counter continues from the checkpoint: epoch 4 of 6.
        keep_going = self.client.heartbeat(
            epoch=epoch, total_epochs=self.total_epochs, progress=progress, metrics=friendly(raw)
        )
        self.epochs_reported += 1
        self.mlflow.log_metrics(raw, step=epoch)
        log.info("epoch %d/%d reported: %s", epoch, self.total_epochs, friendly(raw))
        if not keep_going or self.stop.requested:
            self._stop(trainer)

    @staticmethod
    def _stop(trainer) -> None:
        trainer.stop = True
        # final_eval() re-validates best.pt and strips last.pt's optimizer (no resume): neither
        # is wanted when the user asked to stop now.
        trainer.final_eval = lambda: None

"""A retried attempt's starting point (issue #16): RESUME_FROM's last.pt, checked before training.

Ultralytics' own resume (`YOLO(last.pt).train(resume=True)`) continues a checkpoint with the
checkpoint's arguments (epochs, lr0, seed, ...) and only lets a few be replaced (the data path,
device, batch, workers, save_dir, ...: BaseTrainer.check_resume). A file it cannot resume is
either an error inside train() or, worse, a silent fresh training from its weights (a checkpoint
without optimizer state), so the checkpoint is checked here first: a readable Ultralytics
training checkpoint with optimizer and EMA state, for this job's number of epochs, not finished.
"""

import logging
from dataclasses import dataclass

log = logging.getLogger("trainyard.resume")


class ResumeError(Exception):
    """The checkpoint cannot be resumed; the attempt starts over instead."""


@dataclass(frozen=True)
class Checkpoint:
    epoch: int  # 1-based epoch the checkpoint completed
    best_epoch: int | None  # 1-based epoch of the best fitness so far (EarlyStopping's record)
    best_fitness: float | None = None


def inspect(path: str, total_epochs: int) -> Checkpoint:
    from ultralytics.utils.patches import torch_load

    try:
        ckpt = torch_load(path, map_location="cpu")
    except Exception as error:
        raise ResumeError(
            "not a readable checkpoint (%s: %s)" % (type(error).__name__, error)
        ) from None
    if not isinstance(ckpt, dict) or not isinstance(ckpt.get("train_args"), dict):
        raise ResumeError("not an Ultralytics training checkpoint")
    epoch = ckpt.get("epoch")
    if not isinstance(epoch, int) or epoch < 0 or ckpt.get("optimizer") is None:
        # final_eval() strips the optimizer and sets epoch -1 once training has finished
        raise ResumeError("the checkpoint has no training state (a finished or stripped model)")
    if ckpt.get("ema") is None:
        raise ResumeError("the checkpoint has no model weights (ema)")
    epochs = ckpt["train_args"].get("epochs")
    if epochs != total_epochs:
        raise ResumeError("the checkpoint trains %s epochs, this job %d" % (epochs, total_epochs))
    completed = epoch + 1
    if completed >= total_epochs:
        raise ResumeError("training finished at epoch %d of %d" % (completed, total_epochs))
    best = (ckpt.get("stopper") or {}).get("best_epoch")
    fitness = ckpt.get("best_fitness")
    return Checkpoint(
        completed,
        best if isinstance(best, int) and best >= 1 else None,
        float(fitness) if isinstance(fitness, int | float) else None,
    )

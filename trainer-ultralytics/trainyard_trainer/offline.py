"""Keeps Ultralytics off the network: call `prepare()` BEFORE the first `import ultralytics`.

What Ultralytics would otherwise touch (read from its source, see shared notes): a DNS probe at
import (skipped by YOLO_OFFLINE=true, the exact string), telemetry and hub sync (settings), its
own MLflow/ClearML/... callbacks (settings; we log to MLflow ourselves), a font download from
GitHub (skipped when Arial.ttf is already in the config dir), pip auto-installs, and the AMP check
that downloads weights on CUDA (avoided by training with amp=False).
"""

import os
import shutil

INTEGRATIONS_OFF = {
    "sync": False,
    "hub": False,
    "mlflow": False,
    "clearml": False,
    "comet": False,
    "dvc": False,
    "neptune": False,
    "raytune": False,
    "tensorboard": False,
    "wandb": False,
}
FONTS = ("Arial.ttf", "Arial.Unicode.ttf")


def prepare(config_dir: str) -> None:
    os.environ["YOLO_OFFLINE"] = "true"
    os.environ["YOLO_AUTOINSTALL"] = "false"
    os.environ["ULTRALYTICS_SKIP_REQUIREMENTS_CHECKS"] = "1"
    os.environ.setdefault("YOLO_VERBOSE", "true")
    os.environ["YOLO_CONFIG_DIR"] = config_dir
    os.makedirs(os.path.join(config_dir, "Ultralytics"), exist_ok=True)
    _install_local_font(os.path.join(config_dir, "Ultralytics"))
    from ultralytics.utils import SETTINGS  # first import, with the environment above

    # Only keys this Ultralytics version knows (the set changes between releases).
    SETTINGS.update({key: value for key, value in INTEGRATIONS_OFF.items() if key in SETTINGS})


def _install_local_font(folder: str) -> None:
    """Copies matplotlib's DejaVuSans (an Ultralytics dependency) under the names Ultralytics
    looks for, so plotting never reaches for the network."""
    import matplotlib

    source = os.path.join(
        os.path.dirname(matplotlib.__file__), "mpl-data", "fonts", "ttf", "DejaVuSans.ttf"
    )
    for name in FONTS:
        target = os.path.join(folder, name)
        if os.path.isfile(source) and not os.path.exists(target):
            shutil.copyfile(source, target)


def pick_device(requested):
    """The GPU when there is one (or what the job asked for), else the CPU."""
    if requested:
        return requested
    import torch

    return 0 if torch.cuda.is_available() else "cpu"

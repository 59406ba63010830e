"""A background heartbeat that keeps the job alive while the main thread is busy for long
stretches (dataset download, a long epoch, validation, checkpoint upload)."""

import logging
import threading
from typing import Any

log = logging.getLogger("trainyard.heartbeat")


class BackgroundHeartbeat:
    def __init__(self, client, interval_seconds: float, total_epochs: int):
        self._client = client
        self._interval = interval_seconds
        self._progress: dict[str, Any] = {"epoch": 0, "total_epochs": total_epochs, "progress": 0.0}
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="trainyard-heartbeat", daemon=True)

    def start(self) -> "BackgroundHeartbeat":
        if self._interval > 0:
            self._thread.start()
        return self

    def update(self, **progress: Any) -> None:
        """Records where training is, so that the next beat repeats it (without metrics: those go
        with the per-epoch heartbeat only, one metrics row per epoch)."""
        with self._lock:
            self._progress.update(progress)

    def _run(self) -> None:
        while not self._stopped.wait(self._interval):
            with self._lock:
                fields = {k: v for k, v in self._progress.items() if v is not None}
            try:
                self._client.heartbeat(metrics={}, **fields)
            except Exception as error:  # the beat must never kill training
                log.warning("background heartbeat failed: %s", error)

    def stop(self) -> None:
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(timeout=self._client.timeout + 1)

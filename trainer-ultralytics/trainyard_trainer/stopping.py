"""Why training should stop: a signal (SIGTERM from the launcher, SIGINT from a user) or the API's
should_continue:false. Both only set a flag; the YOLO callbacks act on it at the next batch."""

import signal
import threading


class StopRequest:
    def __init__(self, api_stop: threading.Event):
        self._api_stop = api_stop
        self._signal: str | None = None

    def install_signal_handlers(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._on_signal)

    def _on_signal(self, signum, _frame) -> None:
        if self._signal is not None and signum == signal.SIGINT:
            raise KeyboardInterrupt  # a second Ctrl-C: the user really wants out now
        self._signal = signal.Signals(signum).name

    @property
    def requested(self) -> bool:
        return self._signal is not None or self._api_stop.is_set()

    @property
    def terminated_unasked(self) -> bool:
        """SIGTERM while the API had not asked this trainer to stop (should_continue:false):
        the machine's doing (preemption, eviction, a node drain), not the user's."""
        return self._signal == "SIGTERM" and not self._api_stop.is_set()

    @property
    def reason(self) -> str:
        if self._signal is not None:
            return "signal " + self._signal
        return "backend"


class Stopped(Exception):
    """Raised between stages when a stop was requested before training began or after it ended."""

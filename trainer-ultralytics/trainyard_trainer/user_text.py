"""What users see of the trainer's text: event messages and data, and done's error.

They read it through the API and the CLI, so it must not carry this machine's internals: a path
inside the job's working directory is shown relative to it ("runs/job-5/weights/best.pt"), any
other absolute path only by its last component ("yolo11n.yaml", not the site-packages folder it
came from). Ultralytics colours its messages (ANSI escapes); a user reads them without. Done's
error is one line: the traceback goes to the trainer's log (stderr), where the launcher keeps it.
"""

import os
import re
from typing import Any

MAX_ERROR_CHARS = 1000  # the API cuts a longer error_message at the same length
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
_PATH_CHAR = r"[^\s'\"`,;()\[\]{}<>|/]"
# An absolute POSIX path of two or more segments. Not one that follows a word character, a ':' or
# a '/' ("a/b", "1/2", URLs such as s3://bucket/key or file:/tmp/mlruns are left alone).
_ABSOLUTE_PATH = re.compile(r"(?<![\w:/.~\\-])/%s+(?:/%s*)+" % (_PATH_CHAR, _PATH_CHAR))


class UserText:
    def __init__(self, job_dir: str):
        # Both spellings: the one the trainer built its paths from and the resolved one (a
        # symlinked /tmp), so either prefix is recognised.
        self._job_dirs = sorted(
            {os.path.abspath(job_dir), os.path.realpath(job_dir)}, key=len, reverse=True
        )

    def text(self, text: str) -> str:
        """`text` without ANSI escapes and with its paths made relative or reduced to a name."""
        return _ABSOLUTE_PATH.sub(self._path, _ANSI_ESCAPE.sub("", text))

    def data(self, value: Any) -> Any:
        """Event data with `text()` applied to every string in it, keys included."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.data(k): self.data(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.data(v) for v in value]
        return value

    def error_line(self, text: str) -> str:
        """The first non-blank line of `text`, as `text()` shows it, at most MAX_ERROR_CHARS."""
        lines = [line.strip() for line in self.text(text).splitlines() if line.strip()]
        line = lines[0] if lines else ""
        return line if len(line) <= MAX_ERROR_CHARS else line[:MAX_ERROR_CHARS] + "…"

    def _path(self, match: re.Match) -> str:
        path = match.group(0)
        trailing = ""
        while path[-1] in ".:":  # the sentence's full stop, not the path's
            path, trailing = path[:-1], path[-1] + trailing
        for job_dir in self._job_dirs:
            if path == job_dir:
                return "." + trailing
            if path.startswith(job_dir + os.sep):
                return path[len(job_dir) + 1 :] + trailing
        return (os.path.basename(path.rstrip("/")) or path) + trailing

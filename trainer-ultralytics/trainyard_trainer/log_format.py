"""The trainer's log lines in Trainyard's one shape (the API's and the worker's, LogLayouts.java):
text for people, or with TRAINYARD_LOG_FORMAT=json one JSON object a line for a log agent, both
carrying job_id and trace_id under those names."""

import json
import logging
import sys
import time

FORMATS = ("text", "json")
TEXT_FORMAT = (
    "%(asctime)s %(levelname)-5s [%(threadName)s] %(name)s job_id=%(job_id)s"
    " trace_id=%(trace_id)s - %(message)s"
)


class _JobFields(logging.Filter):
    """Puts the job's ids on every record, as the Java side's MDC does."""

    def __init__(self, job_id: str, trace_id: str):
        super().__init__()
        self.job_id, self.trace_id = job_id, trace_id

    def filter(self, record: logging.LogRecord) -> bool:
        record.job_id, record.trace_id = self.job_id, self.trace_id
        return True


class JsonFormatter(logging.Formatter):
    """The API's JSON fields: timestamp (UTC, ISO 8601), level, thread, logger, message,
    exception, job_id, trace_id."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "timestamp": _utc_iso(record.created),
            "level": "WARN" if record.levelname == "WARNING" else record.levelname,
            "thread": record.threadName,
            "logger": record.name,
            "message": record.getMessage(),
            "job_id": getattr(record, "job_id", ""),
            "trace_id": getattr(record, "trace_id", ""),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def _utc_iso(created: float) -> str:
    millis = int(created * 1000) % 1000
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(created)) + ".%03dZ" % millis


def configure(job_id: str, trace_id: str, fmt: str = "text", stream=None) -> logging.Handler:
    """Root logging at INFO to stdout (the trainer's log) in `fmt`; returns the handler."""
    handler = logging.StreamHandler(stream if stream is not None else sys.stdout)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        formatter = logging.Formatter(TEXT_FORMAT)
        formatter.converter = time.gmtime  # UTC, as the Java side's %d{ISO8601,UTC}
        handler.setFormatter(formatter)
    handler.addFilter(_JobFields(job_id, trace_id))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    return handler

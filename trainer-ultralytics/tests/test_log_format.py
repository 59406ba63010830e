"""The trainer's log lines: Trainyard's one shape, job_id and trace_id spelled as the Java side."""

import io
import json
import logging

import pytest
from trainyard_trainer import config as config_module
from trainyard_trainer import log_format


@pytest.fixture(autouse=True)
def restore_root_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_text_lines_carry_the_job_and_trace_ids_as_the_java_pattern_does():
    out = io.StringIO()
    log_format.configure("12", "trace-abc", "text", stream=out)
    logging.getLogger("trainyard.trainer").info("epoch %d done", 3)
    line = out.getvalue().strip()
    assert line.endswith(
        "INFO  [MainThread] trainyard.trainer job_id=12 trace_id=trace-abc - epoch 3 done"
    ), line


def test_json_lines_have_the_apis_fields_at_the_top_level():
    out = io.StringIO()
    log_format.configure("12", "trace-abc", "json", stream=out)
    try:
        raise ValueError("no labels")
    except ValueError:
        logging.getLogger("trainyard.trainer").warning("dataset %s", "coco", exc_info=True)
    record = json.loads(out.getvalue().strip().splitlines()[0])
    assert record["job_id"] == "12"
    assert record["trace_id"] == "trace-abc"
    assert record["level"] == "WARN"
    assert record["logger"] == "trainyard.trainer"
    assert record["message"] == "dataset coco"
    assert record["thread"] == "MainThread"
    assert "ValueError: no labels" in record["exception"]
    assert record["timestamp"].endswith("Z") and "T" in record["timestamp"]


def _env(**extra):
    env = {
        "JOB_ID": "7",
        "TRACE_ID": "t",
        "BACKEND_BASE_URL": "http://127.0.0.1:1",
        "CALLBACK_TOKEN": "x",
        "DATASET_ID": "p/d",
        "MODEL_NAME": "yolov8n.pt",
        "EPOCHS": "1",
        "BATCH_SIZE": "1",
        "LEARNING_RATE": "0.1",
    }
    env.update(extra)
    return env


def test_the_format_comes_from_trainyard_log_format_and_defaults_to_text():
    assert config_module.load(_env()).log_format == "text"
    assert config_module.load(_env(TRAINYARD_LOG_FORMAT="JSON")).log_format == "json"
    with pytest.raises(config_module.ConfigError, match="TRAINYARD_LOG_FORMAT"):
        config_module.load(_env(TRAINYARD_LOG_FORMAT="xml"))

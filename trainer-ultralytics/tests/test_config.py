"""The trainer's checks of its environment, against the vector of model names the API shares."""

import json
import os
import re

import pytest
from trainyard_trainer import config

# The same file SubmitJobTest reads: a name the trainer refuses must be refused at submit.
MODEL_NAMES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "model_names.json")
with open(MODEL_NAMES, encoding="utf-8") as vector:
    NAMES = json.load(vector)


def job_env(**overrides: str) -> dict[str, str]:
    env = {
        "JOB_ID": "7",
        "TRACE_ID": "trace-7",
        "BACKEND_BASE_URL": "http://127.0.0.1:1",
        "CALLBACK_TOKEN": "token",
        "DATASET_ID": "coco128",
        "MODEL_NAME": "yolov8n.pt",
        "EPOCHS": "1",
        "BATCH_SIZE": "2",
        "LEARNING_RATE": "0.01",
    }
    env.update(overrides)
    return env


@pytest.mark.parametrize("name", NAMES["accepted"])
def test_the_model_names_the_api_accepts_are_accepted(name):
    assert config.load(job_env(MODEL_NAME=name)).model_name == name


@pytest.mark.parametrize(
    "name", [entry["name"] for entry in NAMES["refused"]], ids=[e["why"] for e in NAMES["refused"]]
)
def test_the_model_names_the_api_refuses_are_refused(name):
    with pytest.raises(config.ConfigError):
        config.load(job_env(MODEL_NAME=name))


@pytest.mark.parametrize("name", [entry["name"] for entry in NAMES["refused"]])
def test_dataset_ids_follow_the_same_rule(name):
    # the API hands DATASET_ID as "<project>/<id>"; the id part follows the submit rule
    with pytest.raises(config.ConfigError):
        config.load(job_env(DATASET_ID="demo/" + name))


def test_a_project_dataset_id_is_accepted():
    assert config.load(job_env(DATASET_ID="demo/coco128")).dataset_id == "demo/coco128"


@pytest.mark.parametrize("name", ["demo/", "/coco128", "a/b/c", "demo/../x", "../coco128"])
def test_a_project_dataset_id_has_two_safe_parts(name):
    with pytest.raises(config.ConfigError):
        config.load(job_env(DATASET_ID=name))


def test_retry_variables_default_to_a_first_attempt_without_resume():
    cfg = config.load(job_env())
    assert (cfg.attempt, cfg.checkpoint_every_epochs) == (1, 1)
    assert (cfg.resume_from, cfg.resume_epoch) == (None, None)
    # empty means unset, as for the other optional variables
    cfg = config.load(
        job_env(ATTEMPT="", CHECKPOINT_EVERY_EPOCHS="", RESUME_FROM="", RESUME_EPOCH="")
    )
    assert (cfg.attempt, cfg.checkpoint_every_epochs, cfg.resume_from) == (1, 1, None)


def test_retry_variables_are_read():
    uri = "s3://trainyard/checkpoints/job-7/attempt-1/last.pt"
    cfg = config.load(
        job_env(ATTEMPT="2", CHECKPOINT_EVERY_EPOCHS="5", RESUME_FROM=uri, RESUME_EPOCH="3")
    )
    assert (cfg.attempt, cfg.checkpoint_every_epochs) == (2, 5)
    assert (cfg.resume_from, cfg.resume_epoch) == (uri, 3)


@pytest.mark.parametrize(
    "name, value",
    [
        ("ATTEMPT", "0"),
        ("ATTEMPT", "-1"),
        ("ATTEMPT", "two"),
        ("ATTEMPT", "1.5"),
        ("CHECKPOINT_EVERY_EPOCHS", "0"),
        ("CHECKPOINT_EVERY_EPOCHS", "1e3"),
    ],
)
def test_bad_retry_numbers_are_a_clear_error(name, value):
    with pytest.raises(
        config.ConfigError,
        match="%s must be a whole number of at least 1, was '%s'" % (name, value),
    ):
        config.load(job_env(**{name: value}))


@pytest.mark.parametrize(
    "resume, why",
    [
        ({"RESUME_FROM": "s3://b/checkpoints/job-7/attempt-1/last.pt"}, "RESUME_EPOCH is not"),
        ({"RESUME_EPOCH": "3"}, "RESUME_FROM is not"),
        ({"RESUME_FROM": "/tmp/last.pt", "RESUME_EPOCH": "3"}, "s3://<bucket>/<key> URI"),
        ({"RESUME_FROM": "s3://bucket-only", "RESUME_EPOCH": "3"}, "s3://<bucket>/<key> URI"),
        ({"RESUME_FROM": "s3://b/checkpoints/../x.pt", "RESUME_EPOCH": "3"}, "s3://<bucket>/"),
        ({"RESUME_FROM": "s3://b/k/last.pt", "RESUME_EPOCH": "0"}, "RESUME_EPOCH must be"),
        ({"RESUME_FROM": "s3://b/k/last.pt", "RESUME_EPOCH": "x"}, "RESUME_EPOCH must be"),
    ],
)
def test_resume_variables_come_together_and_well_formed(resume, why):
    with pytest.raises(config.ConfigError, match=re.escape(why)):
        config.load(job_env(**resume))

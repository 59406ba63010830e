"""The trainer's checks of its environment, against the vector of model names the API shares."""

import json
import os

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

"""Issue 12, item 8: what users see of the trainer (events, done's error) carries no traceback,
no absolute path of the trainer's machine and no terminal colour codes."""

import json
import os
import zipfile

import pytest
from test_train import run_trainer
from trainyard_trainer import synthetic
from trainyard_trainer.storage import Storage
from trainyard_trainer.user_text import MAX_ERROR_CHARS, UserText


@pytest.fixture()
def empty_val(storage_config, tmp_path):
    """A dataset that passes the trainer's own checks but has no validation image: Ultralytics
    fails inside training, with its job-dir paths, a colour prefix and a multi-line message."""
    archive = synthetic.write_zip(str(tmp_path / "empty-val.zip"), train=8, val=0, size=32)
    with zipfile.ZipFile(archive, "a") as zipped:
        zipped.writestr("images/val/", "")
        zipped.writestr("labels/val/", "")
    Storage(storage_config).upload(archive, "datasets/empty-val.zip")


def test_a_failure_inside_ultralytics_is_one_line_without_paths(
    callback_api, storage_config, empty_val, tmp_path
):
    code, output = run_trainer(callback_api, storage_config, tmp_path, dataset_id="empty-val")

    assert code == 1, output
    [done] = callback_api.bodies("done")
    assert done["status"] == "failed"
    error = done["error"]
    assert "\n" not in error and "\x1b" not in error
    assert str(tmp_path) not in error and not error.startswith("Traceback")
    assert "images/val" in error, error  # still says which folder, relative to the job
    # Every event a user can read is free of the machine's paths, its data included.
    for event in callback_api.bodies("event"):
        assert str(tmp_path) not in json.dumps(event), event
    loaded = [e for e in callback_api.bodies("event") if e["event_type"] == "dataset_loaded"]
    assert loaded[0]["data"]["data_yaml"] == "dataset/data.trainyard.yaml"
    # The traceback is in the trainer's log, where the launcher keeps it.
    assert "Traceback (most recent call last)" in output


def test_paths_in_the_job_dir_become_relative_others_only_their_name(tmp_path):
    job = str(tmp_path / "job-5-abc")
    text = UserText(job)

    assert (
        text.text("saved %s/runs/job-5/weights/best.pt." % job)
        == "saved runs/job-5/weights/best.pt."
    )
    assert text.text("save_dir=%s" % job) == "save_dir=."
    assert text.text("'/usr/lib/python3/site-packages/x/yolo11n.yaml' missing") == (
        "'yolo11n.yaml' missing"
    )
    for kept in ("s3://bucket/checkpoints/job-5/best.pt", "file:/tmp/mlruns", "1/2 epochs", "a/b"):
        assert text.text(kept) == kept
    assert text.data({"path": job + "/dataset", "list": [job + "/x/y"], "n": 3}) == {
        "path": "dataset",
        "list": ["x/y"],
        "n": 3,
    }


def test_an_error_is_its_first_line_uncoloured_and_bounded(tmp_path):
    text = UserText(str(tmp_path))

    assert text.error_line("\n\x1b[34m\x1b[1mtrain: \x1b[0mno images\nsee the docs\n") == (
        "train: no images"
    )
    assert len(text.error_line("x" * 5000)) == MAX_ERROR_CHARS + 1
    assert os.sep == "/"  # the trainer runs on Linux; the path rule is POSIX

"""Checkpoints while training: cadence, event data and uploads, against a real S3-protocol server
and the local callback API, with a stand-in for Ultralytics' trainer (what on_model_save reads).
And the resume check of a downloaded checkpoint."""

import threading
from types import SimpleNamespace

import boto3
import pytest
import torch
from trainyard_trainer import resume
from trainyard_trainer.callbacks import CallbackClient
from trainyard_trainer.checkpoints import CheckpointUploader
from trainyard_trainer.storage import Storage


def fake_trainer(tmp_path, total_epochs):
    weights = tmp_path / "weights"
    weights.mkdir(exist_ok=True)
    return SimpleNamespace(
        epoch=0,
        epochs=total_epochs,
        stop=False,
        last=weights / "last.pt",
        best=weights / "best.pt",
        best_fitness=None,
        fitness=None,
    )


def save_epoch(trainer, epoch, fitness):
    """What save_model() does at the end of 1-based `epoch`: last.pt always, best.pt when the
    fitness is the best so far."""
    trainer.epoch = epoch - 1
    trainer.fitness = fitness
    if trainer.best_fitness is None or fitness > trainer.best_fitness:
        trainer.best_fitness = fitness
    content = ("weights of epoch %d " % epoch).encode() * 100
    trainer.last.write_bytes(content)
    if trainer.best_fitness == trainer.fitness:
        trainer.best.write_bytes(content)


def uploader_for(storage, api, tmp_path, every, attempt=2):
    client = CallbackClient(api.url, "12", "trace-12", api.token)
    return CheckpointUploader(storage, client, "12", attempt, every, str(tmp_path / "staging"))


def checkpoint_events(api):
    return [b["data"] for b in api.bodies("event") if b["event_type"] == "checkpoint_saved"]


def read(storage_config, key):
    client = boto3.client(
        "s3",
        endpoint_url=storage_config.endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    return client.get_object(Bucket=storage_config.bucket, Key=key)["Body"].read()


def test_every_n_epochs_last_and_the_improved_best_are_uploaded_but_not_the_final_epoch(
    storage_config, callback_api, tmp_path
):
    storage = Storage(storage_config)
    uploader = uploader_for(storage, callback_api, tmp_path, every=2)
    trainer = fake_trainer(tmp_path, total_epochs=6)
    fitness = {1: 0.1, 2: 0.05, 3: 0.3, 4: 0.2, 5: 0.4, 6: 0.5}
    for epoch in range(1, 7):
        save_epoch(trainer, epoch, fitness[epoch])
        uploader.on_model_save(trainer)
        assert uploader.wait(30)

    prefix = "s3://%s/checkpoints/job-12/attempt-2/" % storage_config.bucket
    size = len(b"weights of epoch 1 " * 100)
    assert [(e["kind"], e["epoch"]) for e in checkpoint_events(callback_api)] == [
        ("last", 2),
        ("best", 1),  # best.pt improved at epoch 1 and is uploaded with epoch 2's last.pt
        ("last", 4),
        ("best", 3),
    ]  # epoch 6 is the last one: its checkpoints go to the seed's keys (job.py)
    for event in checkpoint_events(callback_api):
        assert event["uri"] == prefix + "%s.pt" % event["kind"]
        assert event["bytes"] == size and event["seconds"] >= 0
    assert read(storage_config, "checkpoints/job-12/attempt-2/last.pt").startswith(
        b"weights of epoch 4 "
    )
    assert read(storage_config, "checkpoints/job-12/attempt-2/best.pt").startswith(
        b"weights of epoch 3 "
    )
    assert uploader.uploads == 4 and uploader.skipped == 0
    assert not list((tmp_path / "staging").iterdir())  # the copies are removed once uploaded


def test_a_best_pt_rewritten_on_a_tie_is_not_uploaded_again(storage_config, callback_api, tmp_path):
    uploader = uploader_for(Storage(storage_config), callback_api, tmp_path, every=1)
    trainer = fake_trainer(tmp_path, total_epochs=6)
    for epoch, fitness in ((1, 0.0), (2, 0.0), (3, 0.0), (4, 0.2)):  # early epochs: mAP 0
        save_epoch(trainer, epoch, fitness)
        uploader.on_model_save(trainer)
        assert uploader.wait(30)
    assert [(e["kind"], e["epoch"]) for e in checkpoint_events(callback_api)] == [
        ("last", 1),
        ("best", 1),
        ("last", 2),
        ("last", 3),
        ("last", 4),
        ("best", 4),
    ]


def test_a_stopping_training_uploads_no_checkpoint_of_its_own(
    storage_config, callback_api, tmp_path
):
    uploader = uploader_for(Storage(storage_config), callback_api, tmp_path, every=1)
    trainer = fake_trainer(tmp_path, total_epochs=6)
    save_epoch(trainer, 1, 0.1)
    trainer.stop = True  # a stop request or early stopping: job.py uploads last.pt at the end
    uploader.on_model_save(trainer)
    assert uploader.wait(30)
    assert checkpoint_events(callback_api) == []


def test_a_slow_store_skips_to_the_newest_checkpoint_instead_of_queueing(
    storage_config, callback_api, tmp_path
):
    storage = Storage(storage_config)
    release = threading.Event()
    real_upload = storage.upload
    started = []

    def slow_upload(path, key):
        started.append(key)
        if len(started) == 1:
            assert release.wait(30)
        return real_upload(path, key)

    storage.upload = slow_upload
    uploader = uploader_for(storage, callback_api, tmp_path, every=1)
    trainer = fake_trainer(tmp_path, total_epochs=10)
    for epoch, fit in ((1, 0.5), (2, 0.1), (3, 0.2), (4, 0.3)):
        save_epoch(trainer, epoch, fit)
        uploader.on_model_save(trainer)  # returns at once while epoch 1's upload hangs
    release.set()
    assert uploader.wait(30)

    assert [(e["kind"], e["epoch"]) for e in checkpoint_events(callback_api)] == [
        ("last", 1),
        ("best", 1),
        ("last", 4),  # epochs 2 and 3 were replaced while epoch 1's upload ran
    ]
    assert uploader.skipped == 2
    assert read(storage_config, "checkpoints/job-12/attempt-2/last.pt").startswith(
        b"weights of epoch 4 "
    )


def test_a_failed_upload_is_a_warning_and_training_goes_on(storage_config, callback_api, tmp_path):
    storage = Storage(storage_config)

    def broken(path, key):
        raise OSError("store unreachable")

    storage.upload = broken
    uploader = uploader_for(storage, callback_api, tmp_path, every=1)
    trainer = fake_trainer(tmp_path, total_epochs=3)
    save_epoch(trainer, 1, 0.1)
    uploader.on_model_save(trainer)
    assert uploader.wait(30)

    [warning] = [b for b in callback_api.bodies("event")]
    assert warning["event_type"] == "checkpoint_upload_failed" and warning["level"] == "warning"
    assert warning["data"] == {"epoch": 1, "kind": "last"}
    assert "store unreachable" in warning["message"]


def test_without_storage_nothing_is_uploaded_and_it_is_logged_once(callback_api, tmp_path, caplog):
    uploader = uploader_for(None, callback_api, tmp_path, every=1)
    trainer = fake_trainer(tmp_path, total_epochs=5)
    with caplog.at_level("INFO", logger="trainyard.checkpoints"):
        for epoch in (1, 2, 3):
            save_epoch(trainer, epoch, 0.1 * epoch)
            uploader.on_model_save(trainer)
    assert uploader.wait(5)
    assert callback_api.bodies("event") == []
    assert [r.getMessage() for r in caplog.records] == [
        "no storage configured (STORAGE_BUCKET): checkpoints are not uploaded"
    ]


def training_checkpoint(path, epoch, epochs=6, optimizer=True, best_epoch=2):
    torch.save(
        {
            "epoch": epoch,  # 0-based, as Ultralytics saves it
            "optimizer": {"state": {}} if optimizer else None,
            "ema": torch.nn.Linear(1, 1) if optimizer else None,
            "train_args": {"epochs": epochs},
            "best_fitness": 0.3,
            "stopper": {"best_fitness": 0.3, "best_epoch": best_epoch},
        },
        path,
    )
    return str(path)


def test_a_training_checkpoint_is_resumable(tmp_path):
    checkpoint = resume.inspect(training_checkpoint(tmp_path / "last.pt", epoch=2), 6)
    assert checkpoint == resume.Checkpoint(epoch=3, best_epoch=2, best_fitness=0.3)


@pytest.mark.parametrize(
    "write, why",
    [
        (lambda p: p.write_bytes(b"not a checkpoint"), "not a readable checkpoint"),
        (lambda p: torch.save([1, 2], p), "not an Ultralytics training checkpoint"),
        (lambda p: training_checkpoint(p, epoch=-1, optimizer=False), "no training state"),
        (lambda p: training_checkpoint(p, epoch=5), "training finished at epoch 6 of 6"),
        (lambda p: training_checkpoint(p, epoch=2, epochs=10), "trains 10 epochs, this job 6"),
    ],
    ids=["corrupt", "foreign", "stripped", "finished", "other-job"],
)
def test_a_checkpoint_that_cannot_be_resumed_is_refused_with_the_reason(tmp_path, write, why):
    path = tmp_path / "last.pt"
    write(path)
    with pytest.raises(resume.ResumeError, match=why):
        resume.inspect(str(path), 6)

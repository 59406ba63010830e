"""Storage against a real S3-protocol server (moto's standalone HTTP server)."""

import pytest
from trainyard_trainer.storage import Storage, StorageError, checkpoint_key, dataset_key


def test_round_trip_with_the_storage_layout(storage_config, tmp_path):
    storage = Storage(storage_config)
    source = tmp_path / "best.pt"
    source.write_bytes(b"weights" * 1000)
    url = storage.upload(str(source), checkpoint_key("12", "best.pt"))
    assert url == "s3://%s/checkpoints/job-12/best.pt" % storage_config.bucket
    assert storage.size_of("checkpoints/job-12/best.pt") == 7000
    copy = storage.download("checkpoints/job-12/best.pt", str(tmp_path / "back" / "b.pt"), 10**6)
    assert open(copy, "rb").read() == source.read_bytes()


def test_missing_dataset_is_a_clear_error(storage_config, tmp_path):
    with pytest.raises(StorageError, match="datasets/nope.zip not found"):
        Storage(storage_config).download(dataset_key("nope"), str(tmp_path / "x.zip"), 10**6)


def test_objects_over_the_limit_are_not_downloaded(storage_config, tmp_path):
    storage = Storage(storage_config)
    big = tmp_path / "big.zip"
    big.write_bytes(b"\0" * 5000)
    storage.upload(str(big), dataset_key("big"))
    with pytest.raises(StorageError, match="over the 1000 byte limit"):
        storage.download(dataset_key("big"), str(tmp_path / "d" / "big.zip"), 1000)
    assert not (tmp_path / "d" / "big.zip").exists()

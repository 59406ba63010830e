import os
import socket
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

# boto3 >= 1.36 sends checksums many S3-compatible servers reject; the trainer sets this in code
# too, the environment covers the test's own boto3 clients.
os.environ.setdefault("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required")
os.environ.setdefault("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required")

from trainyard_trainer.config import StorageConfig  # noqa: E402
from trainyard_trainer.local_api import LocalCallbackApi  # noqa: E402

BUCKET = "trainyard-test"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    """A real S3-protocol HTTP server (moto's standalone server) on a free local port."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield "http://127.0.0.1:%d" % port
    server.stop()


@pytest.fixture()
def storage_config(s3_endpoint):
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    try:
        client.create_bucket(Bucket=BUCKET)
    except client.exceptions.BucketAlreadyOwnedByYou:
        pass
    return StorageConfig(s3_endpoint, "test", "test", BUCKET)


@pytest.fixture()
def shapes(storage_config, tmp_path):
    """The tiny synthetic dataset of the real-training tests, as datasets/shapes.zip."""
    from trainyard_trainer import synthetic
    from trainyard_trainer.storage import Storage

    archive = synthetic.write_zip(str(tmp_path / "shapes.zip"), train=16, val=4, size=32)
    Storage(storage_config).upload(archive, "datasets/shapes.zip")


@pytest.fixture()
def callback_api():
    with LocalCallbackApi() as api:
        yield api

"""S3-compatible storage (MinIO, R2, AWS, S3Proxy): datasets in, checkpoints out.

Layout (the seed's): datasets/{dataset_id}.zip, checkpoints/job-{job_id}/{best,last}.pt, and
models/{name}.pt for weights a user put in storage; and, while a job trains, the checkpoints a
retried attempt resumes from: checkpoints/job-{job_id}/attempt-{n}/{best,last}.pt.
"""

import logging
import os

from .config import StorageConfig

log = logging.getLogger("trainyard.storage")


class StorageError(Exception):
    """A storage problem the user can act on (missing object, object too large)."""


def dataset_key(dataset_id: str) -> str:
    return "datasets/%s.zip" % dataset_id


def checkpoint_key(job_id: str, file_name: str) -> str:
    return "checkpoints/job-%s/%s" % (job_id, file_name)


def attempt_checkpoint_key(job_id: str, attempt: int, file_name: str) -> str:
    return "checkpoints/job-%s/attempt-%d/%s" % (job_id, attempt, file_name)


def model_key(model_name: str) -> str:
    return "models/%s" % model_name


class Storage:
    def __init__(self, config: StorageConfig):
        # Imported here, not at the top: jobs without storage (laptops, the overhead benchmark)
        # should not pay boto3's import (about 0.1 s) on their way to training.
        import boto3
        from botocore.config import Config

        self.bucket = config.bucket
        self._client = boto3.client(
            "s3",
            endpoint_url=config.endpoint,
            aws_access_key_id=config.access_key,
            aws_secret_access_key=config.secret_key,
            region_name=config.region,
            config=Config(
                # MinIO and S3Proxy want path-style URLs; new default checksums (boto3 >= 1.36)
                # are rejected by many S3-compatible servers (S3Proxy answers 501).
                s3={"addressing_style": "path"},
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
                retries={"mode": "standard", "max_attempts": 5},
                connect_timeout=10,
                read_timeout=120,
            ),
        )

    def url(self, key: str) -> str:
        return "s3://%s/%s" % (self.bucket, key)

    def key_of(self, uri: str) -> str:
        """The key of an s3:// URI in this bucket; StorageError for any other URI."""
        prefix = "s3://%s/" % self.bucket
        if not uri.startswith(prefix) or len(uri) == len(prefix):
            raise StorageError("%s is not in this job's bucket %s" % (uri, self.bucket))
        return uri[len(prefix) :]

    def size_of(self, key: str) -> int:
        """The object's size in bytes; StorageError when it does not exist."""
        from botocore.exceptions import ClientError

        try:
            return int(self._client.head_object(Bucket=self.bucket, Key=key)["ContentLength"])
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code in ("404", "NoSuchKey", "NotFound"):
                raise StorageError("%s not found" % self.url(key)) from None
            raise

    def download(self, key: str, destination: str, max_bytes: int) -> str:
        size = self.size_of(key)
        if size > max_bytes:
            raise StorageError(
                "%s is %d bytes, over the %d byte limit" % (self.url(key), size, max_bytes)
            )
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        log.info("downloading %s (%d bytes) to %s", self.url(key), size, destination)
        self._client.download_file(self.bucket, key, destination)
        return destination

    def upload(self, path: str, key: str) -> str:
        log.info("uploading %s to %s", path, self.url(key))
        self._client.upload_file(path, self.bucket, key)
        return self.url(key)

    def exists(self, key: str) -> bool:
        try:
            self.size_of(key)
            return True
        except StorageError:
            return False

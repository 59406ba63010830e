"""Dataset archives are hostile input: path tricks, links and bombs are refused."""

import os
import stat
import zipfile

import pytest
from trainyard_trainer import dataset, synthetic
from trainyard_trainer.dataset import DatasetError


def make_zip(path, entries):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return str(path)


@pytest.mark.parametrize(
    "evil",
    [
        "../escape.txt",
        "images/../../escape.txt",
        "/abs/escape.txt",
        "C:/windows.txt",
        "a\\..\\..\\b.txt",
    ],
)
def test_zip_slip_is_refused(tmp_path, evil):
    archive = make_zip(tmp_path / "evil.zip", {"data.yaml": "x: 1", evil: "boom"})
    with pytest.raises(DatasetError, match="outside the dataset"):
        dataset.extract(archive, str(tmp_path / "out"), 10**6)
    assert not (tmp_path / "escape.txt").exists()


def test_symlink_entries_are_refused(tmp_path):
    path = tmp_path / "link.zip"
    with zipfile.ZipFile(path, "w") as archive:
        link = zipfile.ZipInfo("images/link")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    with pytest.raises(DatasetError, match="symbolic link"):
        dataset.extract(str(path), str(tmp_path / "out"), 10**6)


def test_oversize_archives_are_refused_before_and_while_extracting(tmp_path):
    archive = make_zip(tmp_path / "big.zip", {"a.bin": b"\0" * 5000})
    with pytest.raises(DatasetError, match="byte limit"):
        dataset.extract(archive, str(tmp_path / "out"), 4000)
    # A header that lies about the size: the streamed byte count still stops it.
    lying = tmp_path / "lying.zip"
    with zipfile.ZipFile(lying, "w", compression=zipfile.ZIP_DEFLATED) as out:
        out.writestr("bomb.bin", b"\0" * 200_000)
    with open(lying, "r+b") as raw:  # rewrite the central directory's declared size to 10 bytes
        data = bytearray(raw.read())
        central = data.rfind(b"PK\x01\x02")
        data[central + 24 : central + 28] = (10).to_bytes(4, "little")
        raw.seek(0)
        raw.write(data)
    with pytest.raises(DatasetError):
        dataset.extract(str(lying), str(tmp_path / "out2"), 1000)


def test_corrupt_zip_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"this is not a zip")
    with pytest.raises(DatasetError, match="not a valid zip"):
        dataset.extract(str(bad), str(tmp_path / "out"), 10**6)


def test_missing_or_bad_data_yaml_is_refused(tmp_path):
    archive = make_zip(tmp_path / "no-yaml.zip", {"images/train/a.png": "x"})
    with pytest.raises(DatasetError, match="no data.yaml"):
        dataset.prepare(archive, str(tmp_path / "out"), 10**6)
    outside = make_zip(
        tmp_path / "outside.zip",
        {"data.yaml": "train: ../../etc\nval: images/val\nnames: [a]\n", "images/val/a.png": "x"},
    )
    with pytest.raises(DatasetError, match="outside the dataset"):
        dataset.prepare(outside, str(tmp_path / "out2"), 10**6)
    no_names = make_zip(tmp_path / "no-names.zip", {"data.yaml": "train: a\nval: a\n", "a/x": "1"})
    with pytest.raises(DatasetError, match="names"):
        dataset.prepare(no_names, str(tmp_path / "out3"), 10**6)


def test_synthetic_dataset_passes_and_paths_are_made_absolute(tmp_path):
    archive = synthetic.write_zip(str(tmp_path / "shapes.zip"), train=4, val=2, size=32)
    checked = dataset.prepare(archive, str(tmp_path / "out"), 10**8)
    import yaml

    data = yaml.safe_load(open(checked))
    assert os.path.isabs(data["train"]) and os.path.isdir(data["train"])
    assert len(os.listdir(data["train"])) == 4 and len(data["names"]) == 3
    labels = os.path.join(os.path.dirname(checked), "labels", "train")
    for name in os.listdir(labels):
        for row in open(os.path.join(labels, name)).read().split("\n"):
            if row:
                cls, *box = row.split()
                assert 0 <= int(cls) < 3 and all(0 <= float(v) <= 1 for v in box)


# The same hostile shapes the API refuses at upload (api-service DatasetUploadTest, HostileZips):
# whatever the trainer refuses, the upload refuses first.


def _central_record(data, name):
    """Offset of `name`'s central directory record (the one Python's zipfile trusts)."""
    at = int.from_bytes(data[-6:-2], "little")  # end record: offset of the central directory
    while data[at : at + 4] == b"PK\x01\x02":
        length, extra, comment = (
            int.from_bytes(data[at + i : at + i + 2], "little") for i in (28, 30, 32)
        )
        if data[at + 46 : at + 46 + length] == name.encode():
            return at
        at += 46 + length + extra + comment
    raise KeyError(name)


def _patched(path, name, field, value):
    data = bytearray(path.read_bytes())
    at = _central_record(bytes(data), name)
    data[at + field : at + field + 4] = value.to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return str(path)


@pytest.mark.parametrize("kind", [stat.S_IFIFO, stat.S_IFCHR, stat.S_IFBLK, stat.S_IFSOCK])
def test_entries_that_are_not_files_or_folders_are_refused(tmp_path, kind):
    path = tmp_path / "odd.zip"
    with zipfile.ZipFile(path, "w") as archive:
        odd = zipfile.ZipInfo("images/train/odd.jpg")
        odd.external_attr = (kind | 0o644) << 16
        archive.writestr(odd, "x")
    with pytest.raises(DatasetError, match="not a regular file or folder"):
        dataset.extract(str(path), str(tmp_path / "out"), 10**6)


def test_an_entry_inside_a_file_is_refused(tmp_path):
    archive = make_zip(tmp_path / "inside.zip", {"images/a.jpg": "x", "images/a.jpg/b.jpg": "y"})
    with pytest.raises(DatasetError, match="inside 'images/a.jpg', which is a file"):
        dataset.extract(archive, str(tmp_path / "out"), 10**6)


def test_a_path_that_appears_twice_is_refused(tmp_path):
    archive = make_zip(tmp_path / "twice.zip", {"images/a.jpg": "x", "images//a.jpg": "y"})
    with pytest.raises(DatasetError, match="more than once"):
        dataset.extract(archive, str(tmp_path / "out"), 10**6)


def test_a_wrong_crc_is_refused(tmp_path):
    path = tmp_path / "crc.zip"
    make_zip(path, {"images/a.jpg": "some bytes"})
    _patched(path, "images/a.jpg", 16, 0x12345678)
    with pytest.raises(DatasetError, match="CRC"):
        dataset.extract(str(path), str(tmp_path / "out"), 10**6)


def test_an_entry_shorter_than_declared_is_refused(tmp_path):
    path = tmp_path / "short.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as out:
        out.writestr("images/a.jpg", b"\0" * 100)
    _patched(path, "images/a.jpg", 24, 1000)
    with pytest.raises(DatasetError):
        dataset.extract(str(path), str(tmp_path / "out"), 10**6)


def test_an_encrypted_entry_is_refused(tmp_path):
    path = tmp_path / "secret.zip"
    make_zip(path, {"images/a.jpg": "x"})
    data = bytearray(path.read_bytes())
    at = _central_record(bytes(data), "images/a.jpg")
    data[at + 8] |= 0x01  # general purpose flag bit 0: encrypted
    path.write_bytes(bytes(data))
    with pytest.raises(DatasetError, match="encrypted"):
        dataset.extract(str(path), str(tmp_path / "out"), 10**6)

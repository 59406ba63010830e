"""Unpacking a dataset zip safely and checking its data.yaml before any training starts.

A zip is hostile input: member names can climb out of the target (zip-slip: "../x", "/etc/x"),
members can be symlinks, devices or encrypted, two members can claim one path, and a small archive
can inflate to fill the disk (a zip bomb). Members are streamed out with a running byte count, so a
lying header does not help either, and each must inflate to exactly its declared size.

The API refuses the same shapes at upload (api-service storage/UnpackCheck), so a dataset uploaded
through it never fails here; these checks stay for archives written to storage by other tools.
"""

import os
import shutil
import stat
import zipfile

import yaml

CHUNK = 1024 * 1024
MAX_MEMBERS = 1_000_000


class DatasetError(Exception):
    """The dataset is unusable; the message says why in words a user can act on."""


def extract(zip_path: str, target: str, max_bytes: int) -> str:
    """Extracts `zip_path` into `target`; refuses path tricks, links and more than `max_bytes`."""
    root = os.path.realpath(target)
    os.makedirs(root, exist_ok=True)
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as error:
        raise DatasetError("dataset archive is not a valid zip: %s" % error) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise DatasetError(
                "dataset archive has %d entries, over %d" % (len(members), MAX_MEMBERS)
            )
        declared = sum(m.file_size for m in members)
        if declared > max_bytes:
            raise DatasetError(
                "dataset unpacks to %d bytes, over the %d byte limit" % (declared, max_bytes)
            )
        written = 0
        files: set[str] = set()  # destinations written as files so far
        for member in members:
            destination = _safe_destination(root, member)
            _check_parents(root, destination, member.filename, files)
            if member.is_dir():
                if destination in files:
                    raise DatasetError(
                        "dataset archive entry '%s' is a folder and a file" % member.filename
                    )
                os.makedirs(destination, exist_ok=True)
                continue
            if destination in files:
                raise DatasetError(
                    "dataset archive entry '%s' appears more than once" % member.filename
                )
            files.add(destination)
            os.makedirs(os.path.dirname(destination), exist_ok=True)
            inflated = 0
            try:
                with archive.open(member) as source, open(destination, "wb") as out:
                    while True:
                        chunk = source.read(CHUNK)
                        if not chunk:
                            break
                        inflated += len(chunk)
                        written += len(chunk)
                        if written > max_bytes:
                            raise DatasetError(
                                "dataset unpacks to more than the %d byte limit" % max_bytes
                            )
                        out.write(chunk)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
                raise DatasetError(
                    "dataset archive is corrupt at '%s': %s" % (member.filename, error)
                ) from None
            # zipfile stops at the declared size, so only a shorter entry is visible here
            if inflated != member.file_size:
                raise DatasetError(
                    "dataset archive entry '%s' declares %d bytes but inflates to %d"
                    % (member.filename, member.file_size, inflated)
                )
    return root


def _check_parents(root: str, destination: str, name: str, files: set[str]) -> None:
    """No folder on the way to `destination` may be a file an earlier member wrote."""
    parent = os.path.dirname(destination)
    while parent != root and parent.startswith(root + os.sep):
        if parent in files:
            raise DatasetError(
                "dataset archive entry '%s' is inside '%s', which is a file"
                % (name, os.path.relpath(parent, root))
            )
        parent = os.path.dirname(parent)


def _safe_destination(root: str, member: zipfile.ZipInfo) -> str:
    name = member.filename
    mode = member.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise DatasetError("dataset archive contains a symbolic link: '%s'" % name)
    if stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):  # 0: made where modes are unknown
        raise DatasetError("dataset archive entry '%s' is not a regular file or folder" % name)
    if member.flag_bits & 0x1:
        raise DatasetError("dataset archive entry '%s' is encrypted" % name)
    if (
        name.startswith(("/", "\\"))
        or ":" in name
        or "\\" in name
        or any(part == ".." for part in name.split("/"))
    ):
        raise DatasetError("dataset archive entry '%s' points outside the dataset" % name)
    destination = os.path.realpath(os.path.join(root, name))
    if destination != root and not destination.startswith(root + os.sep):
        raise DatasetError("dataset archive entry '%s' points outside the dataset" % name)
    return destination


def find_data_yaml(root: str) -> str:
    """data.yaml at the top of the archive, or inside its single top-level folder."""
    candidate = os.path.join(root, "data.yaml")
    if os.path.isfile(candidate):
        return candidate
    entries = [e for e in os.listdir(root) if not e.startswith(("__MACOSX", "."))]
    if len(entries) == 1 and os.path.isfile(os.path.join(root, entries[0], "data.yaml")):
        return os.path.join(root, entries[0], "data.yaml")
    raise DatasetError("dataset has no data.yaml at its top level")


def checked_data_yaml(data_yaml: str) -> str:
    """Validates data.yaml and writes a copy whose paths are absolute and inside the dataset (a
    `path:` from the archive could point anywhere); returns the copy's path for Ultralytics."""
    base = os.path.dirname(os.path.realpath(data_yaml))
    try:
        with open(data_yaml, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise DatasetError("data.yaml is not valid YAML: %s" % error) from None
    if not isinstance(data, dict):
        raise DatasetError("data.yaml must be a mapping with train, val and names")
    for split in ("train", "val"):
        if not isinstance(data.get(split), str) or not data[split]:
            raise DatasetError("data.yaml must name a '%s' folder" % split)
    names = data.get("names")
    if not isinstance(names, (list, dict)) or len(names) == 0:
        raise DatasetError("data.yaml must list the class 'names'")
    if "nc" in data and data["nc"] != len(names):
        raise DatasetError("data.yaml nc=%s does not match %d names" % (data["nc"], len(names)))
    resolved: dict[str, object] = dict(data, path=base)
    for split in ("train", "val", "test"):
        if isinstance(data.get(split), str):
            folder = os.path.realpath(os.path.join(base, data[split]))
            if folder != base and not folder.startswith(base + os.sep):
                raise DatasetError(
                    "data.yaml %s path '%s' points outside the dataset" % (split, data[split])
                )
            if not os.path.exists(folder):
                raise DatasetError(
                    "data.yaml %s path '%s' does not exist in the dataset" % (split, data[split])
                )
            resolved[split] = folder
    checked = os.path.join(base, "data.trainyard.yaml")
    with open(checked, "w", encoding="utf-8") as handle:
        yaml.safe_dump(resolved, handle, sort_keys=False)
    return checked


def prepare(zip_path: str, target: str, max_bytes: int) -> str:
    """Extract + check; removes the zip afterwards. Returns the checked data.yaml path."""
    if os.path.isdir(target):
        shutil.rmtree(target)
    root = extract(zip_path, target, max_bytes)
    os.remove(zip_path)
    return checked_data_yaml(find_data_yaml(root))

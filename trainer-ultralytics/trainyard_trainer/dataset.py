"""Unpacking a dataset zip safely and checking its data.yaml before any training starts.

A zip is hostile input: member names can climb out of the target (zip-slip: "../x", "/etc/x"),
members can be symlinks, and a small archive can inflate to fill the disk (a zip bomb). Members
are streamed out with a running byte count, so a lying header does not help either.
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
        for member in members:
            destination = _safe_destination(root, member)
            if member.is_dir():
                os.makedirs(destination, exist_ok=True)
                continue
            os.makedirs(os.path.dirname(destination), exist_ok=True)
            try:
                with archive.open(member) as source, open(destination, "wb") as out:
                    while True:
                        chunk = source.read(CHUNK)
                        if not chunk:
                            break
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
    return root


def _safe_destination(root: str, member: zipfile.ZipInfo) -> str:
    name = member.filename
    if stat.S_ISLNK(member.external_attr >> 16):
        raise DatasetError("dataset archive contains a symbolic link: '%s'" % name)
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

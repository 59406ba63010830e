"""The pinned requirements install where README.md says they do (checked offline).

Each pin's marker is evaluated for every supported platform and for Python 3.10, the oldest
pyproject.toml allows. pin-requirements.sh --check asks PyPI for the wheels; this catches, without
the network, the mistakes a plain `pip freeze` makes: CUDA wheels on macOS, pins that need a newer
Python than 3.10 (their Requires-Python is read from this venv, where they are installed).
"""

import os
from importlib import metadata

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILES = ("requirements.txt", "requirements-test.txt")
CUDA_ONLY = ("nvidia-", "cuda-", "triton")
# Pure-Python NVML bindings that ultralytics needs on every platform, CUDA or not.
EVERYWHERE = {"nvidia-ml-py"}


def environment(python: str, system: str, machine: str) -> dict[str, str]:
    env = dict(default_environment())
    env.update(
        python_version=".".join(python.split(".")[:2]),
        python_full_version=python,
        sys_platform={"Linux": "linux", "Darwin": "darwin"}[system],
        platform_system=system,
        platform_machine=machine,
        os_name="posix",
        implementation_name="cpython",
        platform_python_implementation="CPython",
    )
    return env


PLATFORMS = {
    "linux-x86_64-3.10": environment("3.10.13", "Linux", "x86_64"),
    "linux-x86_64-3.11": environment("3.11.7", "Linux", "x86_64"),
    "linux-aarch64-3.10": environment("3.10.13", "Linux", "aarch64"),
    "macos-arm64-3.10": environment("3.10.13", "Darwin", "arm64"),
    "macos-arm64-3.12": environment("3.12.1", "Darwin", "arm64"),
}


def pins(file: str) -> list[Requirement]:
    """The requirement lines of a file, and of the files it includes with -r."""
    found = []
    with open(os.path.join(HERE, file), encoding="utf-8") as lines:
        for line in lines:
            line = line.split("#", 1)[0].strip()
            if line.startswith("-r "):
                found += pins(line[3:].strip())
            elif line:
                found.append(Requirement(line))
    return found


def applying(file: str, platform: str) -> list[Requirement]:
    env = PLATFORMS[platform]
    return [pin for pin in pins(file) if pin.marker is None or pin.marker.evaluate(env)]


def pinned_version(pin: Requirement) -> str:
    (specifier,) = pin.specifier
    assert specifier.operator == "==", "%s: pin an exact version" % pin
    return specifier.version


@pytest.mark.parametrize("file", FILES)
@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_package_has_exactly_one_pin_on_each_platform(file, platform):
    names = [canonicalize_name(pin.name) for pin in applying(file, platform)]
    assert sorted({n for n in names if names.count(n) > 1}) == []
    for pin in applying(file, platform):
        pinned_version(pin)


@pytest.mark.parametrize("file", FILES)
@pytest.mark.parametrize("platform", [p for p in PLATFORMS if p.startswith("macos")])
def test_cuda_wheels_are_pinned_only_on_linux(file, platform):
    cuda = [
        str(pin)
        for pin in applying(file, platform)
        if pin.name.startswith(CUDA_ONLY) and pin.name not in EVERYWHERE
    ]
    assert cuda == []


@pytest.mark.parametrize("file", FILES)
@pytest.mark.parametrize("platform", [p for p in PLATFORMS if p.endswith("-3.10")])
def test_what_is_pinned_for_python_3_10_supports_it(file, platform):
    python = PLATFORMS[platform]["python_full_version"]
    too_new = []
    for pin in applying(file, platform):
        try:
            dist = metadata.distribution(pin.name)
        except metadata.PackageNotFoundError:
            continue  # a pin for another platform or Python: PyPI's check covers it
        if dist.version != pinned_version(pin):
            continue
        requires = dist.metadata.get("Requires-Python")
        if requires and not SpecifierSet(requires).contains(python):
            too_new.append("%s (Requires-Python %s)" % (pin, requires))
    assert too_new == []

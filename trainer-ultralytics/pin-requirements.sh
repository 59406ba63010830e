#!/usr/bin/env bash
# Pins the trainer's environment for every platform it supports at once: requirements.txt from
# pyproject.toml's dependencies, requirements-test.txt from its test extra (only what that adds),
# with environment markers where a platform or a Python version needs other pins (CUDA libraries
# only where torch's Linux wheels want them, older releases where a pin needs Python >= 3.11).
# Versions already pinned are kept wherever they still fit. Then every supported platform is
# checked to find a wheel for each pin, without installing anything.
#
#   pin-requirements.sh            re-pin, then check
#   pin-requirements.sh --check    only check
#
# uv does the resolving (pip cannot resolve for another platform); it is installed into a scratch
# venv, the project's own venvs stay pip's. Only PyPI is used.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

UV_VERSION=0.13.8
OLDEST_PYTHON=3.10 # pyproject.toml's requires-python
# platform (uv's --python-platform) and the Pythons checked on it; macOS means 14+ (torch's wheels)
SUPPORTED=(
  "x86_64-manylinux_2_28 3.10 3.11 3.12 3.13 3.14"
  "aarch64-manylinux_2_28 3.10 3.14"
  "aarch64-apple-darwin 3.10 3.14"
)
export MACOSX_DEPLOYMENT_TARGET=14.0

tools="${TMPDIR:-/tmp}/trainyard-pin-tools"
if [ ! -x "$tools/bin/uv" ]; then
  python3 -m venv "$tools" && "$tools/bin/pip" install -q "uv==$UV_VERSION"
fi
uv="$tools/bin/uv"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
compile() { "$uv" pip compile -q --universal --python-version "$OLDEST_PYTHON" "$@"; }
pins() { grep -v '^ *#' "$1" | grep -v '^-r ' | sed '/^$/d'; }

if [ "${1:-}" != "--check" ]; then
  compile pyproject.toml --custom-compile-command "trainer-ultralytics/pin-requirements.sh" \
    -o requirements.txt
  { cat <<'NOTE'; cat requirements.txt; } > "$work/runtime.txt" && mv "$work/runtime.txt" requirements.txt
# The trainer's runtime environment, pinned for Linux x86_64 and aarch64 (glibc >= 2.28) and macOS
# 14+ on Apple silicon, Python 3.10 to 3.14 (see README.md). Made by pin-requirements.sh from
# pyproject.toml with `uv pip compile --universal`; do not edit, rerun it. torch comes from PyPI:
# on Linux that is its CUDA build (the nvidia-*/cuda-*/triton pins, about 3 GB, also runs on the
# CPU), as PyPI serves no CPU-only Linux build; macOS gets the CPU/MPS build without them.
NOTE
  # The whole test set, seeded with today's pins (uv keeps what its output file pins), then only
  # the lines the runtime file does not already have.
  { pins requirements-test.txt; pins requirements.txt; } > "$work/test.txt"
  compile pyproject.toml --extra test -c requirements.txt --no-header --no-annotate \
    -o "$work/test.txt"
  {
    echo "# Test-only additions on top of requirements.txt (pip install -r requirements-test.txt)."
    echo "# Made by trainer-ultralytics/pin-requirements.sh, as requirements.txt is; do not edit."
    echo "-r requirements.txt"
    grep -vxFf <(pins requirements.txt) "$work/test.txt"
  } > requirements-test.txt
fi

failed=0
for entry in "${SUPPORTED[@]}"; do
  read -r platform pythons <<< "$entry"
  for python in $pythons; do
    for file in requirements.txt requirements-test.txt; do
      if "$uv" pip compile -q "$file" --python-platform "$platform" --python-version "$python" \
          --only-binary :all: --no-header -o "$work/check.txt" 2> "$work/error.txt"; then
        echo "ok      $platform Python $python: $file ($(grep -c '==' "$work/check.txt") wheels)"
      else
        echo "FAILED  $platform Python $python: $file: $(grep -m1 cause "$work/error.txt")"
        failed=1
      fi
    done
  done
done
exit "$failed"

#!/usr/bin/env bash
# Creates (or refreshes) the trainer's Python environment: Ultralytics with torch (on Linux ~3 GB,
# a CUDA build that also runs on the CPU), boto3, MLflow; the platforms are in README.md.
# Installed once into a cached venv and redone only when the pinned requirements change. Used by
# ./trainyard demo (the ultralytics one) and by .ci/run.
#
#   install-venv.sh [VENV_DIR] [REQUIREMENTS_FILE]
#   defaults: ${TRAINYARD_CACHE:-~/.cache/trainyard}/venv and requirements.txt beside this script
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${1:-${TRAINYARD_CACHE:-$HOME/.cache/trainyard}/venv}"
reqs="${2:-$here/requirements.txt}"

# The stamp covers the file given and the pinned runtime list it builds on.
want="$(cat "$reqs" "$here/requirements.txt" | sha256sum | cut -d' ' -f1)"
stamp="$venv/.$(basename "$reqs").sha256"   # one per file: the test set includes the runtime one
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  exit 0
fi
echo "installing the trainer's Python environment into $venv (once; torch is about 3 GB) ..." >&2
python3 -m venv "$venv"
"$venv/bin/pip" install -q --upgrade pip
"$venv/bin/pip" install --progress-bar on -r "$reqs"
echo "$want" > "$stamp"

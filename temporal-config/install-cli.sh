#!/usr/bin/env bash
# Makes sure a Temporal CLI (`temporal server start-dev`: the durable dev server with its web UI)
# is available, building it once from the Go module proxy into the cache when Go is present.
# Used by .ci/run and by ./trainyard (demo, dev); the dev stack and the e2e suite look in the same
# places: $TRAINYARD_TEMPORAL_BIN, temporal on PATH, then $CACHE/bin/temporal.
#
#   install-cli.sh    exit 0: a CLI is there (or was just built); 3: none and no go to build one
#                     (silent: the caller says what it does instead); 4: the build failed (its
#                     log's tail is on stderr)
#   CACHE = ${TRAINYARD_CACHE:-~/.cache/trainyard}
set -euo pipefail

# v1.5.1 is the last tag that `go install` accepts (later ones carry a replace directive).
VERSION=v1.5.1
cache="${TRAINYARD_CACHE:-$HOME/.cache/trainyard}"
bin="$cache/bin"

if [ -n "${TRAINYARD_TEMPORAL_BIN:-}" ] || command -v temporal >/dev/null 2>&1 \
    || [ -x "$bin/temporal" ]; then
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  exit 3
fi

mkdir -p "$bin"
log="$cache/temporal-cli-build.log"
echo "building the Temporal CLI $VERSION with go install (once, a minute or two; cached in $bin) ..." >&2
if ! GOBIN="$bin" GOFLAGS=-mod=mod go install "github.com/temporalio/cli/cmd/temporal@$VERSION" \
    >"$log" 2>&1; then
  tail -n 5 "$log" >&2
  echo "building the Temporal CLI failed (full log: $log)" >&2
  exit 4
fi

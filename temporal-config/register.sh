#!/usr/bin/env bash
# Creates Trainyard's Temporal namespace (if missing) and registers its search attributes
# (search-attributes.txt beside this script). Idempotent: safe on every start.
# Used by docker-compose (the temporal-setup service) and by the e2e suite against
# `temporal server start-dev`; the dev stack registers the same attributes through the
# OperatorService API (JobSearchAttributes.definitions(), checked to agree with the file).
#
#   TEMPORAL_ADDRESS     host:port of the frontend (default 127.0.0.1:7233)
#   TEMPORAL_NAMESPACE   namespace (default "default")
#   TEMPORAL_RETENTION   retention of closed workflows for a new namespace (default 168h)
#   TEMPORAL_BIN         the temporal CLI (default: temporal on PATH)
#   TEMPORAL_WAIT_SECONDS  how long to wait for the frontend to answer (default 120)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
address="${TEMPORAL_ADDRESS:-127.0.0.1:7233}"
namespace="${TEMPORAL_NAMESPACE:-default}"
retention="${TEMPORAL_RETENTION:-168h}"
cli="${TEMPORAL_BIN:-temporal}"
wait_seconds="${TEMPORAL_WAIT_SECONDS:-120}"
attributes="${SEARCH_ATTRIBUTES_FILE:-$here/search-attributes.txt}"

t() { "$cli" --address "$address" "$@"; }

deadline=$((SECONDS + wait_seconds))
until t operator cluster health >/dev/null 2>&1; do
  if ((SECONDS >= deadline)); then
    echo "register: Temporal at $address did not answer within ${wait_seconds}s" >&2
    exit 1
  fi
  sleep 1
done

if t operator namespace describe --namespace "$namespace" >/dev/null 2>&1; then
  echo "register: namespace $namespace exists"
else
  t operator namespace create --namespace "$namespace" --retention "$retention"
  echo "register: namespace $namespace created (retention $retention)"
fi

args=()
while read -r name type _; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  args+=(--name "$name" --type "$type")
done < "$attributes"
if ((${#args[@]} == 0)); then
  echo "register: no search attributes in $attributes" >&2
  exit 1
fi
# Adding an attribute that exists with the same type is a no-op; a different type is an error.
# A namespace just created takes a few seconds to reach every service's cache: retry until then.
until t operator search-attribute create --namespace "$namespace" "${args[@]}"; do
  if ((SECONDS >= deadline)); then
    echo "register: could not register the search attributes in $namespace" >&2
    exit 1
  fi
  sleep 2
done
echo "register: search attributes registered in $namespace: $((${#args[@]} / 4))"

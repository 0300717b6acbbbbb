#!/bin/sh
# Registers the journeys' namespace once (workers add their search attributes at start).
set -eu
NS=${TEMPORAL_NAMESPACE:-default}
temporal operator namespace describe --namespace "$NS" >/dev/null 2>&1 ||
  temporal operator namespace create --namespace "$NS" --retention 30d

#!/usr/bin/env bash
# Builds the MinIO server (community edition, distributed as source) into the
# cache, outside the repo, with `go install` from the Go module proxy.
# Idempotent: a second run only checks and prints where the binary is.
#   build.sh           builds if needed, prints "minio: PATH"
#   build.sh --paths   builds nothing; prints MINIO_VERSION=... and MINIO=... (shell)
# Env: SPARKPLANE_CACHE (default ~/.cache/sparkplane), MINIO_BUILD_JOBS (go -p, default 2).
set -euo pipefail

# ---- pinned version: change it here only ----------------------------------------
# MinIO tags its releases RELEASE.<date>, which are not semantic versions, so the
# module proxy serves them as pseudo-versions; this is the newest it served.
MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
# --------------------------------------------------------------------------------

CACHE="${SPARKPLANE_CACHE:-$HOME/.cache/sparkplane}"
MINIO_BIN="$CACHE/minio/$MINIO_VERSION/bin"

if [ "${1:-}" = --paths ]; then
  printf 'MINIO_VERSION=%q\nMINIO=%q\n' "$MINIO_VERSION" "$MINIO_BIN/minio"
  exit 0
fi

log() { printf 'minio-build: %s\n' "$*" >&2; }
die() { printf 'minio-build: error: %s\n' "$*" >&2; exit 1; }

. "$(dirname "$0")/../lib/go-wrapper.sh"
go_setup "${MINIO_BUILD_JOBS:-2}"

if [ ! -x "$MINIO_BIN/minio" ]; then
  start=$SECONDS
  mkdir -p "$MINIO_BIN"
  log "installing minio $MINIO_VERSION (go -p ${MINIO_BUILD_JOBS:-2}; a few minutes the first time)"
  GOBIN="$MINIO_BIN" go install -trimpath -ldflags "-s -w" "github.com/minio/minio@$MINIO_VERSION" ||
    die "go install github.com/minio/minio@$MINIO_VERSION failed"
  log "installed minio in $((SECONDS - start)) s"
fi
"$MINIO_BIN/minio" --version >/dev/null 2>&1 || die "$MINIO_BIN/minio does not run"
echo "minio: $MINIO_BIN/minio"

#!/usr/bin/env bash
# Installs helm into the cache, outside the repo, for the deploy tests
# (tests/integration/test_deploy.py) and deploy/local's Makefile:
#   go install helm.sh/helm/v4/cmd/helm@HELM_VERSION
# kubectl comes from scripts/cluster/build.sh. Idempotent: a second run only
# checks and prints where helm is.
#   build.sh            install (if needed) and print the path
#   build.sh --paths    install nothing: print HELM=... as a shell assignment
# Env: SPARKPLANE_CACHE (default ~/.cache/sparkplane), DEPLOY_BUILD_JOBS (go -p,
# default 2).
set -euo pipefail

# ---- pinned version: change it here only --------------------------------------
HELM_VERSION=v4.3.2   # helm.sh/helm/v4; the chart (apiVersion v2) works with helm 3 too
# -----------------------------------------------------------------------------

CACHE="${SPARKPLANE_CACHE:-$HOME/.cache/sparkplane}"
HELM_BIN="$CACHE/helm/$HELM_VERSION/bin"
JOBS="${DEPLOY_BUILD_JOBS:-2}"

if [ "${1:-}" = --paths ]; then
  printf 'HELM=%q\n' "$HELM_BIN/helm"
  exit 0
fi

log() { printf 'deploy-build: %s\n' "$*" >&2; }
die() { printf 'deploy-build: error: %s\n' "$*" >&2; exit 1; }

. "$(dirname "$0")/../lib/go-wrapper.sh"
go_setup "$JOBS"

helm_built() { [ -x "$HELM_BIN/helm" ] && "$HELM_BIN/helm" version --short 2>/dev/null | grep -q "^$HELM_VERSION"; }

if ! helm_built; then
  start=$SECONDS
  mkdir -p "$HELM_BIN"
  log "installing helm $HELM_VERSION (a few minutes the first time)"
  GOBIN="$HELM_BIN" go install -trimpath \
    -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=$HELM_VERSION" \
    "helm.sh/helm/v4/cmd/helm@$HELM_VERSION" || die "go install helm.sh/helm/v4/cmd/helm@$HELM_VERSION failed"
  helm_built || die "helm in $HELM_BIN does not report $HELM_VERSION"
  log "installed helm in $((SECONDS - start)) s"
fi
echo "helm: $HELM_BIN/helm"

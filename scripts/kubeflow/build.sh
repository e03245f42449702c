#!/usr/bin/env bash
# Builds the Kubeflow Spark Operator (the peer of `sparkplane operator` in
# bench/kube_operator.py) from the Go module proxy into the cache, outside the repo:
#   bin/spark-operator   its cmd/operator main package (`spark-operator controller start`)
#   crds/*.yaml          the CRDs of the same release, from the module's config/crd/bases
# The module replaces the k8s.io modules it uses with older releases, which
# `go install pkg@version` refuses, so it is built through a generated wrapper
# module that carries the same replace lines (scripts/lib/go-wrapper.sh, as
# scripts/cluster/build.sh uses for kubernetes). Idempotent: a second run only checks and prints the paths.
#   build.sh            build (if needed) and print where things are
#   build.sh --paths    build nothing: print the paths as shell assignments
# Env: SPARKPLANE_CACHE (default ~/.cache/sparkplane), KUBEFLOW_BUILD_JOBS (go -p,
# default 2).
set -euo pipefail

# ---- pinned version: change it here only --------------------------------------
# github.com/kubeflow/spark-operator/v2; its go.mod asks for go 1.24.10. The proxy
# here serves only some releases (v2.2.1, v2.3.0, v2.4.0, v2.5.0-v2.5.2 at the
# time of writing) and not the version list, so pick one that downloads.
KUBEFLOW_VERSION=v2.5.2
# -----------------------------------------------------------------------------

MODULE=github.com/kubeflow/spark-operator/v2
CACHE="${SPARKPLANE_CACHE:-$HOME/.cache/sparkplane}"
ROOT="$CACHE/kubeflow/$KUBEFLOW_VERSION"
BIN="$ROOT/bin/spark-operator"
CRDS="$ROOT/crds"
JOBS="${KUBEFLOW_BUILD_JOBS:-2}"

if [ "${1:-}" = --paths ]; then
  for kv in KUBEFLOW_VERSION="$KUBEFLOW_VERSION" KUBEFLOW_OPERATOR="$BIN" KUBEFLOW_CRDS="$CRDS"; do
    printf '%s=%q\n' "${kv%%=*}" "${kv#*=}"
  done
  exit 0
fi
[ $# -eq 0 ] || { echo "usage: build.sh [--paths]" >&2; exit 2; }

log() { printf 'kubeflow-build: %s\n' "$*" >&2; }
die() { printf 'kubeflow-build: error: %s\n' "$*" >&2; exit 1; }

built() {
  [ -x "$BIN" ] && "$BIN" version --short 2>/dev/null | grep -qx "Git Version: $KUBEFLOW_VERSION" &&
    [ -f "$CRDS/sparkoperator.k8s.io_sparkapplications.yaml" ]
}

if ! built; then
  . "$(dirname "$0")/../lib/go-wrapper.sh"
  go_setup "$JOBS"
  start=$SECONDS
  go_module_download "$MODULE@$KUBEFLOW_VERSION"
  [ -d "$MOD_DIR/cmd/operator" ] || die "$MODULE@$KUBEFLOW_VERSION has no cmd/operator package"
  [ -d "$MOD_DIR/config/crd/bases" ] || die "$MODULE@$KUBEFLOW_VERSION has no config/crd/bases"
  if awk '/=>[[:space:]]*\.\.?\//' "$MOD_GOMOD" | grep -q .; then
    die "$MODULE@$KUBEFLOW_VERSION replaces a module with a local path; pick another release"
  fi
  # The wrapper carries the operator's own replace lines (version replacements).
  src="$ROOT/src"
  mkdir -p "$ROOT/bin"
  write_wrapper_module "$src" kubeflowbuild "$MODULE" "$KUBEFLOW_VERSION" "$MODULE/cmd/operator" \
    "$(awk '
      /^replace[[:space:]]*\($/ { inblock = 1; next }
      inblock && /^\)/ { inblock = 0; next }
      inblock { print; next }
      /^replace[[:space:]]/ { sub(/^replace[[:space:]]+/, ""); print }' "$MOD_GOMOD" |
      sed 's/^[[:space:]]*//' | grep -E '=>[[:space:]]+[^.[:space:]/][^[:space:]]*[[:space:]]+v[0-9]' || true)"

  log "building $MODULE/cmd/operator $KUBEFLOW_VERSION in $src (go -p $JOBS; a few minutes the first time)"
  date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  ldflags="-s -w"
  ldflags+=" -X k8s.io/component-base/version.gitVersion=$KUBEFLOW_VERSION"
  ldflags+=" -X k8s.io/component-base/version.gitTreeState=clean"
  ldflags+=" -X k8s.io/component-base/version.buildDate=$date"
  build_wrapper_module "$src" "$ldflags" "$BIN.tmp" "$MODULE/cmd/operator"
  mv -f "$BIN.tmp" "$BIN"

  # Its CRDs, as the release ships them (the bench applies the ones sparkplane's
  # deploy/helm/sparkplane/crds lacks, such as SparkConnect, which its controller watches).
  rm -rf "$CRDS"
  mkdir -p "$CRDS"
  cp "$MOD_DIR"/config/crd/bases/*.yaml "$CRDS/"
  chmod -R u+w "$CRDS"

  built || die "$BIN does not report $KUBEFLOW_VERSION (or its CRDs are missing)"
  log "built the Kubeflow Spark Operator $KUBEFLOW_VERSION in $((SECONDS - start)) s"
fi

echo "spark-operator: $BIN ($("$BIN" version --short 2>/dev/null | head -1))"
echo "crds: $CRDS"

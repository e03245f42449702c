#!/usr/bin/env bash
# Builds (or installs) the real components of the Kubernetes test cluster into
# the cache, outside the repo:
#   etcd                      built from the Go module go.etcd.io/etcd/server/v3
#   kube-apiserver            built from the Go module k8s.io/kubernetes
#   kube-scheduler            "
#   kube-controller-manager   "
#   kwok                      go install sigs.k8s.io/kwok/cmd/kwok
# Idempotent: a second run only checks and prints where the binaries are.
# Env: SPARKPLANE_CACHE (default ~/.cache/sparkplane), CLUSTER_BUILD_JOBS (go -p,
# default 2). kubectl is built too: the deploy tests (tests/integration/test_deploy.py) and
# deploy/local's Makefile use it.
set -euo pipefail

# ---- pinned versions: change them here only --------------------------------
KUBE_VERSION=v1.36.3   # k8s.io/kubernetes; its go.mod asks for go 1.26.0
KWOK_VERSION=v0.8.0    # sigs.k8s.io/kwok
ETCD_VERSION=v3.6.16   # go.etcd.io/etcd/server/v3 (Debian's etcd 3.4 lacks the watch
                       # progress requests client-go 0.36's streaming lists need)
# -----------------------------------------------------------------------------

CACHE="${SPARKPLANE_CACHE:-$HOME/.cache/sparkplane}"
KUBE_DIR="$CACHE/kube/$KUBE_VERSION"
KUBE_BIN="$KUBE_DIR/bin"
KWOK_BIN="$CACHE/kwok/$KWOK_VERSION/bin"
ETCD_BIN="$CACHE/etcd/$ETCD_VERSION/bin"
JOBS="${CLUSTER_BUILD_JOBS:-2}"

# `build.sh --paths` builds nothing: it prints where the binaries go, as shell
# assignments, for up.sh and the tests.
if [ "${1:-}" = --paths ]; then
  for kv in KUBE_VERSION="$KUBE_VERSION" KWOK_VERSION="$KWOK_VERSION" ETCD_VERSION="$ETCD_VERSION" \
    ETCD="$ETCD_BIN/etcd" KWOK="$KWOK_BIN/kwok" KUBE_APISERVER="$KUBE_BIN/kube-apiserver" \
    KUBE_SCHEDULER="$KUBE_BIN/kube-scheduler" KUBE_CONTROLLER_MANAGER="$KUBE_BIN/kube-controller-manager" \
    KUBECTL="$KUBE_BIN/kubectl"; do
    printf '%s=%q\n' "${kv%%=*}" "${kv#*=}"
  done
  exit 0
fi

log() { printf 'cluster-build: %s\n' "$*" >&2; }
die() { printf 'cluster-build: error: %s\n' "$*" >&2; exit 1; }

. "$(dirname "$0")/../lib/go-wrapper.sh"
go_setup "$JOBS"

# kube-apiserver and the rest must report the right version (and derive their
# emulation version from it), so set what kubernetes' hack/lib/version.sh sets.
kube_ldflags() {
  local v="${KUBE_VERSION#v}" major minor
  major="${v%%.*}"; minor="${v#*.}"; minor="${minor%%.*}"
  local date; date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  local flags="-s -w" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$date"
  done
  printf '%s' "$flags"
}

# The wrapper module: requires k8s.io/kubernetes and replaces every staging
# module (kubernetes' own go.mod points them at ./staging/src/k8s.io/...,
# which a module dependency cannot use) with its published v0.Y.Z release.
write_kube_wrapper() {
  local dir="$1" staging_version="v0.${KUBE_VERSION#v1.}" staging m tools="" c
  go_module_download "k8s.io/kubernetes@$KUBE_VERSION"
  staging="$(sed -n 's#^[[:space:]]*\(k8s.io/[^[:space:]]*\) => \./staging/src/.*#\1#p' "$MOD_GOMOD" | sort -u)"
  [ -n "$staging" ] || die "found no staging replace lines in k8s.io/kubernetes@$KUBE_VERSION's go.mod"
  for c in "${KUBE_CMDS[@]}"; do tools+=" k8s.io/kubernetes/cmd/$c"; done
  write_wrapper_module "$dir" kubebuild k8s.io/kubernetes "$KUBE_VERSION" "$tools" \
    "$(for m in $staging; do echo "$m => $m $staging_version"; done)"
}

KUBE_CMDS=(kube-apiserver kube-scheduler kube-controller-manager kubectl)

kube_built() {
  local c
  for c in "${KUBE_CMDS[@]}"; do
    [ -x "$KUBE_BIN/$c" ] || return 1
  done
  "$KUBE_BIN/kube-apiserver" --version 2>/dev/null | grep -qx "Kubernetes $KUBE_VERSION"
}

build_kube() {
  kube_built && return 0
  local src="$KUBE_DIR/src" start=$SECONDS
  mkdir -p "$src" "$KUBE_BIN"
  write_kube_wrapper "$src"
  log "building ${KUBE_CMDS[*]} $KUBE_VERSION in $src (go -p $JOBS; 10-30 min the first time)"
  local pkgs=() c
  for c in "${KUBE_CMDS[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
  build_wrapper_module "$src" "$(kube_ldflags)" "$KUBE_BIN/" "${pkgs[@]}"
  kube_built || die "kube-apiserver in $KUBE_BIN does not report $KUBE_VERSION"
  log "built kubernetes $KUBE_VERSION in $((SECONDS - start)) s"
}

build_kwok() {
  [ -x "$KWOK_BIN/kwok" ] && "$KWOK_BIN/kwok" --version 2>/dev/null | grep -q "$KWOK_VERSION" && return 0
  local start=$SECONDS
  mkdir -p "$KWOK_BIN"
  log "installing kwok $KWOK_VERSION"
  GOBIN="$KWOK_BIN" go install -trimpath \
    -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION" \
    "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION" || die "go install sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION failed"
  log "installed kwok in $((SECONDS - start)) s"
}

etcd_built() { [ -x "$ETCD_BIN/etcd" ] && "$ETCD_BIN/etcd" --version 2>/dev/null | grep -qx "etcd Version: ${ETCD_VERSION#v}"; }

# etcd's server module replaces its sibling modules with ../ paths, which
# `go install pkg@version` refuses: build it through a wrapper module as well,
# replacing each sibling with its release of the same version.
build_etcd() {
  etcd_built && return 0
  local src="$CACHE/etcd/$ETCD_VERSION/src" start=$SECONDS
  mkdir -p "$ETCD_BIN"
  go_module_download "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
  write_wrapper_module "$src" etcdbuild go.etcd.io/etcd/server/v3 "$ETCD_VERSION" go.etcd.io/etcd/server/v3 \
    "$(sed -n 's#^[[:space:]]*\(go.etcd.io/etcd/[^[:space:]]*\) => \.\./.*#\1#p' "$MOD_GOMOD" | sort -u |
      while read -r m; do echo "$m => $m $ETCD_VERSION"; done)"
  log "building etcd $ETCD_VERSION in $src"
  build_wrapper_module "$src" "-s -w" "$ETCD_BIN/etcd" go.etcd.io/etcd/server/v3
  etcd_built || die "etcd in $ETCD_BIN does not report $ETCD_VERSION"
  log "built etcd in $((SECONDS - start)) s"
}

build_etcd
build_kwok
build_kube

echo "etcd: $ETCD_BIN/etcd ($("$ETCD_BIN/etcd" --version 2>/dev/null | head -1))"
echo "kwok: $KWOK_BIN/kwok"
for c in "${KUBE_CMDS[@]}"; do echo "$c: $KUBE_BIN/$c"; done

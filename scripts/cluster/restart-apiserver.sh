#!/usr/bin/env bash
# Restarts only kube-apiserver of the test cluster in DIR (default: .cluster/
# in the repo), with the command line up.sh kept in DIR/kube-apiserver.cmd,
# and waits until it is ready again. Open watches and connections break, as
# in a real control-plane restart; etcd keeps the data.
#   restart-apiserver.sh [--kill] [DIR]   --kill: SIGKILL instead of SIGTERM
# Env: CLUSTER_DOWN_SECONDS keeps the API server down that long before the
# relaunch (default 0), CLUSTER_TIMEOUT (default 60).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SIGNAL=TERM
DIR=""
for arg in "$@"; do
  case "$arg" in
    --kill) SIGNAL=KILL ;;
    -*) echo "usage: restart-apiserver.sh [--kill] [DIR]" >&2; exit 2 ;;
    *) DIR="$arg" ;;
  esac
done
DIR="${DIR:-$REPO/.cluster}"
TIMEOUT="${CLUSTER_TIMEOUT:-60}"

log() { printf 'cluster: %s\n' "$*" >&2; }
die() { printf 'cluster: error: %s\n' "$*" >&2; exit 1; }

if [ ! -f "$DIR/kube-apiserver.cmd" ] || [ ! -f "$DIR/pids" ]; then
  die "no running cluster in $DIR (start one with scripts/cluster/up.sh)"
fi
DIR="$(cd "$DIR" && pwd)"
PKI="$DIR/pki"
LOG="$DIR/logs/kube-apiserver.log"

ours() { kill -0 "$1" 2>/dev/null && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF "$DIR"; }

old="$(awk '$1 == "kube-apiserver" { p = $2 } END { print p }' "$DIR/pids")"
if [ -n "$old" ] && ours "$old"; then
  kill "-$SIGNAL" "$old"
  deadline=$((SECONDS + 15))
  while ours "$old"; do
    if ((SECONDS >= deadline)); then
      kill -KILL "$old" 2>/dev/null || true
    fi
    sleep 0.1
  done
fi
sleep "${CLUSTER_DOWN_SECONDS:-0}"

mapfile -t cmd < <(while IFS= read -r line; do eval "printf '%s\n' $line"; done <"$DIR/kube-apiserver.cmd")
((${#cmd[@]})) || die "$DIR/kube-apiserver.cmd is empty"
server=""
for a in "${cmd[@]}"; do
  case "$a" in --secure-port=*) server="https://127.0.0.1:${a#--secure-port=}" ;; esac
done
[ -n "$server" ] || die "no --secure-port in $DIR/kube-apiserver.cmd"

echo "--- restart $(date -u +%FT%TZ) ---" >>"$LOG"
setsid "${cmd[@]}" >>"$LOG" 2>&1 </dev/null &
pid=$!
# Replace the kube-apiserver line in DIR/pids, keeping the order of the others.
awk -v p="$pid" '$1 == "kube-apiserver" { print $1, p; next } { print }' "$DIR/pids" >"$DIR/pids.new"
mv "$DIR/pids.new" "$DIR/pids"

deadline=$((SECONDS + TIMEOUT))
until [ "$(curl -sS --max-time 5 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" "$server/readyz" 2>/dev/null)" = ok ]; do
  kill -0 "$pid" 2>/dev/null || die "kube-apiserver exited after the restart; see $LOG"
  ((SECONDS < deadline)) || die "kube-apiserver did not become ready in $TIMEOUT s after the restart; see $LOG"
  sleep 0.2
done
log "kube-apiserver restarted (pid $pid)"

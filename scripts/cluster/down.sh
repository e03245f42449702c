#!/usr/bin/env bash
# Stops the test cluster that scripts/cluster/up.sh started in DIR (default:
# .cluster/ in the repo): each process in DIR/pids, newest first (kwok ...
# etcd), gets TERM, then KILL if it still runs after CLUSTER_STOP_GRACE
# seconds (default 5).
#   down.sh [--purge] [DIR]   --purge also removes DIR
# Only processes whose command line names DIR are signalled, so a pid that was
# reused by an unrelated process is left alone.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
PURGE=0
DIR=""
for arg in "$@"; do
  case "$arg" in
    --purge) PURGE=1 ;;
    -*) echo "usage: down.sh [--purge] [DIR]" >&2; exit 2 ;;
    *) DIR="$arg" ;;
  esac
done
DIR="${DIR:-$REPO/.cluster}"
GRACE="${CLUSTER_STOP_GRACE:-5}"

log() { printf 'cluster: %s\n' "$*" >&2; }

if [ ! -d "$DIR" ]; then
  log "no cluster in $DIR"
  exit 0
fi
DIR="$(cd "$DIR" && pwd)"

# ours PID: the process runs and its command line names DIR.
ours() { kill -0 "$1" 2>/dev/null && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF "$DIR"; }

pids=()
names=()
if [ -f "$DIR/pids" ]; then
  while read -r name pid; do
    [ -n "${pid:-}" ] || continue
    pids=("$pid" "${pids[@]}")   # newest first: kwok ... etcd last
    names=("$name" "${names[@]}")
  done <"$DIR/pids"
fi

# stop NAME PID: TERM, then KILL after GRACE seconds. One at a time, clients
# first, so kube-apiserver and etcd see their clients leave and exit at once.
stop() {
  local name="$1" pid="$2" deadline
  ours "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + GRACE))
  while ours "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
  if ours "$pid"; then
    log "$name (pid $pid) did not stop in $GRACE s: killing it"
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 5))
    while ours "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
    if ours "$pid"; then
      log "error: $name (pid $pid) still runs after KILL"
      failed=1
    fi
  fi
}
failed=0
for i in "${!pids[@]}"; do
  stop "${names[$i]}" "${pids[$i]}"
done
((failed == 0)) || exit 1

rm -f "$DIR/pids"
if [ "$PURGE" = 1 ]; then
  rm -rf "$DIR"
  log "stopped and removed $DIR"
else
  log "stopped the cluster in $DIR"
fi

#!/usr/bin/env bash
# Stops the test cluster that scripts/cluster/up.sh started in DIR (default:
# .cluster/ in the repo): TERM to every process in DIR/pids, newest first,
# then KILL to whatever still runs after a few seconds.
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

running=()
for i in "${!pids[@]}"; do
  if ours "${pids[$i]}"; then
    kill -TERM "${pids[$i]}" 2>/dev/null || true
    running+=("${pids[$i]}")
  fi
done

# alive: the pids in $running that still run.
alive() {
  local still=() pid
  for pid in "${running[@]+"${running[@]}"}"; do ours "$pid" && still+=("$pid"); done
  running=("${still[@]+"${still[@]}"}")
  ((${#running[@]}))
}
deadline=$((SECONDS + GRACE))
while alive && ((SECONDS < deadline)); do sleep 0.1; done
if alive; then
  log "killing what did not stop in $GRACE s: ${running[*]}"
  for pid in "${running[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  deadline=$((SECONDS + 5))
  while alive && ((SECONDS < deadline)); do sleep 0.1; done
  if alive; then
    log "error: still running after KILL: ${running[*]}"
    exit 1
  fi
fi

rm -f "$DIR/pids"
if [ "$PURGE" = 1 ]; then
  rm -rf "$DIR"
  log "stopped and removed $DIR"
else
  log "stopped the cluster in $DIR"
fi

#!/usr/bin/env bash
# Stops the MinIO server that scripts/minio/up.sh started in DIR (default: .minio/
# in the repo): TERM, then KILL after MINIO_STOP_GRACE seconds (default 5).
#   down.sh [--kill] [--purge] [DIR]   --kill: KILL at once (a crash, for tests);
#                                      --purge: also remove DIR (data and credentials)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
PURGE=0
SIGNAL=TERM
DIR=""
for arg in "$@"; do
  case "$arg" in
    --purge) PURGE=1 ;;
    --kill) SIGNAL=KILL ;;
    -*) echo "usage: down.sh [--kill] [--purge] [DIR]" >&2; exit 2 ;;
    *) DIR="$arg" ;;
  esac
done
DIR="${DIR:-$REPO/.minio}"
GRACE="${MINIO_STOP_GRACE:-5}"
[ -d "$DIR" ] && DIR="$(cd "$DIR" && pwd)"

if [ -f "$DIR/pid" ]; then
  pid="$(cat "$DIR/pid")"
  # Only a process whose command line names DIR: a reused pid is left alone.
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$DIR"; then
    kill -"$SIGNAL" "$pid" 2>/dev/null || true
    for _ in $(seq $((GRACE * 10))); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$DIR/pid"
fi
[ "$PURGE" = 1 ] && rm -rf "$DIR"
exit 0

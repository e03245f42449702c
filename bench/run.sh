#!/usr/bin/env bash
# `make bench`: every benchmark, side by side with its peer, printing ratios.
#   bench/run.sh [BUILD_DIR]    BENCH=control|history|s3|ui|operator to run one of them
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${1:-build}"
VENV="${VENV:-$HOME/.cache/sparkplane/venv}"
case "${BENCH:-all}" in
  all | control) "$VENV/bin/python" bench/control_plane_overhead.py --bin "$BUILD/sparkplane" ;;&
  all | history) "$VENV/bin/python" bench/history_server.py --bin "$BUILD/sparkplane" ;;&
  all | s3) "$VENV/bin/python" bench/s3_history.py --bin "$BUILD/sparkplane" ;;&
  all | ui) "$VENV/bin/python" bench/ui_stage_page.py --bin "$BUILD/sparkplane" ;;&
  all | operator) "$VENV/bin/python" bench/kube_operator.py --bin "$BUILD/sparkplane" ;;
  control | history | s3 | ui) ;;
  *) echo "bench: unknown BENCH=${BENCH} (control, history, s3, ui, operator)" >&2; exit 2 ;;
esac

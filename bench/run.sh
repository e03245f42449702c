#!/usr/bin/env bash
# `make bench`: every benchmark, side by side with its peer, printing ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${1:-build}"
VENV="${VENV:-$HOME/.cache/sparkplane/venv}"
"$VENV/bin/python" bench/control_plane_overhead.py --bin "$BUILD/sparkplane" "${@:2}"

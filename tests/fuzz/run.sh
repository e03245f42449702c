#!/usr/bin/env bash
# Runs every fuzz target built in BUILD (tests/fuzz/*_fuzz) for SECONDS each, over a corpus the
# target seeds itself at start-up (SPARKPLANE_FUZZ_SEEDS). Crashes land in BUILD/fuzz-corpus.
# Usage: tests/fuzz/run.sh BUILD [SECONDS]
set -euo pipefail
build="${1:?usage: run.sh BUILD [SECONDS]}"
seconds="${2:-60}"
root="$build/fuzz-corpus"
mkdir -p "$root"
shopt -s nullglob
targets=("$build"/tests/fuzz/*_fuzz)
if ((${#targets[@]} == 0)); then
  echo "fuzz: no targets in $build/tests/fuzz (build the fuzz_targets target)" >&2
  exit 1
fi
failed=()
for bin in "${targets[@]}"; do
  name="$(basename "$bin")"
  corpus="$root/$name"
  mkdir -p "$corpus"
  echo "fuzz: $name for ${seconds}s"
  if ! SPARKPLANE_FUZZ_SEEDS="$corpus" "$bin" -max_total_time="$seconds" \
      -artifact_prefix="$root/$name-" "$corpus" >"$root/$name.log" 2>&1; then
    echo "fuzz: $name FAILED; last lines of $root/$name.log:" >&2
    tail -n 30 "$root/$name.log" >&2
    failed+=("$name")
  else
    grep -E '^(#[0-9]+ *DONE|Done [0-9]+ runs)' "$root/$name.log" | tail -n 1 || true
  fi
done
if ((${#failed[@]})); then
  echo "fuzz: failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: all ${#targets[@]} targets ran ${seconds}s without a crash"

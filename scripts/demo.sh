#!/usr/bin/env bash
# `make demo`: starts the embedded control plane, runs examples/spark-pi.yaml with real Spark
# to COMPLETED, and prints the Pi estimate, the run's duration and where its event log is.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${1:-build/sparkplane}"
STATE="${SPARKPLANE_DEMO_STATE:-.sparkplane/demo}"
LISTEN="${SPARKPLANE_DEMO_LISTEN:-127.0.0.1:18080}"
SERVER="http://$LISTEN"
sp() { "$BIN" --server "$SERVER" "$@"; }

mkdir -p "$STATE"
"$BIN" up --state-dir "$STATE" --listen "$LISTEN" >"$STATE/up.log" 2>&1 &
UP_PID=$!
trap 'kill $UP_PID 2>/dev/null; wait $UP_PID 2>/dev/null || true' EXIT

for _ in $(seq 100); do
  curl -fsS "$SERVER/healthz" >/dev/null 2>&1 && break
  kill -0 $UP_PID 2>/dev/null || { echo "demo: sparkplane up exited:"; tail -5 "$STATE/up.log"; exit 1; }
  sleep 0.1
done

echo "== sparkplane up is serving $SERVER (state in $STATE)"
sp delete sparkapp spark-pi --ignore-not-found --wait >/dev/null
sp apply -f examples/spark-pi.yaml
sp wait sparkapp/spark-pi --for=state=COMPLETED --timeout=10m
echo
sp get sparkapp spark-pi -o wide
echo

status=$(sp get sparkapp spark-pi -o json)
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1" <<<"$status"; }
app_id=$(field 'd["status"].get("sparkApplicationId","")')
started=$(field 'd["status"]["lastSubmissionAttemptTime"]')
ended=$(field 'd["status"]["terminationTime"]')
duration=$(python3 -c "from datetime import datetime as D; import sys; f=lambda s: D.strptime(s,'%Y-%m-%dT%H:%M:%SZ'); print(int((f(sys.argv[2])-f(sys.argv[1])).total_seconds()))" "$started" "$ended")
result=$(sp logs spark-pi --stdout | grep -m1 'Pi is roughly' || true)
eventlog=$(ls -d "$STATE"/spark-events/*"$app_id"* 2>/dev/null | head -1)

echo "== result:     ${result:-<no Pi line in the driver's stdout: see sparkplane logs spark-pi>}"
echo "== duration:   ${duration}s (submission to driver exit)"
echo "== app id:     $app_id"
echo "== event log:  ${eventlog:-<not found under $STATE/spark-events>}"
echo "== next:       $BIN up --state-dir $STATE   then: $BIN get sparkapp, $BIN describe sparkapp spark-pi"

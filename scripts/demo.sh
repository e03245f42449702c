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

# App id and duration (submission to driver exit) from the application's status.
read -r app_id duration < <(sp get sparkapp spark-pi -o json | python3 -c '
import json, sys
from datetime import datetime
s = json.load(sys.stdin)["status"]
t = lambda k: datetime.strptime(s[k], "%Y-%m-%dT%H:%M:%SZ")
print(s.get("sparkApplicationId", "-"), int((t("terminationTime") - t("lastSubmissionAttemptTime")).total_seconds()))')
result=$(sp logs spark-pi --stdout | grep -m1 'Pi is roughly' || true)
eventlog=$(ls -d "$STATE"/spark-events/*"$app_id"* 2>/dev/null | head -1)

echo "== result:     ${result:-<no Pi line in the driver stdout: see sparkplane logs spark-pi>}"
echo "== duration:   ${duration}s (submission to driver exit)"
echo "== app id:     $app_id"
echo "== event log:  ${eventlog:-<not found under $STATE/spark-events>}"
echo "== next:       $BIN up --state-dir $STATE   then: $BIN get sparkapp, $BIN describe sparkapp spark-pi"

"""The embedded control plane's own overhead, next to Spark's.

1. Submission latency: time from `sparkplane apply` returning to the driver's spark-submit
   process being started (read from the attempt's `launched` file the driver shim writes),
   against the time spark-submit itself then takes to start Spark (first line of its log
   with 'Submitted application'), so the ratio says how much of a run's start is ours.
2. Footprint of `sparkplane up`: RSS and CPU when idle, empty and holding 1,000 stored
   (suspended) applications.
Absolute figures are printed, never asserted.
"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Up:
    def __init__(self, binary, state):
        self.binary, self.state = binary, Path(state)
        self.port = free_port()
        self.server = f"http://127.0.0.1:{self.port}"
        self.log = open(self.state.parent / "up.log", "ab")
        self.proc = subprocess.Popen([binary, "up", "--state-dir", str(state), "--listen",
                                      f"127.0.0.1:{self.port}", "--log-level", "warn"],
                                     stdout=self.log, stderr=subprocess.STDOUT, cwd=REPO)
        for _ in range(300):
            if self.cli("get", "sparkapp", check=False).returncode == 0:
                return
            time.sleep(0.05)
        raise SystemExit("sparkplane up did not start")

    def cli(self, *args, input=None, check=True):
        r = subprocess.run([self.binary, "--server", self.server, *args], input=input,
                           capture_output=True, text=True, cwd=REPO)
        if check and r.returncode:
            raise SystemExit(f"sparkplane {args}: {r.stderr}")
        return r

    def rss_mb(self):
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def cpu_seconds(self):
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


def manifest(name, suspend=False):
    return json.dumps({
        "apiVersion": "sparkoperator.k8s.io/v1beta2", "kind": "SparkApplication",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"type": "Python", "mode": "cluster", "sparkVersion": "4.1.1",
                 "mainApplicationFile": str(REPO / "examples/src/pi.py"), "arguments": ["1"],
                 "suspend": suspend, "driver": {"cores": 1, "memory": "512m"},
                 "executor": {"cores": 1, "instances": 1, "memory": "512m"}}})


def wait_file(path, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if path.exists() and path.stat().st_size > 0:
            return path.read_text()
        time.sleep(0.001)
    raise SystemExit(f"{path} did not appear")


def submission_latency(up, runs):
    ours, whole, spark = [], [], []
    for i in range(runs):
        name = f"lat-{i}"
        invoked = time.time()
        up.cli("apply", "-f", "-", input=manifest(name))
        applied = time.time()
        app_dir = up.state / "drivers" / "default" / name
        while not app_dir.exists() or not any(app_dir.iterdir()):
            time.sleep(0.0005)
        attempt = sorted(app_dir.iterdir())[0]
        started = float(wait_file(attempt / "launched").split()[0])
        # Negative when the driver was already launched before the apply process had exited.
        ours.append((started - applied) * 1000)
        whole.append((started - invoked) * 1000)
        # spark-submit's own start: until the SparkContext is up
        deadline = time.time() + 120
        while time.time() < deadline:
            err = (attempt / "stderr.log")
            if err.exists() and "Submitted application" in err.read_text(errors="replace"):
                spark.append((time.time() - started) * 1000)
                break
            time.sleep(0.01)
        up.cli("delete", "sparkapp", name, "--wait")
    return ours, whole, spark


def footprint(up, seconds=10):
    c0 = up.cpu_seconds()
    time.sleep(seconds)
    return up.rss_mb(), (up.cpu_seconds() - c0) / seconds * 100


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(REPO / "build/sparkplane"))
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--apps", type=int, default=1000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="sp-bench-") as tmp:
        up = Up(args.bin, Path(tmp) / "state")
        try:
            time.sleep(2)
            rss0, cpu0 = footprint(up)
            ours, whole, spark = submission_latency(up, args.runs)
            t0 = time.time()
            docs = "\n---\n".join(manifest(f"stored-{i}", suspend=True) for i in range(args.apps))
            up.cli("apply", "-f", "-", input=docs)
            apply_s = time.time() - t0
            deadline = time.time() + 120
            while time.time() < deadline:
                items = json.loads(up.cli("get", "sparkapp", "-o", "json").stdout)["items"]
                if sum(1 for a in items if a.get("status", {}).get("applicationState", {})
                       .get("state") == "SUSPENDED") >= args.apps:
                    break
                time.sleep(0.5)
            settle_s = time.time() - t0
            time.sleep(2)
            rss1, cpu1 = footprint(up)
        finally:
            up.stop()

    p50 = statistics.median(ours)
    p99 = max(ours) if len(ours) < 100 else statistics.quantiles(ours, n=100)[98]
    sp50 = statistics.median(spark) if spark else float("nan")
    print("== control plane overhead (sparkplane up, embedded) ==")
    w50 = statistics.median(whole)
    print(f"apply returned -> spark-submit started: p50 {p50:.1f} ms, max/p99 {p99:.1f} ms "
          f"over {len(ours)} runs (goal < 50 ms; negative: launched before apply had exited)")
    print(f"apply invoked -> spark-submit started (incl. the CLI process): p50 {w50:.1f} ms, "
          f"max {max(whole):.1f} ms")
    print(f"spark-submit -> SparkContext up (Spark's own start): p50 {sp50:.0f} ms")
    print(f"ratio: sparkplane's share of a run's start = {w50 / (w50 + sp50) * 100:.1f}% "
          f"(Spark's own start is {sp50 / w50:.0f}x the whole apply-to-launch path)")
    print(f"idle, empty:        RSS {rss0:.1f} MB, CPU {cpu0:.2f}% (goal < 30 MB)")
    print(f"idle, {args.apps} apps:   RSS {rss1:.1f} MB, CPU {cpu1:.2f}% (goal < 30 MB)")
    print(f"storing {args.apps} apps: apply {apply_s:.2f} s ({apply_s / args.apps * 1000:.1f} ms "
          f"each), all reconciled to SUSPENDED in {settle_s:.2f} s")


if __name__ == "__main__":
    sys.exit(main())

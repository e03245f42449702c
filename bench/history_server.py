"""sparkplane's history server next to Spark's own, in one run, on the same logs.

For each server, started cold on the same directory:
  1. a ~100 MB and a ~1 GB application: time from process start until the first full
     answer for the app (its stages list), replay speed (MB/s) and peak RSS; the median of
     --runs fresh starts, each after the log was read once (both servers then replay from the
     page cache: the figures are replay, not disk, and the server run second gains nothing);
  2. 5,000 small applications: time from process start until all are listed;
  3. REST latency under load: wrk at a fixed 1,000 requests/s on one job of the 100 MB app.
It prints the figures and the ratios (goals: >= 20x replay speed, <= 1/10 peak memory,
5,000 apps listed in < 2 s, p99 < 10 ms at 1,000 requests/s). Nothing is asserted.

  python bench/history_server.py --bin build/sparkplane [--skip-1gb] [--spark-heap 8g] [--runs 3]
"""
import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spark_home():
    import pyspark
    return Path(pyspark.__file__).parent


class Server:
    """One history server process on a log directory (sparkplane's: a path or s3://...)."""

    def __init__(self, kind, binary, log_dir, heap, workdir, env=None, extra_args=()):
        self.kind, self.port = kind, free_port()
        self.base = f"http://127.0.0.1:{self.port}/api/v1"
        self.out = open(Path(workdir) / f"{kind}-{self.port}.log", "wb")
        if kind == "spark":
            cmd = ["java", f"-Xmx{heap}", "-cp", str(spark_home() / "jars") + "/*",
                   f"-Dspark.history.fs.logDirectory={Path(log_dir).as_uri()}",
                   f"-Dspark.history.ui.port={self.port}",
                   "-Dspark.history.fs.update.interval=1s",
                   "org.apache.spark.deploy.history.HistoryServer"]
        else:
            cmd = [binary, "history-server", "--log-dir", str(log_dir),
                   "--listen", f"127.0.0.1:{self.port}", "--log-level", "warn", *extra_args]
        self.started = time.time()
        self.proc = subprocess.Popen(cmd, stdout=self.out, stderr=subprocess.STDOUT,
                                     start_new_session=True, env=env)
        self.peak_kb = 0

    def sample_rss(self):
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    self.peak_kb = max(self.peak_kb, int(line.split()[1]))
        except OSError:
            pass
        return self.peak_kb / 1024

    def get(self, path, timeout=600):
        try:
            with urllib.request.urlopen(self.base + path, timeout=timeout) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()
        except (urllib.error.URLError, ConnectionError, socket.timeout):
            return 0, b""

    def wait_for(self, path, ok, timeout=1800):
        """Seconds from process start until GET path answers 200 with ok(body) true."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"{self.kind} history server exited; see {self.out.name}")
            status, body = self.get(path)
            self.sample_rss()
            if status == 200 and ok(body):
                return time.time() - self.started
            time.sleep(0.02)
        raise SystemExit(f"{self.kind}: {path} not ready after {timeout} s")

    def stop(self):
        self.sample_rss()
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.proc.pid, signal.SIGKILL)


def app_ids(body):
    try:
        return [a["id"] for a in json.loads(body)]
    except (ValueError, KeyError, TypeError):
        return []


def read_once(log_dir):
    """Reads every file under log_dir, so that the page cache holds it."""
    for f in Path(log_dir).rglob("*"):
        if f.is_file():
            with open(f, "rb") as r:
                while r.read(1 << 24):
                    pass


def big_app_once(kind, args, log_dir, workdir):
    app = next(p.name for p in Path(log_dir).iterdir() if not p.name.startswith("."))
    read_once(log_dir)
    s = Server(kind, args.bin, log_dir, args.spark_heap, workdir)
    try:
        s.wait_for("/applications", lambda b: app in app_ids(b))
        t = s.wait_for(f"/applications/{app}/stages", lambda b: len(json.loads(b)) > 0)
        return t, s.sample_rss(), s
    except BaseException:
        s.stop()
        raise


def big_app(kind, args, log_dir, workdir):
    """The median of args.runs fresh starts; the last run's server is returned, still up."""
    size_mb = sum(f.stat().st_size for f in Path(log_dir).rglob("*") if f.is_file()) / 2**20
    times, peak, server = [], 0.0, None
    for i in range(args.runs):
        t, rss, server = big_app_once(kind, args, log_dir, workdir)
        times.append(t)
        peak = max(peak, rss)
        if i + 1 < args.runs:
            server.stop()
    t = statistics.median(times)
    return {"seconds": t, "runs": [round(x, 3) for x in times], "mb_per_s": size_mb / t,
            "peak_rss_mb": peak, "size_mb": size_mb, "server": server}


def listing(kind, args, log_dir, count, workdir):
    s = Server(kind, args.bin, log_dir, args.spark_heap, workdir)
    try:
        t = s.wait_for("/applications", lambda b: len(app_ids(b)) >= count)
        return {"seconds": t, "peak_rss_mb": s.sample_rss()}
    finally:
        s.stop()


def load(server, path, rate, seconds):
    """wrk at about `rate` requests/s: each of 50 connections waits 50 ms between requests."""
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    conns = 50
    script.write_text(f"function delay() return {1000 * conns // rate} end\n")
    try:
        out = subprocess.run(["wrk", "-t2", f"-c{conns}", f"-d{seconds}s", "--latency",
                              "-s", str(script), server.base + path],
                             capture_output=True, text=True, check=True).stdout
    finally:
        script.unlink()
    lat, rps = {}, 0.0
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in ("50%", "99%"):
            lat[parts[0]] = parse_ms(parts[1])
        if line.startswith("Requests/sec:"):
            rps = float(parts[1])
    return {"p50_ms": lat.get("50%"), "p99_ms": lat.get("99%"), "rps": rps}


def parse_ms(text):
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(unit):
            return float(text[:-len(unit)]) * factor
    return float(text)


def ratio(a, b):
    return f"{a / b:.1f}x" if a and b else "n/a"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(REPO / "build/sparkplane"))
    ap.add_argument("--spark-heap", default="8g", help="-Xmx for Spark's history server")
    ap.add_argument("--skip-1gb", action="store_true")
    ap.add_argument("--runs", type=int, default=3, help="fresh starts per big app (median)")
    ap.add_argument("--small-apps", type=int, default=5000)
    ap.add_argument("--rate", type=int, default=1000)
    ap.add_argument("--seconds", type=int, default=15)
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: run `make deps`")
    gen = subprocess.run([sys.executable, str(REPO / "bench/gen_history_logs.py"),
                          "--small-apps", str(args.small_apps)],
                         capture_output=True, text=True, check=True)
    logs = json.loads(gen.stdout)
    results = {}
    with tempfile.TemporaryDirectory(prefix="sp-hs-bench-") as workdir:
        for kind in ("sparkplane", "spark"):
            r = results[kind] = {}
            big = big_app(kind, args, logs["big_100mb"], workdir)
            server = big.pop("server")
            try:
                app = next(p.name for p in Path(logs["big_100mb"]).iterdir())
                r["load"] = load(server, f"/applications/{app}/jobs/1", args.rate, args.seconds)
            finally:
                server.stop()
            r["100mb"] = big
            if not args.skip_1gb:
                big = big_app(kind, args, logs["big_1gb"], workdir)
                big.pop("server").stop()
                r["1gb"] = big
            r["list"] = listing(kind, args, logs["small_apps"], args.small_apps, workdir)

    ours, spark = results["sparkplane"], results["spark"]
    print("== history server: sparkplane vs Spark's own (same logs, same machine, one run) ==")
    for key in ("100mb", "1gb"):
        if key not in ours:
            continue
        o, s = ours[key], spark[key]
        print(f"{key} app ({o['size_mb']:.0f} MB): first full answer (median of {len(o['runs'])}) "
              f"sparkplane {o['seconds']:.2f} s vs Spark {s['seconds']:.2f} s; replay {o['mb_per_s']:.0f} vs {s['mb_per_s']:.1f} MB/s "
              f"= {ratio(o['mb_per_s'], s['mb_per_s'])} faster (goal >= 20x); peak RSS "
              f"{o['peak_rss_mb']:.0f} vs {s['peak_rss_mb']:.0f} MB = "
              f"{o['peak_rss_mb'] / s['peak_rss_mb'] * 100:.1f}% of Spark's (goal <= 10%)")
    o, s = ours["list"], spark["list"]
    print(f"{args.small_apps} apps listed from cold: sparkplane {o['seconds']:.2f} s vs Spark "
          f"{s['seconds']:.2f} s = {ratio(s['seconds'], o['seconds'])} faster (goal < 2 s)")
    o, s = ours["load"], spark["load"]
    print(f"REST at {args.rate} req/s ({args.seconds} s, one job of the 100 MB app): sparkplane p50 "
          f"{o['p50_ms']} ms p99 {o['p99_ms']} ms ({o['rps']:.0f} req/s) vs Spark p50 "
          f"{s['p50_ms']} ms p99 {s['p99_ms']} ms ({s['rps']:.0f} req/s) (goal p99 < 10 ms)")
    print(json.dumps(results, default=str))


if __name__ == "__main__":
    main()

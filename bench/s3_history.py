"""sparkplane's history server over S3 (a real MinIO) next to the same over a local directory,
in one run, on the same logs.

  1. 10,000 applications (the history bench's small apps, about 140 KB each), plain and
     compressed with zstd (Spark 4's default, spark.eventLog.compress): time from process start
     until all are listed, from cold (nothing known) and at a restart with --store-path (the
     listing kept by the run before);
  2. a ~1 GB application: time from process start until the first full answer for it (its
     stages list), the median of --runs fresh starts.
Both sides read warm data: the local files from the page cache (read once before), MinIO's
files from the page cache too (MinIO runs on this machine, on the same cores as the server:
a handicap real S3 does not have; --pin gives MinIO a core of its own and the servers the rest,
as if S3 ran elsewhere). It prints the figures, the CPU time of each server and of MinIO, and
the S3/local ratios (goal: S3 within 1.5x of local). Nothing is asserted.

MinIO is built by scripts/minio/build.sh; its data stays under ~/.cache/sparkplane/bench/minio
with the logs uploaded once (by `sparkplane ship`, resumable), so later runs start at once.

  python bench/s3_history.py --bin build/sparkplane [--apps 10000] [--runs 3] [--skip-1gb] [--pin]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_history_logs  # noqa: E402
from history_server import Server, app_ids, read_once  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
MINIO = REPO / "scripts" / "minio"
BUCKET = "spark-logs"


def listing_logs(base_dir, count):
    """count small apps (cached): the history bench's small app under count app ids."""
    out = gen_history_logs.CACHE / f"logs-v{gen_history_logs.FORMAT}" / f"apps-{count}"
    done = out / ".complete"
    if not done.exists():
        base = next(p for p in Path(base_dir).iterdir() if not p.name.startswith("."))
        print(f"s3 bench: writing {count} small apps", file=sys.stderr)
        gen_history_logs.small_apps(base, count, out)
        done.write_text("ok\n")
    return out


def zstd_logs(plain_dir):
    """The same logs compressed as Spark 4 writes them by default (<app>.zstd), cached."""
    out = Path(f"{plain_dir}-zstd")
    done = out / ".complete"
    if not done.exists():
        print(f"s3 bench: compressing {plain_dir} with zstd", file=sys.stderr)
        out.mkdir(parents=True, exist_ok=True)
        names = sorted(p.name for p in Path(plain_dir).iterdir() if not p.name.startswith("."))
        for i in range(0, len(names), 500):
            subprocess.run(["zstd", "-q", "-f", "--output-dir-flat", str(out),
                            *[str(Path(plain_dir) / n) for n in names[i:i + 500]]], check=True)
        for p in out.glob("*.zst"):
            p.rename(p.with_suffix(".zstd"))
        done.write_text("ok\n")
    return out


class Minio:
    def __init__(self, data_dir, cpus=None):
        self.dir = Path(data_dir)
        self.cpus = cpus  # the cores MinIO may use; None: any
        self.env = {}

    def __enter__(self):
        subprocess.run([str(MINIO / "build.sh")], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([str(MINIO / "up.sh"), str(self.dir), BUCKET], check=True,
                       preexec_fn=lambda: os.sched_setaffinity(0, self.cpus) if self.cpus else None)
        for line in (self.dir / "env").read_text().splitlines():
            key, _, value = line.removeprefix("export ").partition("=")
            self.env[key] = value
        self.pid = int((self.dir / "pid").read_text())
        return self

    def __exit__(self, *exc):
        subprocess.run([str(MINIO / "down.sh"), str(self.dir)], check=False)

    def client_env(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(self.env)
        return env


def upload(args, minio, local_dir, prefix):
    """Ships local_dir to s3://spark-logs/<prefix>; what was shipped before is skipped."""
    t = time.time()
    proc = subprocess.run([args.bin, "ship", "--once", "--from", str(local_dir), "--to",
                           f"s3://{BUCKET}/{prefix}", "--state",
                           str(minio.dir / f"ship-{prefix}.json"), "--log-level", "warn"],
                          env=minio.client_env(), capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"uploading {local_dir} failed: {proc.stderr[-2000:]}")
    return time.time() - t


def cpu_seconds(pid):
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def listed(args, where, count, workdir, env, extra_args=()):
    s = Server("sparkplane", args.bin, where, "", workdir, env=env, extra_args=extra_args)
    try:
        t = s.wait_for("/applications", lambda b: len(app_ids(b)) >= count)
        return t, s.sample_rss(), cpu_seconds(s.proc.pid)
    finally:
        s.stop()


def first_answer(args, where, app, workdir, env):
    s = Server("sparkplane", args.bin, where, "", workdir, env=env)
    try:
        s.wait_for("/applications", lambda b: app in app_ids(b))
        t = s.wait_for(f"/applications/{app}/stages", lambda b: len(json.loads(b)) > 0)
        return t, s.sample_rss(), cpu_seconds(s.proc.pid)
    finally:
        s.stop()


def side_by_side(args, minio, measure):
    """measure(side) -> (seconds, rss, cpu) for side in local, s3; alternating, args.runs
    times. For S3, MinIO's CPU time over the run too: it shares this machine's cores."""
    runs = {"local": [], "s3": []}
    for i in range(args.runs):
        for side in (("local", "s3") if i % 2 == 0 else ("s3", "local")):
            before = cpu_seconds(minio.pid)
            t, rss, cpu = measure(side)
            runs[side].append((t, rss, cpu, cpu_seconds(minio.pid) - before))
    out = {}
    for side, rs in runs.items():
        out[side] = {"seconds": statistics.median(r[0] for r in rs),
                     "runs": [round(r[0], 3) for r in rs],
                     "peak_rss_mb": max(r[1] for r in rs),
                     "cpu_s": statistics.median(r[2] for r in rs),
                     "minio_cpu_s": statistics.median(r[3] for r in rs)}
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(REPO / "build/sparkplane"))
    ap.add_argument("--apps", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-1gb", action="store_true")
    ap.add_argument("--pin", action="store_true",
                    help="MinIO on the last core, the history servers on the others: S3 as if "
                         "it ran on its own machine, both servers with the same cores")
    args = ap.parse_args()
    minio_cpus = None
    if args.pin:
        cores = sorted(os.sched_getaffinity(0))
        if len(cores) < 2:
            raise SystemExit("--pin needs at least 2 cores")
        minio_cpus = {cores[-1]}
        os.sched_setaffinity(0, set(cores[:-1]))  # the servers started from here inherit it
    gen = subprocess.run([sys.executable, str(REPO / "bench/gen_history_logs.py")],
                         capture_output=True, text=True, check=True)
    logs = json.loads(gen.stdout)
    apps_dir = listing_logs(logs["base"], args.apps)
    zstd_apps = zstd_logs(apps_dir)
    big_dir = Path(logs["big_1gb"])
    big_app = next(p.name for p in big_dir.iterdir() if not p.name.startswith("."))

    results = {}
    with Minio(gen_history_logs.CACHE / "minio", minio_cpus) as minio, \
            tempfile.TemporaryDirectory(prefix="sp-s3-bench-") as workdir:
        def sides(local, prefix):
            return {"local": (str(local), None),
                    "s3": (f"s3://{BUCKET}/{prefix}", minio.client_env())}

        results["upload_s"] = {}
        for name, local in (("list", apps_dir), ("list-zstd", zstd_apps)):
            results["upload_s"][name] = upload(args, minio, local, local.name)
            read_once(local)
            where = sides(local, local.name)
            results[name] = side_by_side(args, minio, lambda side: listed(
                args, where[side][0], args.apps, workdir, where[side][1]))
        # A restart with --store-path: the listing kept by the run before (made untimed).
        where = sides(apps_dir, apps_dir.name)
        stores = {side: ["--store-path", str(Path(workdir) / f"store-{side}")] for side in where}
        for side in where:
            listed(args, where[side][0], args.apps, workdir, where[side][1], stores[side])
        results["list-restart"] = side_by_side(args, minio, lambda side: listed(
            args, where[side][0], args.apps, workdir, where[side][1], stores[side]))
        if not args.skip_1gb:
            results["upload_s"]["1gb"] = upload(args, minio, big_dir, "big-1gb")
            read_once(big_dir)
            where = sides(big_dir, "big-1gb")
            results["1gb"] = side_by_side(args, minio, lambda side: first_answer(
                args, where[side][0], big_app, workdir, where[side][1]))

    where_minio = ("MinIO pinned to its own core, the servers to the rest" if args.pin
                   else "MinIO on this machine, sharing its cores")
    print(f"== history server: S3 ({where_minio}) vs a local directory, one run ==")
    for name, what in (("list", "plain, from cold"), ("list-zstd", "zstd, from cold"),
                       ("list-restart", "plain, restart with --store-path")):
        lo, s3 = results[name]["local"], results[name]["s3"]
        print(f"{args.apps} apps ({what}) listed (median of {args.runs}): local "
              f"{lo['seconds']:.2f} s, S3 {s3['seconds']:.2f} s = "
              f"{s3['seconds'] / lo['seconds']:.2f}x local (goal <= 1.5x); peak RSS "
              f"{lo['peak_rss_mb']:.0f} vs {s3['peak_rss_mb']:.0f} MB; CPU: server "
              f"{lo['cpu_s']:.2f} vs {s3['cpu_s']:.2f} s, MinIO {s3['minio_cpu_s']:.2f} s")
    if "1gb" in results:
        lo, s3 = results["1gb"]["local"], results["1gb"]["s3"]
        print(f"1 GB app, first full answer (median of {args.runs}): local {lo['seconds']:.2f} s, "
              f"S3 {s3['seconds']:.2f} s = {s3['seconds'] / lo['seconds']:.2f}x local "
              f"(goal <= 1.5x); peak RSS {lo['peak_rss_mb']:.0f} vs {s3['peak_rss_mb']:.0f} MB; "
              f"CPU: server {lo['cpu_s']:.2f} vs {s3['cpu_s']:.2f} s, MinIO "
              f"{s3['minio_cpu_s']:.2f} s")
    print(json.dumps(results))


if __name__ == "__main__":
    main()

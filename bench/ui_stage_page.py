"""The stage page of a ~1 GB application in headless chromium, sparkplane's UI next to Spark's
own History Server UI, in one run, on the same log.

For each server, started cold on the log (read once before, so both replay from the page
cache): the time from opening the stage page of the stage with the most tasks until it is
interactive (sparkplane: its task table drawn; Spark: its page and the requests it makes done),
with the server's replay included, then the same page opened again (warm). Prints the figures
and the ratio (goal: sparkplane under 2 s). Nothing is asserted.

  python bench/ui_stage_page.py --bin build/sparkplane [--skip-spark] [--spark-heap 8g]
"""
import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from history_server import Server, app_ids, read_once  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def browser_env():
    install = REPO / "scripts" / "browser" / "install.sh"
    subprocess.run([str(install)], check=True)
    env = dict(os.environ)
    out = subprocess.run([str(install), "--paths"], check=True, capture_output=True, text=True)
    for line in out.stdout.splitlines():
        key, _, value = line.partition("=")
        env[key] = shlex.split(value)[0]
    return env


def timed(env, pages):
    out = subprocess.run(["node", str(REPO / "bench" / "ui_stage_page.cjs"), json.dumps(pages)],
                         env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(kind, args, log_dir, app, env, workdir):
    s = Server(kind, args.bin, log_dir, args.spark_heap, workdir)
    try:
        root = s.base.removesuffix("/api/v1")
        s.wait_for("/applications", lambda b: app in app_ids(b))
        shot = str(Path(workdir) / f"{kind}-stage.png")
        if kind == "sparkplane":
            page = {"url": f"{root}/#/apps/{app}/stages/{args.stage}/0",
                    "selector": "main div.tasks tbody tr", "screenshot": shot}
        else:
            page = {"url": f"{root}/history/{app}/stages/stage/?id={args.stage}&attempt=0",
                    "screenshot": shot}
        cold, warm = timed(env, [page, dict(page, screenshot=None)])
        return {"cold_s": cold["ms"] / 1000, "warm_s": warm["ms"] / 1000, "rss_mb": s.sample_rss()}
    finally:
        s.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(REPO / "build/sparkplane"))
    ap.add_argument("--spark-heap", default="8g")
    ap.add_argument("--skip-spark", action="store_true")
    ap.add_argument("--stage", type=int, default=None, help="stage id (default: most tasks)")
    args = ap.parse_args()
    gen = subprocess.run([sys.executable, str(REPO / "bench/gen_history_logs.py")],
                         capture_output=True, text=True, check=True)
    log_dir = Path(json.loads(gen.stdout)["big_1gb"])
    app = next(p.name for p in log_dir.iterdir() if not p.name.startswith("."))
    env = browser_env()
    read_once(log_dir)
    results = {}
    with tempfile.TemporaryDirectory(prefix="sp-ui-bench-") as workdir:
        if args.stage is None:  # found on a server started apart, not timed
            s = Server("sparkplane", args.bin, log_dir, "", workdir)
            try:
                s.wait_for("/applications", lambda b: app in app_ids(b))
                status, body = s.get(f"/applications/{app}/stages?status=complete")
                stages = json.loads(body)
                args.stage = max(stages, key=lambda st: st["numTasks"])["stageId"]
            finally:
                s.stop()
        for kind in ("sparkplane",) + (() if args.skip_spark else ("spark",)):
            results[kind] = measure(kind, args, log_dir, app, env, workdir)
    size_mb = sum(f.stat().st_size for f in log_dir.rglob("*") if f.is_file()) / 2**20
    o = results["sparkplane"]
    print(f"== stage page of a {size_mb:.0f} MB app (stage {args.stage}) in headless chromium, one run ==")
    line = (f"sparkplane: interactive {o['cold_s']:.2f} s from a cold start (replay included), "
            f"{o['warm_s']:.2f} s warm (goal < 2 s)")
    if "spark" in results:
        s = results["spark"]
        line += (f"; Spark's UI: {s['cold_s']:.2f} s cold, {s['warm_s']:.2f} s warm = "
                 f"{s['cold_s'] / o['cold_s']:.1f}x / {s['warm_s'] / o['warm_s']:.1f}x slower")
    print(line)
    print(json.dumps(results))


if __name__ == "__main__":
    main()

"""Event logs for the history-server benchmark, generated from a real Spark run.

A real pyspark application (SQL join and aggregation over many partitions, a cached
DataFrame) writes the base log once. Bigger logs repeat its jobs with fresh job, stage,
task and SQL execution ids and shifted times, so they hold exactly the event mix Spark
writes, at any size. Small apps are the base log's first job under 5,000 app ids.
Everything is cached under ~/.cache/sparkplane/bench (never in the repository).

  python bench/gen_history_logs.py [--out DIR]   # prints the paths it made
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

CACHE = Path(os.environ.get("SPARKPLANE_CACHE", Path.home() / ".cache/sparkplane")) / "bench"
FORMAT = 3  # bump when the generated logs change

WORKLOAD = r"""
import sys
from pyspark.sql import SparkSession, functions as F
spark = (SparkSession.builder.master("local[2]").appName("sparkplane-bench-base")
         .config("spark.eventLog.enabled", "true")
         .config("spark.eventLog.dir", sys.argv[1])
         .config("spark.eventLog.rolling.enabled", "false")
         .config("spark.eventLog.compress", "false")
         .config("spark.sql.shuffle.partitions", "64")
         .config("spark.ui.enabled", "false").getOrCreate())
spark.range(0, 10, numPartitions=2).count()  # a tiny first job: the small apps' only job
facts = spark.range(0, 2_000_000, numPartitions=64).withColumn("k", F.col("id") % 1000)
dims = spark.range(0, 1000, numPartitions=8).withColumnRenamed("id", "k") \
    .withColumn("name", F.concat(F.lit("dim-"), F.col("k")))
facts.cache().count()
for _ in range(3):
    facts.join(dims, "k").groupBy("name").agg(F.sum("id"), F.count("*")).collect()
spark.stop()
"""

# Numeric fields that identify or time a job, stage, task or SQL execution.
ID_KEYS = {"Job ID": "job", "Stage ID": "stage", "Task ID": "task", "executionId": "sql"}
TIME_KEYS = ("Submission Time", "Completion Time", "Launch Time", "Finish Time",
             "Getting Result Time", "time", "Timestamp")
FIELD = re.compile(r'"(Job ID|Stage ID|Task ID|executionId|' + "|".join(TIME_KEYS) +
                   r')":(-?\d+)|"Stage IDs":\[([\d,]*)\]|"spark\.sql\.execution\.id":"(\d+)"')


def run_base(out_dir):
    python = Path(sys.executable)
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(WORKLOAD)
    try:
        subprocess.run([str(python), f.name, out_dir.as_uri()], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    finally:
        os.unlink(f.name)
    logs = [p for p in out_dir.iterdir() if p.is_file() and not p.name.startswith(".")]
    if len(logs) != 1:
        raise SystemExit(f"expected one event log in {out_dir}, found {logs}")
    return logs[0]


def template(line):
    """Splits a line into literal text and the fields to renumber."""
    parts, pos = [], 0
    for m in FIELD.finditer(line):
        parts.append(line[pos:m.start()])
        if m.group(1):
            kind = ID_KEYS.get(m.group(1), "time")
            parts.append((f'"{m.group(1)}":', kind, int(m.group(2)), ""))
        elif m.group(3) is not None:
            parts.append(("stages", [int(x) for x in m.group(3).split(",") if x]))
        else:
            parts.append(('"spark.sql.execution.id":"', "sql", int(m.group(4)), '"'))
        pos = m.end()
    parts.append(line[pos:])
    return parts


def render(parts, offsets):
    out = []
    for p in parts:
        if isinstance(p, str):
            out.append(p)
        elif p[0] == "stages":
            out.append('"Stage IDs":[' + ",".join(str(s + offsets["stage"]) for s in p[1]) + "]")
        else:
            prefix, kind, value, suffix = p
            # -1 and 0 mean "not set" for times and must stay so.
            shifted = value + offsets[kind] if (kind != "time" or value > 0) else value
            out.append(f"{prefix}{shifted}{suffix}")
    return "".join(out)


SQL_START = "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart"


def split_log(lines):
    """Head (before the first job or SQL execution), the repeatable body, and the tail."""
    events = [json.loads(l)["Event"] for l in lines]
    first = min(events.index(e) for e in ("SparkListenerJobStart", SQL_START) if e in events)
    end = events.index("SparkListenerApplicationEnd")
    return lines[:first], lines[first:end], lines[end:]


def with_app_id(lines, new_id):
    start = next(i for i, l in enumerate(lines) if '"SparkListenerApplicationStart"' in l)
    old_id = json.loads(lines[start])["App ID"]
    return lines[:start] + [lines[start].replace(f'"App ID":"{old_id}"', f'"App ID":"{new_id}"')] \
        + lines[start + 1:]


def spans(body):
    ids = {"job": 0, "stage": 0, "task": 0, "sql": 0}
    tmin, tmax = None, 0
    for line in body:
        for m in FIELD.finditer(line):
            if m.group(1):
                kind, v = ID_KEYS.get(m.group(1), "time"), int(m.group(2))
                if kind == "time":
                    if v > 0:
                        tmin = v if tmin is None else min(tmin, v)
                        tmax = max(tmax, v)
                else:
                    ids[kind] = max(ids[kind], v + 1)
    ids["time"] = (tmax - (tmin or 0)) + 1000
    return ids


def scale(base, target_bytes, out):
    lines = with_app_id(base.read_text().splitlines(), out.name)
    head, body, tail = split_log(lines)
    step = spans(body)
    tmpl = [template(l) for l in body]
    head_bytes = sum(len(l) + 1 for l in head + tail)
    body_bytes = sum(len(l) + 1 for l in body)
    copies = max(1, (target_bytes - head_bytes) // body_bytes)
    tail_t = template(tail[0])
    with open(out, "w") as f:
        for l in head:
            f.write(l + "\n")
        for k in range(copies):
            offsets = {kind: k * v for kind, v in step.items()}
            f.write("\n".join(render(p, offsets) for p in tmpl) + "\n")
        f.write(render(tail_t, {kind: (copies - 1) * v for kind, v in step.items()}) + "\n")
        for l in tail[1:]:
            f.write(l + "\n")
    return copies


def small_apps(base, count, out_dir):
    lines = base.read_text().splitlines()
    head, body, tail = split_log(lines)
    events = [json.loads(l)["Event"] for l in body]
    first_job_end = events.index("SparkListenerJobEnd")
    lines = head + body[:first_job_end + 1] + tail
    out_dir.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        new_id = f"local-{1700000000000 + i}"
        (out_dir / new_id).write_text("\n".join(with_app_id(lines, new_id)) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(CACHE / f"logs-v{FORMAT}"))
    ap.add_argument("--small-apps", type=int, default=5000)
    args = ap.parse_args()
    out = Path(args.out)
    done = out / ".complete"
    if not done.exists():
        out.mkdir(parents=True, exist_ok=True)
        base_dir = out / "base"
        base_dir.mkdir(exist_ok=True)
        base = next((p for p in base_dir.iterdir() if not p.name.startswith(".")), None)
        if base is None:
            print("gen: running the base Spark application", file=sys.stderr)
            base = run_base(base_dir)
        for name, size in (("big-100mb", 100 << 20), ("big-1gb", 1 << 30)):
            d = out / name
            d.mkdir(exist_ok=True)
            print(f"gen: {name}", file=sys.stderr)
            scale(base, size, d / "local-1700000099999")
        print(f"gen: {args.small_apps} small apps", file=sys.stderr)
        small_apps(base, args.small_apps, out / "small-apps")
        done.write_text("ok\n")
    print(json.dumps({"base": str(out / "base"), "big_100mb": str(out / "big-100mb"),
                      "big_1gb": str(out / "big-1gb"), "small_apps": str(out / "small-apps")}))


if __name__ == "__main__":
    main()

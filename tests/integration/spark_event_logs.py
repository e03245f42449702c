"""Produces real Spark event logs with pyspark, one log directory per variant.

A variant is a name and the Spark conf that shapes its event log (codec, rolling). Several
variants run in ONE JVM, one after the other (the SparkSession is stopped and a new one started
with the next conf), because each JVM start costs seconds. A variant with `in_progress=True`
runs in its own child process whose JVM is killed with SIGKILL after the workload, so its log is
left `.inprogress` exactly as a crashed driver leaves it.

    from spark_event_logs import generate, CODEC_VARIANTS
    logs = generate(tmp_path, CODEC_VARIANTS)        # {"zstd": Path(<dir holding the log>), ...}

The workload is one function taking a SparkSession; pass another one as `workload=` for a
richer run (it must be importable by module and name when in-progress variants are used).

Run as a script to generate by hand: python spark_event_logs.py OUT_DIR [variant ...]
"""
import importlib
import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Variant:
    name: str
    conf: dict = field(default_factory=dict)
    # Leave the log in progress: run in a child process and SIGKILL its JVM after the workload.
    in_progress: bool = False


def _codec(name, codec, rolling=False):
    # Spark 4 compresses and rolls by default: say both explicitly.
    conf = {"spark.eventLog.compress": "true" if codec else "false",
            "spark.eventLog.rolling.enabled": "true" if rolling else "false"}
    if codec:
        conf["spark.eventLog.compression.codec"] = codec
    if rolling:
        conf["spark.eventLog.rolling.maxFileSize"] = "10m"  # Spark's minimum
    return Variant(name, conf)


# Every format Spark writes: uncompressed and each codec, as single files and rolling dirs.
CODEC_VARIANTS = [
    _codec("plain", None),
    _codec("zstd", "zstd"),
    _codec("lz4", "lz4"),
    _codec("snappy", "snappy"),
    _codec("lzf", "lzf"),
    _codec("rolling-plain", None, rolling=True),
    _codec("rolling-zstd", "zstd", rolling=True),
    _codec("rolling-lz4", "lz4", rolling=True),
    _codec("rolling-snappy", "snappy", rolling=True),
    _codec("rolling-lzf", "lzf", rolling=True),
]


def basic_workload(spark):
    """A few SQL jobs with shuffles (jobs, stages, tasks, SQL executions in the log), all in
    the JVM: Python UDFs or RDD lambdas would start Python workers, which costs seconds."""
    df = spark.range(0, 5000, numPartitions=2)
    assert df.selectExpr("id % 7 AS k").groupBy("k").count().count() == 7
    assert df.repartition(3).selectExpr("sum(id)").collect()[0][0] == 5000 * 4999 // 2


def _base_conf(event_dir):
    return {
        "spark.master": "local[2]",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": "2",
        "spark.driver.memory": "512m",
        "spark.eventLog.enabled": "true",
        "spark.eventLog.dir": Path(event_dir).resolve().as_uri(),
    }


def _session(app_name, conf):
    from pyspark.sql import SparkSession
    b = SparkSession.builder.appName(app_name)
    for k, v in conf.items():
        b = b.config(k, v)
    return b.getOrCreate()


def _run_in_this_jvm(out_dir, variants, workload):
    for v in variants:
        event_dir = Path(out_dir) / v.name
        event_dir.mkdir(parents=True, exist_ok=True)
        spark = _session(f"sparkplane-{v.name}", {**_base_conf(event_dir), **v.conf})
        try:
            workload(spark)
        finally:
            spark.stop()


def _run_killed(out_dir, variant, workload):
    """Runs one variant in a child process that SIGKILLs its JVM after the workload."""
    spec = json.dumps({"out_dir": str(out_dir), "name": variant.name, "conf": variant.conf,
                       "workload": f"{workload.__module__}:{workload.__qualname__}"})
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(HERE)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    r = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", spec],
                       env=env, capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        raise RuntimeError(f"in-progress variant {variant.name} failed ({r.returncode}):\n"
                           f"{r.stdout[-4000:]}\n{r.stderr[-4000:]}")


def _child(spec_json):
    spec = json.loads(spec_json)
    module, _, name = spec["workload"].partition(":")
    workload = getattr(importlib.import_module(module), name)
    event_dir = Path(spec["out_dir"]) / spec["name"]
    event_dir.mkdir(parents=True, exist_ok=True)
    spark = _session(f"sparkplane-{spec['name']}", {**_base_conf(event_dir), **spec["conf"]})
    workload(spark)
    # Flush what Spark buffered (the event logger flushes on job end), then die like a crash.
    jvm_pid = int(spark.sparkContext._jvm.ProcessHandle.current().pid())
    os.kill(jvm_pid, signal.SIGKILL)
    os._exit(0)


def generate(out_dir, variants, workload=basic_workload):
    """Writes each variant's event log under out_dir/<variant name>/; returns {name: that dir}."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    normal = [v for v in variants if not v.in_progress]
    if normal:
        _run_in_this_jvm(out_dir, normal, workload)
    for v in variants:
        if v.in_progress:
            _run_killed(out_dir, v, workload)
    return {v.name: out_dir / v.name for v in variants}


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        _child(sys.argv[2])
    elif len(sys.argv) >= 2:
        wanted = set(sys.argv[2:])
        chosen = [v for v in CODEC_VARIANTS if not wanted or v.name in wanted]
        for name, path in generate(sys.argv[1], chosen).items():
            print(name, path)
    else:
        print(__doc__)
        sys.exit(2)

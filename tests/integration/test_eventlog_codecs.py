"""`sparkplane eventlog cat|ls` on event logs written by the real Spark (pyspark) in every format:
uncompressed and zstd, lz4, snappy, lzf, as single files and rolling directories. Each must
decode to valid JSON lines from SparkListenerLogStart to SparkListenerApplicationEnd, with the
same events as the uncompressed run of the same workload. All variants run in one JVM."""
import collections
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import BIN
from spark_event_logs import CODEC_VARIANTS, generate

VARIANTS = {v.name: v for v in CODEC_VARIANTS}
# Events of concurrent tasks, and SQL events posted from other threads, interleave differently
# from run to run; the scheduler's own job and stage events keep their order.
SCHEDULER_EVENTS = {"SparkListenerJobStart", "SparkListenerJobEnd", "SparkListenerStageSubmitted",
                    "SparkListenerStageCompleted"}


@pytest.fixture(scope="module")
def logs(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("spark-events"), CODEC_VARIANTS)


def the_log(directory):
    """The one event log (file or rolling directory) Spark wrote into `directory`."""
    entries = [p for p in Path(directory).iterdir() if not p.name.startswith(".")]
    assert len(entries) == 1, entries
    return entries[0]


def sparkplane(*args):
    return subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, timeout=120)


def events(path):
    r = sparkplane("eventlog", "cat", path)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    lines = r.stdout.splitlines()
    assert lines, f"no lines from {path}"
    return [json.loads(line)["Event"].rsplit(".", 1)[-1] for line in lines]


@pytest.mark.parametrize("name", list(VARIANTS))
def test_cat_decodes_every_format(logs, name):
    variant = VARIANTS[name]
    path = the_log(logs[name])
    conf = variant.conf
    codec = conf.get("spark.eventLog.compression.codec") \
        if conf["spark.eventLog.compress"] == "true" else None
    if conf["spark.eventLog.rolling.enabled"] == "true":
        assert path.is_dir() and path.name.startswith("eventlog_v2_local-")
        files = [p.name for p in path.iterdir() if p.name.startswith("events_")]
    else:
        assert path.is_file()
        files = [path.name]
    assert files
    for f in files:
        assert f.endswith("." + codec) if codec else "." not in f, f

    got = events(path)
    assert got[0] == "SparkListenerLogStart"
    assert got[-1] == "SparkListenerApplicationEnd"
    assert "SparkListenerApplicationStart" in got and "SparkListenerJobEnd" in got

    plain = events(the_log(logs["plain"]))
    assert [e for e in got if e in SCHEDULER_EVENTS] == [e for e in plain if e in SCHEDULER_EVENTS]
    assert collections.Counter(got) == collections.Counter(plain)


def test_ls_shows_codec_and_layout(logs):
    for name, variant in VARIANTS.items():
        r = sparkplane("eventlog", "ls", logs[name])
        assert r.returncode == 0, r.stderr
        header, row = r.stdout.splitlines()
        assert header.split() == ["KEY", "ROLLING", "CODEC", "IN-PROGRESS", "FILES", "SIZE"]
        key, rolling, codec, in_progress, files, size = row.split()
        conf = variant.conf
        want_codec = conf.get("spark.eventLog.compression.codec", "none") \
            if conf["spark.eventLog.compress"] == "true" else "none"
        assert codec == want_codec, row
        assert rolling == ("yes" if conf["spark.eventLog.rolling.enabled"] == "true" else "no")
        assert in_progress == "no" and int(files) >= 1 and int(size) > 0


def test_head_and_tail(logs):
    path = the_log(logs["zstd"])
    r = sparkplane("eventlog", "cat", "--head", 2, path)
    assert r.returncode == 0, r.stderr
    assert [json.loads(x)["Event"] for x in r.stdout.splitlines()][0] == "SparkListenerLogStart"
    assert len(r.stdout.splitlines()) == 2
    r = sparkplane("eventlog", "cat", "--tail-bytes", 2000, path)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout.splitlines()[-1])["Event"] == "SparkListenerApplicationEnd"


@pytest.mark.parametrize("name", ["lz4", "snappy", "zstd", "lzf"])
def test_truncated_log_prints_what_it_can_then_fails(logs, name, tmp_path):
    src = the_log(logs[name])
    data = src.read_bytes()
    cut = tmp_path / src.name
    cut.write_bytes(data[: len(data) * 2 // 3])
    r = sparkplane("eventlog", "cat", cut)
    assert r.returncode == 1
    assert len(r.stdout.splitlines()) > 5
    for line in r.stdout.splitlines():
        json.loads(line)
    errors = r.stderr.splitlines()
    assert len(errors) == 1 and errors[0].startswith("error: corrupt event log file ")
    assert str(cut) in errors[0] and "truncated" in errors[0]


def test_in_progress_copy_is_read_to_its_last_whole_line(logs, tmp_path):
    src = the_log(logs["snappy"])
    data = src.read_bytes()
    live = tmp_path / (src.name + ".inprogress")
    live.write_bytes(data[: len(data) // 2])  # a log still being written
    r = sparkplane("eventlog", "cat", live)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines and json.loads(lines[0])["Event"] == "SparkListenerLogStart"
    for line in lines:
        json.loads(line)
    r = sparkplane("eventlog", "ls", tmp_path)
    assert r.stdout.splitlines()[1].split()[3] == "yes"


def test_bad_paths_fail_with_one_line(tmp_path):
    r = sparkplane("eventlog", "cat", tmp_path / "missing")
    assert r.returncode == 3 and r.stderr.startswith("error: no such file or directory")
    (tmp_path / "plain-dir").mkdir()
    r = sparkplane("eventlog", "cat", tmp_path / "plain-dir")
    assert r.returncode == 2 and "not a rolling event log directory" in r.stderr
    (tmp_path / "app.gz").write_bytes(b"x")
    r = sparkplane("eventlog", "cat", tmp_path / "app.gz")
    assert r.returncode == 2 and "unknown compression codec 'gz'" in r.stderr
    assert len(r.stderr.splitlines()) == 1
    shutil.rmtree(tmp_path / "plain-dir")

"""Event logs in S3 (a real MinIO server): `sparkplane ship` uploads what Spark wrote into a
local directory, and `sparkplane history-server --log-dir s3://...` answers from the bucket
exactly as it answers from the directory; shipping survives MinIO restarting in the middle:
nothing lost, nothing duplicated, no in-progress marker left behind."""
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from history_servers import BIN, SparkplaneHistoryServer, app_endpoints, compare
from minio_server import MinioServer, require_minio

CONFORMANCE = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "spark-history"
BUCKET = "spark-logs"


@pytest.fixture(scope="module")
def minio():
    if not os.access(BIN, os.X_OK):
        pytest.skip(f"{BIN} is not built")
    require_minio()
    with MinioServer(buckets=[BUCKET]) as server:
        yield server


def s3_env(minio):
    env = minio.client_env()
    env["HOME"] = "/nonexistent"  # no ~/.aws of this machine
    return env


def ship_once(minio, src, to, state):
    return subprocess.run([BIN, "ship", "--from", str(src), "--to", to, "--once", "--state", str(state)],
                          env=s3_env(minio), capture_output=True, text=True, timeout=300)


def stored_keys(minio, prefix):
    return minio.stored_keys(BUCKET, prefix)


def test_history_server_over_s3_answers_as_from_a_local_directory(minio, tmp_path):
    local = tmp_path / "events"
    shutil.copytree(CONFORMANCE / "spark-events", local)
    first = ship_once(minio, local, f"s3://{BUCKET}/conformance", tmp_path / "state.json")
    assert first.returncode == 0, first.stderr
    again = ship_once(minio, local, f"s3://{BUCKET}/conformance", tmp_path / "state.json")
    assert again.returncode == 0 and "0 uploaded" in again.stderr, again.stderr  # nothing twice
    # Every local file but the hidden checksums, under the same keys.
    want = {p.relative_to(local).as_posix() for p in local.rglob("*")
            if p.is_file() and not p.name.startswith(".")}
    assert stored_keys(minio, "conformance/") == want

    s3 = SparkplaneHistoryServer(f"s3://{BUCKET}/conformance", tmp_path, env=s3_env(minio),
                                 log_name="s3.log")
    disk = SparkplaneHistoryServer(local, tmp_path, log_name="disk.log")
    try:
        ids = [p.name.removeprefix("eventlog_v2_").removesuffix(".inprogress")
               for p in local.iterdir() if not p.name.startswith(".")]
        listed = disk.wait_listed([i for i in ids if i.startswith(("app-", "local-1766"))])
        assert len(listed) >= 15
        s3.wait_listed([a["id"] for a in listed])
        checked = 0
        paths = ["applications", "applications?status=completed", "applications?status=running"]
        for a in listed:
            for attempt in a["attempts"]:
                app_path = f"applications/{a['id']}" + (f"/{attempt['attemptId']}" if "attemptId" in attempt else "")
                paths += app_endpoints(disk, app_path)
        for path in paths:
            s_status, s_body = s3.get(path)
            d_status, d_body = disk.get(path)
            assert s_status == d_status, f"{path}: HTTP {s_status} from S3, {d_status} from disk"
            if isinstance(d_body, (dict, list)):
                diff = compare(s_body, d_body)
                assert diff is None, f"{path}: {diff}"
            checked += 1
        assert checked > 200
    finally:
        s3.stop()
        disk.stop()


def test_shipping_survives_minio_restarting_midway(minio, tmp_path):
    """A rolling log written file by file while `ship` runs; MinIO is killed and started again
    in the middle. At the end the bucket holds exactly the local files, and the history server
    reads the app from it as completed, with the answers of the local directory."""
    source = (CONFORMANCE / "spark-events" / "eventlog_v2_local-1766844910796" /
              "events_1_local-1766844910796").read_text().splitlines(keepends=True)
    name = "local-1766844910796"
    local = tmp_path / "events"
    log_dir = local / f"eventlog_v2_{name}"
    log_dir.mkdir(parents=True)
    (log_dir / f"appstatus_{name}.inprogress").write_text("")
    parts = 5
    size = -(-len(source) // parts)
    chunks = [source[i:i + size] for i in range(0, len(source), size)]

    prefix = "restart"
    ship = subprocess.Popen([BIN, "ship", "--from", str(local), "--to", f"s3://{BUCKET}/{prefix}",
                             "--interval", "200ms", "--state", str(tmp_path / "state.json")],
                            env=s3_env(minio), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    try:
        for i, chunk in enumerate(chunks, start=1):
            (log_dir / f"events_{i}_{name}").write_text("".join(chunk))
            time.sleep(0.6)
            if i == 2:
                minio.stop(kill=True)  # a crash, while the next files arrive
            if i == 3:
                time.sleep(1.0)
                minio.start()
        (log_dir / f"appstatus_{name}.inprogress").rename(log_dir / f"appstatus_{name}")
        want = {f"eventlog_v2_{name}/events_{i}_{name}" for i in range(1, len(chunks) + 1)}
        want.add(f"eventlog_v2_{name}/appstatus_{name}")
        deadline = time.time() + 60
        while time.time() < deadline and stored_keys(minio, prefix + "/") != want:
            time.sleep(0.3)
        assert stored_keys(minio, prefix + "/") == want, ship.stdout.read() if ship.poll() else ""
    finally:
        os.killpg(ship.pid, signal.SIGTERM)
        out, _ = ship.communicate(timeout=60)
    assert ship.returncode == 0, out

    s3 = SparkplaneHistoryServer(f"s3://{BUCKET}/{prefix}", tmp_path, env=s3_env(minio), log_name="r-s3.log")
    disk = SparkplaneHistoryServer(local, tmp_path, log_name="r-disk.log")
    try:
        apps = s3.wait_listed([name])
        assert apps[0]["attempts"][0]["completed"] is True
        disk.wait_listed([name])
        for path in app_endpoints(disk, f"applications/{name}"):
            s_status, s_body = s3.get(path)
            d_status, d_body = disk.get(path)
            assert s_status == d_status, path
            if isinstance(d_body, (dict, list)):
                assert compare(s_body, d_body) is None, path
    finally:
        s3.stop()
        disk.stop()


def test_unchanged_logs_are_never_downloaded_again(minio, tmp_path):
    """Counted by MinIO itself: once every app has been listed and read, further scans and the
    same requests again fetch no object; a log that changes is fetched again, and only it."""
    local = tmp_path / "events"
    shutil.copytree(CONFORMANCE / "spark-events", local)
    prefix = "cached"
    assert ship_once(minio, local, f"s3://{BUCKET}/{prefix}", tmp_path / "state.json").returncode == 0
    s3 = SparkplaneHistoryServer(f"s3://{BUCKET}/{prefix}", tmp_path, env=s3_env(minio),
                                 log_name="cached.log")  # scans every second
    try:
        listed = s3.wait_listed(["local-1422981759269", "app-20161115172038-0000"])
        ids = [a["id"] for a in listed if "attemptId" not in a["attempts"][0]]

        def read_all():
            for i in ids:
                for path in (f"applications/{i}/jobs", f"applications/{i}/stages",
                             f"applications/{i}/executors"):
                    assert s3.get(path)[0] == 200, path

        read_all()
        gets = minio.requests("GetObject")
        lists = minio.requests("ListObjectsV2")
        assert gets >= len(ids)
        time.sleep(4)  # about four scans
        read_all()
        assert minio.requests("ListObjectsV2") > lists, "the server should still be scanning"
        assert minio.requests("GetObject") == gets, "an unchanged log was downloaded again"

        # One log changes (a line Spark's replay ignores): it alone is fetched again.
        changed = local / "local-1422981759269"
        with changed.open("a") as f:
            f.write('{"Event":"org.example.UnknownEvent"}\n')
        shipped = ship_once(minio, local, f"s3://{BUCKET}/{prefix}", tmp_path / "state.json")
        assert "1 uploaded" in shipped.stderr, shipped.stderr
        time.sleep(3)
        assert s3.get("applications/local-1422981759269/jobs")[0] == 200
        refetched = minio.requests("GetObject") - gets
        # Listing it and replaying it: each one GET of the whole (small) object.
        assert 1 <= refetched <= 2, f"{refetched} GETs for one changed log"
        read_all()
        assert minio.requests("GetObject") - gets == refetched, "only the changed log is fetched"
    finally:
        s3.stop()


def test_a_restart_with_a_store_path_downloads_nothing(minio, tmp_path):
    """--store-path keeps the listing between runs: a restarted server lists every app from it
    and the bucket's LIST, without a GET (counted by MinIO)."""
    local = tmp_path / "events"
    shutil.copytree(CONFORMANCE / "spark-events", local)
    prefix = "restart-store"
    assert ship_once(minio, local, f"s3://{BUCKET}/{prefix}", tmp_path / "state.json").returncode == 0
    args = ["--store-path", str(tmp_path / "store")]
    first = SparkplaneHistoryServer(f"s3://{BUCKET}/{prefix}", tmp_path, extra_args=args,
                                    env=s3_env(minio), log_name="store-1.log")
    try:
        apps = first.wait_listed(["local-1422981759269", "app-20161115172038-0000"])
        time.sleep(1.5)  # a scan after the one that found them all
    finally:
        first.stop()
    gets = minio.requests("GetObject")
    again = SparkplaneHistoryServer(f"s3://{BUCKET}/{prefix}", tmp_path, extra_args=args,
                                    env=s3_env(minio), log_name="store-2.log")
    try:
        relisted = again.wait_listed([a["id"] for a in apps])
        assert compare(relisted, apps) is None, compare(relisted, apps)
        time.sleep(2)
        assert minio.requests("GetObject") == gets, "a restart downloaded unchanged logs"
        # Replaying one still reads it, from the bucket.
        assert again.get("applications/local-1422981759269/jobs")[0] == 200
        assert minio.requests("GetObject") > gets
    finally:
        again.stop()


def test_a_bucket_in_another_region_says_which(tmp_path):
    """MinIO with its own region (as an AWS bucket has one): signing for another region is
    refused at start with the right region named; with it, the server runs."""
    if not os.access(BIN, os.X_OK):
        pytest.skip(f"{BIN} is not built")
    require_minio()
    with MinioServer(buckets=[BUCKET], region="eu-south-1") as far:
        env = far.client_env()
        env["HOME"] = "/nonexistent"
        for args in (["history-server", "--log-dir", f"s3://{BUCKET}/x", "--s3-region", "us-east-1",
                      "--listen", "127.0.0.1:0"],
                     ["ship", "--from", str(tmp_path), "--to", f"s3://{BUCKET}/x", "--once",
                      "--s3-region", "us-east-1"]):
            proc = subprocess.run([BIN, *args], env=env, capture_output=True, text=True, timeout=60)
            assert proc.returncode == 2, proc.stderr
            assert "in region eu-south-1, not us-east-1" in proc.stderr, proc.stderr
            assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        right = SparkplaneHistoryServer(f"s3://{BUCKET}/x", tmp_path, env=env, log_name="far.log")
        try:
            assert right.wait_listed([]) == []
        finally:
            right.stop()

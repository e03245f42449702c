"""End to end with event logs in S3: `sparkplane up --event-log-dir s3://spark-logs/events` runs a
real Spark application (pyspark, no Hadoop S3A); its log is shipped to a real MinIO while it
runs (the app is listed as in progress from the bucket) and when it ends (completed); then
`sparkplane history-server --log-dir s3://spark-logs/events` answers exactly as it does over the
local staging directory Spark wrote."""
import json
import os
import time
import urllib.request

import pytest

from conftest import REPO, Server, spark_app
from history_servers import BIN, SparkplaneHistoryServer, app_endpoints, compare
from minio_server import MinioServer, require_minio

BUCKET = "spark-logs"
PREFIX = "events/"


@pytest.fixture(scope="module")
def minio():
    if not os.access(BIN, os.X_OK):
        pytest.skip(f"{BIN} is not built")
    require_minio()
    with MinioServer(buckets=[BUCKET]) as server:
        yield server


def history_apps(server):
    with urllib.request.urlopen(server.url + "/api/v1/applications", timeout=10) as r:
        return json.loads(r.read())


def wait_for(what, predicate, timeout, on_fail):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"{what}: {on_fail()}")


def test_up_ships_a_real_spark_log_to_minio_and_serves_it_from_there(minio, tmp_path):
    up = Server(tmp_path / "state", extra_args=["--event-log-dir", f"s3://{BUCKET}/{PREFIX}"],
                env=minio.client_env()).start()
    try:
        doc = spark_app("slow", "pi.py")
        doc["spec"]["mainApplicationFile"] = str(REPO / "tests/integration/apps/slow.py")
        doc["spec"]["arguments"] = ["20"]
        up.apply(doc)

        # While it runs: its in-progress log is in the bucket, and `up` lists it as running.
        def listed_running():
            running = [a for a in history_apps(up) if not a["attempts"][0]["completed"]]
            return running and any(k.endswith(".inprogress")
                                   for k in minio.stored_keys(BUCKET, PREFIX))
        wait_for("the running app listed from the bucket", listed_running, 120,
                 lambda: f"{minio.stored_keys(BUCKET, PREFIX)} {history_apps(up)}\n{up.tail()}")

        r = up.wait_state("slow", "COMPLETED")
        assert r.returncode == 0, r.stdout + r.stderr + up.tail()
        app_id = up.get("slow")["status"]["sparkApplicationId"]

        # Once it ended: the final log, no in-progress copy left, listed as completed.
        staging = up.state_dir / "event-log-staging"
        local_files = {p.relative_to(staging).as_posix() for p in staging.rglob("*")
                       if p.is_file() and not p.name.startswith(".")}
        assert any(app_id in f and not f.endswith(".inprogress") for f in local_files), local_files
        wait_for("the final log in the bucket",
                 lambda: minio.stored_keys(BUCKET, PREFIX) == local_files, 60,
                 lambda: f"{minio.stored_keys(BUCKET, PREFIX)} != {local_files}\n{up.tail()}")
        wait_for("the app listed as completed",
                 lambda: any(a["id"] == app_id and a["attempts"][0]["completed"]
                             for a in history_apps(up)), 60, lambda: history_apps(up))
    finally:
        up.stop()

    s3 = SparkplaneHistoryServer(f"s3://{BUCKET}/{PREFIX}", tmp_path, env=minio.client_env(),
                                 log_name="s3.log")
    disk = SparkplaneHistoryServer(staging, tmp_path, log_name="disk.log")
    try:
        s3.wait_listed([app_id])
        disk.wait_listed([app_id])
        paths = ["applications"] + app_endpoints(disk, f"applications/{app_id}")
        assert len(paths) > 10, paths
        for path in paths:
            s_status, s_body = s3.get(path)
            d_status, d_body = disk.get(path)
            assert s_status == d_status, f"{path}: HTTP {s_status} from S3, {d_status} from disk"
            if isinstance(d_body, (dict, list)):
                assert compare(s_body, d_body) is None, f"{path}: {compare(s_body, d_body)}"
        status, jobs = s3.get(f"applications/{app_id}/jobs")
        assert status == 200 and jobs and jobs[0]["status"] == "SUCCEEDED", jobs
    finally:
        s3.stop()
        disk.stop()


def test_up_refuses_an_unreachable_bucket_at_start(minio, tmp_path):
    env = minio.client_env()
    env["AWS_SECRET_ACCESS_KEY"] = "wrong-secret-123"
    up = Server(tmp_path / "state", extra_args=["--event-log-dir", f"s3://{BUCKET}/{PREFIX}"],
                env=env)
    up.start(wait=False)
    assert up.proc.wait(timeout=60) == 2, up.tail()
    out = up.tail()
    assert "--event-log-dir s3://" in out and "wrong-secret-123" not in out, out

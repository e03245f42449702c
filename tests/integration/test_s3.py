"""The S3 client and store (src/storage) against a real MinIO server.

The cases are the S3Live GoogleTest suite of `unit_tests` (tests/unit/storage/live_s3_test.cc),
run here with the server's endpoint and credentials in the environment (AWS_ENDPOINT_URL_S3,
AWS_ACCESS_KEY_ID, ...) and SPARKPLANE_TEST_S3=1; without them the suite skips, so it costs
nothing in a plain ctest run. `unit_tests` is found next to $SPARKPLANE_BIN.
"""
import os
import re
import subprocess
from pathlib import Path

import pytest

from minio_server import MinioServer, require_minio

REPO = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("SPARKPLANE_BIN", str(REPO / "build-asan" / "sparkplane")))
UNIT_TESTS = BIN.parent / "unit_tests"


@pytest.fixture(scope="module")
def minio():
    if not UNIT_TESTS.exists():
        pytest.skip(f"{UNIT_TESTS} is not built")
    require_minio()
    with MinioServer() as server:
        yield server


def test_live_s3_suite(minio):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(minio.env, SPARKPLANE_TEST_S3="1")
    proc = subprocess.run([str(UNIT_TESTS), "--gtest_filter=S3Live.*", "--gtest_color=no"],
                          env=env, capture_output=True, text=True, timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"S3Live failed:\n{out[-6000:]}\nMinIO log:\n{minio.log()[-2000:]}"
    passed = re.search(r"\[  PASSED  \] (\d+) tests?\.", out)
    assert passed and int(passed.group(1)) >= 6, out[-3000:]
    assert "[  SKIPPED ]" not in out, out[-3000:]


def test_minio_restart_keeps_data_port_and_credentials(minio):
    endpoint, key = minio.endpoint, minio.env["AWS_ACCESS_KEY_ID"]
    minio.restart(kill=True)
    assert minio.endpoint == endpoint and minio.env["AWS_ACCESS_KEY_ID"] == key

"""The Kubernetes client library (src/runtime/kube) against a real kube-apiserver.

The cases are the KubeLive* GoogleTest suites of `unit_tests` (tests/unit/kube/live_*_test.cc),
run here against a test cluster: SPARKPLANE_TEST_KUBECONFIG names its admin kubeconfig and
SPARKPLANE_TEST_KUBE_DIR its directory, so that the informer test can restart kube-apiserver
(scripts/cluster/restart-apiserver.sh) in the middle. Without those variables the suites skip,
so they cost nothing in a plain ctest run. `unit_tests` is found next to $SPARKPLANE_BIN.
"""
import os
import re
import subprocess
from pathlib import Path

import pytest

from kube_cluster import KubeCluster, require_binaries

REPO = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("SPARKPLANE_BIN", str(REPO / "build-asan" / "sparkplane")))
UNIT_TESTS = BIN.parent / "unit_tests"

SUITES = [
    "KubeLiveClient",
    "KubeLiveAuth",
    "KubeLiveWatch",
    "KubeLiveInformer",
    "KubeLiveLeaderElection",
    "KubeLiveEvents",
]


@pytest.fixture(scope="module")
def kube():
    if not UNIT_TESTS.exists():
        pytest.skip(f"{UNIT_TESTS} is not built")
    require_binaries()
    cluster = KubeCluster(nodes=1).start()
    try:
        yield cluster
    finally:
        cluster.stop()


def run_suite(kube, suite, timeout=600):
    env = dict(os.environ,
               SPARKPLANE_TEST_KUBECONFIG=str(kube.kubeconfig),
               SPARKPLANE_TEST_KUBE_DIR=str(kube.dir))
    proc = subprocess.run([str(UNIT_TESTS), f"--gtest_filter={suite}.*", "--gtest_color=no"],
                          env=env, capture_output=True, text=True, timeout=timeout)
    return proc.returncode, proc.stdout + proc.stderr


def test_every_live_suite_is_listed_here():
    if not UNIT_TESTS.exists():
        pytest.skip(f"{UNIT_TESTS} is not built")
    out = subprocess.run([str(UNIT_TESTS), "--gtest_list_tests", "--gtest_filter=KubeLive*"],
                         capture_output=True, text=True, check=True).stdout
    found = {line[:-1] for line in out.splitlines() if line.endswith(".") and not line.startswith(" ")}
    assert found == set(SUITES)


@pytest.mark.parametrize("suite", SUITES)
def test_live_suite(kube, suite):
    rc, out = run_suite(kube, suite)
    assert rc == 0, f"{suite} failed:\n{out[-6000:]}"
    passed = re.search(r"\[  PASSED  \] (\d+) tests?\.", out)
    assert passed and int(passed.group(1)) > 0, out[-3000:]
    assert "[  SKIPPED ]" not in out, f"{suite} skipped cases against a live cluster:\n{out[-3000:]}"


def test_api_server_answers_after_the_suites(kube):
    # The restart in KubeLiveInformer left a working API server behind.
    assert kube.api("GET", "/readyz") == "ok"

"""Spark's own History Server answers (../shared/conformance/spark-history) against
`sparkplane history-server` over HTTP: every row of cases.tsv, compared as that folder's
README says. The unit conformance test checks the model; this one the whole server: log
discovery, listing from partial reads, routing and HTTP status codes."""
import csv
import json
import shutil
from pathlib import Path

import pytest

from history_servers import SparkplaneHistoryServer, compare

CONFORMANCE = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "spark-history"

pytestmark = pytest.mark.skipif(not CONFORMANCE.is_dir(), reason=f"no {CONFORMANCE}")


def cases():
    if not CONFORMANCE.is_dir():
        return []
    with open(CONFORMANCE / "cases.tsv") as f:
        return [r for r in csv.DictReader(f, delimiter="\t")]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    work = tmp_path_factory.mktemp("conformance")
    logs = work / "spark-events"
    shutil.copytree(CONFORMANCE / "spark-events", logs)
    s = SparkplaneHistoryServer(logs, work)
    try:
        s.wait_listed(["local-1422981780767", "local-1766844910796"])
        yield s
    finally:
        s.stop()


@pytest.mark.parametrize("case", cases(), ids=lambda c: c["name"])
def test_answer_matches_spark(server, case):
    status, ours = server.get(case["url"])
    assert status == 200, f"{case['url']}: HTTP {status}: {ours!r:.300}"
    expected = json.loads((CONFORMANCE / "expectations" / case["expectation"]).read_text())
    diff = compare(ours, expected)
    assert diff is None, f"{case['url']}: {diff}"


# Statuses as Spark 4.1.1's History Server answers them on the same logs (a bad enum value in
# a query parameter is a 404 there, from JAX-RS, not a 400; a negative limit is no error).
@pytest.mark.parametrize("path,status", [
    ("applications/no-such-app/jobs", 404),
    ("applications/local-1422981780767/jobs/999", 404),
    ("applications/local-1422981780767/stages/999", 404),
    ("applications/local-1422981780767/stages/1/7", 404),
    ("applications/local-1422981780767/jobs?status=bogus", 404),
    ("applications/local-1430917381534/stages/0/0/taskList?sortBy=nonsense", 404),
    ("applications?status=bogus", 404),
    ("applications?minDate=yesterday", 400),
    ("applications?limit=-1", 200),
    ("applications/local-1422981780767/executors/zzz", 404),
    ("applications/local-1422981780767/storage/rdd/77", 404),
    ("applications/local-1422981780767/1", 404),
    ("applications/local-1426533911241/1", 200),
    ("applications/local-1426533911241/jobs", 404),
    ("applications/..%2F..%2Fetc%2Fpasswd/jobs", 404),
    ("applications/local-1426533911241/9/jobs", 404),
])
def test_errors_as_spark_answers_them(server, path, status):
    got, _ = server.get(path)
    assert got == status, path


def test_version(server):
    status, body = server.get("version")
    assert status == 200 and isinstance(body, dict) and body.get("spark")


def test_broken_logs_are_listed_not_fatal(tmp_path):
    logs = tmp_path / "logs"
    for d in (CONFORMANCE / "spark-events-broken").iterdir():
        shutil.copytree(d, logs / d.name)
    s = SparkplaneHistoryServer(logs / "last-attempt-incomplete", tmp_path)
    try:
        apps = s.wait_listed(["application_1656321732247_0006"])
        attempts = next(a for a in apps if a["id"] == "application_1656321732247_0006")["attempts"]
        assert len(attempts) == 2
        assert s.proc.poll() is None
    finally:
        s.stop()

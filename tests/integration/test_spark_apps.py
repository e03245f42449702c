"""Real Spark applications through the whole path: apply, SUBMITTED, RUNNING, COMPLETED, event
log; a failing one through its retries to FAILED; a scheduled one through two runs."""
import json
import time
import urllib.request
from pathlib import Path

from conftest import REPO, spark_app


def test_spark_pi_runs_to_completed(server):
    server.apply(spark_app("pi", "pi.py", ["2"]))
    r = server.wait_state("pi", "COMPLETED")
    assert r.returncode == 0, r.stdout + r.stderr + server.tail()
    app = server.get("pi")
    st = app["status"]
    assert st["applicationState"]["state"] == "COMPLETED"
    assert st["executionAttempts"] == 1 and st["submissionAttempts"] == 1
    assert st["sparkApplicationId"].startswith("local-")
    assert st["terminationTime"] >= st["lastSubmissionAttemptTime"]
    # the states went by in order
    events = server.cli("describe", "sparkapp", "pi").stdout
    for reason in ["SparkApplicationSubmitted", "SparkDriverRunning",
                   "SparkDriverCompleted", "SparkApplicationCompleted"]:
        assert reason in events, events
    assert "SparkApplicationAdded" not in events, events  # as the Kubeflow operator (v2)
    # the event log is where the runtime put it
    logs = list((server.state_dir / "spark-events").glob(f"*{st['sparkApplicationId']}*"))
    assert logs, list((server.state_dir / "spark-events").iterdir())
    out = server.cli("logs", "pi", "--stdout").stdout
    assert "Pi is roughly 3.1" in out
    with urllib.request.urlopen(server.url + "/metrics", timeout=5) as r:
        metrics = r.read().decode()
    for line in ["spark_application_count 1", "spark_application_submit_count 1",
                 "spark_application_success_count 1", "spark_application_running_count 0",
                 "spark_application_start_latency_seconds_count 1"]:
        assert line in metrics, metrics


def test_failing_app_is_retried_then_failed(server):
    restart = {"type": "OnFailure", "onFailureRetries": 1, "onFailureRetryInterval": 1}
    server.apply(spark_app("fails", "fail.py", ["3"], restart=restart))
    r = server.wait_state("fails", "COMPLETED")
    assert r.returncode == 1
    st = server.get("fails")["status"]
    assert st["applicationState"]["state"] == "FAILED"
    assert st["executionAttempts"] == 2
    assert "exited with code 3" in st["applicationState"]["errorMessage"]
    # both attempts kept their logs
    for attempt in ("1", "2"):
        out = server.cli("logs", "fails", "--attempt", attempt, "--stdout").stdout
        assert "failing on purpose" in out


def test_scheduled_app_runs_twice(server):
    template = spark_app("x", "pi.py", ["1"])["spec"]
    server.apply({
        "apiVersion": "sparkoperator.k8s.io/v1beta2", "kind": "ScheduledSparkApplication",
        "metadata": {"name": "every", "namespace": "default"},
        "spec": {"schedule": "@every 20s", "concurrencyPolicy": "Forbid",
                 "successfulRunHistoryLimit": 2, "template": template}})
    deadline = time.time() + 300
    st = {}
    while time.time() < deadline:
        st = server.get("every", kind="scheduledsparkapp").get("status", {})
        if len(st.get("pastSuccessfulRunNames", [])) >= 2:
            break
        time.sleep(2)
    assert st.get("scheduleState") == "Scheduled", st
    assert len(st.get("pastSuccessfulRunNames", [])) == 2, st
    for run in st["pastSuccessfulRunNames"]:
        assert server.get(run)["status"]["applicationState"]["state"] == "COMPLETED"
    # deleting the schedule deletes its runs
    server.cli("delete", "scheduledsparkapp", "every")
    deadline = time.time() + 30
    while time.time() < deadline and json.loads(
            server.cli("get", "sparkapp", "-o", "json").stdout).get("items"):
        time.sleep(0.5)
    assert not json.loads(server.cli("get", "sparkapp", "-o", "json").stdout).get("items")


def test_wordcount_example_runs_from_the_repository(server):
    # The example manifest as shipped; its paths are relative to where `up` runs (the repo).
    server.cli("apply", "-f", "examples/wordcount.yaml")
    r = server.wait_state("wordcount", "COMPLETED")
    assert r.returncode == 0, r.stderr + server.tail()
    out = server.cli("logs", "wordcount", "--stdout").stdout
    assert "runs\t3" in out, out


def test_deleting_a_running_app_kills_its_process_group(server):
    doc = spark_app("doomed", "pi.py")
    doc["spec"]["mainApplicationFile"] = str(REPO / "tests/integration/apps/slow.py")
    doc["spec"]["arguments"] = ["120"]
    server.apply(doc)
    deadline = time.time() + 120
    while server.get("doomed").get("status", {}).get("applicationState", {}).get("state") \
            != "RUNNING":
        assert time.time() < deadline, server.tail()
        time.sleep(0.2)
    attempt = next((server.state_dir / "drivers" / "default" / "doomed").iterdir())
    group = int((attempt / "pid").read_text().split()[0])
    assert members(group), "the driver's process group should be running"
    server.cli("delete", "sparkapp", "doomed", "--wait", "--timeout", "60s")
    assert server.cli("get", "sparkapp", "doomed", check=False).returncode == 3
    assert not members(group), members(group)


def members(pgid):
    """Live (not zombie) processes of a process group."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            out.append(stat.parent.name)
    return out

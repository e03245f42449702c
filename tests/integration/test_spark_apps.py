"""Real Spark applications through the whole path: apply, SUBMITTED, RUNNING, COMPLETED, event
log; a failing one through its retries to FAILED; a scheduled one through two runs."""
import json
import time

from conftest import REPO, spark_app


def states_seen(stderr):
    return [line.split()[0] for line in stderr.splitlines() if line and line.split()[0].isupper()]


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
    for reason in ["SparkApplicationAdded", "SparkApplicationSubmitted", "SparkDriverRunning",
                   "SparkDriverCompleted", "SparkApplicationCompleted"]:
        assert reason in events, events
    # the event log is where the runtime put it
    logs = list((server.state_dir / "spark-events").glob(f"*{st['sparkApplicationId']}*"))
    assert logs, list((server.state_dir / "spark-events").iterdir())
    out = server.cli("logs", "pi", "--stdout").stdout
    assert "Pi is roughly 3.1" in out
    metrics = server.cli("get", "--raw", "/metrics", check=False)
    if metrics.returncode == 0:
        assert "spark_application_success_count 1" in metrics.stdout


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

"""`sparkplane up` killed while apps run or while it writes: nothing is lost, the store stays
intact, running drivers are re-attached, lost ones are failed and retried per their policy."""
import json
import os
import signal
import threading
import time

from conftest import REPO, Server, spark_app


def slow_app(name, seconds, restart=None):
    doc = spark_app(name, "pi.py", restart=restart)
    doc["spec"]["mainApplicationFile"] = str(REPO / "tests/integration/apps/slow.py")
    doc["spec"]["arguments"] = [str(seconds)]
    return doc


def state_of(server, name):
    """The app's applicationState.state; "" before the controller has written a status."""
    return server.get(name).get("status", {}).get("applicationState", {}).get("state", "")


def wait_for(pred, timeout=120, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_kill9_while_running_reattaches_the_driver(tmp_path):
    s = Server(tmp_path / "state").start()
    s.apply(slow_app("slow", 15))
    wait_for(lambda: state_of(s, "slow") == "RUNNING", what="RUNNING")
    sid = s.get("slow")["status"]["submissionID"]
    s.kill9()
    s2 = Server(tmp_path / "state", port=s.port).start()
    try:
        r = s2.wait_state("slow", "COMPLETED")
        assert r.returncode == 0, r.stderr + s2.tail()
        st = s2.get("slow")["status"]
        assert st["submissionID"] == sid and st["executionAttempts"] == 1  # the same run
        assert "slow app done" in s2.cli("logs", "slow", "--stdout").stdout
    finally:
        s2.stop()


def test_driver_lost_while_down_is_retried(tmp_path):
    s = Server(tmp_path / "state").start()
    restart = {"type": "OnFailure", "onFailureRetries": 1, "onFailureRetryInterval": 1}
    s.apply(slow_app("lost", 8, restart=restart))
    wait_for(lambda: state_of(s, "lost") == "RUNNING", what="RUNNING")
    s.kill9()
    # the driver dies while sparkplane is down, with no one to record how
    attempt = next((tmp_path / "state" / "drivers" / "default" / "lost").iterdir())
    shim = int((attempt / "pid").read_text().split()[0])
    os.killpg(shim, signal.SIGKILL)
    time.sleep(1)
    s2 = Server(tmp_path / "state", port=s.port).start()
    try:
        r = s2.wait_state("lost", "COMPLETED")
        assert r.returncode == 0, r.stderr + s2.tail()
        st = s2.get("lost")["status"]
        assert st["executionAttempts"] == 2
        events = s2.cli("describe", "sparkapp", "lost").stdout
        assert "SparkApplicationPendingRerun" in events
    finally:
        s2.stop()


def test_kill9_during_writes_loses_nothing_acknowledged(tmp_path):
    s = Server(tmp_path / "state").start()
    acked = []
    stop = threading.Event()

    def writer():
        i = 0
        while not stop.is_set():
            name = f"w-{i}"
            r = s.cli("apply", "-f", "-", input=json.dumps(
                spark_app(name, "pi.py", extra_spec={"suspend": True})), check=False)
            if r.returncode == 0:
                acked.append(name)
            i += 1

    t = threading.Thread(target=writer)
    t.start()
    wait_for(lambda: len(acked) >= 20, what="20 writes")
    s.kill9()
    stop.set()
    t.join()
    s2 = Server(tmp_path / "state", port=s.port).start()  # opens only if the db checks out
    try:
        names = {a["metadata"]["name"]
                 for a in json.loads(s2.cli("get", "sparkapp", "-o", "json").stdout)["items"]}
        missing = [n for n in acked if n not in names]
        assert not missing, missing
        wait_for(lambda: all(a.get("status", {}).get("applicationState", {}).get("state")
                             == "SUSPENDED" for a in json.loads(
                                 s2.cli("get", "sparkapp", "-o", "json").stdout)["items"]),
                 what="every app SUSPENDED")
    finally:
        s2.stop()

"""The job and stage pages in a real browser: tests/browser/stage_ui.cjs drives Debian's
chromium (as test_browser_ui.py does) against `sparkplane history-server` over the conformance
logs plus a generated app with one stage of 100,000 tasks: the page shows it by asking the server
for one page of tasks at a time, never all of them, and pages to its end. Screenshots are kept in test-artifacts/browser/."""
import json
import shutil

from history_servers import SparkplaneHistoryServer
from test_browser_ui import ARTIFACTS, CONFORMANCE, browser_env, run_browser_script

BIG_APP = "local-1888888888888"
BIG_TASKS = 100_000


def big_stage_log():
    """Spark listener events (JSON lines) of an app with one job of one stage of BIG_TASKS tasks
    (about 90 MB)."""
    t0 = 1766844910000
    stage = {"Stage ID": 0, "Stage Attempt ID": 0, "Stage Name": "count at big.py:1",
             "Number of Tasks": BIG_TASKS, "RDD Info": [], "Parent IDs": [], "Details": "",
             "Accumulables": []}
    events = [
        {"Event": "SparkListenerLogStart", "Spark Version": "3.5.1"},
        {"Event": "SparkListenerApplicationStart", "App Name": "big stage", "App ID": BIG_APP,
         "Timestamp": t0, "User": "spark"},
        {"Event": "SparkListenerJobStart", "Job ID": 0, "Submission Time": t0 + 100,
         "Stage Infos": [stage], "Stage IDs": [0], "Properties": {}},
        {"Event": "SparkListenerStageSubmitted",
         "Stage Info": dict(stage, **{"Submission Time": t0 + 100}), "Properties": {}},
    ]
    for i in range(BIG_TASKS):
        info = {"Task ID": i, "Index": i, "Attempt": 0, "Launch Time": t0 + 200 + i,
                "Executor ID": "driver", "Host": "localhost", "Locality": "PROCESS_LOCAL",
                "Speculative": False, "Getting Result Time": 0, "Finish Time": 0,
                "Failed": False, "Killed": False, "Accumulables": []}
        events.append({"Event": "SparkListenerTaskStart", "Stage ID": 0,
                       "Stage Attempt ID": 0, "Task Info": info})
        run = 10 + (i * 37) % 200
        events.append({
            "Event": "SparkListenerTaskEnd", "Stage ID": 0, "Stage Attempt ID": 0,
            "Task Type": "ResultTask", "Task End Reason": {"Reason": "Success"},
            "Task Info": dict(info, **{"Finish Time": t0 + 220 + i + run}),
            "Task Metrics": {"Executor Deserialize Time": 1, "Executor Run Time": run,
                             "Result Size": 1000, "JVM GC Time": i % 3,
                             "Result Serialization Time": 0, "Memory Bytes Spilled": 0,
                             "Disk Bytes Spilled": 0,
                             "Input Metrics": {"Bytes Read": 1000 + i, "Records Read": 10}}})
    end = t0 + 1000
    events += [
        {"Event": "SparkListenerStageCompleted",
         "Stage Info": dict(stage, **{"Submission Time": t0 + 100, "Completion Time": end})},
        {"Event": "SparkListenerJobEnd", "Job ID": 0, "Completion Time": end,
         "Job Result": {"Result": "JobSucceeded"}},
        {"Event": "SparkListenerApplicationEnd", "Timestamp": end + 10},
    ]
    return "".join(json.dumps(e, separators=(",", ":")) + "\n" for e in events)


def test_job_and_stage_pages_in_a_real_browser(tmp_path):
    env = browser_env()
    logs = tmp_path / "events"
    shutil.copytree(CONFORMANCE, logs)
    (logs / BIG_APP).write_text(big_stage_log())
    server = SparkplaneHistoryServer(logs, tmp_path)
    try:
        server.wait_listed(["local-1430917381534", "local-1422981780767", BIG_APP])
        run_browser_script("stage_ui.cjs", env, server.base.removesuffix("api/v1/"),
                           BIG_APP=BIG_APP, BIG_TASKS=BIG_TASKS)
    finally:
        server.stop()
    for shot in ("job", "stage", "stage_failed_task", "stage_big"):
        assert (ARTIFACTS / f"{shot}.png").stat().st_size > 1000, shot

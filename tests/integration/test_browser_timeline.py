"""An application's Timeline tab in a real browser: tests/browser/timeline_ui.cjs drives
Debian's chromium (headless, through playwright-core installed by scripts/browser/install.sh)
against `sparkplane history-server` over the conformance logs: bars per job, stage and
executor, the time axis, tooltips, keyboard, and the charts. Screenshots are kept in
test-artifacts/browser/timeline_*.png."""
import shutil

from history_servers import SparkplaneHistoryServer
from test_browser_ui import ARTIFACTS, CONFORMANCE, browser_env, run_browser_script


def test_timeline_in_a_real_browser(tmp_path):
    env = browser_env()
    logs = tmp_path / "events"
    shutil.copytree(CONFORMANCE, logs)
    server = SparkplaneHistoryServer(logs, tmp_path)
    try:
        server.wait_listed(["local-1642039451826", "application_1628109047826_1317105"])
        run_browser_script("timeline_ui.cjs", env, server.base.removesuffix("api/v1/"))
    finally:
        server.stop()
    for shot in ("timeline_executors", "timeline_jobs", "timeline_job_opened"):
        assert (ARTIFACTS / f"{shot}.png").stat().st_size > 1000, shot

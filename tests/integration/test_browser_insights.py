"""The pages beyond Spark's UI in a real browser: tests/browser/insights_ui.cjs drives Debian's
chromium (as test_browser_ui.py does) against `sparkplane history-server` over the conformance
logs: an app's Summary tab (findings with their numbers and links; a clean app says nothing
stands out) and Compare (two attempts, two apps; entry from the list and from the app page).
Screenshots are kept in test-artifacts/browser/."""
import shutil

from history_servers import SparkplaneHistoryServer
from test_browser_ui import ARTIFACTS, CONFORMANCE, browser_env, run_browser_script


def test_summary_and_compare_in_a_real_browser(tmp_path):
    env = browser_env()
    logs = tmp_path / "events"
    shutil.copytree(CONFORMANCE, logs)
    server = SparkplaneHistoryServer(logs, tmp_path)
    try:
        server.wait_listed(["local-1430917381534", "local-1422981780767", "local-1422981759269",
                            "local-1426533911241"])
        run_browser_script("insights_ui.cjs", env, server.base.removesuffix("api/v1/"))
    finally:
        server.stop()
    for shot in ("insights_summary_failed", "insights_summary_clean", "insights_compare_attempts",
                 "insights_compare_apps"):
        assert (ARTIFACTS / f"{shot}.png").stat().st_size > 1000, shot

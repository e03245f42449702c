"""An application's Environment, Storage and SQL tabs in a real browser:
tests/browser/app_tabs_ui.cjs drives Debian's chromium (headless, through playwright-core
installed by scripts/browser/install.sh) against `sparkplane history-server` over the
conformance logs. Screenshots are kept in test-artifacts/browser/tab_*.png."""
import shutil

from history_servers import SparkplaneHistoryServer
from test_browser_ui import ARTIFACTS, CONFORMANCE, browser_env, run_browser_script


def test_app_tabs_in_a_real_browser(tmp_path):
    env = browser_env()
    logs = tmp_path / "events"
    shutil.copytree(CONFORMANCE, logs)
    server = SparkplaneHistoryServer(logs, tmp_path)
    try:
        server.wait_listed(["app-20200706201101-0003"])
        run_browser_script("app_tabs_ui.cjs", env, server.base.removesuffix("api/v1/"))
    finally:
        server.stop()
    for shot in ("tab_environment", "tab_storage", "tab_sql", "tab_sql_execution"):
        assert (ARTIFACTS / f"{shot}.png").stat().st_size > 1000, shot

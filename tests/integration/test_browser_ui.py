"""The web UI in a real browser: tests/browser/history_ui.cjs drives Debian's chromium
(headless, through playwright-core installed by scripts/browser/install.sh, no browser
download) against `sparkplane history-server` over the conformance logs. Screenshots are kept
in test-artifacts/browser/."""
import os
import shlex
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from history_servers import BIN, SparkplaneHistoryServer

REPO = Path(__file__).resolve().parents[2]
CONFORMANCE = REPO.parent / "shared" / "conformance" / "spark-history" / "spark-events"
ARTIFACTS = REPO / "test-artifacts" / "browser"


def browser_env():
    if not os.access(BIN, os.X_OK):
        pytest.skip(f"{BIN} is not built")
    install = REPO / "scripts" / "browser" / "install.sh"
    proc = subprocess.run([str(install)], capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        pytest.fail(f"scripts/browser/install.sh failed: {proc.stderr}")
    paths = subprocess.run([str(install), "--paths"], check=True, capture_output=True, text=True)
    env = dict(os.environ)
    for line in paths.stdout.splitlines():
        key, _, value = line.partition("=")
        env[key] = shlex.split(value)[0]
    return env


def test_history_pages_in_a_real_browser(tmp_path):
    env = browser_env()
    logs = tmp_path / "events"
    shutil.copytree(CONFORMANCE, logs)
    # One app still running: its log has no end yet.
    (logs / "local-1999999999999.inprogress").write_text(
        '{"Event":"SparkListenerLogStart","Spark Version":"4.1.1"}\n'
        '{"Event":"SparkListenerApplicationStart","App Name":"still running",'
        '"App ID":"local-1999999999999","Timestamp":1766844910796,"User":"spark"}\n')
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    server = SparkplaneHistoryServer(logs, tmp_path)
    try:
        server.wait_listed(["local-1430917381534", "local-1999999999999"])
        env.update(BASE_URL=server.base.removesuffix("api/v1/"), SCREENSHOTS=str(ARTIFACTS))
        proc = subprocess.run(["node", str(REPO / "tests" / "browser" / "history_ui.cjs")],
                              env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "FAIL" not in proc.stdout
    finally:
        server.stop()
    for shot in ("applications", "jobs", "stages", "executors"):
        assert (ARTIFACTS / f"{shot}.png").stat().st_size > 1000, shot


def test_ui_files_are_served_with_a_strict_policy(tmp_path):
    if not os.access(BIN, os.X_OK):
        pytest.skip(f"{BIN} is not built")
    (tmp_path / "events").mkdir()
    server = SparkplaneHistoryServer(tmp_path / "events", tmp_path)
    base = server.base.removesuffix("api/v1/")
    try:
        server.wait_listed([])
        with urllib.request.urlopen(base) as r:
            page, headers = r.read().decode(), r.headers
        assert "static/app.js" in page
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "default-src 'none'" in csp
        assert "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        with urllib.request.urlopen(base + "static/app.js") as r:
            assert r.headers["Content-Type"].startswith("text/javascript")
            etag = r.headers["ETag"]
        req = urllib.request.Request(base + "static/app.js", headers={"If-None-Match": etag})
        try:
            urllib.request.urlopen(req)
            raise AssertionError("an unchanged file should answer 304")
        except urllib.error.HTTPError as e:
            assert e.code == 304
        for path in ("static/nope.js", "static/..%2Fetc%2Fpasswd", "static/index.html"):
            try:
                urllib.request.urlopen(base + path)
                raise AssertionError(f"{path} should be 404")
            except urllib.error.HTTPError as e:
                assert e.code == 404, path
    finally:
        server.stop()

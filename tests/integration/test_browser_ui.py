"""The web UI in a real browser: tests/browser/history_ui.cjs drives Debian's chromium
(headless, through playwright-core installed by scripts/browser/install.sh, no browser
download) against `sparkplane history-server` over the conformance logs. Screenshots are kept
in test-artifacts/browser/."""
import http.client
import os
import shlex
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from history_servers import BIN, SparkplaneHistoryServer
from path_proxy import PathProxy

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


def conformance_with_a_running_app(tmp_path):
    logs = tmp_path / "events"
    shutil.copytree(CONFORMANCE, logs)
    # One app still running: its log has no end yet.
    (logs / "local-1999999999999.inprogress").write_text(
        '{"Event":"SparkListenerLogStart","Spark Version":"4.1.1"}\n'
        '{"Event":"SparkListenerApplicationStart","App Name":"still running",'
        '"App ID":"local-1999999999999","Timestamp":1766844910796,"User":"spark"}\n')
    return logs


def run_browser_script(script, env, base_url, shots=ARTIFACTS, context=None, **variables):
    """Runs tests/browser/<script> (see tests/browser/harness.cjs) against base_url with the
    given variables in its environment; fails with its output (and what `context()` gives, e.g.
    a server's log) unless every check passed."""
    shots.mkdir(parents=True, exist_ok=True)
    env = dict(env, BASE_URL=base_url, SCREENSHOTS=str(shots),
               **{k: str(v) for k, v in variables.items()})
    proc = subprocess.run(["node", str(REPO / "tests" / "browser" / script)], env=env,
                          capture_output=True, text=True, timeout=400)
    assert proc.returncode == 0, proc.stdout + proc.stderr + (context() if context else "")
    assert "FAIL" not in proc.stdout


def run_history_ui(env, base_url, shots):
    run_browser_script("history_ui.cjs", env, base_url, shots)
    for shot in ("applications", "jobs", "stages", "executors"):
        assert (shots / f"{shot}.png").stat().st_size > 1000, shot


def test_history_pages_in_a_real_browser(tmp_path):
    env = browser_env()
    logs = conformance_with_a_running_app(tmp_path)
    server = SparkplaneHistoryServer(logs, tmp_path)
    try:
        server.wait_listed(["local-1430917381534", "local-1999999999999"])
        run_history_ui(env, server.base.removesuffix("api/v1/"), ARTIFACTS)
    finally:
        server.stop()


def test_the_ui_works_behind_a_path_prefix(tmp_path):
    """Through a proxy at /spark-history/: one that strips the prefix (the page's relative
    addresses need nothing more), and one that passes it on to a server started with
    --ui-base-path."""
    env = browser_env()
    logs = conformance_with_a_running_app(tmp_path)
    server = SparkplaneHistoryServer(logs, tmp_path, extra_args=["--ui-base-path", "/spark-history/"])
    try:
        server.wait_listed(["local-1430917381534", "local-1999999999999"])
        upstream = server.base.removesuffix("/api/v1/")
        for strip in (True, False):
            with PathProxy(upstream, "/spark-history", strip=strip) as proxy:
                run_history_ui(env, proxy.url, ARTIFACTS / ("prefix-stripped" if strip else "prefix-kept"))
                # "/spark-history" without its slash leads to the page.
                if not strip:
                    conn = http.client.HTTPConnection(*proxy.server.server_address, timeout=30)
                    conn.request("GET", "/spark-history")
                    r = conn.getresponse()
                    assert r.status in (301, 302) and r.getheader("Location") == "/spark-history/"
                    conn.close()
    finally:
        server.stop()


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

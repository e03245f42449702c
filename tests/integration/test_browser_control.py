"""The control plane's pages in a real browser (tests/browser/control_ui.cjs) against
`sparkplane up` running a real Spark application: listed as running, its state history, its
driver's log followed live to its last line, then a link to its history. Directly, and through
a proxy that passes its path prefix on to `up --ui-base-path`."""
import time

import pytest

from conftest import REPO, Server, spark_app
from path_proxy import PathProxy
from test_browser_ui import browser_env, run_browser_script


@pytest.mark.parametrize("prefix", ["", "/spark/plane"])
def test_control_plane_pages_in_a_real_browser(tmp_path, prefix):
    env = browser_env()
    server = Server(tmp_path / "state", extra_args=["--ui-base-path", prefix] if prefix else []).start()
    try:
        if prefix:
            with PathProxy(server.url, prefix, strip=False) as proxy:
                run_control_pages(env, server, proxy.url)
        else:
            run_control_pages(env, server, server.url + "/")
    finally:
        server.stop()


def run_control_pages(env, server, base_url):
    doc = spark_app("slow", "pi.py")
    doc["spec"]["mainApplicationFile"] = str(REPO / "tests/integration/apps/slow.py")
    doc["spec"]["arguments"] = ["15"]
    server.apply(doc)
    deadline = time.time() + 120
    while server.get("slow").get("status", {}).get("applicationState", {}).get("state") != "RUNNING":
        assert time.time() < deadline, server.tail()
        time.sleep(0.2)
    run_browser_script("control_ui.cjs", env, base_url, context=server.tail,
                       APP_NAME="slow")

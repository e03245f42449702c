"""The control plane's pages in a real browser (tests/browser/control_ui.cjs) against
`sparkplane up` running a real Spark application: listed as running, its state history, its
driver's log followed live to its last line, then a link to its history."""
import time

from conftest import REPO, spark_app
from test_browser_ui import browser_env, run_browser_script


def test_control_plane_pages_in_a_real_browser(server):
    env = browser_env()
    doc = spark_app("slow", "pi.py")
    doc["spec"]["mainApplicationFile"] = str(REPO / "tests/integration/apps/slow.py")
    doc["spec"]["arguments"] = ["15"]
    server.apply(doc)
    deadline = time.time() + 120
    while server.get("slow").get("status", {}).get("applicationState", {}).get("state") != "RUNNING":
        assert time.time() < deadline, server.tail()
        time.sleep(0.2)
    run_browser_script("control_ui.cjs", env, server.url + "/", context=server.tail,
                       APP_NAME="slow")

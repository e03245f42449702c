"""Every page of the UI for a real Spark application (tests/integration/apps/sql_cache.py: SQL,
a cached DataFrame, a shuffle, a failed job) run by `sparkplane up`, in a real browser
(tests/browser/real_app_ui.cjs)."""
import subprocess

from conftest import REPO, spark_app
from test_browser_ui import ARTIFACTS, browser_env


def test_every_page_for_a_real_spark_application(server):
    env = browser_env()
    doc = spark_app("sqlcache", "pi.py")
    doc["spec"]["mainApplicationFile"] = str(REPO / "tests/integration/apps/sql_cache.py")
    server.apply(doc)
    r = server.wait_state("sqlcache", "COMPLETED")
    assert r.returncode == 0, r.stdout + r.stderr + server.tail()
    app_id = server.get("sqlcache")["status"]["sparkApplicationId"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    env.update(BASE_URL=server.url + "/", APP_ID=app_id, SCREENSHOTS=str(ARTIFACTS))
    proc = subprocess.run(["node", str(REPO / "tests" / "browser" / "real_app_ui.cjs")], env=env,
                          capture_output=True, text=True, timeout=400)
    assert proc.returncode == 0, proc.stdout + proc.stderr + server.tail()
    assert "FAIL" not in proc.stdout

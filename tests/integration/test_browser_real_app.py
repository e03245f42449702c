"""Every page of the UI for a real Spark application (tests/integration/apps/sql_cache.py: SQL,
a cached DataFrame with its block updates logged, a shuffle, a spilling sort, a skewed stage, a
failed job) run by `sparkplane up`, in a real browser
(tests/browser/real_app_ui.cjs)."""

from conftest import REPO, spark_app
from test_browser_ui import browser_env, run_browser_script


def test_every_page_for_a_real_spark_application(server):
    env = browser_env()
    doc = spark_app("sqlcache", "pi.py")
    doc["spec"]["mainApplicationFile"] = str(REPO / "tests/integration/apps/sql_cache.py")
    doc["spec"]["sparkConf"] = {"spark.eventLog.logBlockUpdates.enabled": "true",
                                "spark.shuffle.spill.numElementsForceSpillThreshold": "5000"}
    server.apply(doc)
    r = server.wait_state("sqlcache", "COMPLETED")
    assert r.returncode == 0, r.stdout + r.stderr + server.tail()
    app_id = server.get("sqlcache")["status"]["sparkApplicationId"]
    run_browser_script("real_app_ui.cjs", env, server.url + "/", context=server.tail,
                       APP_ID=app_id)

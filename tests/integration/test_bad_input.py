"""Bad input gets one clear line and the right exit code; nothing crashes; nothing is lost."""
import json

import pytest

from conftest import Server, spark_app


def one_error_line(r):
    lines = [l for l in r.stderr.splitlines() if l.strip()]
    assert lines and all(l.startswith("error: ") for l in lines), r.stderr
    return lines


def test_malformed_yaml_names_the_line(server):
    r = server.cli("apply", "-f", "-", input="apiVersion: x\nmetadata: [oops\n", check=False)
    assert r.returncode == 2
    lines = one_error_line(r)
    assert len(lines) == 1 and ("<stdin>:2:" in lines[0] or "<stdin>:3:" in lines[0]), lines


def test_wrong_api_version_and_kind(server):
    doc = spark_app("a", "pi.py")
    doc["apiVersion"] = "sparkoperator.k8s.io/v1beta1"
    r = server.cli("apply", "-f", "-", input=json.dumps(doc), check=False)
    assert r.returncode == 2
    assert "sparkoperator.k8s.io/v1beta2" in one_error_line(r)[0]
    doc = spark_app("a", "pi.py")
    doc["kind"] = "Pod"
    r = server.cli("apply", "-f", "-", input=json.dumps(doc), check=False)
    assert r.returncode == 2 and "Pod" in one_error_line(r)[0]


def test_invalid_fields_are_listed_with_their_paths(server):
    doc = spark_app("a", "pi.py")
    doc["spec"]["driver"]["cores"] = -1
    doc["spec"]["restartPolicy"] = {"type": "Sometimes"}
    r = server.cli("apply", "-f", "-", input=json.dumps(doc), check=False)
    assert r.returncode == 2
    text = "\n".join(one_error_line(r))
    assert "spec.driver.cores: must be > 0, got -1" in text
    assert "spec.restartPolicy.type" in text
    # nothing was stored
    assert json.loads(server.cli("get", "sparkapp", "-o", "json").stdout)["items"] == []


def test_unknown_fields_are_kept_and_warned_about(server):
    doc = spark_app("a", "pi.py", extra_spec={"suspend": True})
    doc["spec"]["driver"]["coress"] = 2
    r = server.cli("apply", "-f", "-", input=json.dumps(doc))
    assert 'unknown field "spec.driver.coress"' in r.stderr
    assert server.get("a")["spec"]["driver"]["coress"] == 2


def test_missing_main_file_fails_submission_with_the_path(server):
    doc = spark_app("a", "pi.py")
    doc["spec"]["mainApplicationFile"] = "/nonexistent/app.py"
    server.apply(doc)
    r = server.wait_state("a", "COMPLETED", timeout="60s")
    assert r.returncode == 1
    st = server.get("a")["status"]
    assert st["applicationState"]["state"] == "FAILED"
    assert st["applicationState"]["errorMessage"] == \
        "spec.mainApplicationFile: file not found: /nonexistent/app.py"


def test_unknown_app_name(server):
    for args in (["get", "sparkapp", "nope"], ["describe", "sparkapp", "nope"],
                 ["logs", "nope"], ["delete", "sparkapp", "nope"]):
        r = server.cli(*args, check=False)
        assert r.returncode == 3, (args, r.stderr)
        assert len(one_error_line(r)) == 1


def test_port_in_use(server, tmp_path):
    other = Server(tmp_path / "other", port=server.port)
    other.start(wait=False)
    assert other.proc.wait(timeout=30) != 0
    log = (tmp_path / "other" / "up.log").read_text()
    assert "address already in use" in log, log
    other.stop()


def test_second_server_on_the_same_state_dir(server):
    other = Server(server.state_dir)
    other.start(wait=False)
    assert other.proc.wait(timeout=30) != 0
    assert "another sparkplane is using" in (server.state_dir / "up.log").read_text()


@pytest.mark.parametrize("missing", ["java", "spark"])
def test_java_or_spark_missing(tmp_path, missing):
    env = {"SPARK_HOME": str(tmp_path / "no-spark"), "SPARKPLANE_CACHE": str(tmp_path / "none")} \
        if missing == "spark" else {"JAVA_HOME": str(tmp_path / "no-java"), "PATH": str(tmp_path / "empty-bin")}
    s = Server(tmp_path / "state", env=env).start()
    try:
        s.apply(spark_app("a", "pi.py"))
        assert s.wait_state("a", "COMPLETED", timeout="60s").returncode == 1
        msg = s.get("a")["status"]["applicationState"]["errorMessage"]
        if missing == "java":
            assert msg.startswith("Java 17+ not found"), msg
        else:
            assert msg.startswith("Spark not found"), msg
        assert "make deps" in msg
    finally:
        s.stop()

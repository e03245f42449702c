"""End-to-end checks of the client verbs against `sparkplane up` (no Spark needed: the
application is only created, listed, described and deleted; its driver may fail to start).

Runs the binary from $SPARKPLANE_BIN with a temporary --state-dir and a free port.
"""
import os
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest

BIN = os.environ.get("SPARKPLANE_BIN", "build/sparkplane")

APP = """\
apiVersion: sparkoperator.k8s.io/v1beta2
kind: SparkApplication
metadata:
  name: spark-pi
spec:
  type: Scala
  mode: cluster
  sparkVersion: "3.5.1"
  mainClass: org.apache.spark.examples.SparkPi
  mainApplicationFile: local:///nonexistent/spark-examples.jar
  arguments: ["10"]
  driver:
    cores: 1
    coress: 2
    memory: 512m
  executor:
    instances: 1
"""




def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    state = tempfile.mkdtemp(prefix="sp-cli-")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([BIN, "up", "--listen", f"127.0.0.1:{port}", "--state-dir", state],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(url + "/readyz", timeout=1).read() == b"ok":
                break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("sparkplane up did not become ready: " + proc.stdout.read().decode())
    yield url, state
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def sp(server, *args, stdin=None):
    url, _ = server
    return subprocess.run([BIN, "--server", url, *args], input=stdin, capture_output=True,
                          text=True, timeout=120)


def test_apply_get_describe_delete(server):
    r = sp(server, "apply", "-f", "-", stdin=APP)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "sparkapplication.sparkoperator.k8s.io/spark-pi created"
    assert 'unknown field "spec.driver.coress"' in r.stderr

    again = sp(server, "apply", "-f", "-", stdin=APP)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "sparkapplication.sparkoperator.k8s.io/spark-pi unchanged"

    changed = sp(server, "apply", "-f", "-", stdin=APP.replace('["10"]', '["20"]'))
    assert changed.stdout.strip() == "sparkapplication.sparkoperator.k8s.io/spark-pi configured"

    table = sp(server, "get", "sparkapp")
    assert table.returncode == 0, table.stderr
    header = table.stdout.splitlines()[0].split()
    assert header == ["NAME", "STATUS", "ATTEMPTS", "START", "FINISH", "AGE"]
    assert table.stdout.splitlines()[1].startswith("spark-pi ")

    assert sp(server, "get", "sparkapp/spark-pi", "-o", "name").stdout.strip() == \
        "sparkapplication.sparkoperator.k8s.io/spark-pi"
    d = sp(server, "describe", "sparkapp", "spark-pi")
    assert d.returncode == 0, d.stderr
    assert "Name:" in d.stdout and "spark-pi" in d.stdout and "Events:" in d.stdout

    gone = sp(server, "delete", "sparkapp", "spark-pi", "--wait", "--timeout", "60s")
    assert gone.returncode == 0, gone.stderr
    assert sp(server, "get", "sparkapp", "spark-pi").returncode == 3


def test_exit_codes(server):
    missing = sp(server, "get", "sparkapp", "nope")
    assert missing.returncode == 3
    assert missing.stderr.startswith("error: ")
    assert len(missing.stderr.strip().splitlines()) == 1

    bad = sp(server, "apply", "-f", "-", stdin=APP.replace("cores: 1", "cores: -1"))
    assert bad.returncode == 2
    assert "spec.driver.cores" in bad.stderr

    assert sp(server, "get", "pods").returncode == 2
    assert sp(server, "wait", "nope", "--for=state=COMPLETED", "--timeout=2s").returncode == 3

    unreachable = subprocess.run([BIN, "--server", "http://127.0.0.1:1", "get", "sparkapp"],
                                 capture_output=True, text=True, timeout=30)
    assert unreachable.returncode == 4
    assert "cannot reach sparkplane" in unreachable.stderr


def test_render_driver_shows_the_ship_sidecar_the_operator_would_add(tmp_path):
    """`render-driver` takes the operator's sidecar flags: an app logging to s3:// gets the
    spark-event-log-shipper sidecar in the render, as the operator creates it."""
    import json
    manifest = tmp_path / "app.yaml"
    manifest.write_text(
        "apiVersion: sparkoperator.k8s.io/v1beta2\nkind: SparkApplication\n"
        "metadata: {name: pi, namespace: default, uid: 7d3f0f7e-3c5b-4d7a-9d4c-2f1e5b6a7c8d}\n"
        "spec:\n  type: Scala\n  mode: cluster\n  image: apache/spark:4.1.1\n"
        "  mainClass: org.apache.spark.examples.SparkPi\n"
        "  mainApplicationFile: local:///opt/spark/examples/jars/spark-examples_2.13-4.1.1.jar\n"
        "  sparkVersion: 4.1.1\n"
        "  sparkConf: {spark.eventLog.enabled: \"true\", spark.eventLog.dir: \"s3://logs/events\"}\n"
        "  driver: {cores: 1, memory: 512m}\n  executor: {cores: 1, instances: 1, memory: 512m}\n")

    def pod(*flags):
        out = subprocess.run([BIN, "render-driver", "-f", str(manifest), "--submission-id", "s1",
                              *flags], capture_output=True, text=True, check=True).stdout
        return [o for o in json.loads(out)["items"] if o["kind"] == "Pod"][0]

    assert not pod()["spec"].get("initContainers")
    sidecar = pod("--ship-image", "sparkplane:test", "--s3-endpoint", "http://minio:9000")[
        "spec"]["initContainers"][0]
    assert sidecar["name"] == "spark-event-log-shipper" and sidecar["image"] == "sparkplane:test"
    assert sidecar["restartPolicy"] == "Always" and sidecar["args"][0] == "ship"
    assert {"name": "AWS_ENDPOINT_URL_S3", "value": "http://minio:9000"} in sidecar["env"]
    bad = subprocess.run([BIN, "render-driver", "-f", str(manifest), "--submission-id", "s1",
                          "--event-log-dir", "s3://x"], capture_output=True, text=True)
    assert bad.returncode == 2 and "needs --ship-image" in bad.stderr

"""Fixtures for end-to-end tests: a real `sparkplane up` over a temporary state directory,
running real Spark (pyspark's spark-submit)."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = os.environ.get("SPARKPLANE_BIN", str(REPO / "build-asan" / "sparkplane"))
ARTIFACTS = REPO / "test-artifacts"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One `sparkplane up` process and a CLI bound to it."""

    def __init__(self, state_dir, port=None, extra_args=(), env=None):
        self.state_dir = Path(state_dir)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.extra_args = list(extra_args)
        self.env = dict(os.environ, **(env or {}))
        self.proc = None
        self.log = None

    def start(self, wait=True):
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.log = open(self.state_dir / "up.log", "ab")
        self.proc = subprocess.Popen(
            [BIN, "up", "--state-dir", str(self.state_dir), "--listen", f"127.0.0.1:{self.port}"]
            + self.extra_args,
            stdout=self.log, stderr=subprocess.STDOUT, env=self.env, cwd=REPO,
            start_new_session=True)
        if wait:
            self.wait_healthy()
        return self

    def wait_healthy(self, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"sparkplane up exited {self.proc.returncode}: {self.tail()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError("sparkplane up did not become healthy: " + self.tail())

    def tail(self, n=20):
        path = self.state_dir / "up.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:]) if path.exists() else ""

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.log:
            self.log.close()
            self.log = None

    def kill9(self):
        self.stop(signal.SIGKILL)

    def cli(self, *args, check=True, input=None, timeout=600):
        r = subprocess.run([BIN, "--server", self.url, *args], capture_output=True, text=True,
                           input=input, timeout=timeout, cwd=REPO)
        if check and r.returncode != 0:
            raise AssertionError(f"sparkplane {' '.join(args)} exited {r.returncode}:\n"
                                 f"{r.stdout}\n{r.stderr}\n-- up.log --\n{self.tail()}")
        return r

    def get(self, name, kind="sparkapp"):
        return json.loads(self.cli("get", kind, name, "-o", "json").stdout)

    def apply(self, manifest):
        text = manifest if isinstance(manifest, str) else json.dumps(manifest)
        return self.cli("apply", "-f", "-", input=text)

    def wait_state(self, name, state, timeout="8m"):
        return self.cli("wait", f"sparkapp/{name}", f"--for=state={state}", f"--timeout={timeout}",
                        check=False)


@pytest.fixture
def server(tmp_path):
    s = Server(tmp_path / "state").start()
    yield s
    s.stop()


def spark_app(name, main_file, args=(), restart=None, extra_spec=None):
    """A SparkApplication manifest (as a dict) running a file from examples/src."""
    spec = {
        "type": "Python",
        "mode": "cluster",
        "mainApplicationFile": str(REPO / "examples" / "src" / main_file),
        "arguments": list(args),
        "sparkVersion": "4.1.1",
        "restartPolicy": restart or {"type": "Never"},
        "driver": {"cores": 1, "memory": "512m"},
        "executor": {"cores": 1, "instances": 1, "memory": "512m"},
    }
    spec.update(extra_spec or {})
    return {"apiVersion": "sparkoperator.k8s.io/v1beta2", "kind": "SparkApplication",
            "metadata": {"name": name, "namespace": "default"}, "spec": spec}

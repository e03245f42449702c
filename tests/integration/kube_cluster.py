"""A real Kubernetes test cluster for integration tests.

etcd, kube-apiserver, kube-scheduler, kube-controller-manager and kwok (the
kubelet of fake nodes), built by scripts/cluster/build.sh into the cache and
started by scripts/cluster/up.sh in a directory of their own. Talks to the API
server with the admin client certificate through ssl/http.client: no kubectl.

    cluster = KubeCluster().start()
    cluster.api("GET", "/version")
    cluster.stop()
"""
import contextlib
import http.client
import json
import os
import shlex
import shutil
import ssl
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "scripts" / "cluster"
BUILD_SH = SCRIPTS / "build.sh"


def binary_paths():
    """{"KUBE_VERSION": ..., "ETCD": path, "KUBE_APISERVER": path, ...} from build.sh --paths."""
    out = subprocess.run([str(BUILD_SH), "--paths"], check=True, capture_output=True, text=True).stdout
    paths = {}
    for line in out.splitlines():
        key, _, value = line.partition("=")
        paths[key] = shlex.split(value)[0] if value else ""
    return paths


def binaries_built():
    p = binary_paths()
    return all(os.access(p[k], os.X_OK)
               for k in ("ETCD", "KWOK", "KUBE_APISERVER", "KUBE_SCHEDULER", "KUBE_CONTROLLER_MANAGER",
                         "KUBECTL"))


def build():
    """Runs build.sh (idempotent: only checks when everything is cached)."""
    subprocess.run([str(BUILD_SH)], check=True, stdout=subprocess.DEVNULL)


def in_ci():
    """Whether CI is set (then missing binaries are built, not a reason to skip)."""
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def require_binaries():
    """For fixtures: builds the cluster binaries, or skips when they are not
    built and CI is not set (a first build takes 10-30 minutes)."""
    import pytest

    if not binaries_built() and not in_ci():
        pytest.skip("Kubernetes test cluster binaries are not built: run `make cluster-deps` "
                    "(scripts/cluster/build.sh); under CI=true the tests build them")
    build()


class KubeError(Exception):
    def __init__(self, method, path, status, body):
        super().__init__(f"{method} {path}: HTTP {status}: {body!r:.500}")
        self.status = status
        self.body = body


class KubeCluster:
    """One test cluster. `dir` defaults to a new temporary directory, removed by stop()."""

    def __init__(self, dir=None, nodes=3, timeout=90):
        self._own_dir = dir is None
        self.dir = Path(dir) if dir else Path(tempfile.mkdtemp(prefix="sparkplane-kube-"))
        self.nodes = nodes
        self.timeout = timeout
        self.kubeconfig = None
        self.server = None
        self.env = {}
        self._ssl = None
        self.version = binary_paths()["KUBE_VERSION"]

    # ---- lifecycle ----------------------------------------------------------------
    def start(self):
        env = dict(os.environ, CLUSTER_NODES=str(self.nodes))
        proc = subprocess.run([str(SCRIPTS / "up.sh"), str(self.dir)], env=env,
                              capture_output=True, text=True, timeout=self.timeout + 60)
        if proc.returncode != 0:
            raise RuntimeError(f"scripts/cluster/up.sh failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")
        for line in (self.dir / "env").read_text().splitlines():
            if line.startswith("export "):
                key, _, value = line[len("export "):].partition("=")
                self.env[key] = shlex.split(value)[0]
        self.kubeconfig = self.env["KUBECONFIG"]
        self.server = self.env["SPARKPLANE_KUBE_SERVER"]
        ctx = ssl.create_default_context(cafile=self.env["SPARKPLANE_KUBE_CA"])
        ctx.load_cert_chain(self.env["SPARKPLANE_KUBE_CLIENT_CERT"], self.env["SPARKPLANE_KUBE_CLIENT_KEY"])
        self._ssl = ctx
        return self

    def stop(self, purge=None):
        """Stops every process; removes the directory if this object made it
        (or purge=True), unless SPARKPLANE_KEEP_CLUSTER=1 keeps it (logs)."""
        if purge is None:
            purge = self._own_dir and os.environ.get("SPARKPLANE_KEEP_CLUSTER", "") in ("", "0")
        if self.dir.exists():
            subprocess.run([str(SCRIPTS / "down.sh"), str(self.dir)], check=True,
                           capture_output=True, timeout=60)
            if purge:
                shutil.rmtree(self.dir, ignore_errors=True)

    def restart_apiserver(self, kill=False, down_seconds=0):
        """Stops kube-apiserver (SIGTERM, or SIGKILL with kill=True), keeps it
        down for down_seconds, starts it again and waits until it is ready."""
        args = [str(SCRIPTS / "restart-apiserver.sh")] + (["--kill"] if kill else []) + [str(self.dir)]
        env = dict(os.environ, CLUSTER_DOWN_SECONDS=str(down_seconds))
        proc = subprocess.run(args, env=env, capture_output=True, text=True, timeout=self.timeout + 60)
        if proc.returncode != 0:
            raise RuntimeError(f"restart-apiserver.sh failed ({proc.returncode}): {proc.stderr}")

    def log(self, component):
        return (self.dir / "logs" / f"{component}.log").read_text(errors="replace")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # ---- API ----------------------------------------------------------------------
    def connection(self, timeout=30):
        u = urllib.parse.urlsplit(self.server)
        return http.client.HTTPSConnection(u.hostname, u.port, context=self._ssl, timeout=timeout)

    def request(self, method, path, body=None, content_type=None, timeout=30):
        """(status, decoded JSON body or text) for any status."""
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = body if isinstance(body, (bytes, str)) else json.dumps(body)
            if content_type is None:
                content_type = "application/merge-patch+json" if method == "PATCH" else "application/json"
            headers["Content-Type"] = content_type
        conn = self.connection(timeout)
        try:
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            raw = resp.read().decode()
        finally:
            conn.close()
        try:
            return resp.status, json.loads(raw)
        except ValueError:
            return resp.status, raw

    def api(self, method, path, body=None, content_type=None, timeout=30):
        """The decoded response; KubeError (with .status) unless the status is 2xx.
        PATCH bodies are JSON merge patches unless content_type says otherwise."""
        status, data = self.request(method, path, body, content_type, timeout)
        if not 200 <= status < 300:
            raise KubeError(method, path, status, data)
        return data

    def get(self, path):
        """The object, or None when it does not exist."""
        status, data = self.request("GET", path)
        if status == 404:
            return None
        if not 200 <= status < 300:
            raise KubeError("GET", path, status, data)
        return data

    @contextlib.contextmanager
    def watch(self, path, timeout=60):
        """A watch stream: yields an iterator of events ({"type", "object"}).
        `path` is a collection path; ?watch=1 is added."""
        sep = "&" if "?" in path else "?"
        conn = self.connection(timeout)
        try:
            conn.request("GET", f"{path}{sep}watch=1", headers={"Accept": "application/json"})
            resp = conn.getresponse()
            if resp.status != 200:
                raise KubeError("GET", path, resp.status, resp.read().decode())

            def events():
                while True:
                    line = resp.readline()
                    if not line:
                        return
                    if line.strip():
                        yield json.loads(line)

            yield events()
        finally:
            conn.close()

    def wait(self, what, predicate, timeout=30, interval=0.2):
        """Polls predicate() until it returns something truthy, which is returned."""
        deadline = time.time() + timeout
        last = None
        while True:
            try:
                last = predicate()
            except (OSError, http.client.HTTPException) as e:
                last = e
                if time.time() >= deadline:
                    raise
            else:
                if last:
                    return last
            if time.time() >= deadline:
                raise AssertionError(f"timed out after {timeout} s waiting for {what} (last: {last!r:.500})")
            time.sleep(interval)

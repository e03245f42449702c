"""History servers for end-to-end tests, and how their answers are compared.

`SparkHistoryServer` is Spark's own (org.apache.spark.deploy.history.HistoryServer from the
venv's pyspark jars); `SparkplaneHistoryServer` is `sparkplane history-server`. Both serve
/api/v1 on a free port over the same log directory. `compare()` follows the conformance
folder's rules: parsed JSON, key order ignored, array order kept, numbers by value,
lastUpdated/lastUpdatedEpoch blanked; it returns the JSON path of the first difference.
"""
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = os.environ.get("SPARKPLANE_BIN", str(REPO / "build-asan" / "sparkplane"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spark_home():
    import pyspark
    return Path(pyspark.__file__).parent


class _Process:
    name = "server"

    def __init__(self, cmd, log_path, env=None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/api/v1/"
        self.log_path = Path(log_path)
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([c.format(port=self.port) for c in cmd], stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True, env=env)

    def get(self, path, timeout=120):
        """(status, parsed JSON or raw bytes)."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=timeout) as r:
                body, status, ctype = r.read(), r.status, r.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            body, status, ctype = e.read(), e.code, e.headers.get("Content-Type", "")
        if "json" in ctype:
            try:
                return status, json.loads(body)
            except ValueError:
                pass
        return status, body

    def wait_listed(self, app_ids, timeout=120):
        deadline = time.time() + timeout
        want = set(app_ids)
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"{self.name} exited: {self.tail()}")
            try:
                status, apps = self.get("applications", timeout=5)
                if status == 200 and want <= {a["id"] for a in apps}:
                    return apps
            except (OSError, ValueError, TypeError):
                pass
            time.sleep(0.2)
        raise AssertionError(f"{self.name} did not list {sorted(want)}: {self.tail()}")

    def tail(self, n=30):
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


class SparkHistoryServer(_Process):
    name = "Spark's history server"

    def __init__(self, log_dir, work_dir, extra_conf=None):
        conf = {"spark.history.fs.logDirectory": Path(log_dir).as_uri(),
                "spark.history.ui.port": "{port}", "spark.history.fs.update.interval": "1s"}
        conf.update(extra_conf or {})
        cmd = ["java", "-Xmx2g", "-cp", str(spark_home() / "jars") + "/*"]
        cmd += [f"-D{k}={v}" for k, v in conf.items()]
        cmd += ["org.apache.spark.deploy.history.HistoryServer"]
        super().__init__(cmd, Path(work_dir) / "spark-history-server.log")


class SparkplaneHistoryServer(_Process):
    name = "sparkplane history-server"

    def __init__(self, log_dir, work_dir, extra_args=(), env=None, log_name=None):
        cmd = [BIN, "history-server", "--log-dir", str(log_dir), "--listen", "127.0.0.1:{port}",
               "--update-interval", "1s", *extra_args]
        super().__init__(cmd, Path(work_dir) / (log_name or "sparkplane-history-server.log"), env)


def normalize(value):
    """Blanks what comes from file modification times."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k == "lastUpdated":
                out[k] = ""
            elif k == "lastUpdatedEpoch":
                out[k] = 0
            else:
                out[k] = normalize(v)
        return out
    if isinstance(value, list):
        return [normalize(v) for v in value]
    return value


def first_difference(ours, theirs, path="$"):
    """None when equal under the conformance rules, else "<json path>: <what differs>"."""
    if isinstance(ours, bool) or isinstance(theirs, bool):
        return None if ours is theirs else f"{path}: {ours!r} != {theirs!r}"
    if isinstance(ours, (int, float)) and isinstance(theirs, (int, float)):
        return None if ours == theirs else f"{path}: {ours!r} != {theirs!r}"
    if isinstance(ours, dict) and isinstance(theirs, dict):
        for k in sorted(set(ours) | set(theirs)):
            if k not in ours:
                return f"{path}.{k}: missing (expected {json.dumps(theirs[k])[:120]})"
            if k not in theirs:
                return f"{path}.{k}: unexpected {json.dumps(ours[k])[:120]}"
            d = first_difference(ours[k], theirs[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(ours, list) and isinstance(theirs, list):
        if len(ours) != len(theirs):
            return f"{path}: {len(ours)} elements != {len(theirs)}"
        for i, (a, b) in enumerate(zip(ours, theirs)):
            d = first_difference(a, b, f"{path}[{i}]")
            if d:
                return d
        return None
    if type(ours) is not type(theirs) or ours != theirs:
        return f"{path}: {json.dumps(ours)[:120]} != {json.dumps(theirs)[:120]}"
    return None


def compare(ours, theirs):
    return first_difference(normalize(ours), normalize(theirs))


def app_endpoints(server, app_path):
    """Every /api/v1 path under one application (app_path: "applications/<id>[/<attempt>]"),
    discovered from the server's own answers (Spark's, in the differential test)."""
    paths = [app_path, f"{app_path}/jobs", f"{app_path}/stages", f"{app_path}/executors",
             f"{app_path}/allexecutors", f"{app_path}/storage/rdd", f"{app_path}/environment",
             f"{app_path}/allmiscellaneousprocess", f"{app_path}/sql",
             f"{app_path}/sql?details=false", f"{app_path}/sql?planDescription=false",
             f"{app_path}/stages?details=true", f"{app_path}/stages?withSummaries=true",
             f"{app_path}/jobs?status=succeeded", f"{app_path}/jobs?status=failed",
             f"{app_path}/stages?status=complete", f"{app_path}/stages?status=failed"]
    _, jobs = server.get(f"{app_path}/jobs")
    for j in jobs if isinstance(jobs, list) else []:
        paths.append(f"{app_path}/jobs/{j['jobId']}")
    _, stages = server.get(f"{app_path}/stages")
    for s in stages if isinstance(stages, list) else []:
        base = f"{app_path}/stages/{s['stageId']}"
        attempt = f"{base}/{s['attemptId']}"
        paths += [base, attempt, f"{attempt}?details=true", f"{attempt}/taskSummary",
                  f"{attempt}/taskSummary?quantiles=0.01,0.5,0.99", f"{attempt}/taskList",
                  f"{attempt}/taskList?sortBy=-runtime&length=5",
                  f"{attempt}/taskList?status=failed", f"{base}?details=true&taskStatus=success"]
    _, rdds = server.get(f"{app_path}/storage/rdd")
    for r in rdds if isinstance(rdds, list) else []:
        paths.append(f"{app_path}/storage/rdd/{r['id']}")
    _, sqls = server.get(f"{app_path}/sql")
    for q in sqls if isinstance(sqls, list) else []:
        paths.append(f"{app_path}/sql/{q['id']}")
    # Errors: their statuses are compared too.
    paths += [f"{app_path}/jobs/999999", f"{app_path}/stages/999999", f"{app_path}/stages/0/99",
              f"{app_path}/storage/rdd/999999", f"{app_path}/sql/999999",
              f"{app_path}/jobs?status=bogus", f"{app_path}/stages/0/0/taskList?sortBy=bogus",
              f"{app_path}/stages/0/0/taskSummary?quantiles=2.0", f"{app_path}/executors/x"]
    return paths

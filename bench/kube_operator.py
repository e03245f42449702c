"""The Kubernetes operator, side by side with the Kubeflow Spark Operator and with the API
server's own ceiling, in one run on one test cluster (scripts/cluster: etcd, kube-apiserver,
kube-scheduler, kube-controller-manager, kwok with fake nodes).

For each contender in turn, in a fresh namespace, N SparkApplications are created as fast as the
API server takes them (a few client threads on kept-alive connections) while one watch on the
namespace's driver pods (label spark-role=driver) notes when each application's driver pod
appears. Measured per contender:
  - applications per second until every driver pod exists: pods / (last pod seen - first create),
  - p50 / p99 from an application's create (its POST answered) to its driver pod (watch ADDED),
  - CPU seconds of the operator's process tree (utime+stime of every live process in it, plus
    cutime+cstime: the children it already reaped, such as Kubeflow's spark-submit JVMs), from
    the first create until it settles, and its peak RSS (sum of the tree's VmRSS sampled every
    0.2 s, and the operator process's own VmHWM),
  - the CPU seconds kube-apiserver and etcd spent meanwhile.
Contenders:
  ceiling     the API server's ceiling: no operator; the client creates, per application, the
              SparkApplication and then the objects an operator creates for it, as
              `sparkplane render-driver` renders them, with fresh names, in the operator's order
              and with its owners: the driver Pod (owned by the app), the ConfigMap and
              headless Service (owned by the pod, whose uid the pod's answer gives), and the UI
              Service (owned by the app).
  sparkplane  `sparkplane operator` (no JVM, no webhook); then the same N paced at each of
              --paced-share's shares of the rate it sustained (a burst measures a queue: the
              p99 of N apps created faster than any operator can follow is the time to drain
              them; paced, it is the operator's own delay, and how it grows with the load);
              then a phase holding --held-apps applications, for its RSS.
  kubeflow    the Kubeflow Spark Operator (scripts/kubeflow/build.sh), `controller start` as a
              local process with a kubeconfig, leader election off, no webhook, spark-submit from
              the venv's pyspark (SPARK_HOME) for every application. One JVM per submission is
              slow, so its run is capped by --kubeflow-timeout and the rate it sustained until
              then is reported, labelled as capped.
The ceiling and sparkplane bursts alternate --rounds times (each in its own namespace, on the same
cluster): this machine's speed drifts by tens of percent from one minute to the next, so the
share of the ceiling is the median of the rounds' shares; the table shows the first round.
Nothing is asserted: it prints a table, ratios against the goals of the issue (>= 50 apps/s,
>= 80% of the API server's ceiling, p99 < 1 s, < 50 MB RSS with 10,000 applications) and a JSON
line with the raw figures.
"""
import argparse
import base64
import http.client
import itertools
import json
import math
import os
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "integration"))
from kube_cluster import KubeCluster, KubeError, binaries_built  # noqa: E402

KUBEFLOW_BUILD = REPO / "scripts" / "kubeflow" / "build.sh"
CLUSTER_BUILD = REPO / "scripts" / "cluster" / "build.sh"
APPS = "/apis/sparkoperator.k8s.io/v1beta2/namespaces/{ns}/sparkapplications"
CLK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
APP_LABEL = "sparkoperator.k8s.io/app-name"
TEMPLATE_NAME = "tmpl-app"  # the application render-driver renders for the ceiling's objects
UID_MARK = "@APP-UID@"
POD_UID_MARK = "@POD-UID@"
WARMUP_APPS = 300
ALL_CONTENDERS = ("ceiling", "sparkplane", "kubeflow")


class BenchError(Exception):
    """A one-line reason the bench cannot go on."""


def log(msg):
    print(f"operator-bench: {msg}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(path, lines=15):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def percentile(values, q):
    """Nearest-rank percentile of a non-empty list."""
    s = sorted(values)
    return s[max(0, min(len(s) - 1, math.ceil(q / 100 * len(s)) - 1))]


# ---- processes ------------------------------------------------------------------------------

def proc_table():
    """{pid: (ppid, pgrp, cpu ticks incl. reaped children, rss pages)} of every process."""
    out = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                rest = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        # rest[0] is field 3 (state): ppid 4, pgrp 5, utime 14 .. cstime 17, rss 24
        out[int(name)] = (int(rest[1]), int(rest[2]), sum(int(x) for x in rest[11:15]), int(rest[21]))
    return out


def tree_pids(table, root):
    children = {}
    for pid, (ppid, *_rest) in table.items():
        children.setdefault(ppid, []).append(pid)
    out, todo = [], [root] if root in table else []
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


def status_kb(pid, key):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def pid_cpu_seconds(pid):
    try:
        rest = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()
        return (int(rest[11]) + int(rest[12])) / CLK
    except OSError:
        return 0.0


class TreeSampler(threading.Thread):
    """Samples a process tree every `interval` s: CPU (monotonic), summed RSS (peak) and the
    number of processes in it (peak)."""

    def __init__(self, root, interval=0.2):
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.cpu_ticks = 0
        self.peak_rss = 0
        self.peak_procs = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.sample()

    def sample(self):
        table = proc_table()
        pids = tree_pids(table, self.root)
        cpu = sum(table[p][2] for p in pids)
        rss = sum(table[p][3] for p in pids) * PAGE
        with self._lock:
            self.cpu_ticks = max(self.cpu_ticks, cpu)
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_procs = max(self.peak_procs, len(pids))
        return cpu / CLK

    def cpu_seconds(self):
        self.sample()
        with self._lock:
            return self.cpu_ticks / CLK

    def run(self):
        while not self._stop.wait(self.interval):
            self.sample()

    def stop(self):
        self._stop.set()


class Operator:
    """An operator process in a process group of its own, so that it and every child it
    started (spark-submit JVMs) are stopped together by the group's id."""

    def __init__(self, label, cmd, env, log_path, ready_url, timeout=90):
        self.label, self.log_path = label, log_path
        self._log = open(log_path, "ab")
        self.proc = subprocess.Popen(cmd, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        self.pid = self.proc.pid
        RUNNING.append(self)
        deadline = time.time() + timeout
        while True:
            if self.proc.poll() is not None:
                self.stop()
                raise BenchError(f"{label} exited with {self.proc.returncode} at startup; its log "
                                 f"ends with:\n{tail(log_path)}")
            try:
                u = urllib.parse.urlsplit(ready_url)
                conn = http.client.HTTPConnection(u.hostname, u.port, timeout=2)
                conn.request("GET", u.path)
                if conn.getresponse().status == 200:
                    conn.close()
                    break
                conn.close()
            except OSError:
                pass
            if time.time() > deadline:
                self.stop()
                raise BenchError(f"{label} was not ready at {ready_url} in {timeout} s; its log ends "
                                 f"with:\n{tail(log_path)}")
            time.sleep(0.1)

    def check_alive(self):
        if self.proc.poll() is not None:
            raise BenchError(f"{self.label} exited with {self.proc.returncode} during the run; its log "
                             f"ends with:\n{tail(self.log_path)}")

    def hwm_mb(self):
        return status_kb(self.pid, "VmHWM") / 1024

    def rss_mb(self):
        return status_kb(self.pid, "VmRSS") / 1024

    def _group_alive(self):
        return any(pgrp == self.pid for _p, (_pp, pgrp, _c, _r) in proc_table().items())

    def stop(self):
        if self in RUNNING:
            RUNNING.remove(self)
        for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
            try:
                os.killpg(self.pid, sig)
            except ProcessLookupError:
                break
            deadline = time.time() + grace
            while time.time() < deadline:
                self.proc.poll()
                if not self._group_alive():
                    break
                time.sleep(0.1)
            else:
                continue
            break
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        self._log.close()


RUNNING = []  # operators to stop on the way out


# ---- the API ----------------------------------------------------------------------------------

class Client:
    """POSTs on one kept-alive connection, retrying throttling, server errors and broken
    connections."""
    HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}

    def __init__(self, cluster):
        self.cluster, self.conn = cluster, None

    def post(self, path, body):
        """The created object's raw JSON, or None when it already existed (an earlier try whose
        answer was lost)."""
        for attempt in range(30):
            if self.conn is None:
                self.conn = self.cluster.connection(timeout=120)
            try:
                self.conn.request("POST", path, body=body, headers=self.HEADERS)
                resp = self.conn.getresponse()
                data = resp.read()
            except (OSError, http.client.HTTPException):
                self.close()
                time.sleep(min(1.0, 0.05 * (attempt + 1)))
                continue
            if resp.status in (200, 201, 202):
                return data
            if resp.status == 409 and attempt > 0:
                return None
            if resp.status == 429 or resp.status >= 500:
                try:
                    time.sleep(min(2.0, float(resp.getheader("Retry-After") or 0.1)))
                except ValueError:
                    time.sleep(0.1)
                continue
            raise KubeError("POST", path, resp.status, data.decode(errors="replace"))
        raise BenchError(f"POST {path}: gave up after 30 tries")

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class DriverPodWatch(threading.Thread):
    """Watches the driver pods of a namespace; `seen[app name]` is the monotonic time its first
    driver pod was seen. MODIFIED events are not parsed (most of the stream: scheduling, kwok)."""

    def __init__(self, cluster, ns):
        super().__init__(daemon=True)
        self.cluster, self.ns = cluster, ns
        self.seen = {}
        self.cond = threading.Condition()
        self._stopping = False
        self._conn = None
        self.error = None
        self.rv = self._list()

    def _list(self):
        """Lists the driver pods (records any not seen yet) and returns the resourceVersion."""
        path = f"/api/v1/namespaces/{self.ns}/pods?labelSelector=spark-role%3Ddriver&limit=500"
        cont = ""
        while True:
            data = self.cluster.api("GET", path + (f"&continue={urllib.parse.quote(cont)}" if cont else ""))
            now = time.monotonic()
            with self.cond:
                for pod in data["items"]:
                    self._note(pod, now)
                self.cond.notify_all()
            cont = data["metadata"].get("continue")
            if not cont:
                return data["metadata"]["resourceVersion"]

    def _note(self, pod, now):
        name = (pod["metadata"].get("labels") or {}).get(APP_LABEL)
        if name and name not in self.seen:
            self.seen[name] = now

    def run(self):
        while not self._stopping:
            try:
                self._watch()
            except (OSError, http.client.HTTPException, ValueError, KubeError) as e:
                if self._stopping:
                    return
                self.error = e
                time.sleep(0.2)
                try:
                    self.rv = self._list()
                except (OSError, http.client.HTTPException, KubeError):
                    pass

    def _watch(self):
        path = (f"/api/v1/namespaces/{self.ns}/pods?watch=1&labelSelector=spark-role%3Ddriver"
                f"&allowWatchBookmarks=true&timeoutSeconds=3600&resourceVersion={self.rv}")
        conn = self._conn = self.cluster.connection(timeout=3700)
        try:
            conn.request("GET", path, headers={"Accept": "application/json"})
            resp = conn.getresponse()
            if resp.status != 200:
                raise KubeError("GET", path, resp.status, resp.read().decode(errors="replace"))
            while not self._stopping:
                line = resp.readline()
                if not line:
                    return
                if line.startswith(b'{"type":"MODIFIED"') or not line.strip():
                    continue
                now = time.monotonic()
                event = json.loads(line)
                obj = event.get("object") or {}
                if event.get("type") == "ERROR":
                    if obj.get("code") == 410:  # Gone: relist, then watch from there
                        self.rv = self._list()
                        return
                    raise KubeError("WATCH", path, obj.get("code"), obj)
                self.rv = obj.get("metadata", {}).get("resourceVersion", self.rv)
                if event.get("type") == "ADDED":
                    with self.cond:
                        self._note(obj, now)
                        self.cond.notify_all()
        finally:
            conn.close()

    def wait_for(self, names, deadline, alive=None):
        """Waits until every name was seen or the deadline (monotonic) passes; alive() is
        called every second and raises to stop waiting."""
        with self.cond:
            while not all(n in self.seen for n in names):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                if alive:
                    alive()
                self.cond.wait(min(left, 1.0))
            return True

    def stop(self):
        self._stopping = True
        conn = self._conn
        if conn is not None and conn.sock is not None:
            try:
                conn.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def app_manifest(name, ns):
    """Kubeflow's spark-pi, as its examples write it: a Scala app from a jar in the image."""
    return {"apiVersion": "sparkoperator.k8s.io/v1beta2", "kind": "SparkApplication",
            "metadata": {"name": name, "namespace": ns},
            "spec": {"type": "Scala", "mode": "cluster", "image": "apache/spark:4.1.1",
                     "imagePullPolicy": "IfNotPresent",
                     "mainClass": "org.apache.spark.examples.SparkPi",
                     "mainApplicationFile": "local:///opt/spark/examples/jars/spark-examples.jar",
                     "arguments": ["1000"], "sparkVersion": "4.1.1",
                     "restartPolicy": {"type": "Never"},
                     "driver": {"cores": 1, "memory": "512m", "serviceAccount": "spark"},
                     "executor": {"cores": 1, "instances": 1, "memory": "512m"}}}


def app_name(i):
    return f"app-{i:05d}"


COLLECTIONS = {"Pod": "pods", "ConfigMap": "configmaps", "Service": "services"}
TOKENS = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
                    r"|(?<![0-9A-Za-z])[0-9a-f]{16,32}(?![0-9A-Za-z])")


def ceiling_templates(binary, ns, master, workdir):
    """[(collection path, JSON text)] of the objects an operator creates for one application, as
    `sparkplane render-driver` renders them for TEMPLATE_NAME, with the owner uids marked, in the
    order the operator (and spark-submit) creates them: the driver pod first, then the objects
    it owns (the ConfigMap and the headless Service, which render-driver leaves without an owner:
    the pod's uid is only known once it exists), then the UI Service (owned by the app)."""
    manifest = app_manifest(TEMPLATE_NAME, ns)
    app_uid = str(uuid.uuid4())
    manifest["metadata"]["uid"] = app_uid
    path = Path(workdir) / "template-app.json"
    path.write_text(json.dumps(manifest))
    proc = subprocess.run([binary, "render-driver", "-f", str(path), "--submission-id",
                           str(uuid.uuid4()), "--app-uid", app_uid, "--master", master],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise BenchError(f"{binary} render-driver failed: {proc.stderr.strip()[:300]}")
    order = {"Pod": 0, "ConfigMap": 1, "Service": 2}
    items = sorted(json.loads(proc.stdout)["items"], key=lambda o: order.get(o["kind"], 3))
    if not items or items[0]["kind"] != "Pod":
        raise BenchError("render-driver gave no driver pod")
    out = []
    for obj in items:
        if obj["kind"] not in COLLECTIONS:
            raise BenchError(f"render-driver gave a {obj['kind']}, which the ceiling client does not create")
        if obj["kind"] != "Pod" and not obj["metadata"].get("ownerReferences"):
            obj["metadata"]["ownerReferences"] = [{
                "apiVersion": "v1", "kind": "Pod", "name": items[0]["metadata"]["name"],
                "uid": POD_UID_MARK, "controller": True}]
        text = json.dumps(obj).replace(app_uid, UID_MARK)
        out.append((f"/api/v1/namespaces/{ns}/{COLLECTIONS[obj['kind']]}", text))
    return out


def instantiate(text, name):
    """The template's text for application `name`: fresh ids and hashes in every generated name."""
    fresh = {}

    def repl(m):
        tok = m.group(0)
        if tok not in fresh:
            fresh[tok] = str(uuid.uuid4()) if "-" in tok else os.urandom(len(tok)).hex()[:len(tok)]
        return fresh[tok]

    return TOKENS.sub(repl, text).replace(TEMPLATE_NAME, name)


# ---- one phase ----------------------------------------------------------------------------------

def make_namespace(cluster, ns):
    cluster.api("POST", "/api/v1/namespaces",
                {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
    cluster.api("POST", f"/api/v1/namespaces/{ns}/serviceaccounts",
                {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "spark"}})


def delete_namespace(cluster, ns, timeout=900):
    """Deletes the namespace (finalizers of its SparkApplications removed first, since their
    operator is gone) and waits until it is gone."""
    path = APPS.format(ns=ns) + "?limit=500"
    cont = ""
    while True:
        data = cluster.api("GET", path + (f"&continue={urllib.parse.quote(cont)}" if cont else ""))
        for app in data["items"]:
            if app["metadata"].get("finalizers"):
                cluster.api("PATCH", APPS.format(ns=ns) + "/" + app["metadata"]["name"],
                            {"metadata": {"finalizers": None}})
        cont = data["metadata"].get("continue")
        if not cont:
            break
    cluster.request("DELETE", f"/api/v1/namespaces/{ns}")
    deadline = time.time() + timeout
    while cluster.get(f"/api/v1/namespaces/{ns}") is not None:
        if time.time() > deadline:
            log(f"namespace {ns} still there after {timeout} s; going on")
            return
        time.sleep(1)
    # Gone is not done: kube-controller-manager's controllers go on cleaning up for minutes, each
    # at its client's 20 requests/s (the garbage collector GETs every deleted ConfigMap and
    # Service, the endpoints controller DELETEs the Endpoints of every deleted Service), while
    # the process itself looks idle. The next phase would pay for them: wait for the API server.
    waited = wait_api_idle(cluster, timeout=900)
    log(f"namespace {ns}: the cluster cleaned up after it in {waited:.0f} s")


def wait_api_idle(cluster, timeout, window=5.0, rate=5.0):
    """Until the API server answers fewer than `rate` requests/s over `window` seconds (an idle
    test cluster: about 1/s). Returns the seconds waited."""
    def answered():
        return sum(v for k, v in api_requests(cluster).items() if not k.startswith("WATCH"))

    t0 = time.monotonic()
    last = answered()
    while time.monotonic() - t0 < timeout:
        time.sleep(window)
        now = answered()
        if now - last < rate * window:
            return time.monotonic() - t0
        last = now
    log(f"the API server is still busy {timeout} s after the namespace went; going on")
    return time.monotonic() - t0


def machine_busy_seconds():
    """CPU seconds the whole machine spent busy so far (every core; /proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / CLK


def own_cpu_seconds():
    t = os.times()
    return t.user + t.system


def component_cpu(cluster):
    """CPU seconds so far of each cluster component, from the cluster's pids file."""
    out = {}
    for line in (cluster.dir / "pids").read_text().splitlines():
        name, _, pid = line.partition(" ")
        if pid.strip().isdigit():
            out[name] = pid_cpu_seconds(int(pid))
    return out


def api_requests(cluster):
    """kube-apiserver's request counts so far, by "VERB resource[/subresource]", with the status
    code when it is not 2xx (every client: the operator, the bench, the scheduler, kwok,
    kube-controller-manager), from its /metrics."""
    status, text = cluster.request("GET", "/metrics")
    if status != 200 or not isinstance(text, str):
        return {}
    out = {}
    for line in text.splitlines():
        if not line.startswith("apiserver_request_total{"):
            continue
        labels = dict(re.findall(r'(\w+)="([^"]*)"', line[:line.rindex("}")]))
        what = labels.get("resource", "") + ("/" + labels["subresource"] if labels.get("subresource") else "")
        key = f"{labels.get('verb', '?')} {what}"
        if not labels.get("code", "200").startswith("2"):
            key += f" {labels['code']}"
        out[key] = out.get(key, 0) + float(line.rsplit(" ", 1)[1])
    return out


def requests_per_app(before, after, n):
    """The requests made meanwhile, per application, those >= 0.05 per app, most first."""
    diff = {k: (after.get(k, 0) - before.get(k, 0)) / n for k in after}
    return dict(sorted(((k, round(v, 2)) for k, v in diff.items() if v >= 0.05), key=lambda kv: -kv[1]))


def create_all(cluster, ns, n, workers, per_app, rate=None):
    """Runs per_app(client, i) for i in 0..n-1 on `workers` threads, as fast as they go or, with
    `rate`, application i not before i / rate s after the start; returns the CPU seconds the
    worker threads used."""
    counter = itertools.count()
    cpu = [0.0] * workers
    errors = []
    start = time.monotonic()

    def worker(w):
        client = Client(cluster)
        t0 = time.thread_time()
        try:
            while not errors:
                i = next(counter)
                if i >= n:
                    break
                if rate:
                    wait = start + i / rate - time.monotonic()
                    if wait > 0:
                        time.sleep(wait)
                per_app(client, i)
        except Exception as e:  # noqa: BLE001 - reported by the caller
            errors.append(e)
        finally:
            cpu[w] = time.thread_time() - t0
            client.close()

    threads = [threading.Thread(target=worker, args=(w,), daemon=True) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise BenchError(f"creating applications in {ns}: {errors[0]}")
    return sum(cpu)


def run_phase(cluster, args, contender, ns, n, start_operator=None, timeout=600.0,
              templates=None, settle_max=30.0, on_settled=None, rate=None, delete_after=True):
    """Creates n applications in a fresh namespace ns and measures until each has a driver pod
    (or `timeout` s after the first create); on_settled(operator, figures) may add figures
    before the operator stops. Returns the figures as a dict."""
    make_namespace(cluster, ns)
    apps_path = APPS.format(ns=ns)
    bodies = [json.dumps(app_manifest(app_name(i), ns)).encode() for i in range(n)]
    objects = None
    if templates is not None:  # the ceiling: the operator's objects, made ready beforehand
        objects = [[(p, instantiate(t, app_name(i))) for p, t in templates] for i in range(n)]
    op = start_operator(ns) if start_operator else None
    sampler = TreeSampler(op.pid) if op else None
    watch = DriverPodWatch(cluster, ns)
    watch.start()
    created = [0.0] * n
    try:
        if sampler:
            sampler.start()
            time.sleep(1.0)  # the operator's start-up is not part of the run
        cpu0 = sampler.cpu_seconds() if sampler else 0.0
        comp0 = component_cpu(cluster)
        requests0 = api_requests(cluster)
        busy0, own0 = machine_busy_seconds(), own_cpu_seconds()

        def per_app(client, i):
            data = client.post(apps_path, bodies[i])
            created[i] = time.monotonic()
            if objects is None:
                return
            if data is None:
                data = json.dumps(cluster.api("GET", f"{apps_path}/{app_name(i)}")).encode()
            uid = json.loads(data)["metadata"]["uid"]
            pod_uid = None
            for path, text in objects[i]:
                text = text.replace(UID_MARK, uid)
                if pod_uid is not None:
                    client.post(path, text.replace(POD_UID_MARK, pod_uid).encode())
                    continue
                pod = client.post(path, text.encode())  # the driver pod: its uid for the rest
                if pod is None:
                    name = json.loads(text)["metadata"]["name"]
                    pod = json.dumps(cluster.api("GET", f"{path}/{name}")).encode()
                pod_uid = json.loads(pod)["metadata"]["uid"]

        t0 = time.monotonic()
        client_cpu = create_all(cluster, ns, n, args.workers, per_app, rate)
        t_created = time.monotonic()
        names = [app_name(i) for i in range(n)]
        complete = watch.wait_for(names, t0 + timeout, op.check_alive if op else None)
        t_end = time.monotonic()
        with watch.cond:
            seen = {k: v for k, v in watch.seen.items()}
        got = [i for i, nm in enumerate(names) if nm in seen]
        t_last = max((seen[names[i]] for i in got), default=t_end)
        cpu_pods = sampler.cpu_seconds() - cpu0 if sampler else 0.0
        comp_pods = component_cpu(cluster)
        busy_pods, own_pods = machine_busy_seconds(), own_cpu_seconds()
        t_measured = time.monotonic()
        # Settle: until the operator's tree is idle (< 5% of a core over 2 s), for the work that
        # follows a pod's creation (status updates). Not when capped: it never idles then.
        settled_after = 0.0
        if sampler and complete:
            s_deadline = time.monotonic() + settle_max
            last = sampler.cpu_seconds()
            while time.monotonic() < s_deadline:
                time.sleep(2.0)
                now_cpu = sampler.cpu_seconds()
                if now_cpu - last < 0.1:
                    break
                last = now_cpu
            settled_after = time.monotonic() - t_last
        cpu_settled = sampler.cpu_seconds() - cpu0 if sampler else 0.0
        comp1 = component_cpu(cluster)
        requests1 = api_requests(cluster)
        lat = [(seen[names[i]] - created[i]) * 1000 for i in got]
        res = {
            "contender": contender, "namespace": ns, "apps": n, "driver_pods": len(got),
            "paced_rate": rate,
            "complete": complete, "timeout_s": timeout,
            "create_s": round(t_created - t0, 3),
            "create_rate": round(n / (t_created - t0), 1) if t_created > t0 else None,
            "elapsed_s": round(t_last - t0, 3),
            "apps_per_s": round(len(got) / (t_last - t0), 2) if got and t_last > t0 else 0.0,
            "p50_ms": round(percentile(lat, 50), 1) if lat else None,
            "p99_ms": round(percentile(lat, 99), 1) if lat else None,
            "max_ms": round(max(lat), 1) if lat else None,
            "client_cpu_s": round(client_cpu, 2),
            "bench_process_cpu_s": round(own_pods - own0, 2),
            "machine_busy_cores": round((busy_pods - busy0) / (t_measured - t0), 2),
            "others_cpu_s": round((busy_pods - busy0) - (own_pods - own0) - cpu_pods
                                  - (sum(comp_pods.values()) - sum(comp0.values())), 2),
            "apiserver_cpu_s": round(comp_pods.get("kube-apiserver", 0) - comp0.get("kube-apiserver", 0), 2),
            "etcd_cpu_s": round(comp_pods.get("etcd", 0) - comp0.get("etcd", 0), 2),
            "cluster_cpu_s": round(sum(comp1.values()) - sum(comp0.values()), 2),
            # Per component, first create -> last driver pod (the settle time left out).
            "component_cpu_to_last_pod_s": {k: round(comp_pods.get(k, 0) - comp0.get(k, 0), 2)
                                            for k in sorted(comp_pods)},
            "watch_error": repr(watch.error) if watch.error else None,
            "api_requests_per_app": requests_per_app(requests0, requests1, n),
        }
        if sampler:
            res.update({
                "operator_cpu_s": round(cpu_settled, 2),
                "operator_cpu_to_last_pod_s": round(cpu_pods, 2),
                "settled_after_s": round(settled_after, 1),
                "cpu_ms_per_app": round(cpu_settled / len(got) * 1000, 1) if got else None,
                "peak_tree_rss_mb": round(sampler.peak_rss / 2**20, 1),
                "operator_hwm_mb": round(op.hwm_mb(), 1),
                "operator_rss_mb": round(op.rss_mb(), 1),
                "peak_processes": sampler.peak_procs,
            })
            if on_settled:
                on_settled(op, res)
    finally:
        watch.stop()
        if sampler:
            sampler.stop()
        if op:
            op.stop()
    if delete_after:  # not before the cluster is torn down anyway
        delete_namespace(cluster, ns)
    return res


# ---- contenders -------------------------------------------------------------------------------

def sparkplane_operator_available(binary):
    """`sparkplane operator` exists: listed by --help and its own --help answers for it."""
    try:
        top = subprocess.run([binary, "--help"], capture_output=True, text=True, timeout=10)
        own = subprocess.run([binary, "operator", "--help"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    listed = re.search(r"^\s+operator\s", top.stdout, re.M) is not None
    return listed and own.returncode == 0 and re.search(r"Usage:.*\boperator\b", own.stdout) is not None


def start_sparkplane(binary, cluster, workdir, extra_args=()):
    extra_args = list(extra_args)

    def start(ns):
        port = free_port()
        return Operator("sparkplane operator",
                        [binary, "operator", "--kubeconfig", cluster.kubeconfig, "--namespaces", ns,
                         "--listen", f"127.0.0.1:{port}"] + extra_args,
                        dict(os.environ), Path(workdir) / f"sparkplane-{ns}.log",
                        f"http://127.0.0.1:{port}/readyz")
    return start


def kubeflow_paths():
    out = subprocess.run([str(KUBEFLOW_BUILD), "--paths"], capture_output=True, text=True, check=True).stdout
    return {k: shlex.split(v)[0] for k, _, v in (line.partition("=") for line in out.splitlines())}


def rsa_kubeconfig(cluster, path):
    """A kubeconfig with an RSA client certificate (group system:masters) signed by the
    cluster's CA: fabric8, the Kubernetes client of spark-submit, reads RSA keys only."""
    pki = cluster.dir / "pki"
    key, csr, crt, ext = (pki / f"kubeflow.{s}" for s in ("key", "csr", "crt", "ext"))

    def run(*cmd):
        subprocess.run(cmd, check=True, capture_output=True)

    run("openssl", "genrsa", "-out", str(key), "2048")
    run("openssl", "req", "-new", "-key", str(key), "-subj", "/O=system:masters/CN=kubeflow-spark-operator",
        "-out", str(csr))
    ext.write_text("keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n")
    run("openssl", "x509", "-req", "-in", str(csr), "-CA", str(pki / "ca.crt"), "-CAkey", str(pki / "ca.key"),
        "-CAcreateserial", "-days", "2", "-extfile", str(ext), "-out", str(crt))

    def b64(p):
        return base64.b64encode(Path(p).read_bytes()).decode()

    Path(path).write_text(f"""apiVersion: v1
kind: Config
clusters:
- name: bench
  cluster:
    server: {cluster.server}
    certificate-authority-data: {b64(pki / "ca.crt")}
users:
- name: kubeflow
  user:
    client-certificate-data: {b64(crt)}
    client-key-data: {b64(key)}
contexts:
- name: bench
  context: {{cluster: bench, user: kubeflow, namespace: default}}
current-context: bench
""")
    os.chmod(path, 0o600)


def spark_home():
    try:
        import pyspark
    except ImportError:
        raise BenchError("pyspark is not importable: run the bench with the venv's python "
                         "(~/.cache/sparkplane/venv, made by scripts/deps.sh)") from None
    home = Path(pyspark.__file__).parent
    if not os.access(home / "bin" / "spark-submit", os.X_OK):
        raise BenchError(f"{home}/bin/spark-submit is missing")
    return str(home)


def start_kubeflow(binary, cluster, workdir):
    kubeconfig = Path(workdir) / "kubeflow.kubeconfig"
    rsa_kubeconfig(cluster, kubeconfig)
    u = urllib.parse.urlsplit(cluster.server)
    home = Path(workdir) / "kubeflow-home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON", "HADOOP_CONF_DIR", "SPARK_CONF_DIR",
                        "SPARK_LOCAL_DIRS", "SPARK_USER", "YARN_CONF_DIR", "KUBECONFIG")}
    # As in its image: spark-submit under SPARK_HOME, the API server from the service env.
    env.update(SPARK_HOME=spark_home(), KUBECONFIG=str(kubeconfig), HOME=str(home),
               KUBERNETES_SERVICE_HOST=u.hostname, KUBERNETES_SERVICE_PORT=str(u.port))

    def start(ns):
        port = free_port()
        return Operator("Kubeflow spark-operator",
                        [binary, "controller", "start", "--kubeconfig", str(kubeconfig),
                         f"--namespaces={ns}", "--leader-election=false",
                         f"--health-probe-bind-address=127.0.0.1:{port}", "--metrics-bind-address=0"],
                        env, Path(workdir) / f"kubeflow-{ns}.log", f"http://127.0.0.1:{port}/readyz")
    return start


# ---- the cluster --------------------------------------------------------------------------------

def apply_crds(cluster, extra_dir=None):
    """sparkplane's CRDs (deploy/helm/sparkplane/crds), and from extra_dir the CRDs they lack (Kubeflow's
    SparkConnect, which its controller watches)."""
    crds = {}
    for f in sorted((REPO / "deploy" / "helm" / "sparkplane" / "crds").glob("*.yaml")):
        doc = yaml.safe_load(f.read_text())
        crds[doc["metadata"]["name"]] = doc
    if extra_dir:
        for f in sorted(Path(extra_dir).glob("*.yaml")):
            doc = yaml.safe_load(f.read_text())
            crds.setdefault(doc["metadata"]["name"], doc)
    for doc in crds.values():
        cluster.api("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", doc)
    for name in crds:
        cluster.wait(f"CRD {name} established", lambda name=name: any(
            c["type"] == "Established" and c["status"] == "True" for c in cluster.api(
                "GET", f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}")
            .get("status", {}).get("conditions") or []), timeout=60)
    return sorted(crds)


def add_nodes(cluster, pods):
    """Fake nodes (kwok) big enough for `pods` driver pods at once: 5,000 pods each."""
    count = max(1, math.ceil(pods / 5000))
    names = [f"bench-node-{i}" for i in range(count)]
    for name in names:
        cluster.api("POST", "/api/v1/nodes", {
            "apiVersion": "v1", "kind": "Node",
            "metadata": {"name": name,
                         "annotations": {"kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0"},
                         "labels": {"type": "kwok", "kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
                                    "kubernetes.io/arch": "amd64"}},
            "status": {"allocatable": {"cpu": "100000", "memory": "1000Ti", "pods": "5000"},
                       "capacity": {"cpu": "100000", "memory": "1000Ti", "pods": "5000"}}})

    def ready():
        for name in names:
            node = cluster.api("GET", f"/api/v1/nodes/{name}")
            if not any(c["type"] == "Ready" and c["status"] == "True"
                       for c in node.get("status", {}).get("conditions", [])):
                return False
            if any(t["key"].startswith("node.kubernetes.io/") for t in node.get("spec", {}).get("taints") or []):
                return False
        return True

    cluster.wait("bench nodes Ready", ready, timeout=120, interval=0.5)
    return count


# ---- report -------------------------------------------------------------------------------------

def fmt(v, spec=".1f", none="-"):
    return none if v is None else format(v, spec)


def print_report(results, args, notes):
    rows = []
    for key, label in (("ceiling", "API server ceiling (client)"), ("sparkplane", "sparkplane operator"),
                       ("kubeflow", f"Kubeflow {results.get('kubeflow_version', '')}")):
        r = results.get(key)
        if key not in args.contenders:
            continue
        if isinstance(r, str):
            rows.append(f"{label:<30} {r}")
            continue
        capped = "" if r["complete"] else f"  CAPPED: {r['driver_pods']}/{r['apps']} pods in {r['timeout_s']:.0f} s"
        cpu = r.get("operator_cpu_s")
        cpu_s = f"{cpu:8.1f}" if cpu is not None else f"{'(' + format(r['client_cpu_s'], '.1f') + ')':>8}"
        rss = (f"{r['peak_tree_rss_mb']:8.0f} / {r['operator_hwm_mb']:.0f}"
               if "peak_tree_rss_mb" in r else f"{'-':>8}")
        rows.append(f"{label:<30} {r['driver_pods']:>6} {r['apps_per_s']:>8.1f} {fmt(r['p50_ms'], '.0f'):>8} "
                    f"{fmt(r['p99_ms'], '.0f'):>8} {cpu_s} {rss:<14} {r['apiserver_cpu_s'] + r['etcd_cpu_s']:>8.1f}{capped}")
    print(f"== Kubernetes operator: {args.apps} SparkApplications created as fast as the API server takes "
          f"them, one test cluster, one run ==")
    print(f"{'contender':<30} {'pods':>6} {'apps/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'CPU s':>8} "
          f"{'RSS MB pk/own':<14} {'api+etcd':>8}")
    for row in rows:
        print(row)
    print("  apps/s: driver pods / (last driver pod seen - first create); p50/p99: create answered -> "
          "driver pod seen by a watch")
    print("  CPU s: the operator's process tree (its spark-submit JVMs included), first create -> settled; "
          "(x): the client's own CPU, for the ceiling")
    print("  RSS: peak of the tree's summed RSS / the operator process's own VmHWM; api+etcd: their CPU s "
          "until the last pod")
    ce, sp, kf = (results.get(k) for k in ALL_CONTENDERS)
    ok = lambda r: isinstance(r, dict) and r["driver_pods"]  # noqa: E731
    print("API requests per application (every client; first create -> settled; WATCH and LIST left out):")
    for key in ALL_CONTENDERS:
        r = results.get(key)
        if isinstance(r, dict) and r.get("api_requests_per_app"):
            per = {k: v for k, v in r["api_requests_per_app"].items() if not k.startswith(("WATCH", "LIST"))}
            writes = sum(v for k, v in per.items() if not k.startswith("GET"))
            print(f"  {key}: {writes:.1f} writes: " + ", ".join(f"{k} {v:g}" for k, v in per.items()))
    print("ratios:")
    pairs = [(r["ceiling"]["apps_per_s"], r["sparkplane"]["apps_per_s"]) for r in results.get("rounds", [])
             if r.get("ceiling", {}).get("apps_per_s") and r.get("sparkplane", {}).get("apps_per_s")]
    if pairs:
        shares = [s / c * 100 for c, s in pairs]
        each = "; ".join(f"{c:.1f} / {s:.1f} = {share:.0f}%" for (c, s), share in zip(pairs, shares))
        print(f"  sparkplane / API server ceiling: {statistics.median(shares):.0f}% (goal >= 80%), the median "
              f"of {len(pairs)} rounds (ceiling / sparkplane apps/s: {each})")
    if ok(sp):
        print(f"  sparkplane: {sp['apps_per_s']:.1f} apps/s (goal >= 50), p99 {sp['p99_ms'] / 1000:.2f} s "
              f"(goal < 1 s)")
        for paced in results.get("sparkplane_paced", []):
            if not paced["driver_pods"]:
                continue
            print(f"  sparkplane paced at {paced['paced_rate']} apps/s ({paced['paced_share'] * 100:.0f}% of the "
                  f"rate above): p50 {paced['p50_ms'] / 1000:.2f} s, p99 {paced['p99_ms'] / 1000:.2f} s "
                  f"(goal < 1 s); {paced['apps_per_s']:.1f} apps/s, the machine busy "
                  f"{paced['machine_busy_cores']:.2f} of {os.cpu_count()} cores")
        held = results.get("sparkplane_held")
        if isinstance(held, dict):
            got = "" if held["complete"] else (f", CAPPED: {held['driver_pods']} driver pods in "
                                               f"{held['timeout_s']:.0f} s")
            print(f"  sparkplane holding {held['apps']} applications{got}: RSS {held['held_rss_mb']:.1f} MB, "
                  f"VmHWM {held['operator_hwm_mb']:.1f} MB (goal < 50 MB); {held['apps_per_s']:.1f} apps/s "
                  f"to get there")
    if ok(sp) and ok(kf):
        print(f"  sparkplane vs Kubeflow: {sp['apps_per_s'] / kf['apps_per_s']:.0f}x the apps/s, "
              f"{kf['cpu_ms_per_app'] / sp['cpu_ms_per_app']:.0f}x less CPU per app, "
              f"{kf['peak_tree_rss_mb'] / sp['peak_tree_rss_mb']:.0f}x less peak RSS"
              + ("" if kf["complete"] else " (Kubeflow capped)"))
    if ok(kf) and ok(ce):
        print(f"  Kubeflow / API server ceiling: {kf['apps_per_s'] / ce['apps_per_s'] * 100:.2f}%"
              f"; {kf['cpu_ms_per_app'] / 1000:.2f} CPU s per application"
              + ("" if kf["complete"] else f" (capped after {kf['timeout_s']:.0f} s)"))
    if ok(ce):
        share = ce["bench_process_cpu_s"] / ce["elapsed_s"] * 100
        notes.append(f"the ceiling's client is Python (threads on kept-alive connections): its process used "
                     f"{ce['bench_process_cpu_s']:.1f} CPU s, {share:.0f}% of one core, while kube-apiserver "
                     f"and etcd used {ce['apiserver_cpu_s'] + ce['etcd_cpu_s']:.1f} s and the whole cluster "
                     f"{ce['cluster_cpu_s']:.1f} s: " + ("the client is not the limit" if share < 35 else
                                                          "the client may be part of the limit"))
    for key in ALL_CONTENDERS:
        r = results.get(key)
        if isinstance(r, dict) and r.get("others_cpu_s", 0) > 0.2 * r["elapsed_s"]:
            notes.append(f"{key}: processes outside the bench (other work on this machine) used "
                         f"{r['others_cpu_s']:.0f} CPU s during its {r['elapsed_s']:.0f} s "
                         f"(machine busy {r['machine_busy_cores']:.1f} cores of {os.cpu_count()})")
    for note in notes:
        print(f"note: {note}")
    print(json.dumps(results, default=str))


# ---- main -----------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=str(REPO / "build" / "sparkplane"), help="the sparkplane binary")
    ap.add_argument("--apps", type=int, default=2000, help="applications per contender")
    ap.add_argument("--contenders", default=",".join(ALL_CONTENDERS),
                    help="comma-separated, in this order: ceiling, sparkplane, kubeflow")
    ap.add_argument("--held-apps", type=int, default=10000,
                    help="sparkplane's second phase: RSS holding this many applications (0: skip)")
    ap.add_argument("--held-timeout", type=float, default=1800,
                    help="cap of sparkplane's holding phase, seconds from its first create")
    ap.add_argument("--kubeflow-timeout", type=float, default=600,
                    help="cap of the Kubeflow run, seconds from its first create")
    ap.add_argument("--kubeflow-apps", type=int, default=None,
                    help="applications created for Kubeflow (default --apps)")
    ap.add_argument("--timeout", type=float, default=600, help="cap of every other phase, seconds")
    ap.add_argument("--workers", type=int, default=16, help="client threads creating applications")
    ap.add_argument("--rounds", type=int, default=2,
                    help="ceiling and sparkplane bursts, alternated this many times (each in its own "
                         "namespace): this machine's speed drifts by tens of percent between minutes, so "
                         "the share is the median of the rounds' shares")
    ap.add_argument("--operator-args", default="", help="more flags for `sparkplane operator`")
    ap.add_argument("--paced-share", default="0.5,0.8",
                    help="sparkplane's paced phases: the same applications created at each of these "
                         "shares of the rate it sustained, for its latency below saturation (0: none)")
    ap.add_argument("--keep-cluster", action="store_true",
                    help="leave the cluster running at the end (its directory is printed)")
    args = ap.parse_args()
    args.contenders = [c.strip() for c in args.contenders.split(",") if c.strip()]
    bad = [c for c in args.contenders if c not in ALL_CONTENDERS]
    if bad:
        raise BenchError(f"unknown contender {bad[0]!r} (ceiling, sparkplane, kubeflow)")
    args.contenders.sort(key=ALL_CONTENDERS.index)
    kf_apps = args.kubeflow_apps or args.apps

    # Everything needed, before a cluster starts.
    if not os.access(args.bin, os.X_OK):
        raise BenchError(f"{args.bin} is not built (make build, or --bin)")
    if not binaries_built():
        log("building the test cluster (scripts/cluster/build.sh; 10-30 min the first time)")
        if subprocess.run([str(CLUSTER_BUILD)], stdout=subprocess.DEVNULL).returncode:
            raise BenchError("scripts/cluster/build.sh failed")
    results, notes = {}, []
    have_sparkplane = "sparkplane" in args.contenders and sparkplane_operator_available(args.bin)
    if "sparkplane" in args.contenders and not have_sparkplane:
        results["sparkplane"] = "sparkplane operator: not available yet"
    kf = None
    if "kubeflow" in args.contenders:
        kf = kubeflow_paths()
        if not os.access(kf["KUBEFLOW_OPERATOR"], os.X_OK):
            log("building the Kubeflow Spark Operator (scripts/kubeflow/build.sh; minutes the first time)")
            t = time.monotonic()
            if subprocess.run([str(KUBEFLOW_BUILD)], stdout=subprocess.DEVNULL).returncode:
                raise BenchError("scripts/kubeflow/build.sh failed")
            notes.append(f"built the Kubeflow Spark Operator in {time.monotonic() - t:.0f} s")
        if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
            raise BenchError("java is not installed (spark-submit needs Java 17+)")
        spark_home()
        results["kubeflow_version"] = kf["KUBEFLOW_VERSION"]

    try:
        paced_shares = [float(s) for s in args.paced_share.split(",") if float(s) > 0]
    except ValueError:
        raise BenchError(f"--paced-share {args.paced_share!r}: give shares such as 0.5,0.8") from None
    # Each phase deletes its namespace, and waits until it is gone, before the next one starts:
    # the nodes hold one phase's pods at a time.
    pods_at_once = max([args.apps] + ([kf_apps] if kf else []) + ([args.held_apps] if have_sparkplane else []))
    workdir = tempfile.mkdtemp(prefix="sp-operator-bench-")
    cluster = KubeCluster(nodes=1, timeout=120)
    try:
        log(f"starting the test cluster in {cluster.dir}")
        cluster.start()
        nodes = add_nodes(cluster, pods_at_once)
        crds = apply_crds(cluster, kf["KUBEFLOW_CRDS"] if kf else None)
        t_crds = time.monotonic()
        results["cluster"] = {"kubernetes": cluster.version, "bench_nodes": nodes, "crds": crds,
                              "cores": os.cpu_count(), "workers": args.workers}

        start = start_sparkplane(args.bin, cluster, workdir, shlex.split(args.operator_args))
        # A fresh cluster is slow for its first minute (kube-controller-manager's garbage collector
        # finds the CRDs up to 30 s after they exist and GETs every owner until then): warm it up
        # with the ceiling's objects, measured by no one, so that no contender runs first on it.
        log(f"warming the cluster up: {WARMUP_APPS} applications, not measured")
        run_phase(cluster, args, "ceiling", "bench-warmup", WARMUP_APPS, timeout=args.timeout,
                  templates=ceiling_templates(args.bin, "bench-warmup", f"k8s://{cluster.server}", workdir))
        time.sleep(max(0.0, 30 - (time.monotonic() - t_crds)))
        rounds = []
        for rnd in range(1, max(1, args.rounds) + 1):
            suffix = "" if rnd == 1 else f"-{rnd}"
            this = {}
            if "ceiling" in args.contenders:
                log(f"round {rnd}: API server ceiling: {args.apps} applications and their driver objects, "
                    f"from Python")
                ns = "bench-ceiling" + suffix
                templates = ceiling_templates(args.bin, ns, f"k8s://{cluster.server}", workdir)
                this["ceiling"] = run_phase(cluster, args, "ceiling", ns, args.apps,
                                            timeout=args.timeout, templates=templates)
                this["ceiling"]["objects_per_app"] = 1 + len(templates)
                log(f"round {rnd}: ceiling: {this['ceiling']['apps_per_s']} apps/s")
            if have_sparkplane:
                log(f"round {rnd}: sparkplane operator: {args.apps} applications")
                this["sparkplane"] = run_phase(cluster, args, "sparkplane", "bench-sparkplane" + suffix,
                                               args.apps, start_operator=start, timeout=args.timeout)
                log(f"round {rnd}: sparkplane: {this['sparkplane']['apps_per_s']} apps/s")
            rounds.append(this)
        results.update(rounds[0])  # the first round's full figures; every round's below
        results["rounds"] = [{k: {f: r[f] for f in ("apps_per_s", "p99_ms", "cluster_cpu_s",
                                                     "component_cpu_to_last_pod_s")}
                              for k, r in rnd.items()} for rnd in rounds]
        if have_sparkplane:
            results["sparkplane_paced"] = []
            for share in paced_shares:
                rate = round(results["sparkplane"]["apps_per_s"] * share, 1)
                log(f"sparkplane operator: {args.apps} applications paced at {rate}/s")
                paced = run_phase(cluster, args, "sparkplane", f"bench-sparkplane-paced-{share * 100:.0f}",
                                  args.apps, start_operator=start, timeout=args.timeout, rate=rate)
                paced["paced_share"] = share
                results["sparkplane_paced"].append(paced)
        if kf:
            log(f"Kubeflow Spark Operator {kf['KUBEFLOW_VERSION']}: {kf_apps} applications, "
                f"capped at {args.kubeflow_timeout:.0f} s")
            start_kf = start_kubeflow(kf["KUBEFLOW_OPERATOR"], cluster, workdir)
            results["kubeflow"] = run_phase(cluster, args, "kubeflow", "bench-kubeflow", kf_apps,
                                            start_operator=start_kf, timeout=args.kubeflow_timeout)
            log(f"kubeflow: {results['kubeflow']['apps_per_s']} apps/s")
        # Last: the cluster's controllers take half an hour to clean up after ten thousand
        # applications (at their 20 requests/s), which no later phase has to wait for.
        if have_sparkplane and args.held_apps:
            log(f"sparkplane operator: holding {args.held_apps} applications")

            def held_rss(op, res):
                time.sleep(5)  # a little more than idle: caches settled
                res["held_rss_mb"] = round(op.rss_mb(), 1)

            results["sparkplane_held"] = run_phase(
                cluster, args, "sparkplane", "bench-sparkplane-held", args.held_apps,
                start_operator=start, timeout=args.held_timeout,
                settle_max=120.0, on_settled=held_rss, delete_after=False)
    finally:
        for op in list(RUNNING):
            op.stop()
        if args.keep_cluster:
            log(f"cluster kept in {cluster.dir} (KUBECONFIG={cluster.kubeconfig}); "
                f"stop it with scripts/cluster/down.sh --purge {cluster.dir}")
        else:
            try:
                cluster.stop(purge=True)
            except Exception as e:  # noqa: BLE001 - cleaning up; say so and go on
                log(f"stopping the cluster: {e}")
        shutil.rmtree(workdir, ignore_errors=True)
    print_report(results, args, notes)
    return 0


def _interrupted(signum, _frame):
    raise KeyboardInterrupt(f"signal {signum}")


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _interrupted)
    signal.signal(signal.SIGINT, _interrupted)  # also when started with SIGINT ignored (`cmd &`)
    try:
        sys.exit(main())
    except BenchError as e:
        sys.exit(f"operator-bench: error: {e}")
    except KeyboardInterrupt:
        sys.exit("operator-bench: interrupted; every process it started was stopped")

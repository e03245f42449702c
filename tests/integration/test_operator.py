"""End to end: `sparkplane operator` against a real test cluster (etcd, kube-apiserver,
kube-scheduler, kube-controller-manager for garbage collection, kwok as the kubelet).

The CRDs of deploy/helm/sparkplane/crds are applied, then `sparkplane operator` ($SPARKPLANE_BIN) reconciles
SparkApplications: it creates each driver's ConfigMap, Pod and Service itself, kwok runs the pod
(Pending -> Running) and a test ends it by annotating it `sparkplane.test/complete: succeeded`
or `failed` (scripts/cluster/kwok-stages.yaml). Each test works in namespaces of its own; the
module's operator watches those of the single-replica tests, and the leader election and API
server restart tests start their own operators on namespaces only they use.
"""
import glob
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from kube_cluster import KubeCluster, KubeError, require_binaries

REPO = Path(__file__).resolve().parents[2]
BIN = os.environ.get("SPARKPLANE_BIN", str(REPO / "build-asan" / "sparkplane"))
GROUP = "/apis/sparkoperator.k8s.io/v1beta2"
IMAGE = "apache/spark:4.1.1"
APP_NAME_LABEL = "sparkoperator.k8s.io/app-name"
SUBMISSION_LABEL = "sparkoperator.k8s.io/submission-id"

# Namespaces of the module's operator, one per test.
NAMESPACES = ["op-manifests", "analytics", "op-run", "op-retry", "op-invalidate", "op-suspend",
              "op-ttl", "op-sched", "op-delete"]


# ---- helpers ------------------------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def apps_path(ns, name="", plural="sparkapplications"):
    return f"{GROUP}/namespaces/{ns}/{plural}" + (f"/{name}" if name else "")


def create_namespace(kube, ns):
    status, body = kube.request("POST", "/api/v1/namespaces",
                                {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
    assert status in (201, 409), body
    # Pods need the namespace's default service account, made by kube-controller-manager.
    kube.wait(f"service account {ns}/default",
              lambda: kube.get(f"/api/v1/namespaces/{ns}/serviceaccounts/default"), timeout=30)


def spark_pi(name, **spec):
    app = {
        "apiVersion": "sparkoperator.k8s.io/v1beta2", "kind": "SparkApplication",
        "metadata": {"name": name},
        "spec": {
            "type": "Scala", "mode": "cluster", "image": IMAGE,
            "mainClass": "org.apache.spark.examples.SparkPi",
            "mainApplicationFile": "local:///opt/spark/examples/jars/spark-examples.jar",
            "arguments": ["10"], "sparkVersion": "4.1.1",
            "restartPolicy": {"type": "Never"},
            "driver": {"cores": 1, "memory": "512m", "labels": {"test": "operator"}},
            "executor": {"cores": 1, "instances": 1, "memory": "512m"},
        },
    }
    app["spec"].update(spec)
    return app


def apply(kube, ns, doc):
    doc = dict(doc, metadata=dict(doc["metadata"], namespace=ns))
    doc.pop("status", None)
    plural = doc["kind"].lower() + "s"
    return kube.api("POST", apps_path(ns, plural=plural) + "?fieldValidation=Strict", doc)


_gc_knows_apps = set()


def wait_gc_knows_apps(kube, timeout=120):
    """Waits until kube-controller-manager's garbage collector collects what a deleted
    SparkApplication owned: it learns of CRDs by discovery every 30 s, and the operator leaves
    the driver's objects to it (no finalizer, as Kubeflow's). Once per cluster."""
    if id(kube) in _gc_knows_apps:
        return
    ns = "gc-probe"  # watched by no operator
    create_namespace(kube, ns)
    owner = kube.api("POST", apps_path(ns), {
        "apiVersion": "sparkoperator.k8s.io/v1beta2", "kind": "SparkApplication",
        "metadata": {"name": "probe"}, "spec": spark_pi("probe")["spec"]})
    kube.api("POST", f"/api/v1/namespaces/{ns}/configmaps", {
        "apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "owned", "ownerReferences": [{
            "apiVersion": "sparkoperator.k8s.io/v1beta2", "kind": "SparkApplication",
            "name": "probe", "uid": owner["metadata"]["uid"]}]}})
    kube.api("DELETE", apps_path(ns, "probe"))
    kube.wait("the garbage collector to know SparkApplications", lambda: kube.get(
        f"/api/v1/namespaces/{ns}/configmaps/owned") is None, timeout=timeout)
    _gc_knows_apps.add(id(kube))


def app(kube, ns, name):
    return kube.get(apps_path(ns, name))


def state_of(obj):
    return ((obj or {}).get("status") or {}).get("applicationState", {}).get("state", "")


def wait_state(kube, ns, name, *states, timeout=60):
    def check():
        a = app(kube, ns, name)
        return a if state_of(a) in states else None
    try:
        return kube.wait(f"{ns}/{name} in {states}", check, timeout=timeout)
    except AssertionError as e:
        raise AssertionError(f"{e}; status now: {(app(kube, ns, name) or {}).get('status')}") from None


def pod(kube, ns, name):
    return kube.get(f"/api/v1/namespaces/{ns}/pods/{name}")


def wait_pod(kube, ns, name, phase="Running", submission=None, timeout=30):
    def check():
        p = pod(kube, ns, name)
        if not p or (phase and p.get("status", {}).get("phase") != phase):
            return None
        if submission and p["metadata"]["labels"].get(SUBMISSION_LABEL) != submission:
            return None
        return p
    return kube.wait(f"pod {ns}/{name} {phase}", check, timeout=timeout)


def finish(kube, ns, pod_name, how="succeeded"):
    kube.api("PATCH", f"/api/v1/namespaces/{ns}/pods/{pod_name}",
             {"metadata": {"annotations": {"sparkplane.test/complete": how}}})


def run_driver(kube, ns, name, how="succeeded", timeout=60):
    """Waits for the app's current driver to run, then ends it."""
    a = wait_state(kube, ns, name, "RUNNING", timeout=timeout)
    submission = a["status"]["submissionID"]
    wait_pod(kube, ns, a["status"]["driverInfo"]["podName"], submission=submission)
    finish(kube, ns, a["status"]["driverInfo"]["podName"], how)
    return submission


def events(kube, ns, name):
    items = kube.api("GET", f"/api/v1/namespaces/{ns}/events")["items"]
    return [e for e in items if e["involvedObject"].get("name") == name
            and e["involvedObject"].get("kind") == "SparkApplication"]


def reasons(kube, ns, name):
    return {e["reason"] for e in events(kube, ns, name)}


def owners(obj):
    return {(r["kind"], r["name"]) for r in obj["metadata"].get("ownerReferences", [])}


class Recorder:
    """Watches a namespace's SparkApplications (or pods) in a thread and keeps what it saw:
    each app's applicationState.state sequence (repeats folded), and each pod's uid."""

    def __init__(self, kube, ns, what="sparkapplications"):
        self.kube, self.ns, self.what = kube, ns, what
        self.states = {}
        self.pod_uids = {}  # app name -> set of driver pod uids
        self.submissions = {}  # app name -> set of submission ids of driver pods
        self._stop = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        path = (apps_path(self.ns) if self.what == "sparkapplications"
                else f"/api/v1/namespaces/{self.ns}/pods")
        rv = ""
        while not self._stop:
            try:
                q = f"{path}?allowWatchBookmarks=false&timeoutSeconds=30" + (
                    f"&resourceVersion={rv}" if rv else "")
                with self.kube.watch(q, timeout=40) as stream:
                    for ev in stream:
                        if self._stop:
                            return
                        obj = ev["object"]
                        rv = obj.get("metadata", {}).get("resourceVersion", rv)
                        if ev["type"] == "ERROR":
                            rv = ""
                            break
                        self._see(obj)
            except Exception:  # noqa: BLE001 - an API server restart ends the watch
                time.sleep(0.5)

    def _see(self, obj):
        meta = obj["metadata"]
        if self.what == "sparkapplications":
            seq = self.states.setdefault(meta["name"], [])
            s = state_of(obj)
            if not seq or seq[-1] != s:
                seq.append(s)
        else:
            labels = meta.get("labels", {})
            if labels.get("spark-role") == "driver":
                app_name = labels.get(APP_NAME_LABEL, "")
                self.pod_uids.setdefault(app_name, set()).add(meta["uid"])
                self.submissions.setdefault(app_name, set()).add(labels.get(SUBMISSION_LABEL))

    def stop(self):
        self._stop = True


class Operator:
    """One `sparkplane operator` process."""

    def __init__(self, kube, log_path, namespaces, extra=()):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_path)
        self.args = [BIN, "operator", "--kubeconfig", str(kube.kubeconfig),
                     "--namespaces", ",".join(namespaces), "--listen", f"127.0.0.1:{self.port}",
                     "--default-image", IMAGE, "--workers", "4"] + list(extra)
        self.proc = None

    def start(self, wait_ready=True):
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(self.args, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        if wait_ready:
            self.wait_ready()
        return self

    def get(self, path):
        try:
            with urllib.request.urlopen(self.url + path, timeout=2) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def wait_ready(self, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            assert self.proc.poll() is None, f"operator exited {self.proc.returncode}: {self.tail()}"
            try:
                if self.get("/readyz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError("operator not ready: " + self.tail())

    def tail(self, n=30):
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.log.close()
        return self.proc.returncode if self.proc else None


# ---- fixtures -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def kube():
    require_binaries()
    if not os.access(BIN, os.X_OK):
        pytest.skip(f"{BIN} is not built (set SPARKPLANE_BIN)")
    cluster = KubeCluster(nodes=2).start()
    try:
        for crd in sorted(glob.glob(str(REPO / "deploy" / "helm" / "sparkplane" / "crds" / "*.yaml"))):
            cluster.api("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                        yaml.safe_load(Path(crd).read_text()))
        for crd in ("sparkapplications", "scheduledsparkapplications"):
            cluster.wait(f"CRD {crd} established", lambda crd=crd: any(
                c["type"] == "Established" and c["status"] == "True" for c in cluster.api(
                    "GET", f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/"
                           f"{crd}.sparkoperator.k8s.io").get("status", {}).get("conditions") or []))
        # What the Kubeflow-style manifests refer to.
        for pc in ("high", "low", "batch", "golden-high"):
            cluster.api("POST", "/apis/scheduling.k8s.io/v1/priorityclasses",
                        {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                         "metadata": {"name": pc}, "value": 1000})
        for ns in NAMESPACES:
            create_namespace(cluster, ns)
            cluster.api("POST", f"/api/v1/namespaces/{ns}/serviceaccounts",
                        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "spark"}})
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="module")
def operator(kube, tmp_path_factory):
    op = Operator(kube, tmp_path_factory.mktemp("operator") / "operator.log", NAMESPACES).start()
    yield op
    rc = op.stop()
    assert rc == 0, f"operator exited {rc}: {op.tail()}"


# ---- tests --------------------------------------------------------------------------------------

def test_examples_and_kubeflow_manifests_apply_and_submit(kube, operator):
    """Every SparkApplication of examples/ and tests/data (Kubeflow-style manifests) is accepted
    unchanged and submitted: its driver pod is created; scheduled ones get a schedule."""
    files = sorted(glob.glob(str(REPO / "examples" / "*.yaml")) +
                   glob.glob(str(REPO / "tests" / "data" / "manifests" / "*.yaml")) +
                   glob.glob(str(REPO / "tests" / "data" / "kube" / "*.yaml")))
    apps, scheduled = [], []
    for f in files:
        for doc in yaml.safe_load_all(Path(f).read_text()):
            if not doc or doc.get("apiVersion") != "sparkoperator.k8s.io/v1beta2":
                continue
            ns = "analytics" if doc["metadata"].get("namespace") == "analytics" else "op-manifests"
            name = doc["metadata"]["name"]
            if any(n == name and s == ns for s, n in apps + scheduled):
                doc["metadata"]["name"] = name = f"{name}-{len(apps)}"
            apply(kube, ns, doc)
            (apps if doc["kind"] == "SparkApplication" else scheduled).append((ns, name))
    assert len(apps) >= 6 and len(scheduled) >= 2
    for ns, name in apps:
        a = wait_state(kube, ns, name, "SUBMITTED", "RUNNING", timeout=60)
        driver = a["status"]["driverInfo"]["podName"]
        # Created; some stay Pending (a missing PersistentVolumeClaim, a node selector).
        p = wait_pod(kube, ns, driver, phase=None, submission=a["status"]["submissionID"])
        assert ("SparkApplication", name) in owners(p)
    for ns, name in scheduled:
        s = kube.wait(f"{ns}/{name} scheduled", lambda ns=ns, name=name: (
            kube.get(apps_path(ns, name, "scheduledsparkapplications")).get("status") or {}
        ).get("scheduleState") == "Scheduled", timeout=30)
        assert s


def test_store_and_runtime_live_suites(kube):
    """The OperatorLive* GoogleTest suites of unit_tests (next to $SPARKPLANE_BIN): KubeStore's
    Store contract and KubeRuntime's idempotent submission against this API server."""
    unit_tests = Path(BIN).parent / "unit_tests"
    if not unit_tests.exists():
        pytest.skip(f"{unit_tests} is not built")
    env = dict(os.environ, SPARKPLANE_TEST_KUBECONFIG=str(kube.kubeconfig),
               SPARKPLANE_TEST_KUBE_DIR=str(kube.dir))
    proc = subprocess.run([str(unit_tests), "--gtest_filter=OperatorLive*", "--gtest_color=no"],
                          env=env, capture_output=True, text=True, timeout=300)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-6000:]
    assert "[  PASSED  ] 2 tests." in out and "[  SKIPPED ]" not in out, out[-3000:]


def test_driver_resources_run_and_complete(kube, operator):
    ns, name = "op-run", "spark-pi"
    rec = Recorder(kube, ns)
    try:
        time.sleep(0.3)
        created = apply(kube, ns, spark_pi(name, sparkConf={"spark.ui.port": "4041"}))
        uid = created["metadata"]["uid"]
        a = wait_state(kube, ns, name, "RUNNING", timeout=60)
        st = a["status"]
        submission = st["submissionID"]
        assert st["driverInfo"]["podName"] == f"{name}-driver"

        # The driver Pod, owned by the app, with the operator's and Spark's labels.
        p = wait_pod(kube, ns, f"{name}-driver", submission=submission)
        labels = p["metadata"]["labels"]
        assert labels["spark-role"] == "driver"
        assert labels[APP_NAME_LABEL] == name
        assert labels["sparkoperator.k8s.io/launched-by-spark-operator"] == "true"
        assert labels["spark-app-selector"] == st["sparkApplicationId"]
        assert labels["test"] == "operator"
        assert [(r["kind"], r["name"], r["uid"]) for r in p["metadata"]["ownerReferences"]] == \
            [("SparkApplication", name, uid)]
        assert p["spec"]["containers"][0]["image"] == IMAGE
        # Its ConfigMap and headless Service, owned by the pod (garbage collected with it).
        cms = [c for c in kube.api("GET", f"/api/v1/namespaces/{ns}/configmaps")["items"]
               if ("Pod", p["metadata"]["name"]) in owners(c)]
        assert len(cms) == 1 and "spark.properties" in cms[0]["data"], cms
        props = cms[0]["data"]["spark.properties"]
        assert f"spark.kubernetes.namespace={ns}" in props
        assert f"spark.kubernetes.driver.pod.name={name}-driver" in props
        svcs = kube.api("GET", f"/api/v1/namespaces/{ns}/services")["items"]
        headless = [s for s in svcs if ("Pod", p["metadata"]["name"]) in owners(s)]
        assert len(headless) == 1 and headless[0]["spec"]["clusterIP"] == "None"
        assert headless[0]["spec"]["selector"]["spark-app-selector"] == st["sparkApplicationId"]
        ui = [s for s in svcs if ("SparkApplication", name) in owners(s)]
        assert [s["metadata"]["name"] for s in ui] == [f"{name}-ui-svc"]
        assert st["driverInfo"]["webUIServiceName"] == f"{name}-ui-svc"
        # Without sparkUIOptions the UI Service's port is spark.ui.port, as Kubeflow's.
        assert st["driverInfo"]["webUIPort"] == 4041
        assert st["driverInfo"]["webUIAddress"] == f"{ui[0]['spec']['clusterIP']}:4041"

        finish(kube, ns, p["metadata"]["name"], "succeeded")
        a = wait_state(kube, ns, name, "COMPLETED", timeout=30)
        st = a["status"]
        assert st["terminationTime"] and st["lastSubmissionAttemptTime"]
        assert st["submissionAttempts"] == 1 and st["executionAttempts"] == 1
        assert "errorMessage" not in st["applicationState"]
        # No finalizer (as Kubeflow's): the garbage collector deletes the driver's objects with
        # the app, and the app's own object is never written, only its status.
        assert "finalizers" not in a["metadata"]
        assert not any(k.startswith("sparkplane.io/") for k in a["metadata"].get("annotations", {}))
        kube.wait("the state sequence", lambda: rec.states.get(name, [])[-1:] == ["COMPLETED"])
        assert rec.states[name] == ["", "SUBMITTED", "RUNNING", "SUCCEEDING", "COMPLETED"]
        # The UI Service goes when the driver ends (Kubeflow's clean-up on termination).
        kube.wait("UI Service removed", lambda: kube.get(
            f"/api/v1/namespaces/{ns}/services/{name}-ui-svc") is None, timeout=30)
        kube.wait("events", lambda: {"SparkApplicationSubmitted", "SparkDriverRunning",
                                      "SparkDriverCompleted",
                                      "SparkApplicationCompleted"} <= reasons(kube, ns, name))
        # As the Kubeflow operator (v2): nothing recorded before the submission.
        assert "SparkApplicationAdded" not in reasons(kube, ns, name)
        ev = events(kube, ns, name)
        assert all(e["source"]["component"] == "sparkplane" for e in ev)
        assert all(e["involvedObject"]["uid"] == uid for e in ev)

        # Deleting the app deletes the driver pod and what it owned (GC).
        wait_gc_knows_apps(kube)
        kube.api("DELETE", apps_path(ns, name))
        kube.wait("app gone", lambda: app(kube, ns, name) is None, timeout=30)
        kube.wait("driver pod gone", lambda: pod(kube, ns, f"{name}-driver") is None, timeout=30)
        kube.wait("ConfigMap gone (GC)", lambda: kube.get(
            f"/api/v1/namespaces/{ns}/configmaps/{cms[0]['metadata']['name']}") is None, timeout=60)
    finally:
        rec.stop()

    status, metrics = operator.get("/metrics")
    assert status == 200
    for m in ("spark_application_count", "spark_application_submit_count",
              "spark_application_success_count", "spark_application_running_count",
              "spark_application_start_latency_seconds"):
        assert m in metrics, m


def test_ui_service_goes_with_a_driver_that_ends_after_an_operator_restart(kube, tmp_path):
    # The UI's names and address live in the app's status once observed: an operator started
    # after the submission still removes the UI Service when the driver ends (it used to keep
    # it, knowing the UI only from its own submission).
    ns, name = "op-ui-restart", "spark-pi"
    create_namespace(kube, ns)
    first = Operator(kube, tmp_path / "first.log", [ns]).start()
    try:
        apply(kube, ns, spark_pi(name))
        a = wait_state(kube, ns, name, "RUNNING", timeout=60)
        kube.wait("the UI in the status", lambda: app(kube, ns, name)["status"].get(
            "driverInfo", {}).get("webUIServiceName") == f"{name}-ui-svc", timeout=30)
    finally:
        assert first.stop() == 0, first.tail()
    second = Operator(kube, tmp_path / "second.log", [ns]).start()
    try:
        assert kube.get(f"/api/v1/namespaces/{ns}/services/{name}-ui-svc") is not None
        finish(kube, ns, a["status"]["driverInfo"]["podName"], "succeeded")
        wait_state(kube, ns, name, "COMPLETED", timeout=30)
        kube.wait("UI Service removed", lambda: kube.get(
            f"/api/v1/namespaces/{ns}/services/{name}-ui-svc") is None, timeout=30)
    finally:
        assert second.stop() == 0, second.tail()


def test_event_log_ship_sidecar(kube, tmp_path):
    """With --ship-image, an app whose spark.eventLog.dir is s3a:// gets a native sidecar
    (`sparkplane ship`) and writes its event logs to an emptyDir the sidecar shares; the API
    server takes the pod as is, kwok runs it, and the app completes as any other. An app with a
    local log dir gets nothing, and --event-log-dir serves an app that names no dir. The module's
    operator (no --ship-image) is not watching this namespace."""
    ns, ship_image = "op-ship", "sparkplane:ship-test"
    create_namespace(kube, ns)
    kube.api("POST", f"/api/v1/namespaces/{ns}/serviceaccounts",
             {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "spark"}})
    op = Operator(kube, tmp_path / "operator.log", [ns], extra=[
        "--ship-image", ship_image, "--event-log-dir", "s3://default-logs/spark",
        "--s3-endpoint", "http://minio.minio:9000", "--s3-path-style"]).start()
    try:
        def event_log_conf(d=None):
            conf = {"spark.eventLog.enabled": "true"}
            if d:
                conf["spark.eventLog.dir"] = d
            return conf

        shipped = spark_pi("shipped", sparkConf=event_log_conf("s3a://spark-logs/events"))
        shipped["spec"]["driver"].update({
            "serviceAccount": "spark",
            "env": [{"name": "AWS_ACCESS_KEY_ID",
                     "valueFrom": {"secretKeyRef": {"name": "s3", "key": "id"}}},
                    {"name": "UNRELATED", "value": "x"}],
            "envFrom": [{"secretRef": {"name": "s3-env"}}]})
        apply(kube, ns, shipped)
        apply(kube, ns, spark_pi("local", sparkConf=event_log_conf("file:///tmp/spark-events")))
        apply(kube, ns, spark_pi("defaulted", sparkConf=event_log_conf()))

        a = wait_state(kube, ns, "shipped", "RUNNING", timeout=60)
        p = wait_pod(kube, ns, "shipped-driver", submission=a["status"]["submissionID"])
        spec = p["spec"]
        [side] = spec["initContainers"]
        assert side["name"] == "spark-event-log-shipper" and side["image"] == ship_image
        assert side["restartPolicy"] == "Always"
        assert side["args"] == ["ship", "--from", "/var/spark-events", "--to",
                                "s3://spark-logs/events", "--interval", "5s", "--state",
                                "/var/spark-events/.sparkplane-ship.json", "--s3-path-style"]
        assert side["env"] == [
            {"name": "AWS_ENDPOINT_URL_S3", "value": "http://minio.minio:9000"},
            {"name": "AWS_ACCESS_KEY_ID",
             "valueFrom": {"secretKeyRef": {"name": "s3", "key": "id"}}}]
        assert side["envFrom"] == [{"secretRef": {"name": "s3-env"}}]
        sc = side["securityContext"]
        assert sc["runAsNonRoot"] and sc["readOnlyRootFilesystem"]
        assert sc["allowPrivilegeEscalation"] is False
        assert sc["capabilities"] == {"drop": ["ALL"]}
        assert sc["seccompProfile"] == {"type": "RuntimeDefault"}
        assert side["resources"]["requests"] == {"cpu": "10m", "memory": "32Mi"}
        assert spec["serviceAccountName"] == "spark"
        mount = {"name": "sparkplane-event-logs", "mountPath": "/var/spark-events"}
        assert [m for m in side["volumeMounts"] if m["name"] == mount["name"]] == [mount]
        [driver] = spec["containers"]
        assert driver["name"] == "spark-kubernetes-driver"
        assert [m for m in driver["volumeMounts"] if m["name"] == mount["name"]] == [mount]
        assert {"name": "sparkplane-event-logs", "emptyDir": {}} in spec["volumes"]
        # kwok ran the sidecar as kubelet runs a native sidecar: started, in the init statuses.
        [side_status] = p["status"]["initContainerStatuses"]
        assert side_status["name"] == "spark-event-log-shipper" and "running" in side_status["state"]

        [cm] = [c for c in kube.api("GET", f"/api/v1/namespaces/{ns}/configmaps")["items"]
                if ("Pod", "shipped-driver") in owners(c)]
        props = cm["data"]["spark.properties"]
        assert "spark.eventLog.dir=file\\:///var/spark-events" in props, props
        assert "s3a" not in props

        # The other two: a local dir left alone; no dir gets the operator's default.
        local = wait_pod(kube, ns, "local-driver", phase=None)
        assert "initContainers" not in local["spec"]
        assert not any(v["name"] == "sparkplane-event-logs" for v in local["spec"]["volumes"])
        defaulted = wait_pod(kube, ns, "defaulted-driver", phase=None)
        assert defaulted["spec"]["initContainers"][0]["args"][4] == "s3://default-logs/spark"

        # The driver ends while the sidecar still runs (kwok leaves it so): the app completes,
        # read from the driver container alone.
        finish(kube, ns, "shipped-driver", "succeeded")
        a = wait_state(kube, ns, "shipped", "COMPLETED", timeout=30)
        assert "errorMessage" not in a["status"]["applicationState"], a["status"]
        done = pod(kube, ns, "shipped-driver")
        assert done["status"]["phase"] == "Succeeded"
        # The other two complete too.
        for name in ("local", "defaulted"):
            run_driver(kube, ns, name)
            wait_state(kube, ns, name, "COMPLETED", timeout=30)
    finally:
        assert op.stop() == 0, op.tail()


def test_operator_refuses_an_event_log_dir_it_cannot_ship(kube, tmp_path):
    """--event-log-dir needs --ship-image and an s3:// location: a usage error (exit 2) at
    start, not a silent default."""
    for extra in (["--event-log-dir", "s3://b/p"],
                  ["--ship-image", "sparkplane:x", "--event-log-dir", "/var/log/spark"]):
        op = Operator(kube, tmp_path / "refused.log", ["op-ship-refused"], extra=extra)
        op.start(wait_ready=False)
        assert op.proc.wait(timeout=30) == 2, op.tail()
        op.log.close()
        assert "--event-log-dir" in op.tail(), op.tail()


def test_failed_driver_is_retried_then_failed(kube, operator):
    ns, name = "op-retry", "failing"
    rec = Recorder(kube, ns)
    try:
        time.sleep(0.3)
        apply(kube, ns, spark_pi(name, restartPolicy={
            "type": "OnFailure", "onFailureRetries": 2, "onFailureRetryInterval": 1,
            "onSubmissionFailureRetries": 1, "onSubmissionFailureRetryInterval": 1}))
        submissions = []
        for attempt in range(1, 4):
            submissions.append(run_driver(kube, ns, name, "failed"))
            if attempt < 3:
                kube.wait(f"attempt {attempt + 1}", lambda a=attempt: (
                    (app(kube, ns, name).get("status") or {}).get("executionAttempts", 0) > a),
                    timeout=30)
        a = wait_state(kube, ns, name, "FAILED", timeout=30)
        st = a["status"]
        assert len(set(submissions)) == 3
        assert st["executionAttempts"] == 3 and st["submissionAttempts"] == 3
        assert st["applicationState"]["errorMessage"].startswith(
            "driver container failed with ExitCode: 1, Reason: Error"), st
        kube.wait("the state sequence", lambda: rec.states.get(name, [])[-1:] == ["FAILED"])
        seq = rec.states[name]
        assert seq[:5] == ["", "SUBMITTED", "RUNNING", "FAILING", "PENDING_RERUN"], seq
        assert seq.count("FAILING") == 3 and seq.count("PENDING_RERUN") == 2, seq
        kube.wait("events", lambda: {"SparkDriverFailed", "SparkApplicationPendingRerun",
                                      "SparkApplicationFailed"} <= reasons(kube, ns, name))
    finally:
        rec.stop()


def test_refused_submission_fails(kube, operator):
    """A spec spark-submit would refuse (client mode: the driver would run in the operator) is
    a failed submission, retried per onSubmissionFailureRetries, then FAILED; no pod is made."""
    ns, name = "op-retry", "client-mode"
    apply(kube, ns, spark_pi(name, mode="client", restartPolicy={
        "type": "OnFailure", "onSubmissionFailureRetries": 1, "onSubmissionFailureRetryInterval": 1}))
    a = wait_state(kube, ns, name, "FAILED", timeout=30)
    assert a["status"]["submissionAttempts"] == 2, a["status"]
    assert "spec.mode" in a["status"]["applicationState"]["errorMessage"], a["status"]
    assert pod(kube, ns, f"{name}-driver") is None
    kube.wait("events", lambda: {"SparkApplicationSubmissionFailed", "SparkApplicationFailed"}
              <= reasons(kube, ns, name))
    status, metrics = operator.get("/metrics")
    assert "spark_application_failed_submission_count 1" in metrics, metrics


def test_spec_change_invalidates_and_resubmits(kube, operator):
    ns, name = "op-invalidate", "changing"
    rec = Recorder(kube, ns)
    try:
        time.sleep(0.3)
        apply(kube, ns, spark_pi(name))
        first = wait_state(kube, ns, name, "RUNNING")["status"]["submissionID"]
        kube.api("PATCH", apps_path(ns, name), {"spec": {"arguments": ["20"]}})
        kube.wait("a new submission", lambda: (
            state_of(app(kube, ns, name)) in ("SUBMITTED", "RUNNING")
            and app(kube, ns, name)["status"]["submissionID"] != first), timeout=60)
        a = wait_state(kube, ns, name, "RUNNING")
        p = wait_pod(kube, ns, f"{name}-driver", submission=a["status"]["submissionID"])
        assert p["spec"]["containers"][0]["args"][-1] == "20"
        assert a["status"]["submissionAttempts"] == 1  # counts start again
        seq = rec.states[name]
        i = seq.index("INVALIDATING")
        assert seq[i:i + 4] == ["INVALIDATING", "PENDING_RERUN", "SUBMITTED", "RUNNING"], seq
    finally:
        rec.stop()


def test_suspend_and_resume(kube, operator):
    ns, name = "op-suspend", "pausing"
    rec = Recorder(kube, ns)
    try:
        time.sleep(0.3)
        apply(kube, ns, spark_pi(name))
        wait_state(kube, ns, name, "RUNNING")
        kube.api("PATCH", apps_path(ns, name), {"spec": {"suspend": True}})
        wait_state(kube, ns, name, "SUSPENDED", timeout=30)
        kube.wait("driver pod gone", lambda: pod(kube, ns, f"{name}-driver") is None, timeout=30)
        time.sleep(1)
        assert state_of(app(kube, ns, name)) == "SUSPENDED"
        kube.api("PATCH", apps_path(ns, name), {"spec": {"suspend": False}})
        a = wait_state(kube, ns, name, "RUNNING", timeout=30)
        wait_pod(kube, ns, f"{name}-driver", submission=a["status"]["submissionID"])
        seq = rec.states[name]
        i = seq.index("SUSPENDING")
        assert seq[i:i + 5] == ["SUSPENDING", "SUSPENDED", "RESUMING", "SUBMITTED", "RUNNING"], seq
        kube.wait("events", lambda: {"SparkApplicationSuspending", "SparkApplicationSuspended",
                                      "SparkApplicationResuming"} <= reasons(kube, ns, name))
    finally:
        rec.stop()


def test_deleting_a_running_app_removes_its_driver(kube, operator):
    ns, name = "op-delete", "doomed"
    apply(kube, ns, spark_pi(name))
    a = wait_state(kube, ns, name, "RUNNING", timeout=60)
    driver = a["status"]["driverInfo"]["podName"]
    ui = a["status"]["driverInfo"]["webUIServiceName"]
    cms = [c["metadata"]["name"] for c in kube.api("GET", f"/api/v1/namespaces/{ns}/configmaps")["items"]
           if ("Pod", driver) in owners(c)]
    assert cms, "the driver's ConfigMaps"
    running = metric_value(operator, "spark_application_running_count")
    wait_gc_knows_apps(kube)
    kube.api("DELETE", apps_path(ns, name))
    assert app(kube, ns, name) is None, "no finalizer holds the app"
    kube.wait("driver pod gone", lambda: pod(kube, ns, driver) is None, timeout=30)
    kube.wait("UI Service gone", lambda: kube.get(f"/api/v1/namespaces/{ns}/services/{ui}") is None,
              timeout=30)
    for cm in cms:
        kube.wait(f"ConfigMap {cm} gone", lambda cm=cm: kube.get(
            f"/api/v1/namespaces/{ns}/configmaps/{cm}") is None, timeout=60)
    kube.wait("running count lowered",
              lambda: metric_value(operator, "spark_application_running_count") == running - 1)


def metric_value(operator, name):
    status, text = operator.get("/metrics")
    assert status == 200
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"{name} not in /metrics")


def test_time_to_live_deletes_the_app(kube, operator):
    ns, name = "op-ttl", "short-lived"
    wait_gc_knows_apps(kube)
    apply(kube, ns, spark_pi(name, timeToLiveSeconds=2))
    run_driver(kube, ns, name, "succeeded")
    wait_state(kube, ns, name, "COMPLETED", timeout=30)
    ended = time.time()
    kube.wait("app deleted after its TTL", lambda: app(kube, ns, name) is None, timeout=30)
    assert time.time() - ended >= 1
    kube.wait("driver pod gone", lambda: pod(kube, ns, f"{name}-driver") is None, timeout=30)


def scheduled(name, policy, every="@every 3s"):
    template = spark_pi("x")["spec"]
    return {"apiVersion": "sparkoperator.k8s.io/v1beta2", "kind": "ScheduledSparkApplication",
            "metadata": {"name": name},
            "spec": {"schedule": every, "concurrencyPolicy": policy,
                     "successfulRunHistoryLimit": 5, "failedRunHistoryLimit": 5,
                     "template": template}}


def runs_of(kube, ns, name):
    items = kube.api("GET", apps_path(ns) + "?labelSelector=sparkoperator.k8s.io%2Fscheduled-app-name%3D"
                     + name)["items"]
    return sorted(items, key=lambda a: a["metadata"]["name"])


def test_scheduled_forbid_and_replace(kube, operator):
    ns = "op-sched"
    apply(kube, ns, scheduled("forbid", "Forbid"))
    apply(kube, ns, scheduled("replace", "Replace"))

    # Forbid: while the first run runs, no other starts; once it ends, the next does.
    first = kube.wait("a first Forbid run", lambda: runs_of(kube, ns, "forbid"), timeout=30)[0]
    run1 = first["metadata"]["name"]
    wait_state(kube, ns, run1, "RUNNING", timeout=30)
    time.sleep(7)  # two activations pass
    assert [r["metadata"]["name"] for r in runs_of(kube, ns, "forbid")] == [run1]
    finish(kube, ns, app(kube, ns, run1)["status"]["driverInfo"]["podName"])
    wait_state(kube, ns, run1, "COMPLETED", timeout=30)
    second = kube.wait("a second Forbid run", lambda: [
        r for r in runs_of(kube, ns, "forbid") if r["metadata"]["name"] != run1], timeout=30)
    assert len(second) == 1
    s = kube.get(apps_path(ns, "forbid", "scheduledsparkapplications"))["status"]
    assert s["scheduleState"] == "Scheduled"
    kube.wait("history", lambda: run1 in (kube.get(apps_path(
        ns, "forbid", "scheduledsparkapplications"))["status"].get("pastSuccessfulRunNames") or []))

    # Replace: a run still going when the next is due is deleted, and the next one starts.
    r1 = kube.wait("a first Replace run", lambda: runs_of(kube, ns, "replace"), timeout=30)
    r1 = r1[0]["metadata"]["name"]
    kube.wait("the first run replaced", lambda: app(kube, ns, r1) is None, timeout=30)
    later = runs_of(kube, ns, "replace")
    assert later and all(r["metadata"]["name"] != r1 for r in later)
    assert len([r for r in later if state_of(r) not in ("COMPLETED", "FAILED")]) <= 1

    for n in ("forbid", "replace"):
        kube.api("PATCH", apps_path(ns, n, "scheduledsparkapplications"), {"spec": {"suspend": True}})


def lease_holder(kube, ns, name="sparkplane-operator"):
    lease = kube.get(f"/apis/coordination.k8s.io/v1/namespaces/{ns}/leases/{name}")
    return ((lease or {}).get("spec") or {}).get("holderIdentity", "")


def test_leader_killed_mid_flight_no_app_submitted_twice_none_lost(kube, tmp_path):
    ns, count = "op-ha", 30
    create_namespace(kube, ns)
    election = ["--leader-elect", "--lease-namespace", ns, "--lease-duration", "4s",
                "--renew-deadline", "3s", "--retry-period", "1s"]
    ops = {}
    for ident in ("replica-a", "replica-b"):
        ops[ident] = Operator(kube, tmp_path / f"{ident}.log", [ns],
                              election + ["--identity", ident]).start()
    pods = Recorder(kube, ns, what="pods")
    try:
        leader = kube.wait("a leader", lambda: lease_holder(kube, ns), timeout=30)
        standby = next(i for i in ops if i != leader)
        assert ops[standby].get("/readyz")[0] == 200  # standing by counts as ready
        third = count // 3
        for i in range(third):
            apply(kube, ns, spark_pi(f"ha-{i:02d}"))
        wait_state(kube, ns, "ha-00", "RUNNING", timeout=30)
        for i in range(third, count):
            apply(kube, ns, spark_pi(f"ha-{i:02d}"))
            if i == 2 * third:
                ops[leader].proc.send_signal(signal.SIGKILL)  # mid-flight
        ops[leader].proc.wait()
        kube.wait("the standby leads", lambda: lease_holder(kube, ns) == standby, timeout=30)
        for i in range(count):
            wait_state(kube, ns, f"ha-{i:02d}", "RUNNING", timeout=90)
        for i in range(count):
            finish(kube, ns, f"ha-{i:02d}-driver")
        for i in range(count):
            a = wait_state(kube, ns, f"ha-{i:02d}", "COMPLETED", timeout=60)
            assert a["status"]["submissionAttempts"] == 1, a["status"]
            assert a["status"]["executionAttempts"] == 1, a["status"]
        time.sleep(1)
        # One driver pod and one submission per app, ever; one spark.properties ConfigMap each.
        assert sorted(pods.pod_uids) == [f"ha-{i:02d}" for i in range(count)]
        twice = {k: v for k, v in pods.pod_uids.items() if len(v) != 1}
        assert not twice, twice
        assert all(len(v) == 1 for v in pods.submissions.values()), pods.submissions
        cms = [c for c in kube.api("GET", f"/api/v1/namespaces/{ns}/configmaps")["items"]
               if "spark.properties" in c.get("data", {})]
        assert len(cms) == count
        # Both replicas submitted some: the work really was handed over.
        created = {i: op.log_path.read_text().count("created driver pod") for i, op in ops.items()}
        assert created[leader] > 0 and created[standby] > 0, created
    finally:
        pods.stop()
        rcs = {i: op.stop() for i, op in ops.items()}
    assert rcs[standby] == 0, ops[standby].tail()


def test_leader_that_loses_its_lease_exits_non_zero(kube, tmp_path):
    ns = "op-lease"
    create_namespace(kube, ns)
    op = Operator(kube, tmp_path / "operator.log", [ns],
                  ["--leader-elect", "--lease-namespace", ns, "--lease-duration", "4s",
                   "--renew-deadline", "3s", "--retry-period", "1s", "--identity", "only"]).start()
    try:
        kube.wait("leading", lambda: lease_holder(kube, ns) == "only", timeout=30)
        now = time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())
        kube.api("PATCH", f"/apis/coordination.k8s.io/v1/namespaces/{ns}/leases/sparkplane-operator",
                 {"spec": {"holderIdentity": "intruder", "renewTime": now,
                           "leaseDurationSeconds": 60}})
        rc = op.proc.wait(timeout=30)
    finally:
        op.stop()
    assert rc == 1, op.tail()
    assert "leader election lost" in op.tail()


def test_api_server_restart_mid_watch(kube, tmp_path):
    ns = "op-restart"
    create_namespace(kube, ns)
    op = Operator(kube, tmp_path / "operator.log", [ns]).start()
    try:
        apply(kube, ns, spark_pi("before"))
        wait_state(kube, ns, "before", "RUNNING")
        kube.restart_apiserver(down_seconds=3)
        # The watches were cut: the operator resumes them and sees the driver end.
        finish(kube, ns, "before-driver")
        wait_state(kube, ns, "before", "COMPLETED", timeout=60)
        apply(kube, ns, spark_pi("after"))
        run_driver(kube, ns, "after")
        wait_state(kube, ns, "after", "COMPLETED", timeout=60)
        assert op.proc.poll() is None, op.tail()
        assert op.get("/readyz")[0] == 200
    finally:
        rc = op.stop()
    assert rc == 0, op.tail()


def test_read_only_web_ui(kube, tmp_path):
    """`--ui-listen`: the control plane's pages over the cluster's applications, read-only, in
    a real browser (tests/browser/operator_ui.cjs): the app listed with its state, its Events as
    state history, its driver log or the API server's reason for having none (kwok runs no
    container), a link to the history server; every write refused."""
    from test_browser_ui import browser_env, run_browser_script

    ns, name = "op-web-ui", "ui-pi"
    create_namespace(kube, ns)
    ui_port = free_port()
    history = "https://history.example.test/spark"
    op = Operator(kube, tmp_path / "operator.log", [ns],
                  extra=["--ui-listen", f"127.0.0.1:{ui_port}", "--ui-history-url", history])
    op.start()
    ui = f"http://127.0.0.1:{ui_port}"

    def get(path, method="GET", body=None):
        req = urllib.request.Request(ui + path, method=method, data=body,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    try:
        apply(kube, ns, spark_pi(name))
        a = wait_state(kube, ns, name, "RUNNING", timeout=60)
        kube.wait("the Spark application id in the status", lambda: app(kube, ns, name)[
            "status"].get("sparkApplicationId"), timeout=30)
        spark_id = app(kube, ns, name)["status"]["sparkApplicationId"]

        status, body = get("/ui-config.json")
        assert status == 200 and yaml.safe_load(body) == {
            "controlPlane": True, "history": False, "historyUrl": history}
        status, body = get(f"/apis/sparkoperator.k8s.io/v1beta2/namespaces/{ns}/sparkapplications/{name}")
        assert status == 200 and yaml.safe_load(body)["metadata"]["name"] == name
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            status, body = get(f"/apis/sparkoperator.k8s.io/v1beta2/namespaces/{ns}/sparkapplications"
                               + ("" if method == "POST" else f"/{name}"), method, b"{}")
            assert status == 405 and "read-only" in body and "kubectl" in body, (method, body)
        assert app(kube, ns, name)["metadata"]["name"] == name  # still there
        status, body = get(f"/api/v1/namespaces/{ns}/events?fieldSelector=involvedObject.name%3D{name}")
        assert status == 200
        assert "SparkApplicationSubmitted" in {e["reason"] for e in yaml.safe_load(body)["items"]}
        status, body = get(f"/apis/sparkplane.io/v1/namespaces/{ns}/sparkapplications/{name}/log"
                           "?stream=stdout")
        assert status in (200, 503), body
        if status == 503:
            assert "could not give the driver's log" in body, body
        status, _ = get("/api/v1/applications")
        assert status == 404  # the history pages are on the history server

        run_browser_script("operator_ui.cjs", browser_env(), ui + "/", context=op.tail,
                           APP_NAME=name, SPARK_ID=spark_id, HISTORY_URL=history)
    finally:
        assert op.stop() == 0, op.tail()

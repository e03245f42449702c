"""Deploy (issue 7): the Helm chart (deploy/helm/sparkplane) and the local quickstart
(deploy/local) against the real test cluster (kube_cluster.py: etcd, kube-apiserver,
kube-scheduler, kube-controller-manager, kwok as the kubelet).

- `helm lint` and `helm template` pass for every value set (defaults, deploy/local, deploy/eks,
  everything switched on); bad values are refused with a message that names them.
- Every rendered object of a built-in or sparkplane kind, and every example SparkApplication,
  is accepted by the API server with `kubectl apply --dry-run=server`; the ServiceMonitors
  (whose CRD is not installed here) are checked for the fields they need.
- The RBAC is least privilege: no wildcards, no Secrets, nothing cluster-wide when the watched
  namespaces are named; checked again on the installed release with `kubectl auth can-i`.
- `make -C deploy/local up` installs the chart into the test cluster (CRDs established, the
  operator's, history server's and MinIO's objects created, kwok makes their pods ready) and
  its `validate` passes; with a Deployment deleted, `validate` fails and names it. The
  operator binary, run with the chart's service account token and the Deployment's own
  arguments, creates the driver pod of deploy/local/spark-pi.yaml: the chart's RBAC is enough.
- Every metric the Grafana dashboards query is one the servers expose.
helm comes from scripts/deploy/build.sh, kubectl from scripts/cluster/build.sh.
"""
import base64
import glob
import json
import os
import re
import shlex
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from conftest import free_port
from kube_cluster import KubeCluster, binary_paths, in_ci, require_binaries

REPO = Path(__file__).resolve().parents[2]
BIN = os.environ.get("SPARKPLANE_BIN", str(REPO / "build-asan" / "sparkplane"))
CHART = REPO / "deploy" / "helm" / "sparkplane"
LOCAL = REPO / "deploy" / "local"
EKS_VALUES = REPO / "deploy" / "eks" / "values-eks.yaml"
CONFORMANCE = REPO.parent / "shared" / "conformance" / "spark-history" / "spark-events"
SPARKPLANE_GROUP = "sparkoperator.k8s.io"

# Value sets rendered and checked; each a list of helm arguments.
EVERYTHING = ["-f", str(CHART / "ci" / "everything-values.yaml")]


def value_sets():
    sets = {"defaults": [], "local": ["-f", str(LOCAL / "values-local.yaml")],
            "everything": EVERYTHING}
    if EKS_VALUES.exists():
        sets["eks"] = ["-f", str(EKS_VALUES)]
    return sets


# ---- tools --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def helm():
    script = REPO / "scripts" / "deploy" / "build.sh"
    path = subprocess.run([str(script), "--paths"], check=True, capture_output=True,
                          text=True).stdout.strip().partition("=")[2]
    path = shlex.split(path)[0]
    if not os.access(path, os.X_OK):
        if not in_ci():
            pytest.skip("helm is not built: run `make deploy-deps` (scripts/deploy/build.sh)")
        subprocess.run([str(script)], check=True)
    return path


def run(cmd, check=True, env=None, timeout=600):
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    if check:
        assert p.returncode == 0, f"{shlex.join(cmd)}\n{p.stdout}\n{p.stderr}"
    return p


def render(helm, args, release="sparkplane", namespace="sparkplane"):
    out = run([helm, "template", release, str(CHART), "--namespace", namespace] + args).stdout
    return [d for d in yaml.safe_load_all(out) if d]


def kinds(docs):
    return {d["kind"] for d in docs}


def of_kind(docs, kind):
    return [d for d in docs if d["kind"] == kind]


# ---- chart, without a cluster -------------------------------------------------------------------

def test_lint_and_template_every_value_set(helm):
    for name, args in value_sets().items():
        p = run([helm, "lint", "--strict", str(CHART)] + args)
        assert "0 chart(s) failed" in p.stdout, (name, p.stdout)
        docs = render(helm, args)
        assert {"Deployment", "Service", "ServiceAccount", "NetworkPolicy"} <= kinds(docs), name
        for d in docs:
            assert d["metadata"].get("labels", {}).get("app.kubernetes.io/managed-by") == "Helm", (
                name, d["kind"], d["metadata"]["name"])
    everything = render(helm, EVERYTHING)
    assert {"PodDisruptionBudget", "Ingress", "ServiceMonitor", "PersistentVolumeClaim",
            "ConfigMap", "Job", "Secret"} <= kinds(everything)


def test_the_chart_packages_with_its_crds_and_dashboards(helm, tmp_path):
    import tarfile
    run([helm, "package", str(CHART), "--destination", str(tmp_path)])
    (archive,) = tmp_path.glob("sparkplane-*.tgz")
    names = set(tarfile.open(archive).getnames())
    for want in ("sparkplane/crds/sparkoperator.k8s.io_sparkapplications.yaml",
                 "sparkplane/crds/sparkoperator.k8s.io_scheduledsparkapplications.yaml",
                 "sparkplane/dashboards/operator.json", "sparkplane/values.schema.json",
                 "sparkplane/charts/minio/Chart.yaml", "sparkplane/templates/NOTES.txt"):
        assert want in names, want
    assert not any(n.startswith("sparkplane/ci/") for n in names)


def test_bad_values_are_refused_with_a_message_naming_them(helm):
    cases = [
        (["--set", "operator.replicas=2", "--set", "operator.leaderElection.enabled=false"],
         "operator.replicas > 1 needs operator.leaderElection.enabled"),
        (["--set", "operator.workers=0"], "/operator/workers"),
        (["--set", "operatr.replicas=1"], "operatr"),
        (["--set", "historyServer.ingress.enabled=true", "--set", "historyServer.ingress.preset=nginx"],
         "/historyServer/ingress/preset"),
        (["--set", "historyServer.logDir="], "historyServer.logDir is required"),
        (["--set", "operator.ui.historyUrl=javascript:alert(1)"], "/operator/ui/historyUrl"),
        (["--set", "operator.watchNamespaces={Bad_Name}"], "/operator/watchNamespaces"),
    ]
    for args, message in cases:
        p = run([helm, "template", "x", str(CHART)] + args, check=False)
        assert p.returncode != 0 and message in p.stderr, (args, p.stderr)


def test_rbac_is_least_privilege(helm):
    for name, args in value_sets().items():
        docs = render(helm, args)
        for role in of_kind(docs, "Role") + of_kind(docs, "ClusterRole"):
            for rule in role["rules"]:
                assert "*" not in rule["verbs"] and "*" not in rule["resources"], (name, role)
                assert "secrets" not in rule["resources"], (name, role)
        history_sa = {d["metadata"]["name"] for d in of_kind(docs, "ServiceAccount")
                      if d["metadata"]["labels"]["app.kubernetes.io/component"] == "history-server"}
        for binding in of_kind(docs, "RoleBinding") + of_kind(docs, "ClusterRoleBinding"):
            assert not {s["name"] for s in binding["subjects"]} & history_sa, (
                "the history server needs no Kubernetes API rights", binding)
    scoped = render(helm, EVERYTHING)
    assert not of_kind(scoped, "ClusterRole") and not of_kind(scoped, "ClusterRoleBinding")
    assert {r["metadata"]["namespace"] for r in of_kind(scoped, "Role")} == {
        "team-a", "team-b", "sparkplane"}
    lease = [r for r in of_kind(scoped, "Role") if r["metadata"]["name"].endswith("leader-election")]
    assert lease and all(r["metadata"]["namespace"] == "sparkplane" for r in lease)


def test_pods_run_as_non_root_with_a_read_only_root(helm):
    for name, args in value_sets().items():
        for d in of_kind(render(helm, args), "Deployment") + of_kind(render(helm, args), "Job"):
            spec = d["spec"]["template"]["spec"]
            assert spec["securityContext"]["runAsNonRoot"] is True, (name, d["metadata"]["name"])
            for c in spec["containers"]:
                sc = c["securityContext"]
                assert sc["readOnlyRootFilesystem"] is True and sc["allowPrivilegeEscalation"] is False
                assert sc["capabilities"]["drop"] == ["ALL"], (name, c["name"])


def test_service_monitors_select_the_metrics_ports(helm):
    docs = render(helm, EVERYTHING)
    services = of_kind(docs, "Service")
    monitors = of_kind(docs, "ServiceMonitor")
    assert len(monitors) == 2
    for m in monitors:
        assert m["apiVersion"] == "monitoring.coreos.com/v1"
        assert m["spec"]["namespaceSelector"]["matchNames"] == ["sparkplane"]
        want = m["spec"]["selector"]["matchLabels"]
        matched = [s for s in services
                   if all(s["metadata"]["labels"].get(k) == v for k, v in want.items())]
        assert len(matched) == 1, (m["metadata"]["name"], want)
        ports = {p["name"] for p in matched[0]["spec"]["ports"]}
        for ep in m["spec"]["endpoints"]:
            assert ep["port"] in ports and ep["path"] == "/metrics", (ep, ports)


def test_ingress_presets(helm):
    alb = of_kind(render(helm, EVERYTHING), "Ingress")[0]
    ann = alb["metadata"]["annotations"]
    assert ann["alb.ingress.kubernetes.io/target-type"] == "ip"
    assert ann["alb.ingress.kubernetes.io/healthcheck-path"] == "/api/v1/version"
    assert json.loads(ann["alb.ingress.kubernetes.io/listen-ports"]) == [{"HTTPS": 443}]
    local = of_kind(render(helm, ["-f", str(LOCAL / "values-local.yaml")]), "Ingress")
    history = [i for i in local if i["metadata"]["name"] == "sparkplane-history-server"][0]
    assert history["spec"]["ingressClassName"] == "traefik"
    assert history["spec"]["rules"][0]["host"].endswith(".sslip.io")
    assert history["metadata"]["annotations"]["traefik.ingress.kubernetes.io/router.entrypoints"] == "web"


# ---- against the test cluster -------------------------------------------------------------------

@pytest.fixture(scope="module")
def kube():
    require_binaries()
    cluster = KubeCluster(nodes=2).start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="module")
def kubectl(kube):
    path = binary_paths()["KUBECTL"]
    env = dict(os.environ, KUBECONFIG=str(kube.kubeconfig))

    def k(*args, check=True, timeout=120):
        return run([path, *args], check=check, env=env, timeout=timeout)

    k.path, k.env = path, env
    return k


def examples():
    files = (glob.glob(str(REPO / "examples" / "*.yaml")) + [str(LOCAL / "spark-pi.yaml")]
             + glob.glob(str(REPO / "deploy" / "eks" / "examples" / "*.yaml")))
    return [d for f in files for d in yaml.safe_load_all(Path(f).read_text()) if d]


def test_rendered_objects_and_examples_pass_server_dry_run(helm, kubectl, tmp_path):
    kubectl("apply", "--server-side", "-f", str(CHART / "crds"))
    kubectl("wait", "--for=condition=Established", "--timeout=60s", "-f", str(CHART / "crds"))
    for ns in ("sparkplane", "team-a", "team-b", "spark-jobs"):
        kubectl("create", "namespace", ns, check=False)
    checked = 0
    for name, args in value_sets().items():
        docs = render(helm, args)
        builtin = [d for d in docs if d["kind"] != "ServiceMonitor"]
        assert len(builtin) + len(of_kind(docs, "ServiceMonitor")) == len(docs)
        f = tmp_path / f"{name}.yaml"
        f.write_text(yaml.safe_dump_all(builtin))
        p = kubectl("apply", "--dry-run=server", "-f", str(f), check=False)
        assert p.returncode == 0, (name, p.stderr)
        assert p.stdout.count("(server dry run)") == len(builtin), (name, p.stdout)
        checked += len(builtin)
    apps = examples()
    assert {d["kind"] for d in apps} == {"SparkApplication", "ScheduledSparkApplication"}
    f = tmp_path / "examples.yaml"
    f.write_text(yaml.safe_dump_all(apps))
    p = kubectl("apply", "--dry-run=server", "-f", str(f), check=False)
    assert p.returncode == 0 and p.stdout.count("(server dry run)") == len(apps), p.stderr
    assert checked > 40


def service_account_kubeconfig(kubectl, kube, ns, sa, path):
    """A kubeconfig that authenticates as ns/sa with a token from the TokenRequest API."""
    req = {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
           "spec": {"expirationSeconds": 3600}}
    token = kube.api("POST", f"/api/v1/namespaces/{ns}/serviceaccounts/{sa}/token", req)[
        "status"]["token"]
    admin = yaml.safe_load(Path(kube.kubeconfig).read_text())
    cluster = admin["clusters"][0]
    config = {"apiVersion": "v1", "kind": "Config", "clusters": [cluster],
              "users": [{"name": sa, "user": {"token": token}}],
              "contexts": [{"name": sa, "context": {"cluster": cluster["name"], "user": sa,
                                                    "namespace": ns}}],
              "current-context": sa}
    path.write_text(yaml.safe_dump(config))
    return path


def operator_args(deployment, port):
    """The chart's operator arguments, to run the binary here: POD_NAME expanded, --listen on a
    local port, no UI port."""
    args = deployment["spec"]["template"]["spec"]["containers"][0]["args"]
    out = []
    for a in args:
        if a.startswith("--listen="):
            a = f"--listen=127.0.0.1:{port}"
        elif a.startswith("--ui-listen="):
            a = "--ui-listen=127.0.0.1:0"
        out.append(a.replace("$(POD_NAME)", "test-operator-pod"))
    return out


def make_local(kubectl, helm, target, check=True, **extra):
    env = dict(kubectl.env, KUBECTL=kubectl.path, HELM=helm)
    cmd = ["make", "--no-print-directory", "-C", str(LOCAL), target] + [
        f"{k}={v}" for k, v in extra.items()]
    return run(cmd, check=check, env=env, timeout=600)


def test_local_quickstart_installs_validates_and_runs_an_app(helm, kubectl, kube, tmp_path):
    # Before the install, validate says what to do.
    p = make_local(kubectl, helm, "validate", check=False)
    assert p.returncode != 0 and "is not installed in namespace sparkplane: run `make up`" in p.stdout, p.stdout

    up = make_local(kubectl, helm, "up", IMAGE="sparkplane:test", INGRESS="on", TIMEOUT="3m")
    assert "validate: sparkplane is ready" in up.stdout, up.stdout
    for crd in ("sparkapplications", "scheduledsparkapplications"):
        kubectl("wait", "--for=condition=Established", f"crd/{crd}.{SPARKPLANE_GROUP}", "--timeout=30s")
    for deploy in ("sparkplane-operator", "sparkplane-history-server", "sparkplane-minio"):
        d = json.loads(kubectl("get", "deployment", deploy, "-n", "sparkplane", "-o", "json").stdout)
        assert d["status"].get("availableReplicas") == d["spec"]["replicas"], deploy
        assert d["spec"]["template"]["spec"]["containers"][0]["image"] in (
            "sparkplane:test", "minio/minio:RELEASE.2025-09-07T16-13-09Z"), deploy
    v = make_local(kubectl, helm, "validate")
    assert v.stdout.count("FAIL") == 0 and "deployment sparkplane-operator: 1/1 available" in v.stdout
    assert "service sparkplane-history-server has ready endpoints" in v.stdout, v.stdout
    assert "ingress sparkplane-history-server (http://spark-history.127.0.0.1.sslip.io/) has no address yet" in v.stdout

    # The chart's RBAC, as the operator's service account sees it.
    sa = "system:serviceaccount:sparkplane:sparkplane-operator"
    for verb, what, ns, allowed in [
            ("create", "pods", "default", "yes"), ("watch", "pods", "default", "yes"),
            ("update", "sparkapplications.sparkoperator.k8s.io/status", "default", "yes"),
            ("get", "pods/log", "default", "yes"),  # the UI is on in values-local.yaml
            ("get", "secrets", "default", "no"), ("create", "pods", "kube-system", "yes"),
            ("update", "leases.coordination.k8s.io/sparkplane-operator", "sparkplane", "yes"),
            ("update", "leases.coordination.k8s.io/other", "sparkplane", "no"),
            ("delete", "nodes", "", "no")]:
        args = ["auth", "can-i", verb, what, "--as", sa] + (["-n", ns] if ns else [])
        got = kubectl(*args, check=False).stdout.strip()
        assert got == allowed, (verb, what, ns, got)
    driver_sa = "system:serviceaccount:default:spark"
    assert kubectl("auth", "can-i", "create", "pods", "--as", driver_sa, "-n", "default",
                   check=False).stdout.strip() == "yes"
    assert kubectl("auth", "can-i", "create", "pods", "--as", driver_sa, "-n", "sparkplane",
                   check=False).stdout.strip() == "no"

    # The operator binary with that service account's token and the chart's own arguments.
    deployment = json.loads(kubectl("get", "deployment", "sparkplane-operator", "-n", "sparkplane",
                                    "-o", "json").stdout)
    config = service_account_kubeconfig(kubectl, kube, "sparkplane", "sparkplane-operator",
                                        tmp_path / "operator.kubeconfig")
    port = free_port()
    log = open(tmp_path / "operator.log", "wb")
    env = {k: v for k, v in os.environ.items() if k not in ("KUBERNETES_SERVICE_HOST",)}
    env["KUBECONFIG"] = str(config)
    proc = subprocess.Popen([BIN] + operator_args(deployment, port), stdout=log,
                            stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        kubectl("apply", "-f", str(LOCAL / "spark-pi.yaml"))
        deadline = time.time() + 90
        pod = None
        while time.time() < deadline and pod is None:
            assert proc.poll() is None, (tmp_path / "operator.log").read_text()
            p = kubectl("get", "pod", "spark-pi-driver", "-n", "default", "-o", "json", check=False)
            pod = json.loads(p.stdout) if p.returncode == 0 else None
            time.sleep(0.5)
        assert pod, "no driver pod: " + (tmp_path / "operator.log").read_text()
        names = [c["name"] for c in pod["spec"].get("initContainers", [])]
        assert "spark-event-log-shipper" in names, names  # the ship sidecar, by the chart's flags
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
            assert "sparkplane_operator_leader 1" in r.read().decode()
        text = (tmp_path / "operator.log").read_text()
        assert "forbidden" not in text.lower(), text
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        assert proc.wait(timeout=30) == 0, (tmp_path / "operator.log").read_text()
        log.close()

    # A component that cannot run: validate says which pod, and the scheduler's reason.
    kubectl("patch", "deployment", "sparkplane-minio", "-n", "sparkplane", "--type", "merge", "-p",
            json.dumps({"spec": {"template": {"spec": {"nodeSelector": {"disk": "none-such"}}}}}))
    deadline = time.time() + 60
    while True:
        bad = make_local(kubectl, helm, "validate", check=False)
        if bad.returncode != 0 or time.time() > deadline:
            break
        time.sleep(1)
    assert re.search(r"FAIL  deployment sparkplane-minio: 0/1 available: pod sparkplane-minio-\S+: "
                     r"not scheduled: .*didn't match Pod's node affinity/selector", bad.stdout), bad.stdout
    # A component gone: validate names it and fails.
    kubectl("delete", "deployment", "sparkplane-minio", "-n", "sparkplane")
    bad = make_local(kubectl, helm, "validate", check=False)
    assert bad.returncode != 0, bad.stdout
    assert re.search(r'FAIL  missing: .*"sparkplane-minio" not found', bad.stdout), bad.stdout
    assert "service sparkplane-minio has no ready endpoints" in bad.stdout, bad.stdout

    down = make_local(kubectl, helm, "down")
    assert kubectl("get", "deployment", "sparkplane-operator", "-n", "sparkplane",
                   check=False).returncode != 0, down.stdout


def metric_names(text):
    return {line.split()[0].split("{")[0] for line in text.splitlines()
            if line and not line.startswith("#")}


def test_dashboards_query_only_metrics_the_servers_expose(kube, tmp_path):
    """Each dashboard expression's metric names, against /metrics of a real operator (on the
    test cluster) and a real history server (over the conformance logs)."""
    exposed = set()
    port = free_port()
    op = subprocess.Popen([BIN, "operator", "--kubeconfig", str(kube.kubeconfig),
                           "--namespaces", "default", "--listen", f"127.0.0.1:{port}"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    hport = free_port()
    hs = subprocess.Popen([BIN, "history-server", "--log-dir", str(CONFORMANCE),
                           "--listen", f"127.0.0.1:{hport}"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        for url in (f"http://127.0.0.1:{port}/metrics", f"http://127.0.0.1:{hport}/metrics"):
            deadline = time.time() + 30
            while True:
                try:
                    with urllib.request.urlopen(url, timeout=2) as r:
                        exposed |= metric_names(r.read().decode())
                    break
                except OSError:
                    assert time.time() < deadline, url
                    time.sleep(0.2)
    finally:
        op.terminate()
        hs.terminate()
        op.wait(timeout=30)
        hs.wait(timeout=30)
    dashboards = sorted((CHART / "dashboards").glob("*.json"))
    assert len(dashboards) == 2
    functions = {"sum", "rate", "max", "by", "histogram_quantile", "time", "le", "pod",
                 "namespace", "label_values", "without", "avg", "min", "irate", "increase"}
    for path in dashboards:
        board = json.loads(path.read_text())
        assert board["uid"] and board["templating"]["list"][0]["type"] == "datasource"
        queried = set()
        for panel in board["panels"]:
            for target in panel["targets"]:
                expr = re.sub(r"\{[^}]*\}|\[[^\]]*\]|\"[^\"]*\"", "", target["expr"])
                queried |= {w for w in re.findall(r"[a-z_][a-z0-9_]*", expr) if w not in functions}
        assert queried, path
        for name in queried:
            base = re.sub(r"_(bucket|sum|count)$", "", name)
            assert name in exposed or base in exposed, (path.name, name)

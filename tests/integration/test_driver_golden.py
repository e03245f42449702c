"""Golden check of the driver resource builder (src/runtime/kube/driver_resources.h).

For each manifest of tests/data/kube/golden-*.yaml, the real spark-submit of the venv's pyspark
submits the application in cluster mode to the test cluster (kwok plays the kubelet, so no image
is pulled), with the spark-submit arguments the Kubeflow operator builds for it
(kubeflow_reference.py, written from its buildSparkSubmitArgs); the driver Pod it
created gets the Kubeflow webhook's mutations (likewise from its
mutateSparkPod). That is what the Kubeflow operator leaves in a cluster. `sparkplane
render-driver` renders the same manifest; both driver Pods go through the API server's admission
(dry run) and are compared field by field with the ConfigMaps (spark.properties key by key) and
the Service spark-submit created. Generated names and ids are mapped to placeholders; every
remaining difference must be listed in EXPECTED_DIFFERENCES with its reason.

Differences by design, which this comparison does not show:
- Executors: the Kubeflow webhook customizes each executor pod as the driver creates it;
  sparkplane puts those customizations in an executor pod template (ConfigMap
  <prefix>-driver-podspec-conf-map, spark.kubernetes.executor.podTemplateFile). Here spark-submit
  gets sparkplane's template, so the template's ConfigMap and mount are compared as Spark makes
  them; the template's content is covered by the unit tests.
- Owner references of the ConfigMaps and the Service: Spark sets them to the driver pod once it
  exists; sparkplane's operator does the same with own_by_driver_pod() (checked above).
- Things only a spark-submit JVM does: uploading local files (plain paths, file://) to
  spark.kubernetes.file.upload.path, and resolving spec.deps.packages on the submitting machine
  (sparkplane warns about local files and leaves packages to the driver).
- SPARK_USER is the user spark-submit runs as; sparkplane takes it from an option (the operator's
  image runs spark-submit as "spark"), or spec.proxyUser.

The CRDs of deploy/helm/sparkplane/crds are applied too, and every manifest of examples/ and tests/data must be
accepted unchanged (strict field validation) and read back unchanged (nothing pruned).
"""
import copy
import getpass
import glob
import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
import yaml

from kube_cluster import KubeCluster, require_binaries
from kubeflow_reference import (kubeflow_defaults, kubeflow_monitoring, kubeflow_submit_args,
                                kubeflow_webhook)

REPO = Path(__file__).resolve().parents[2]
BIN = os.environ.get("SPARKPLANE_BIN", str(REPO / "build-asan" / "sparkplane"))
NS = "golden"
GOLDEN = sorted(glob.glob(str(REPO / "tests" / "data" / "kube" / "golden-*.yaml")))

# Differences that remain after normalization, each with its reason. Keys are paths as
# `diff()` prints them: "<object>:<json path>" or "properties:<key>".
EXPECTED_DIFFERENCES = {
    "properties:spark.kubernetes.authenticate.submission.caCertFile":
        "the test's credentials for spark-submit; the operator submits without a JVM",
    "properties:spark.kubernetes.authenticate.submission.clientCertFile":
        "the test's credentials for spark-submit",
    "properties:spark.kubernetes.authenticate.submission.clientKeyFile":
        "the test's credentials for spark-submit",
    "properties:spark.kubernetes.driver.podTemplateFile":
        "the Kubeflow operator writes spec.driver.template to a file on its own disk and names it; "
        "sparkplane builds the Pod on the template directly, so there is no file to name",
}


# ---- helpers ------------------------------------------------------------------------------------

def load_properties(text):
    """java.util.Properties text -> dict (the escapes Properties.store writes)."""
    props = {}
    for line in text.splitlines():
        s = line.lstrip()
        if not s or s[0] in "#!":
            continue
        key, value, i, target = [], [], 0, None
        buf = key
        while i < len(s):
            ch = s[i]
            if ch == "\\" and i + 1 < len(s):
                nxt = s[i + 1]
                buf.append({"t": "\t", "n": "\n", "r": "\r", "f": "\f"}.get(nxt, nxt))
                i += 2
                continue
            if buf is key and ch in "=: \t":
                buf = value
                i += 1
                while i < len(s) and s[i] in " \t":
                    i += 1
                if i < len(s) and s[i] in "=:" and ch in " \t":
                    i += 1
                    while i < len(s) and s[i] in " \t":
                        i += 1
                continue
            buf.append(ch)
            i += 1
        props["".join(key)] = "".join(value)
    return props


def diff(a, b, path=()):
    """Paths (tuples of keys and indexes) where two JSON values differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            out += diff(a.get(k), b.get(k), path + (k,))
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += diff(x, y, path + (i,))
        return out
    return [] if a == b else [path]


def path_str(path):
    """("spec", "containers", 0, "env") -> 'spec.containers[0].env'; keys with dots quoted."""
    out = ""
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        elif "." in p or "/" in p:
            out += f'["{p}"]'
        else:
            out += ("." if out else "") + p
    return out


def value_at(obj, path):
    for p in path:
        try:
            obj = obj[p]
        except (KeyError, IndexError, TypeError):
            return None
    return obj


def strip_server_fields(obj):
    obj = copy.deepcopy(obj)
    meta = obj.setdefault("metadata", {})
    for k in ("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields"):
        meta.pop(k, None)
    obj.pop("status", None)
    obj.get("spec", {}).pop("nodeName", None)
    return obj


def normalize_pod(pod):
    """Order-insensitive where the order comes from map iteration (Spark's SparkConf, Go maps)
    or from admission, and the service account token volume's random suffix removed."""
    pod = strip_server_fields(pod)
    ps = pod["spec"]
    for v in ps.get("volumes", []):
        if v["name"].startswith("kube-api-access-"):
            v["name"] = "kube-api-access"
    ps["volumes"] = sorted(ps.get("volumes", []), key=lambda v: v["name"])
    ps["tolerations"] = sorted(ps.get("tolerations", []), key=lambda t: json.dumps(t, sort_keys=True))
    for c in ps.get("containers", []) + ps.get("initContainers", []):
        for m in c.get("volumeMounts", []):
            if m["name"].startswith("kube-api-access-"):
                m["name"] = "kube-api-access"
        c["volumeMounts"] = sorted(c.get("volumeMounts", []), key=lambda m: m["name"])
        c["env"] = sorted(c.get("env", []), key=lambda e: e["name"])  # stable: duplicates keep order
    return pod


def placeholders(obj, names):
    text = json.dumps(obj)
    for theirs, ours, label in names:
        text = text.replace(theirs, f"<{label}>").replace(ours, f"<{label}>")
    return json.loads(text)


# ---- fixtures -----------------------------------------------------------------------------------

def spark_home():
    import pyspark
    return str(Path(pyspark.__file__).parent)


@pytest.fixture(scope="module")
def kube():
    require_binaries()
    if not os.access(BIN, os.X_OK):
        pytest.skip(f"{BIN} is not built (set SPARKPLANE_BIN)")
    if shutil.which("java") is None:
        pytest.skip("java is not installed")
    cluster = KubeCluster().start()
    try:
        pki = cluster.dir / "pki"
        # fabric8 (Spark's Kubernetes client) reads RSA client keys only: an RSA admin cert.
        subprocess.run(["openssl", "genrsa", "-out", str(pki / "spark-submit.key"), "2048"],
                       check=True, capture_output=True)
        subprocess.run(["openssl", "req", "-new", "-key", str(pki / "spark-submit.key"),
                        "-subj", "/O=system:masters/CN=spark-submit",
                        "-out", str(pki / "spark-submit.csr")], check=True, capture_output=True)
        (pki / "spark-submit.ext").write_text(
            "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n")
        subprocess.run(["openssl", "x509", "-req", "-in", str(pki / "spark-submit.csr"),
                        "-CA", str(pki / "ca.crt"), "-CAkey", str(pki / "ca.key"),
                        "-CAcreateserial", "-days", "2", "-extfile", str(pki / "spark-submit.ext"),
                        "-out", str(pki / "spark-submit.crt")], check=True, capture_output=True)
        cluster.api("POST", "/api/v1/namespaces",
                    {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}})
        cluster.api("POST", f"/api/v1/namespaces/{NS}/serviceaccounts",
                    {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "spark"}})
        cluster.api("POST", "/apis/scheduling.k8s.io/v1/priorityclasses",
                    {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                     "metadata": {"name": "golden-high"}, "value": 1000})
        yield cluster
    finally:
        cluster.stop()


def render(manifest, submission_id, app_uid, master, spark_user, submit_time_ms=0):
    proc = subprocess.run(
        [BIN, "render-driver", "-f", manifest, "--submission-id", submission_id,
         "--app-uid", app_uid, "--master", master, "--spark-user", spark_user,
         "--submit-time-ms", str(submit_time_ms)],
        capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)["items"]


def spark_submit(kube, args, workdir):
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON", "HADOOP_CONF_DIR",
                        "SPARK_CONF_DIR", "SPARK_LOCAL_DIRS", "SPARK_USER", "YARN_CONF_DIR")}
    env.update(SPARK_HOME=spark_home(), KUBECONFIG=str(workdir / "no-kubeconfig"),
               HOME=str(workdir))
    pki = kube.dir / "pki"
    auth = ["--conf", f"spark.kubernetes.authenticate.submission.caCertFile={pki / 'ca.crt'}",
            "--conf", f"spark.kubernetes.authenticate.submission.clientCertFile={pki / 'spark-submit.crt'}",
            "--conf", f"spark.kubernetes.authenticate.submission.clientKeyFile={pki / 'spark-submit.key'}"]
    cmd = [str(Path(spark_home()) / "bin" / "spark-submit")] + args[:4] + auth + args[4:]
    proc = subprocess.run(cmd, env=env, cwd=workdir, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and "Deployed Spark application" in proc.stderr, \
        proc.stderr[-4000:]


def by_kind(items, kind, pred=lambda o: True):
    return [o for o in items if o["kind"] == kind and pred(o)]


def volume(pod, name):
    return next(v for v in pod["spec"]["volumes"] if v["name"] == name)


# ---- tests --------------------------------------------------------------------------------------

def test_crds_accept_every_manifest_unchanged(kube):
    for crd in sorted(glob.glob(str(REPO / "deploy" / "helm" / "sparkplane" / "crds" / "*.yaml"))):
        kube.api("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                 yaml.safe_load(Path(crd).read_text()))
    for crd in ("sparkapplications", "scheduledsparkapplications"):
        kube.wait(f"CRD {crd} established", lambda crd=crd: any(
            c["type"] == "Established" and c["status"] == "True" for c in kube.api(
                "GET", f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/"
                       f"{crd}.sparkoperator.k8s.io").get("status", {}).get("conditions") or []))
    files = sorted(glob.glob(str(REPO / "examples" / "*.yaml")) +
                   glob.glob(str(REPO / "tests" / "data" / "manifests" / "*.yaml")) +
                   glob.glob(str(REPO / "tests" / "data" / "kube" / "*.yaml")))
    checked = 0
    for f in files:
        for doc in yaml.safe_load_all(Path(f).read_text()):
            if not doc or doc.get("apiVersion") != "sparkoperator.k8s.io/v1beta2":
                continue
            doc.pop("status", None)
            doc["metadata"]["namespace"] = NS
            plural = doc["kind"].lower() + "s"
            path = f"/apis/sparkoperator.k8s.io/v1beta2/namespaces/{NS}/{plural}"
            status, body = kube.request("POST", path + "?fieldValidation=Strict", doc)
            assert status == 201, f"{f}: {body}"
            got = kube.api("GET", f"{path}/{doc['metadata']['name']}")
            assert got["spec"] == doc["spec"], \
                f"{f}: stored spec differs at {[path_str(p) for p in diff(got['spec'], doc['spec'])]}"
            kube.api("DELETE", f"{path}/{doc['metadata']['name']}")
            checked += 1
    assert checked >= 6


@pytest.mark.parametrize("manifest", GOLDEN, ids=[Path(m).stem for m in GOLDEN])
def test_driver_objects_match_spark_submit(kube, manifest, tmp_path):
    app = yaml.safe_load(Path(manifest).read_text())
    name = app["metadata"]["name"]
    submission_id = str(uuid.uuid4())
    app_uid = str(uuid.uuid4())
    user = app["spec"].get("proxyUser") or getpass.getuser()
    master = "k8s://" + kube.server

    ours = render(manifest, submission_id, app_uid, master, user)
    our_pod = by_kind(ours, "Pod")[0]
    template_cms = by_kind(ours, "ConfigMap", lambda o: "podspec-configmap-key" in o.get("data", {}))

    # The Kubeflow operator's submission, executors getting sparkplane's pod template.
    reference = copy.deepcopy(app)
    kubeflow_defaults(reference)
    kubeflow_monitoring(reference)
    driver_template = tmp_path / "driver-pod-template.yaml"
    if reference["spec"]["driver"].get("template") is not None:
        driver_template.write_text(yaml.safe_dump(reference["spec"]["driver"]["template"]))
    executor_template = None
    if template_cms:
        executor_template = tmp_path / "executor-pod-template.yaml"
        executor_template.write_text(template_cms[0]["data"]["podspec-configmap-key"])
    args = kubeflow_submit_args(reference, master, submission_id, str(driver_template),
                                str(executor_template) if executor_template else None)
    spark_submit(kube, args, tmp_path)

    pod_path = f"/api/v1/namespaces/{NS}/pods/{name}-driver"
    their_pod = kube.get(pod_path)
    assert their_pod, "spark-submit created no driver pod"
    conf_cm_name = volume(their_pod, "spark-conf-volume-driver")["configMap"]["name"]
    their_cm = kube.api("GET", f"/api/v1/namespaces/{NS}/configmaps/{conf_cm_name}")
    their_props = load_properties(their_cm["data"]["spark.properties"])
    service_name = their_props["spark.driver.host"].split(".")[0]
    their_svc = kube.api("GET", f"/api/v1/namespaces/{NS}/services/{service_name}")
    their_template_cm = None
    if template_cms:
        tname = volume(their_pod, "pod-template-volume")["configMap"]["name"]
        their_template_cm = kube.api("GET", f"/api/v1/namespaces/{NS}/configmaps/{tname}")

    # Render again with spark-submit's submit time, which only it knows.
    ours = render(manifest, submission_id, app_uid, master, user,
                  int(their_props["spark.app.submitTime"]))
    our_pod = by_kind(ours, "Pod")[0]
    our_cm = by_kind(ours, "ConfigMap", lambda o: "spark.properties" in o.get("data", {}))[0]
    our_svc = by_kind(ours, "Service", lambda o: o["spec"].get("clusterIP") == "None")[0]
    our_props = load_properties(our_cm["data"]["spark.properties"])

    # Names spark-submit draws at random, against sparkplane's derived ones.
    names = [
        (their_props["spark.app.id"], our_props["spark.app.id"], "app-id"),
        (service_name, our_svc["metadata"]["name"], "driver-service"),
        (conf_cm_name, our_cm["metadata"]["name"], "conf-map"),
    ]
    if their_template_cm:
        names.append((their_template_cm["metadata"]["name"], template_cms[0]["metadata"]["name"],
                      "template-map"))
    their_env = {e["name"]: e.get("value") for c in their_pod["spec"]["containers"]
                 for e in c.get("env", [])}
    our_env = {e["name"]: e.get("value") for c in our_pod["spec"]["containers"]
               for e in c.get("env", [])}
    if their_env["SPARK_LOCAL_DIRS"] != our_env["SPARK_LOCAL_DIRS"]:
        names.append((their_env["SPARK_LOCAL_DIRS"], our_env["SPARK_LOCAL_DIRS"], "local-dir"))

    # Spark owns the ConfigMaps and the Service by the driver pod; sparkplane's operator adds
    # that reference once the pod exists (own_by_driver_pod).
    for obj in [their_cm, their_svc] + ([their_template_cm] if their_template_cm else []):
        refs = obj["metadata"].pop("ownerReferences")
        assert refs == [{"apiVersion": "v1", "kind": "Pod", "name": f"{name}-driver",
                         "uid": their_pod["metadata"]["uid"], "controller": True}]

    # The Kubeflow driver pod: spark-submit's, mutated by the webhook at admission.
    reference_pod = kubeflow_webhook(strip_server_fields(their_pod), reference, app_uid)
    kube.api("DELETE", pod_path + "?gracePeriodSeconds=0")
    kube.wait("driver pod deleted", lambda: kube.get(pod_path) is None, timeout=60)
    dry = "?dryRun=All"
    admitted_theirs = kube.api("POST", f"/api/v1/namespaces/{NS}/pods{dry}", reference_pod)
    admitted_ours = kube.api("POST", f"/api/v1/namespaces/{NS}/pods{dry}", our_pod)
    for obj in ours:  # every object sparkplane renders is valid for the API server
        if obj["kind"] == "Pod":
            continue
        plural = {"ConfigMap": "configmaps", "Service": "services", "Ingress": "ingresses"}[obj["kind"]]
        group = "/apis/networking.k8s.io/v1" if obj["kind"] == "Ingress" else "/api/v1"
        kube.api("POST", f"{group}/namespaces/{NS}/{plural}{dry}", obj)
    admitted_svc = kube.api("POST", f"/api/v1/namespaces/{NS}/services{dry}", our_svc)

    found = {}
    pairs = [
        ("pod", normalize_pod(admitted_theirs), normalize_pod(admitted_ours)),
        ("service", strip_server_fields(their_svc), strip_server_fields(admitted_svc)),
        ("configmap", {k: v for k, v in strip_server_fields(their_cm).items() if k != "data"},
         {k: v for k, v in strip_server_fields(our_cm).items() if k != "data"}),
        ("configmap-keys", sorted(their_cm["data"]), sorted(our_cm["data"])),
    ]
    if their_template_cm:
        pairs.append(("template-configmap", strip_server_fields(their_template_cm),
                      strip_server_fields(template_cms[0])))
    dump = os.environ.get("SPARKPLANE_GOLDEN_DUMP")  # a directory: write what is compared
    for label, theirs, mine in pairs:
        theirs, mine = placeholders(theirs, names), placeholders(mine, names)
        if dump:
            Path(dump).mkdir(parents=True, exist_ok=True)
            for side, obj in (("spark-submit", theirs), ("sparkplane", mine)):
                (Path(dump) / f"{name}.{label}.{side}.json").write_text(
                    json.dumps(obj, indent=1, sort_keys=True))
        for p in diff(theirs, mine):
            found[f"{label}:{path_str(p)}"] = (json.dumps(value_at(theirs, p))[:300],
                                               json.dumps(value_at(mine, p))[:300])
    tp, op = placeholders(their_props, names), placeholders(our_props, names)
    for k in sorted(set(tp) | set(op)):
        if tp.get(k) != op.get(k):
            found[f"properties:{k}"] = (tp.get(k), op.get(k))

    for k in sorted(found):
        print(f"{name}: {k}: {EXPECTED_DIFFERENCES.get(k, 'UNEXPECTED')}")
    unexpected = {k: v for k, v in found.items() if k not in EXPECTED_DIFFERENCES}
    report = "\n".join(f"  {k}:\n    spark-submit: {v[0]}\n    sparkplane:   {v[1]}"
                       for k, v in sorted(unexpected.items()))
    assert not unexpected, f"{name}: unexplained differences from spark-submit:\n{report}"



def test_executor_template_loads_in_spark(kube, tmp_path):
    """Spark reads the executor pod template with the loader it uses for every pod template
    (KubernetesUtils.loadPodFromTemplate): handed to spark-submit as a driver template, every
    customization of sparkplane's template must reach the pod Spark creates."""
    manifest = str(REPO / "tests" / "data" / "kube" / "golden-pyspark.yaml")
    ours = render(manifest, str(uuid.uuid4()), str(uuid.uuid4()), "k8s://" + kube.server,
                  getpass.getuser())
    text = by_kind(ours, "ConfigMap",
                   lambda o: "podspec-configmap-key" in o.get("data", {}))[0]["data"]["podspec-configmap-key"]
    template = json.loads(text)
    path = tmp_path / "pod-spec-template.yml"
    path.write_text(text)
    name = "template-check"
    args = ["--master", "k8s://" + kube.server, "--deploy-mode", "cluster", "--name", name,
            "--class", "org.apache.spark.examples.SparkPi",
            "--conf", f"spark.kubernetes.namespace={NS}",
            "--conf", "spark.kubernetes.container.image=apache/spark:4.1.1",
            "--conf", "spark.kubernetes.submission.waitAppCompletion=false",
            "--conf", f"spark.kubernetes.driver.pod.name={name}-driver",
            "--conf", f"spark.kubernetes.driver.podTemplateFile={path}",
            "--conf", "spark.kubernetes.driver.podTemplateContainerName=spark-kubernetes-executor",
            "local:///opt/spark/examples/jars/spark-examples_2.13-4.1.1.jar"]
    spark_submit(kube, args, tmp_path)
    pod = kube.api("GET", f"/api/v1/namespaces/{NS}/pods/{name}-driver")
    kube.api("DELETE", f"/api/v1/namespaces/{NS}/pods/{name}-driver?gracePeriodSeconds=0")
    want, got = template["spec"], pod["spec"]
    assert {v["name"] for v in want["volumes"]} <= {v["name"] for v in got["volumes"]}
    assert [c["name"] for c in want["containers"][1:]] == \
        [c["name"] for c in got["containers"] if c["name"] != "spark-kubernetes-executor"]
    spark = next(c for c in got["containers"] if c["name"] == "spark-kubernetes-executor")
    tspark = want["containers"][0]
    env = [(e["name"], e.get("value")) for e in spark["env"]]
    for e in tspark["env"]:
        assert (e["name"], e.get("value")) in env
    assert {m["mountPath"] for m in tspark["volumeMounts"]} <= {m["mountPath"] for m in spark["volumeMounts"]}
    for t in want["tolerations"]:
        assert t in got["tolerations"]
    assert got["priorityClassName"] == want["priorityClassName"]
    assert pod["metadata"]["labels"].items() >= template["metadata"].get("labels", {}).items()

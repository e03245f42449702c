"""Golden check of the driver resource builder (src/runtime/kube/driver_resources.h).

For each manifest of tests/data/kube/golden-*.yaml, the real spark-submit of the venv's pyspark
submits the application in cluster mode to the test cluster (kwok plays the kubelet, so no image
is pulled), with the spark-submit arguments the Kubeflow operator builds for it
(`kubeflow_submit_args`, a line-by-line rendering of its buildSparkSubmitArgs); the driver Pod it
created gets the Kubeflow webhook's mutations (`kubeflow_webhook`, likewise from its
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

The CRDs of deploy/crds are applied too, and every manifest of examples/ and tests/data must be
accepted unchanged (strict field validation) and read back unchanged (nothing pruned).
"""
import copy
import getpass
import glob
import json
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest
import yaml

from kube_cluster import KubeCluster, require_binaries

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


# ---- the Kubeflow operator, as reference ------------------------------------------------------

def kubeflow_submit_args(app, master, submission_id, driver_template_file, executor_template_file):
    """buildSparkSubmitArgs of internal/controller/sparkapplication/submission.go."""
    spec, meta = app["spec"], app["metadata"]
    name, ns = meta["name"], meta["namespace"]
    args = ["--master", master, "--deploy-mode", spec.get("mode", "cluster")]
    if spec.get("mainClass"):
        args += ["--class", spec["mainClass"]]
    args += ["--name", name]
    deps = spec.get("deps", {})
    for key, flag in [("jars", "--jars"), ("packages", "--packages"),
                      ("excludePackages", "--exclude-packages"), ("repositories", "--repositories"),
                      ("pyFiles", "--py-files"), ("files", "--files"), ("archives", "--archives")]:
        if deps.get(key):
            args += [flag, ",".join(deps[key])]
    conf = []

    def c(k, v):
        conf.append(f"{k}={v}")

    c("spark.kubernetes.namespace", ns)
    if spec.get("image"):
        c("spark.kubernetes.container.image", spec["image"])
    if spec.get("imagePullPolicy"):
        c("spark.kubernetes.container.image.pullPolicy", spec["imagePullPolicy"])
    if spec.get("imagePullSecrets"):
        c("spark.kubernetes.container.image.pullSecrets", ",".join(spec["imagePullSecrets"]))
    if spec.get("pythonVersion"):
        c("spark.kubernetes.pyspark.pythonVersion", spec["pythonVersion"])
    if spec.get("memoryOverheadFactor"):
        c("spark.kubernetes.memoryOverheadFactor", spec["memoryOverheadFactor"])
    c("spark.kubernetes.submission.waitAppCompletion", "false")
    for k, v in spec.get("sparkConf", {}).items():
        if k != "spark.kubernetes.driver.pod.name":
            c(k, v)
    for k, v in spec.get("hadoopConf", {}).items():
        c("spark.hadoop." + k, v)
    d, e = spec["driver"], spec["executor"]
    if d.get("template") is not None:
        c("spark.kubernetes.driver.podTemplateFile", driver_template_file)
        c("spark.kubernetes.driver.podTemplateContainerName", "spark-kubernetes-driver")
    c("spark.kubernetes.driver.pod.name", d.get("podName") or f"{name}-driver")

    def pod_labels(role, pod):
        c(f"spark.kubernetes.{role}.label.sparkoperator.k8s.io/app-name", name)
        c(f"spark.kubernetes.{role}.label.sparkoperator.k8s.io/launched-by-spark-operator", "true")
        if pod.get("template") is None:
            c(f"spark.kubernetes.{role}.label.sparkoperator.k8s.io/mutated-by-spark-operator", "true")
        c(f"spark.kubernetes.{role}.label.sparkoperator.k8s.io/submission-id", submission_id)

    pod_labels("driver", d)
    image = d.get("image") or spec.get("image")
    if image:
        c("spark.kubernetes.driver.container.image", image)
    for key, prop in [("cores", "spark.driver.cores"),
                      ("coreRequest", "spark.kubernetes.driver.request.cores"),
                      ("coreLimit", "spark.kubernetes.driver.limit.cores"),
                      ("memory", "spark.driver.memory"),
                      ("memoryOverhead", "spark.driver.memoryOverhead"),
                      ("serviceAccount", "spark.kubernetes.authenticate.driver.serviceAccountName"),
                      ("javaOptions", "spark.driver.extraJavaOptions"),
                      ("kubernetesMaster", "spark.kubernetes.driver.master")]:
        if key in d:
            c(prop, d[key])
    for src, prefix in [(meta.get("labels", {}), "spark.kubernetes.driver.label."),
                        (d.get("labels", {}), "spark.kubernetes.driver.label."),
                        (d.get("annotations", {}), "spark.kubernetes.driver.annotation."),
                        (d.get("serviceLabels", {}), "spark.kubernetes.driver.service.label."),
                        (d.get("serviceAnnotations", {}),
                         "spark.kubernetes.driver.service.annotation.")]:
        for k, v in src.items():
            c(prefix + k, v)
    for k, ref in d.get("envSecretKeyRefs", {}).items():
        c("spark.kubernetes.driver.secretKeyRef." + k, f"{ref['name']}:{ref['key']}")
    for k, v in d.get("envVars", {}).items():
        c("spark.kubernetes.driverEnv." + k, v)

    def secrets(pod, prefix, env_prefix):
        for s in pod.get("secrets", []):
            c(prefix + s["name"], s["path"])
            if s["secretType"] == "GCPServiceAccount":
                c(env_prefix + "GOOGLE_APPLICATION_CREDENTIALS", s["path"] + "/key.json")
            elif s["secretType"] == "HadoopDelegationToken":
                c(env_prefix + "HADOOP_TOKEN_FILE_LOCATION", s["path"] + "/hadoop.token")

    def local_dirs(role, pod):
        volumes = {v["name"]: v for v in spec.get("volumes", [])
                   if v["name"].startswith("spark-local-dir-")}
        for m in pod.get("volumeMounts", []):
            if not m["name"].startswith("spark-local-dir-"):
                continue
            v = volumes[m["name"]]
            kind = next(t for t in ("emptyDir", "hostPath", "nfs", "persistentVolumeClaim") if t in v)
            base = f"spark.kubernetes.{role}.volumes.{kind}.{m['name']}."
            if m.get("mountPath"):
                c(base + "mount.path", m["mountPath"])
            if m.get("subPath"):
                c(base + "mount.subPath", m["subPath"])
            if m.get("readOnly"):
                c(base + "mount.readOnly", "true")
            if kind == "emptyDir" and (v["emptyDir"] or {}).get("sizeLimit"):
                c(base + "options.sizeLimit", v["emptyDir"]["sizeLimit"])

    secrets(d, "spark.kubernetes.driver.secrets.", "spark.kubernetes.driverEnv.")
    local_dirs("driver", d)
    if executor_template_file:
        c("spark.kubernetes.executor.podTemplateFile", executor_template_file)
        c("spark.kubernetes.executor.podTemplateContainerName", "spark-kubernetes-executor")
    pod_labels("executor", e)
    if "instances" in e:
        c("spark.executor.instances", e["instances"])
    image = e.get("image") or spec.get("image")
    if image:
        c("spark.kubernetes.executor.container.image", image)
    for key, prop in [("cores", "spark.executor.cores"),
                      ("coreRequest", "spark.kubernetes.executor.request.cores"),
                      ("coreLimit", "spark.kubernetes.executor.limit.cores"),
                      ("memory", "spark.executor.memory"),
                      ("memoryOverhead", "spark.executor.memoryOverhead"),
                      ("serviceAccount", "spark.kubernetes.authenticate.executor.serviceAccountName")]:
        if key in e:
            c(prop, e[key])
    if "deleteOnTermination" in e:
        c("spark.kubernetes.executor.deleteOnTermination", str(e["deleteOnTermination"]).lower())
    for src, prefix in [(meta.get("labels", {}), "spark.kubernetes.executor.label."),
                        (e.get("labels", {}), "spark.kubernetes.executor.label."),
                        (e.get("annotations", {}), "spark.kubernetes.executor.annotation.")]:
        for k, v in src.items():
            c(prefix + k, v)
    for k, ref in e.get("envSecretKeyRefs", {}).items():
        c("spark.kubernetes.executor.secretKeyRef." + k, f"{ref['name']}:{ref['key']}")
    if "javaOptions" in e:
        c("spark.executor.extraJavaOptions", e["javaOptions"])
    for k, v in e.get("envVars", {}).items():
        c("spark.executorEnv." + k, v)
    secrets(e, "spark.kubernetes.executor.secrets.", "spark.executorEnv.")
    local_dirs("executor", e)
    for k, v in spec.get("nodeSelector", {}).items():
        c("spark.kubernetes.node.selector." + k, v)
    da = spec.get("dynamicAllocation")
    if da and da.get("enabled"):
        c("spark.dynamicAllocation.enabled", "true")
        for key, prop in [("initialExecutors", "initialExecutors"), ("minExecutors", "minExecutors"),
                          ("maxExecutors", "maxExecutors")]:
            if key in da:
                c("spark.dynamicAllocation." + prop, da[key])
        c("spark.dynamicAllocation.shuffleTracking.enabled",
          str(da.get("shuffleTrackingEnabled", True)).lower())
        if "shuffleTrackingTimeout" in da:
            c("spark.dynamicAllocation.shuffleTracking.timeout", da["shuffleTrackingTimeout"])
    for kv in conf:
        args += ["--conf", kv]
    if spec.get("proxyUser"):
        args += ["--proxy-user", spec["proxyUser"]]
    args.append(spec["mainApplicationFile"])
    args += spec.get("arguments", [])
    return args


def kubeflow_defaults(app):
    """SetSparkApplicationDefaults of api/v1beta2/defaults.go (the fields submission reads)."""
    spec = app["spec"]
    spec.setdefault("type", "Scala")
    spec.setdefault("mode", "cluster")
    conf = spec.get("sparkConf", {})
    for role in ("driver", "executor"):
        pod = spec.setdefault(role, {})
        if f"spark.{role}.cores" not in conf and "cores" not in pod:
            pod["cores"] = 1
        if f"spark.{role}.memory" not in conf and "memory" not in pod:
            pod["memory"] = "1g"
    dynamic = conf.get("spark.dynamicallocation.enabled", "").lower() in ("1", "t", "true")
    if not dynamic and not spec.get("dynamicAllocation", {}).get("enabled"):
        if "spark.executor.instances" not in conf and "instances" not in spec["executor"]:
            spec["executor"]["instances"] = 1


def kubeflow_monitoring(app):
    """configPrometheusMonitoring: what it writes into the spec before submitting."""
    mon = app["spec"].get("monitoring")
    if not mon or "prometheus" not in mon:
        return
    prom = mon["prometheus"]
    port = prom.get("port", 8090)
    agent = f"-javaagent:{prom['jmxExporterJar']}={port}:/etc/metrics/conf/prometheus.yaml"
    if prom.get("configFile"):
        agent = f"-javaagent:{prom['jmxExporterJar']}={port}:{prom['configFile']}"
    spec = app["spec"]
    conf = spec.setdefault("sparkConf", {})
    conf["spark.metrics.namespace"] = f"{app['metadata']['namespace']}.{app['metadata']['name']}"
    conf["spark.metrics.conf"] = mon.get("metricsPropertiesFile") or \
        "/etc/metrics/conf/metrics.properties"
    for role, flag in [("driver", "exposeDriverMetrics"), ("executor", "exposeExecutorMetrics")]:
        if mon.get(flag):
            pod = spec[role]
            pod.setdefault("annotations", {}).update({
                "prometheus.io/scrape": "true", "prometheus.io/port": str(port),
                "prometheus.io/path": "/metrics"})
            pod["javaOptions"] = (pod["javaOptions"] + " " + agent) if pod.get("javaOptions") else agent


def kubeflow_webhook(pod, app, app_uid):
    """mutateSparkPod of internal/webhook/sparkpod_defaulter.go, for a driver pod."""
    spec, d = app["spec"], app["spec"]["driver"]
    ps = pod["spec"]
    containers = ps["containers"]
    ci = next((i for i, c in enumerate(containers) if c["name"] == "spark-kubernetes-driver"), 0)
    ctr = containers[ci]

    def vol(v):
        ps.setdefault("volumes", []).append(copy.deepcopy(v))

    def mount(m):
        ctr.setdefault("volumeMounts", []).append(copy.deepcopy(m))

    def env(name, value):
        ctr.setdefault("env", []).append({"name": name, "value": value})

    def config_map(cm, volume, path):
        vol({"name": volume, "configMap": {"name": cm}})
        mount({"name": volume, "readOnly": True, "mountPath": path})

    pod["metadata"].setdefault("ownerReferences", []).append({
        "apiVersion": "sparkoperator.k8s.io/v1beta2", "kind": "SparkApplication",
        "name": app["metadata"]["name"], "uid": app_uid, "controller": True,
        "blockOwnerDeletion": True})
    ctr.setdefault("env", []).extend(copy.deepcopy(d.get("env", [])))
    ctr.setdefault("envFrom", []).extend(copy.deepcopy(d.get("envFrom", [])))
    if spec.get("hadoopConfigMap"):
        config_map(spec["hadoopConfigMap"], "hadoop-configmap-volume", "/etc/hadoop/conf")
        env("HADOOP_CONF_DIR", "/etc/hadoop/conf")
    if spec.get("sparkConfigMap"):
        config_map(spec["sparkConfigMap"], "spark-configmap-volume", "/etc/spark/conf")
        env("SPARK_CONF_DIR", "/etc/spark/conf")
    for np in d.get("configMaps", []):
        config_map(np["name"], (np["name"] + "-vol")[:63], np["path"])
    volumes = {v["name"]: v for v in spec.get("volumes", [])}
    added = set()
    for m in d.get("volumeMounts", []):
        if m["name"].startswith("spark-local-dir-") or m["name"] not in volumes:
            continue
        if m["name"] not in added:
            vol(volumes[m["name"]])
            added.add(m["name"])
        mount(m)
    for p in d.get("ports", []):
        ctr.setdefault("ports", []).append(
            {"name": p["name"], "containerPort": p["containerPort"], "protocol": p["protocol"]})
    if d.get("hostNetwork"):
        ps["hostNetwork"] = True
        ps["dnsPolicy"] = "ClusterFirstWithHostNet"
    ps.setdefault("hostAliases", []).extend(copy.deepcopy(d.get("hostAliases", [])))
    ps.setdefault("initContainers", [])
    for c in d.get("initContainers", []):
        if not any(x["name"] == c["name"] and x.get("image") == c.get("image")
                   for x in ps["initContainers"]):
            ps["initContainers"].append(copy.deepcopy(c))
    for c in d.get("sidecars", []):
        if not any(x["name"] == c["name"] and x.get("image") == c.get("image") for x in containers):
            containers.append(copy.deepcopy(c))
    if d.get("dnsConfig"):
        ps["dnsConfig"] = copy.deepcopy(d["dnsConfig"])
    if d.get("priorityClassName"):
        ps["priorityClassName"] = d["priorityClassName"]
        ps.pop("priority", None)
        ps.pop("preemptionPolicy", None)
    scheduler = spec.get("batchScheduler") or d.get("schedulerName")
    if scheduler:
        ps["schedulerName"] = scheduler
    ps.setdefault("nodeSelector", {}).update(d.get("nodeSelector", {}))
    if d.get("affinity"):
        ps["affinity"] = copy.deepcopy(d["affinity"])
    ps.setdefault("tolerations", []).extend(copy.deepcopy(d.get("tolerations", [])))
    gpu = d.get("gpu")
    if gpu and gpu.get("name") and gpu.get("quantity", 0) > 0:
        ctr.setdefault("resources", {}).setdefault("limits", {})[gpu["name"]] = str(gpu["quantity"])
    mon = spec.get("monitoring")
    if mon and "prometheus" in mon and mon.get("exposeDriverMetrics") and not (
            mon.get("metricsPropertiesFile") and mon["prometheus"].get("configFile")):
        name = app["metadata"]["name"] + "-prom-conf"
        config_map(name, name + "-vol", "/etc/metrics/conf")
        ctr.setdefault("ports", []).append({
            "name": mon["prometheus"].get("portName", "jmx-exporter"),
            "containerPort": mon["prometheus"].get("port", 8090), "protocol": "TCP"})
    if d.get("securityContext"):
        ctr["securityContext"] = copy.deepcopy(d["securityContext"])
    if d.get("podSecurityContext"):
        ps["securityContext"] = copy.deepcopy(d["podSecurityContext"])
    if "terminationGracePeriodSeconds" in d:
        ps["terminationGracePeriodSeconds"] = d["terminationGracePeriodSeconds"]
    if d.get("lifecycle"):
        ctr["lifecycle"] = copy.deepcopy(d["lifecycle"])
    if d.get("shareProcessNamespace"):
        ps["shareProcessNamespace"] = True
    return pod


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
    for crd in sorted(glob.glob(str(REPO / "deploy" / "crds" / "*.yaml"))):
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

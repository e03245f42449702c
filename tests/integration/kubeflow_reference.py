"""What the Kubeflow Spark Operator does with a SparkApplication, for the golden comparison of
test_driver_golden.py: its defaults (api/v1beta2/defaults.go), the monitoring settings it writes
into the spec (configPrometheusMonitoring), the spark-submit arguments it builds
(buildSparkSubmitArgs in internal/controller/sparkapplication/submission.go) and the mutations
its webhook makes to the driver pod (mutateSparkPod in internal/webhook/sparkpod_defaulter.go),
each written from the operator's code, independently of sparkplane's C++ builder. Manifests are
plain dicts as yaml.safe_load gives them."""
import copy


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

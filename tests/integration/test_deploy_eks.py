"""Static checks of deploy/eks (EKS with GitOps): what can be checked without a cluster.

No EKS, Karpenter, Argo CD or AWS account is at hand, and the Karpenter and Argo CD CRDs are
installed nowhere here, so the API server cannot check their kinds. This test checks, from the
files alone, the fields each kind needs and that the pieces agree with one another:
  - Argo CD: every child Application has a sync wave, node pools < chart < examples, each
    source path (and value file) exists, a destination namespace, automated sync;
  - Karpenter: each NodePool points at an EC2NodeClass of the directory, drivers on on-demand
    only, executors on spot and on-demand, WhenEmpty consolidation for executors, budgets and
    limits, local NVMe + RAID0 for executors; each EC2NodeClass has what it must;
  - examples: each driver and executor pod lands on a pool of its role (nodeSelector and
    tolerations against the pools' labels, requirements and taints);
  - values-eks.yaml: its keys exist in the chart's values.yaml (once the chart is there), and
    the event-log locations agree;
  - Terraform: every var.X is declared, the Pod Identity associations name the service
    accounts of values-eks.yaml in the right namespaces, the provider syntax fits the pins.
The examples' validity against sparkplane's CRDs, and the chart rendering with
values-eks.yaml, are checked by other tests.
"""
import json
import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
EKS = REPO / "deploy" / "eks"
CHART_VALUES = REPO / "deploy" / "helm" / "sparkplane" / "values.yaml"
CHART_PATH = "deploy/helm/sparkplane"
APPS_PATH = "deploy/eks/argocd/apps"

WAVE = "argocd.argoproj.io/sync-wave"
ROLE_LABEL = "sparkplane.io/spark-role"
CAPACITY = "karpenter.sh/capacity-type"
LOCAL_NVME = "karpenter.k8s.aws/instance-local-nvme"


# ---- loading --------------------------------------------------------------------------------

def load_docs(directory):
    """Every YAML document with a kind under directory, as (file, doc)."""
    out = []
    for path in sorted(directory.rglob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if isinstance(doc, dict) and "kind" in doc:
                out.append((path, doc))
    return out


def of_kind(docs, *kinds):
    return [doc for _, doc in docs if doc["kind"] in kinds]


def name(doc):
    return doc["metadata"]["name"]


ARGO_DOCS = load_docs(EKS / "argocd")
APPLICATIONS = of_kind(ARGO_DOCS, "Application", "ApplicationSet")
KARPENTER_DOCS = load_docs(EKS / "karpenter")
NODEPOOLS = of_kind(KARPENTER_DOCS, "NodePool")
NODECLASSES = {name(c): c for c in of_kind(KARPENTER_DOCS, "EC2NodeClass")}
EXAMPLES = of_kind(load_docs(EKS / "examples"), "SparkApplication", "ScheduledSparkApplication")
VALUES = yaml.safe_load((EKS / "values-eks.yaml").read_text())


def dig(mapping, dotted):
    for key in dotted.split("."):
        mapping = (mapping or {}).get(key)
    return mapping


# ---- Argo CD --------------------------------------------------------------------------------

def app_spec(app):
    """An Application's spec, or an ApplicationSet's template spec."""
    spec = app["spec"]
    return spec["template"]["spec"] if app["kind"] == "ApplicationSet" else spec


def app_sources(app):
    spec = app_spec(app)
    return spec.get("sources") or [spec["source"]]


def is_root(app):
    """The app of apps, applied by hand: its source is the directory of the others."""
    return any(s.get("path") == APPS_PATH for s in app_sources(app))


CHILDREN = [a for a in APPLICATIONS if not is_root(a)]


def test_argocd_has_one_root_and_its_children_in_its_directory():
    roots = [a for a in APPLICATIONS if is_root(a)]
    assert len(roots) == 1, f"expected one root Application syncing {APPS_PATH}"
    in_apps_dir = [d for p, d in ARGO_DOCS if p.parent == REPO / APPS_PATH]
    assert CHILDREN and all(c in in_apps_dir for c in CHILDREN), \
        f"every child Application must be in {APPS_PATH}, which the root syncs"


@pytest.mark.parametrize("app", CHILDREN, ids=name)
def test_child_application_has_a_sync_wave(app):
    wave = app["metadata"].get("annotations", {}).get(WAVE)
    assert wave is not None, f"{name(app)}: no {WAVE} annotation"
    assert isinstance(wave, str) and re.fullmatch(r"-?\d+", wave), \
        f"{name(app)}: {WAVE} must be a quoted integer, got {wave!r}"


def wave_of_path(path):
    waves = [int(a["metadata"]["annotations"][WAVE]) for a in CHILDREN
             if any(s.get("path") == path for s in app_sources(a))]
    assert len(waves) == 1, f"expected one Application with source path {path}, found {len(waves)}"
    return waves[0]


def test_waves_put_node_pools_before_the_chart_before_the_examples():
    pools, chart, examples = (wave_of_path(p) for p in
                              ("deploy/eks/karpenter", CHART_PATH, "deploy/eks/examples"))
    assert pools < chart < examples, \
        f"waves must be node pools < chart < examples, got {pools}, {chart}, {examples}"


SOURCES = [(name(a), s) for a in APPLICATIONS for s in app_sources(a)]


@pytest.mark.parametrize("app_name,source", SOURCES, ids=[n for n, _ in SOURCES])
def test_application_source_path_and_value_files_exist(app_name, source):
    path = REPO / source["path"]
    if source["path"] == CHART_PATH and not path.exists():
        pytest.skip(f"{CHART_PATH} is not in the repository yet (being written)")
    assert path.is_dir(), f"{app_name}: source path {source['path']} does not exist"
    for value_file in source.get("helm", {}).get("valueFiles", []):
        resolved = (path / value_file).resolve()
        assert resolved.is_file(), f"{app_name}: value file {value_file} -> {resolved} missing"
        assert REPO in resolved.parents, f"{app_name}: value file {value_file} leaves the repo"


@pytest.mark.parametrize("app", APPLICATIONS, ids=name)
def test_application_has_destination_and_automated_sync(app):
    spec = app_spec(app)
    destination = spec.get("destination", {})
    assert destination.get("namespace"), f"{name(app)}: destination.namespace not set"
    assert destination.get("server") or destination.get("name"), f"{name(app)}: no cluster"
    automated = spec.get("syncPolicy", {}).get("automated")
    assert isinstance(automated, dict), f"{name(app)}: syncPolicy.automated not set"
    for source in app_sources(app):
        assert re.match(r"https://[^/]*example\.com/", source["repoURL"]), \
            f"{name(app)}: repoURL must stay the documented example.com placeholder"


# ---- Karpenter ------------------------------------------------------------------------------

def role_of(pool):
    return pool["metadata"].get("labels", {}).get(ROLE_LABEL)


def pools_of_role(role):
    return [p for p in NODEPOOLS if role_of(p) == role]


def requirement(pool, key):
    reqs = [r for r in pool["spec"]["template"]["spec"].get("requirements", []) if r["key"] == key]
    assert len(reqs) == 1, f"{name(pool)}: expected one requirement on {key}, found {len(reqs)}"
    return reqs[0]


def test_there_are_driver_and_executor_pools():
    assert pools_of_role("driver") and pools_of_role("executor")
    for pool in NODEPOOLS:
        assert role_of(pool) in ("driver", "executor"), \
            f"{name(pool)}: label {ROLE_LABEL} must be driver or executor"


@pytest.mark.parametrize("pool", NODEPOOLS, ids=name)
def test_nodepool_points_at_an_ec2nodeclass_of_the_directory(pool):
    ref = pool["spec"]["template"]["spec"]["nodeClassRef"]
    assert (ref.get("group"), ref.get("kind")) == ("karpenter.k8s.aws", "EC2NodeClass"), \
        f"{name(pool)}: nodeClassRef must be karpenter.k8s.aws/EC2NodeClass, got {ref}"
    assert ref.get("name") in NODECLASSES, \
        f"{name(pool)}: EC2NodeClass {ref.get('name')} is not defined in deploy/eks/karpenter"


@pytest.mark.parametrize("pool", NODEPOOLS, ids=name)
def test_nodepool_capacity_types(pool):
    req = requirement(pool, CAPACITY)
    assert req["operator"] == "In", f"{name(pool)}: {CAPACITY} must use In"
    values = set(req["values"])
    if role_of(pool) == "driver":
        assert values == {"on-demand"}, f"{name(pool)}: drivers must be on-demand only"
    else:
        assert {"spot", "on-demand"} <= values, \
            f"{name(pool)}: executors must allow spot, with on-demand as the fallback"


@pytest.mark.parametrize("pool", NODEPOOLS, ids=name)
def test_nodepool_disruption_and_limits(pool):
    disruption = pool["spec"].get("disruption", {})
    assert disruption.get("budgets"), f"{name(pool)}: no disruption budgets"
    assert pool["spec"].get("limits", {}).get("cpu"), f"{name(pool)}: no cpu limit"
    if role_of(pool) == "executor":
        assert disruption.get("consolidationPolicy") == "WhenEmpty", \
            f"{name(pool)}: executor pools must consolidate WhenEmpty (never evict executors)"
        assert disruption.get("consolidateAfter"), f"{name(pool)}: no consolidateAfter"


@pytest.mark.parametrize("pool", pools_of_role("executor"), ids=name)
def test_executor_pool_has_local_nvme_striped_as_raid0(pool):
    req = requirement(pool, LOCAL_NVME)
    assert (req["operator"] == "Exists"
            or (req["operator"] == "Gt" and int(req["values"][0]) >= 0)), \
        f"{name(pool)}: {LOCAL_NVME} must require local NVMe (Gt or Exists), got {req}"
    node_class = NODECLASSES[pool["spec"]["template"]["spec"]["nodeClassRef"]["name"]]
    assert node_class["spec"].get("instanceStorePolicy") == "RAID0", \
        f"{name(pool)}: its EC2NodeClass {name(node_class)} needs instanceStorePolicy: RAID0"


@pytest.mark.parametrize("node_class", list(NODECLASSES.values()), ids=name)
def test_ec2nodeclass_has_what_it_needs(node_class):
    spec = node_class["spec"]
    assert spec.get("role") or spec.get("instanceProfile"), f"{name(node_class)}: no role"
    for terms in ("amiSelectorTerms", "subnetSelectorTerms", "securityGroupSelectorTerms"):
        assert spec.get(terms), f"{name(node_class)}: {terms} empty or missing"
    assert spec.get("metadataOptions", {}).get("httpTokens") == "required", \
        f"{name(node_class)}: IMDSv2 (metadataOptions.httpTokens: required) expected"


# ---- the examples on the pools --------------------------------------------------------------

def tolerates(tolerations, taint):
    for t in tolerations:
        key_ok = t.get("key") == taint["key"] or (not t.get("key") and t.get("operator") == "Exists")
        value_ok = t.get("operator") == "Exists" or t.get("value") == taint.get("value")
        effect_ok = not t.get("effect") or t.get("effect") == taint["effect"]
        if key_ok and value_ok and effect_ok:
            return True
    return False


def pool_accepts(pool, pod):
    """The pod selects the pool (each nodeSelector pair is one of the pool's labels or allowed by
    its requirements) and tolerates each of its taints."""
    template = pool["spec"]["template"]
    labels = template.get("metadata", {}).get("labels", {})
    requirements = template["spec"].get("requirements", [])
    selector = pod.get("nodeSelector") or {}
    if not selector:
        return False
    for key, value in selector.items():
        allowed = labels.get(key) == value or any(
            r["key"] == key and r["operator"] == "In" and value in r["values"]
            for r in requirements)
        if not allowed:
            return False
    return all(tolerates(pod.get("tolerations") or [], t) for t in template["spec"].get("taints", []))


def app_template(example):
    return example["spec"]["template"] if example["kind"] == "ScheduledSparkApplication" else example["spec"]


EXAMPLE_PODS = [(f"{name(e)}-{role}", role, app_template(e)[role])
                for e in EXAMPLES for role in ("driver", "executor")]


@pytest.mark.parametrize("label,role,pod", EXAMPLE_PODS, ids=[p[0] for p in EXAMPLE_PODS])
def test_example_pod_lands_only_on_pools_of_its_role(label, role, pod):
    accepting = [p for p in NODEPOOLS if pool_accepts(p, pod)]
    assert accepting, f"{label}: its nodeSelector/tolerations match no NodePool"
    wrong = [name(p) for p in accepting if role_of(p) != role]
    assert not wrong, f"{label}: a {role} would also fit pools {wrong}"


def test_examples_use_each_executor_pool_and_schedule_one_nightly_run():
    used = {name(p) for _, role, pod in EXAMPLE_PODS if role == "executor"
            for p in NODEPOOLS if pool_accepts(p, pod)}
    assert used == {name(p) for p in pools_of_role("executor")}, \
        f"examples use executor pools {sorted(used)}: one example per executor pool expected"
    scheduled = [e for e in EXAMPLES if e["kind"] == "ScheduledSparkApplication"]
    assert scheduled and all(e["spec"].get("concurrencyPolicy") == "Forbid" for e in scheduled)


@pytest.mark.parametrize("example", EXAMPLES, ids=name)
def test_example_driver_and_event_logs_fit_the_deployment(example):
    spec = app_template(example)
    assert example["apiVersion"] == "sparkoperator.k8s.io/v1beta2"
    assert example["metadata"].get("namespace") in VALUES["spark"]["jobNamespaces"]
    driver = spec["driver"]
    assert driver.get("serviceAccount") == VALUES["spark"]["serviceAccount"]["name"]
    assert driver.get("annotations", {}).get("karpenter.sh/do-not-disrupt") == "true"
    conf = spec.get("sparkConf", {})
    assert conf.get("spark.eventLog.enabled") == "true"
    assert conf.get("spark.eventLog.dir") == VALUES["historyServer"]["logDir"], \
        "the drivers must ship their logs where the history server reads"
    assert conf.get("spark.kubernetes.local.dirs.tmpfs") == "false"


@pytest.mark.parametrize("component", ["operator", "historyServer"])
def test_control_plane_runs_on_the_on_demand_driver_pool(component):
    accepting = [p for p in NODEPOOLS if pool_accepts(p, VALUES[component])]
    assert accepting and all(role_of(p) == "driver" for p in accepting), \
        f"{component}: nodeSelector/tolerations must match the driver pool only"


# ---- values-eks.yaml ------------------------------------------------------------------------

def test_event_log_locations_agree():
    shipped = dig(VALUES, "operator.eventLogShipping.eventLogDir")
    read = dig(VALUES, "historyServer.logDir")
    assert shipped == read and read.startswith("s3://"), (shipped, read)


def missing_keys(ours, chart, prefix=""):
    """Paths of ours that the chart's values do not have. A key the chart leaves as an empty
    map or null (annotations: {}, nodeSelector: {}) takes anything below it."""
    missing = []
    for key, value in ours.items():
        path = f"{prefix}{key}"
        if key not in chart:
            missing.append(path)
        elif isinstance(value, dict) and isinstance(chart[key], dict) and chart[key]:
            missing += missing_keys(value, chart[key], path + ".")
    return missing


def test_values_keys_exist_in_the_chart():
    if not CHART_VALUES.exists():
        pytest.skip(f"{CHART_VALUES.relative_to(REPO)} is not there yet (being written)")
    chart = yaml.safe_load(CHART_VALUES.read_text())
    assert not missing_keys(VALUES, chart), "keys of values-eks.yaml the chart does not have"


# ---- Terraform ------------------------------------------------------------------------------

TF_DIR = EKS / "terraform"


def tf_text(filename=None):
    """The .tf files without their comment lines (comments may name var.X freely)."""
    files = [TF_DIR / filename] if filename else sorted(TF_DIR.glob("*.tf"))
    lines = [line for f in files for line in f.read_text().splitlines()
             if not line.lstrip().startswith(("#", "//"))]
    return "\n".join(lines)


def hcl_blocks(text, header):
    """{label: body} of the blocks whose header matches `header` (a regex with one group)."""
    blocks = {}
    for match in re.finditer(header + r"\s*\{", text):
        depth, i = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        blocks[match.group(1)] = text[match.end():i - 1]
    return blocks


def variable_default(variable):
    body = hcl_blocks(tf_text("variables.tf"), rf'variable\s+"({variable})"')[variable]
    return json.loads(re.search(r"^\s*default\s*=\s*(.+)$", body, re.M).group(1))


def test_terraform_variables_are_declared():
    declared = set(re.findall(r'^variable\s+"([^"]+)"', tf_text("variables.tf"), re.M))
    used = set(re.findall(r"\bvar\.([A-Za-z_][A-Za-z0-9_-]*)", tf_text()))
    assert used <= declared, f"var.X used but not declared: {sorted(used - declared)}"
    assert {"cluster_name", "namespace", "bucket_name", "chart_path", "image_repository",
            "image_tag", "create_bucket"} <= declared


def pod_identity_associations():
    """[(service account, namespace expression, block body)] of each
    aws_eks_pod_identity_association; a service account given as local.X is looked up."""
    text = tf_text()
    local_values = dict(re.findall(r'^\s*(\w+)\s*=\s*"([^"]*)"\s*$',
                                   "\n".join(hcl_blocks(text, r"(locals)").values()), re.M))
    out = []
    for body in hcl_blocks(text, r'resource\s+"aws_eks_pod_identity_association"\s+"(\w+)"').values():
        account = re.search(r"^\s*service_account\s*=\s*(\S+)", body, re.M).group(1)
        account = account.strip('"') if account.startswith('"') else local_values[account.split(".", 1)[1]]
        namespace = re.search(r"^\s*namespace\s*=\s*(\S+)", body, re.M).group(1)
        out.append((account, namespace, body))
    return out


def chart_namespace():
    return next(a["spec"]["destination"]["namespace"] for a in CHILDREN
                if any(s.get("path") == CHART_PATH for s in app_sources(a)))


def test_pod_identity_associations_match_the_chart_service_accounts():
    history = dig(VALUES, "historyServer.serviceAccount.name")
    spark = dig(VALUES, "spark.serviceAccount.name")
    associations = pod_identity_associations()
    assert {a for a, _, _ in associations} == {history, spark}, associations
    for account, namespace, body in associations:
        if account == history:   # in the release namespace, the one Argo CD installs into
            assert namespace == "var.namespace"
            assert variable_default("namespace") == chart_namespace()
        else:                    # in each job namespace
            assert namespace == "each.value"
            assert re.search(r"for_each\s*=\s*toset\(var\.job_namespaces\)", body)
            assert variable_default("job_namespaces") == VALUES["spark"]["jobNamespaces"]


def test_iam_roles_trust_eks_pod_identity():
    text = tf_text()
    trust = hcl_blocks(text, r'data\s+"aws_iam_policy_document"\s+"(pod_identity_trust)"')
    body = trust["pod_identity_trust"]
    for needed in ('"pods.eks.amazonaws.com"', '"sts:AssumeRole"', '"sts:TagSession"'):
        assert needed in body
    roles = hcl_blocks(text, r'resource\s+"aws_iam_role"\s+"(\w+)"')
    assert roles and all("data.aws_iam_policy_document.pod_identity_trust.json" in r
                         for r in roles.values())


def test_provider_syntax_fits_the_pinned_majors():
    versions = tf_text("versions.tf")
    aws = re.search(r'aws\s*=\s*\{[^}]*version\s*=\s*"~>\s*(\d+)', versions).group(1)
    helm = re.search(r'helm\s*=\s*\{[^}]*version\s*=\s*"~>\s*(\d+)', versions).group(1)
    assert aws in ("5", "6") and helm in ("2", "3")
    main = tf_text("main.tf")
    if helm == "3":   # plugin framework: attributes, not blocks
        assert re.search(r"kubernetes\s*=\s*\{", main) and not re.search(r"^\s*set\s*\{", main, re.M)
    else:
        assert re.search(r"kubernetes\s*\{", main) and not re.search(r"\bset\s*=\s*\[", main)


# ---- hygiene --------------------------------------------------------------------------------

def test_no_registry_hosts_or_machine_paths():
    forbidden = re.compile(r"docker\.io|ghcr\.io|public\.ecr\.aws|quay\.io|gcr\.io|\.dkr\.ecr\."
                           r"|registry\.k8s\.io|/(?:work|home|root)/")
    hits = [f"{p.relative_to(REPO)}: {m.group(0)}" for p in sorted(EKS.rglob("*")) if p.is_file()
            for m in forbidden.finditer(p.read_text())]
    assert not hits, hits

"""The Kubernetes test cluster is real: a built kube-apiserver, the scheduler
binding pods to kwok nodes, kwok playing sparkplane's driver Stages, the
controller manager's garbage collector, and an API server that comes back
after a restart."""
import http.client
import uuid

import pytest

from kube_cluster import KubeCluster, require_binaries

NS = "default"


@pytest.fixture(scope="module")
def kube():
    require_binaries()
    cluster = KubeCluster().start()
    try:
        yield cluster
    finally:
        cluster.stop()


def pod_manifest(name, role, **annotations):
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "labels": {"spark-role": role}, "annotations": annotations},
        "spec": {
            "restartPolicy": "Never",
            "containers": [{"name": f"spark-kubernetes-{role}", "image": "spark:test",
                            "resources": {"requests": {"cpu": "1", "memory": "1Gi"}}}],
        },
    }


def pod_path(name):
    return f"/api/v1/namespaces/{NS}/pods/{name}"


def wait_phase(kube, name, phase, timeout=30):
    def check():
        pod = kube.get(pod_path(name))
        return pod if pod and pod.get("status", {}).get("phase") == phase else None
    return kube.wait(f"pod {name} phase {phase}", check, timeout=timeout)


def test_version_is_the_built_one(kube):
    v = kube.api("GET", "/version")
    assert v["gitVersion"] == kube.version
    major, minor = kube.version.lstrip("v").split(".")[:2]
    assert (v["major"], v["minor"]) == (major, minor)
    nodes = kube.api("GET", "/api/v1/nodes?labelSelector=type%3Dkwok")["items"]
    assert len(nodes) == 3
    for n in nodes:
        assert n["status"]["allocatable"]["cpu"] == "32"
        assert n["status"]["allocatable"]["memory"] == "256Gi"


@pytest.mark.parametrize("outcome,phase,exit_code", [
    ("succeeded", "Succeeded", 0),
    ("failed", "Failed", 1),
])
def test_driver_pod_runs_then_completes_on_annotation(kube, outcome, phase, exit_code):
    name = f"driver-{outcome}-{uuid.uuid4().hex[:6]}"
    kube.api("POST", f"/api/v1/namespaces/{NS}/pods", pod_manifest(name, "driver"))
    pod = wait_phase(kube, name, "Running")
    assert pod["spec"]["nodeName"].startswith("kwok-node-"), "bound by kube-scheduler to a kwok node"
    assert pod["status"]["containerStatuses"][0]["state"]["running"]
    assert pod["status"]["podIP"]

    # Without the annotation the driver keeps running.
    assert kube.get(pod_path(name))["status"]["phase"] == "Running"

    kube.api("PATCH", pod_path(name), {"metadata": {"annotations": {"sparkplane.test/complete": outcome}}})
    pod = wait_phase(kube, name, phase)
    term = pod["status"]["containerStatuses"][0]["state"]["terminated"]
    assert term["exitCode"] == exit_code
    kube.api("DELETE", pod_path(name))
    kube.wait(f"pod {name} deleted", lambda: kube.get(pod_path(name)) is None)


def test_executor_pod_runs_and_is_deleted(kube):
    name = f"exec-{uuid.uuid4().hex[:6]}"
    kube.api("POST", f"/api/v1/namespaces/{NS}/pods",
             pod_manifest(name, "executor", **{"sparkplane.test/complete": "succeeded"}))
    wait_phase(kube, name, "Running")
    # The driver stages ignore executors, even annotated ones.
    assert kube.get(pod_path(name))["status"]["phase"] == "Running"
    kube.api("DELETE", pod_path(name))  # graceful: kwok's pod-delete stage finishes it
    kube.wait(f"pod {name} deleted", lambda: kube.get(pod_path(name)) is None)


def test_garbage_collector_deletes_objects_owned_by_a_deleted_pod(kube):
    name = f"owner-{uuid.uuid4().hex[:6]}"
    pod = kube.api("POST", f"/api/v1/namespaces/{NS}/pods", pod_manifest(name, "driver"))
    cm_path = f"/api/v1/namespaces/{NS}/configmaps/{name}-conf"
    kube.api("POST", f"/api/v1/namespaces/{NS}/configmaps", {
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": f"{name}-conf", "ownerReferences": [{
            "apiVersion": "v1", "kind": "Pod", "name": name, "uid": pod["metadata"]["uid"],
            "controller": True}]},
        "data": {"spark.conf": "spark.app.name=gc"},
    })
    wait_phase(kube, name, "Running")
    kube.api("DELETE", pod_path(name))
    kube.wait(f"pod {name} deleted", lambda: kube.get(pod_path(name)) is None)
    kube.wait(f"configmap {name}-conf garbage-collected", lambda: kube.get(cm_path) is None, timeout=60)


def test_requests_work_after_apiserver_restart(kube):
    name = f"restart-{uuid.uuid4().hex[:6]}"
    cm = kube.api("POST", f"/api/v1/namespaces/{NS}/configmaps",
                  {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"k": "v"}})
    with kube.watch(f"/api/v1/namespaces/{NS}/configmaps?resourceVersion={cm['metadata']['resourceVersion']}",
                    timeout=60) as events:
        kube.restart_apiserver()
        # The restart ends the open watch stream, as a real restart does.
        seen = []
        try:
            seen.extend(events)
        except (OSError, http.client.HTTPException):
            pass  # cut off rather than closed: also an end
        assert [e for e in seen if e["object"].get("metadata", {}).get("name") == name] == []
    assert kube.api("GET", f"/api/v1/namespaces/{NS}/configmaps/{name}")["data"] == {"k": "v"}
    assert kube.api("GET", "/readyz") == "ok"
    # The rest of the cluster carries on: a new driver is scheduled and runs.
    pod = f"after-restart-{uuid.uuid4().hex[:6]}"
    kube.wait("pod create after restart",
              lambda: kube.request("POST", f"/api/v1/namespaces/{NS}/pods", pod_manifest(pod, "driver"))[0] == 201)
    wait_phase(kube, pod, "Running", timeout=60)

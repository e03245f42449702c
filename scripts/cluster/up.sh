#!/usr/bin/env bash
# Starts a real Kubernetes test cluster in DIR (default: .cluster/ in the repo):
# etcd, kube-apiserver, kube-scheduler, kube-controller-manager and kwok (the
# kubelet of fake nodes), all on 127.0.0.1 with free ports, so two clusters
# can run side by side. Binaries come from scripts/cluster/build.sh's cache.
#   DIR/kubeconfig   admin kubeconfig (client cert in group system:masters)
#   DIR/env          shell exports: KUBECONFIG, SPARKPLANE_KUBE_SERVER, ...
#   DIR/pids         "name pid" per running component (for down.sh)
#   DIR/logs/*.log   one log per component
# Stop it with scripts/cluster/down.sh DIR.
# Env: CLUSTER_NODES (fake nodes, default 3), CLUSTER_TIMEOUT (seconds to wait
# for each component, default 60), CLUSTER_KEEP_ON_ERROR=1 leaves the processes
# of a failed start running, for a look (stop them with down.sh).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
DIR="${1:-$REPO/.cluster}"
NODES="${CLUSTER_NODES:-3}"
TIMEOUT="${CLUSTER_TIMEOUT:-60}"
SERVICE_CIDR=10.96.0.0/16
SERVICE_IP=10.96.0.1   # first address of SERVICE_CIDR: the "kubernetes" service
POD_CIDR=10.244.0.0/16 # pod IPs kwok hands out

log() { printf 'cluster: %s\n' "$*" >&2; }
die() { printf 'cluster: error: %s\n' "$*" >&2; exit 1; }

for tool in openssl curl python3 base64 setsid; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done

eval "$("$HERE/build.sh" --paths)"
for b in "$ETCD" "$KUBE_APISERVER" "$KUBE_SCHEDULER" "$KUBE_CONTROLLER_MANAGER" "$KWOK"; do
  [ -x "$b" ] || die "$b is missing; run scripts/cluster/build.sh (or make cluster-deps) first"
done

mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"

# Refuse to start over a cluster that still runs in DIR.
if [ -f "$DIR/pids" ]; then
  while read -r name pid; do
    if [ -n "${pid:-}" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$DIR"; then
      die "a cluster already runs in $DIR ($name pid $pid); stop it with scripts/cluster/down.sh $DIR"
    fi
  done <"$DIR/pids"
fi
# A fresh cluster every time: remove only what this script creates.
rm -rf "$DIR/pki" "$DIR/etcd" "$DIR/logs" "$DIR/kwok-home" "$DIR"/*.kubeconfig \
  "$DIR/kubeconfig" "$DIR/env" "$DIR/pids" "$DIR/ports" "$DIR/kube-apiserver.cmd"
mkdir -p "$DIR/pki" "$DIR/logs" "$DIR/kwok-home"
: >"$DIR/pids"

START=$SECONDS

# ---- ports -------------------------------------------------------------------
# Bind all at once to port 0 so the kernel hands out distinct free ports.
read -r ETCD_PORT ETCD_PEER_PORT API_PORT SCHED_PORT KCM_PORT < <(python3 - <<'EOF'
import socket
socks = []
for _ in range(5):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
)
SERVER="https://127.0.0.1:$API_PORT"
cat >"$DIR/ports" <<EOF
etcd $ETCD_PORT
etcd-peer $ETCD_PEER_PORT
kube-apiserver $API_PORT
kube-scheduler $SCHED_PORT
kube-controller-manager $KCM_PORT
EOF

# ---- certificates (EC P-256: fast to make, accepted everywhere) --------------
PKI="$DIR/pki"
newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

newkey "$PKI/ca.key"
openssl req -x509 -new -key "$PKI/ca.key" -subj "/CN=sparkplane-test-ca" -days 3650 \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
  -out "$PKI/ca.crt" 2>/dev/null || die "openssl could not make the CA certificate"

# sign NAME SUBJECT EXTENSIONS...: NAME.key and NAME.crt signed by the CA.
sign() {
  local name="$1" subj="$2"; shift 2
  newkey "$PKI/$name.key"
  openssl req -new -key "$PKI/$name.key" -subj "$subj" -out "$PKI/$name.csr" 2>/dev/null
  printf '%s\n' "$@" >"$PKI/$name.ext"
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days 3650 -extfile "$PKI/$name.ext" -out "$PKI/$name.crt" 2>/dev/null \
    || die "openssl could not sign the $name certificate"
  rm -f "$PKI/$name.csr" "$PKI/$name.ext"
}
CLIENT_EXT=("keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=clientAuth")
sign kube-apiserver "/CN=kube-apiserver" \
  "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" \
  "subjectAltName=IP:127.0.0.1,IP:$SERVICE_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
sign admin "/O=system:masters/CN=sparkplane-admin" "${CLIENT_EXT[@]}"
sign kube-scheduler "/CN=system:kube-scheduler" "${CLIENT_EXT[@]}"
# With --use-service-account-credentials=false every controller of the
# controller manager acts as this one user, whose default role covers only the
# manager's own needs: give it cluster-admin instead.
sign kube-controller-manager "/O=system:masters/CN=system:kube-controller-manager" "${CLIENT_EXT[@]}"
# kwok plays the kubelet of every fake node: it patches node and pod status,
# renews node leases and deletes pods, so it gets cluster-admin.
sign kwok "/O=system:masters/CN=kwok" "${CLIENT_EXT[@]}"
# Service-account token signing key pair.
newkey "$PKI/sa.key"
openssl pkey -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
chmod 600 "$PKI"/*.key

# kubeconfig FILE USER: a kubeconfig with the CA and USER's cert embedded.
b64() { base64 -w0 <"$1"; }
kubeconfig() {
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: sparkplane-test
  cluster:
    server: $SERVER
    certificate-authority-data: $(b64 "$PKI/ca.crt")
users:
- name: $2
  user:
    client-certificate-data: $(b64 "$PKI/$2.crt")
    client-key-data: $(b64 "$PKI/$2.key")
contexts:
- name: sparkplane-test
  context:
    cluster: sparkplane-test
    user: $2
    namespace: default
current-context: sparkplane-test
EOF
  chmod 600 "$1"
}
kubeconfig "$DIR/kubeconfig" admin
kubeconfig "$DIR/kube-scheduler.kubeconfig" kube-scheduler
kubeconfig "$DIR/kube-controller-manager.kubeconfig" kube-controller-manager
kubeconfig "$DIR/kwok.kubeconfig" kwok

# ---- processes ------------------------------------------------------------------
# start NAME CMD...: runs CMD in its own session (so it outlives this script
# and a Ctrl-C in the terminal), logs to DIR/logs/NAME.log, records the pid.
start() {
  local name="$1"; shift
  setsid "$@" >"$DIR/logs/$name.log" 2>&1 </dev/null &
  echo "$name $!" >>"$DIR/pids"
}
# On failure, stop whatever was started so no process is left behind.
cleanup_on_error() {
  local rc=$?
  if [ "$rc" != 0 ]; then
    "$HERE/down.sh" "$DIR" >/dev/null 2>&1 || true
  fi
}
[ "${CLUSTER_KEEP_ON_ERROR:-0}" = 1 ] || trap cleanup_on_error EXIT

curl_admin() {
  curl -sS --max-time 5 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" "$@"
}
# wait_for WHAT LOG CMD...: retries CMD until it succeeds, for TIMEOUT seconds;
# fails early when the component died.
wait_for() {
  local what="$1" logf="$2"; shift 2
  local deadline=$((SECONDS + TIMEOUT)) pid
  pid="$(awk -v n="${what%% *}" '$1 == n { p = $2 } END { print p }' "$DIR/pids")"
  until "$@" >/dev/null 2>&1; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "$logf" >&2 || true
      die "$what exited during startup; see $logf"
    fi
    if ((SECONDS >= deadline)); then
      die "$what did not become ready in $TIMEOUT s; see $logf"
    fi
    sleep 0.3
  done
}
http_ok() { [ "$(curl -s --max-time 2 "$@")" = ok ]; }

# etcd: plain HTTP on loopback, data in DIR/etcd.
start etcd "$ETCD" \
  --name=sparkplane-test \
  --data-dir="$DIR/etcd" \
  --listen-client-urls="http://127.0.0.1:$ETCD_PORT" \
  --advertise-client-urls="http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster="sparkplane-test=http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster-state=new \
  --logger=zap --log-outputs=stderr \
  --unsafe-no-fsync=true \
  --quota-backend-bytes=$((2 * 1024 * 1024 * 1024))
etcd_healthy() { curl -s --max-time 2 "http://127.0.0.1:$ETCD_PORT/health" | grep -q '"health":"true"'; }
wait_for "etcd" "$DIR/logs/etcd.log" etcd_healthy

# kube-apiserver: its command line is kept in DIR/kube-apiserver.cmd so that
# restart-apiserver.sh can relaunch it with the same flags. No endpoint
# reconciler: the "kubernetes" service's endpoints may not be a loopback address.
# On SIGTERM it ends open watches and exits within seconds (without the watch
# termination grace period it waits a full minute for the watching clients).
# shellcheck disable=SC2054 # the commas are inside flag values
APISERVER_CMD=(
  "$KUBE_APISERVER"
  --etcd-servers="http://127.0.0.1:$ETCD_PORT"
  --bind-address=127.0.0.1
  --advertise-address=127.0.0.1
  --secure-port="$API_PORT"
  --tls-cert-file="$PKI/kube-apiserver.crt"
  --tls-private-key-file="$PKI/kube-apiserver.key"
  --client-ca-file="$PKI/ca.crt"
  --authorization-mode=Node,RBAC
  --service-account-issuer=https://kubernetes.default.svc.cluster.local
  --service-account-key-file="$PKI/sa.pub"
  --service-account-signing-key-file="$PKI/sa.key"
  --service-cluster-ip-range="$SERVICE_CIDR"
  --allow-privileged=true
  --endpoint-reconciler-type=none
  --shutdown-watch-termination-grace-period=2s
  --profiling=false
)
printf '%q\n' "${APISERVER_CMD[@]}" >"$DIR/kube-apiserver.cmd"
start kube-apiserver "${APISERVER_CMD[@]}"
apiserver_ready() { [ "$(curl_admin "$SERVER/readyz")" = ok ]; }
wait_for "kube-apiserver" "$DIR/logs/kube-apiserver.log" apiserver_ready

start kube-controller-manager "$KUBE_CONTROLLER_MANAGER" \
  --kubeconfig="$DIR/kube-controller-manager.kubeconfig" \
  --authentication-kubeconfig="$DIR/kube-controller-manager.kubeconfig" \
  --authorization-kubeconfig="$DIR/kube-controller-manager.kubeconfig" \
  --bind-address=127.0.0.1 \
  --secure-port="$KCM_PORT" \
  --leader-elect=false \
  --controllers='*' \
  --use-service-account-credentials=false \
  --service-account-private-key-file="$PKI/sa.key" \
  --root-ca-file="$PKI/ca.crt" \
  --cluster-signing-cert-file="$PKI/ca.crt" \
  --cluster-signing-key-file="$PKI/ca.key" \
  --service-cluster-ip-range="$SERVICE_CIDR" \
  --profiling=false

start kube-scheduler "$KUBE_SCHEDULER" \
  --kubeconfig="$DIR/kube-scheduler.kubeconfig" \
  --authentication-kubeconfig="$DIR/kube-scheduler.kubeconfig" \
  --authorization-kubeconfig="$DIR/kube-scheduler.kubeconfig" \
  --bind-address=127.0.0.1 \
  --secure-port="$SCHED_PORT" \
  --leader-elect=false \
  --profiling=false

# kwok manages only the nodes annotated kwok.x-k8s.io/node=fake and plays the
# Stages in kwok-stages.yaml. Its own HOME keeps a user's ~/.kwok config out.
start kwok env HOME="$DIR/kwok-home" "$KWOK" \
  --kubeconfig="$DIR/kwok.kubeconfig" \
  --config="$HERE/kwok-stages.yaml" \
  --manage-all-nodes=false \
  --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
  --node-lease-duration-seconds=40 \
  --cidr="$POD_CIDR" \
  --node-ip=127.0.0.1

wait_for "kube-controller-manager" "$DIR/logs/kube-controller-manager.log" http_ok -k "https://127.0.0.1:$KCM_PORT/healthz"
wait_for "kube-scheduler" "$DIR/logs/kube-scheduler.log" http_ok -k "https://127.0.0.1:$SCHED_PORT/healthz"

# ---- fake nodes ------------------------------------------------------------------
for i in $(seq 0 $((NODES - 1))); do
  name="kwok-node-$i"
  body=$(cat <<EOF
{"apiVersion": "v1", "kind": "Node",
 "metadata": {"name": "$name",
   "annotations": {"kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0"},
   "labels": {"type": "kwok", "kubernetes.io/hostname": "$name", "kubernetes.io/os": "linux",
              "kubernetes.io/arch": "amd64", "node-role.kubernetes.io/agent": ""}},
 "status": {"allocatable": {"cpu": "32", "memory": "256Gi", "pods": "1000"},
            "capacity": {"cpu": "32", "memory": "256Gi", "pods": "1000"}}}
EOF
)
  out="$(curl_admin -X POST -H 'Content-Type: application/json' --data "$body" -w '\n%{http_code}' "$SERVER/api/v1/nodes")" \
    || die "could not reach kube-apiserver to create node $name"
  [ "${out##*$'\n'}" = 201 ] || die "creating node $name failed: ${out%$'\n'*}"
done

# Ready means: kwok set the Ready condition and the node controller removed the
# not-ready taint, so the scheduler will place pods on the node.
nodes_ready() {
  curl_admin "$SERVER/api/v1/nodes?labelSelector=type%3Dkwok" | python3 -c '
import json, sys
items = json.load(sys.stdin)["items"]
ok = len(items) == int(sys.argv[1]) and all(
    any(c["type"] == "Ready" and c["status"] == "True" for c in n.get("status", {}).get("conditions", []))
    and not any(t["key"].startswith("node.kubernetes.io/") for t in n.get("spec", {}).get("taints", []))
    for n in items)
sys.exit(0 if ok else 1)' "$NODES"
}
wait_for "kwok (fake nodes Ready)" "$DIR/logs/kwok.log" nodes_ready
# Pods need the namespace's default service account, made by the controller manager.
default_sa() { curl_admin -f "$SERVER/api/v1/namespaces/default/serviceaccounts/default"; }
wait_for "kube-controller-manager (default service account)" "$DIR/logs/kube-controller-manager.log" default_sa

cat >"$DIR/env" <<EOF
export KUBECONFIG=$(printf '%q' "$DIR/kubeconfig")
export SPARKPLANE_KUBE_SERVER=$(printf '%q' "$SERVER")
export SPARKPLANE_KUBE_DIR=$(printf '%q' "$DIR")
export SPARKPLANE_KUBE_CA=$(printf '%q' "$PKI/ca.crt")
export SPARKPLANE_KUBE_CLIENT_CERT=$(printf '%q' "$PKI/admin.crt")
export SPARKPLANE_KUBE_CLIENT_KEY=$(printf '%q' "$PKI/admin.key")
EOF

trap - EXIT
log "kubernetes $KUBE_VERSION up in $((SECONDS - START)) s with $NODES kwok nodes"
echo "kubeconfig: $DIR/kubeconfig"
echo "server: $SERVER"

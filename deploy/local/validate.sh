#!/usr/bin/env bash
# Checks that sparkplane's local install is ready: the cluster answers, the Helm release is
# deployed, the CRDs are established, every object of the release exists, every Deployment has
# its replicas available (else which pod is not, and why), every Service has ready endpoints,
# and the ingresses have an address (a warning only: that is the ingress controller's part).
# One line per check; exit status 1 when anything failed.
# Env: KUBECTL (kubectl), HELM (helm), NAMESPACE (sparkplane), RELEASE (sparkplane).
set -uo pipefail

KUBECTL="${KUBECTL:-kubectl}"
HELM="${HELM:-helm}"
NS="${NAMESPACE:-sparkplane}"
RELEASE="${RELEASE:-sparkplane}"
failed=0

ok() { printf 'ok    %s\n' "$*"; }
fail() { printf 'FAIL  %s\n' "$*"; failed=$((failed + 1)); }
warn() { printf 'warn  %s\n' "$*"; }
k() { "$KUBECTL" "$@"; }

# The cluster.
if ! err="$(k version --request-timeout=10s 2>&1 >/dev/null)"; then
  ctx="$(k config current-context 2>/dev/null || echo none)"
  fail "cannot reach the cluster of context \"$ctx\": ${err##*$'\n'} (is k3s or Rancher Desktop running? is KUBECONFIG right?)"
  exit 1
fi
ok "cluster answers (context $(k config current-context 2>/dev/null || echo '?'))"

# The release.
status="$("$HELM" status "$RELEASE" --namespace "$NS" 2>&1 | sed -n 's/^STATUS: //p')"
if [ -z "$status" ]; then
  fail "Helm release $RELEASE is not installed in namespace $NS: run \`make up\`"
  exit 1
elif [ "$status" != deployed ]; then
  fail "Helm release $RELEASE is $status, not deployed: see \`helm history $RELEASE -n $NS\`"
else
  ok "Helm release $RELEASE is deployed"
fi

for crd in sparkapplications scheduledsparkapplications; do
  est="$(k get crd "$crd.sparkoperator.k8s.io" -o jsonpath='{.status.conditions[?(@.type=="Established")].status}' 2>/dev/null)"
  if [ "$est" = True ]; then ok "CRD $crd.sparkoperator.k8s.io is established"
  else fail "CRD $crd.sparkoperator.k8s.io is ${est:+not established ($est)}${est:-missing}: Helm installs it from the chart's crds/ on first install only (kubectl apply -f deploy/helm/sparkplane/crds)"
  fi
done

manifest="$(mktemp)"
trap 'rm -f "$manifest"' EXIT
"$HELM" get manifest "$RELEASE" --namespace "$NS" >"$manifest"

# Every object of the release exists.
missing="$(k get -f "$manifest" -o name 2>&1 >/dev/null | sed -n 's/.*(NotFound): \(.*\)/\1/p')"
if [ -n "$missing" ]; then
  while IFS= read -r line; do fail "missing: $line (deleted? \`make up\` puts it back)"; done <<<"$missing"
else
  ok "all $(k get -f "$manifest" -o name 2>/dev/null | wc -l) objects of the release exist"
fi

# name namespace pairs of one kind in the manifest.
objects_of() {
  awk -v kind="$1" -v def="$NS" '
    /^---/ { if (k == kind && n != "") print n, (ns == "" ? def : ns); k = ""; n = ""; ns = ""; m = 0; next }
    /^kind: / { k = $2 }
    /^metadata:/ { m = 1; next }
    m && /^  name: / { n = $2 }
    m && /^  namespace: / { ns = $2 }
    /^[a-z]/ && !/^metadata:/ { m = 0 }
    END { if (k == kind && n != "") print n, (ns == "" ? def : ns) }' "$manifest"
}

# Why a Deployment's pods are not ready: each pod's waiting or last termination reason.
why_not_ready() {
  local deploy="$1" ns="$2" selector
  selector="$(k get deployment "$deploy" -n "$ns" -o go-template='{{range $k, $v := .spec.selector.matchLabels}}{{$k}}={{$v}},{{end}}' 2>/dev/null)"
  k get pods -n "$ns" -l "${selector%,}" -o go-template='{{range .items}}{{$pod := .metadata.name}}{{$said := false}}{{range .status.containerStatuses}}{{if not .ready}}{{if .state.waiting}}pod {{$pod}}: {{.state.waiting.reason}}{{with .state.waiting.message}}: {{.}}{{end}}{{"\n"}}{{$said = true}}{{else if .lastState.terminated}}pod {{$pod}}: last exit {{.lastState.terminated.exitCode}} ({{.lastState.terminated.reason}}){{"\n"}}{{$said = true}}{{end}}{{end}}{{end}}{{if not $said}}{{range .status.conditions}}{{if and (eq .type "PodScheduled") (eq .status "False")}}pod {{$pod}}: not scheduled: {{.message}}{{"\n"}}{{else if and (eq .type "Ready") (eq .status "False")}}pod {{$pod}}: not ready{{with .message}}: {{.}}{{end}}{{"\n"}}{{end}}{{end}}{{end}}{{end}}' 2>/dev/null
}

hint() {
  case "$1" in
    *ImagePull*|*ErrImage*) echo " (is the image in the cluster? k3s: \`k3s ctr images import\`, kind: \`kind load docker-image\`, or set IMAGE=)";;
    *CrashLoop*|*"last exit"*) echo " (see \`make logs\`)";;
    *) echo "";;
  esac
}

while read -r name ns; do
  [ -n "$name" ] || continue
  counts="$(k get deployment "$name" -n "$ns" -o jsonpath='{.spec.replicas} {.status.availableReplicas}' 2>/dev/null)" || continue
  read -r want have <<<"$counts"
  have="${have:-0}"
  [ -n "$want" ] || continue
  if [ "$have" -ge "$want" ]; then
    ok "deployment $name: $have/$want available"
  else
    reasons="$(why_not_ready "$name" "$ns" | head -3)"
    if [ -z "$reasons" ]; then
      fail "deployment $name: $have/$want available (no pod says why yet: \`kubectl -n $ns describe deployment $name\`)"
    else
      while IFS= read -r r; do fail "deployment $name: $have/$want available: $r$(hint "$r")"; done <<<"$reasons"
    fi
  fi
done < <(objects_of Deployment)

while read -r name ns; do
  [ -n "$name" ] || continue
  ready="$(k get endpointslices -n "$ns" -l "kubernetes.io/service-name=$name" -o jsonpath='{range .items[*].endpoints[?(@.conditions.ready==true)]}{.addresses[0]} {end}' 2>/dev/null)"
  if [ -n "$ready" ]; then ok "service $name has ready endpoints"
  else fail "service $name has no ready endpoints (its pods are not ready, or its selector matches none)"
  fi
done < <(objects_of Service)

while read -r name ns; do
  [ -n "$name" ] || continue
  host="$(k get ingress "$name" -n "$ns" -o jsonpath='{.spec.rules[0].host}' 2>/dev/null)"
  addr="$(k get ingress "$name" -n "$ns" -o jsonpath='{.status.loadBalancer.ingress[0].ip}{.status.loadBalancer.ingress[0].hostname}' 2>/dev/null)"
  if [ -n "$addr" ]; then ok "ingress $name: http://$host/ (address $addr)"
  else warn "ingress $name (http://$host/) has no address yet: is an ingress controller running? (k3s and Rancher Desktop ship Traefik; on kind install one, or INGRESS=off)"
  fi
done < <(objects_of Ingress)

if [ "$failed" -gt 0 ]; then
  echo "validate: $failed problem(s)"
  exit 1
fi
echo "validate: sparkplane is ready"

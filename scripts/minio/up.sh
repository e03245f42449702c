#!/usr/bin/env bash
# Starts a MinIO server on 127.0.0.1 (a free port) over DIR/data (default DIR:
# .minio/ in the repo), with fresh random credentials, and creates BUCKETS.
#   up.sh [DIR] [BUCKET...]
#   DIR/env        shell exports: AWS_ENDPOINT_URL_S3, AWS_ACCESS_KEY_ID,
#                  AWS_SECRET_ACCESS_KEY, AWS_REGION (source it to use the server)
#   DIR/pid        the server's pid (for down.sh), DIR/port, DIR/minio.log
# A server already running in DIR is started again over the same data, port and
# credentials (what tests do to restart it); stop it with scripts/minio/down.sh DIR.
# Env: MINIO_TIMEOUT (seconds to wait for it, default 60); MINIO_SITE_REGION (the
# server's region, default us-east-1: a client signing for another is refused).
# Its Prometheus metrics (/minio/v2/metrics/node) are readable without a token, for
# tests that count requests; the server listens on 127.0.0.1 only.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
DIR="${1:-$REPO/.minio}"
shift || true
TIMEOUT="${MINIO_TIMEOUT:-60}"

log() { printf 'minio: %s\n' "$*" >&2; }
die() { printf 'minio: error: %s\n' "$*" >&2; exit 1; }

for tool in curl python3 setsid; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
eval "$("$HERE/build.sh" --paths)"
[ -x "$MINIO" ] || die "$MINIO is missing; run scripts/minio/build.sh (or make minio-deps) first"

mkdir -p "$DIR/data"
DIR="$(cd "$DIR" && pwd)"
if [ -f "$DIR/pid" ] && kill -0 "$(cat "$DIR/pid")" 2>/dev/null; then
  die "MinIO already runs in $DIR (pid $(cat "$DIR/pid")); stop it with scripts/minio/down.sh $DIR"
fi

# Port and credentials: kept across restarts over the same DIR.
if [ ! -f "$DIR/env" ]; then
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  user="sp$(python3 -c 'import secrets; print(secrets.token_hex(6))')"
  secret="$(python3 -c 'import secrets; print(secrets.token_urlsafe(30))')"
  umask 077
  cat >"$DIR/env" <<ENV
export AWS_ENDPOINT_URL_S3=http://127.0.0.1:$port
export AWS_ACCESS_KEY_ID=$user
export AWS_SECRET_ACCESS_KEY=$secret
export AWS_REGION=${MINIO_SITE_REGION:-us-east-1}
ENV
  echo "$port" >"$DIR/port"
fi
port="$(cat "$DIR/port")"
# shellcheck disable=SC1091
. "$DIR/env"

# The console is not needed: MINIO_BROWSER=off. Its own update checks: off.
MINIO_ROOT_USER="$AWS_ACCESS_KEY_ID" MINIO_ROOT_PASSWORD="$AWS_SECRET_ACCESS_KEY" \
  MINIO_BROWSER=off MINIO_UPDATE=off MINIO_CI_CD=1 MINIO_SITE_REGION="$AWS_REGION" \
  MINIO_PROMETHEUS_AUTH_TYPE=public \
  setsid "$MINIO" server --quiet --address "127.0.0.1:$port" "$DIR/data" \
  >>"$DIR/minio.log" 2>&1 </dev/null &
echo $! >"$DIR/pid"

deadline=$((SECONDS + TIMEOUT))
until curl -sf "http://127.0.0.1:$port/minio/health/ready" >/dev/null 2>&1; do
  kill -0 "$(cat "$DIR/pid")" 2>/dev/null || die "MinIO exited; its log: $(tail -5 "$DIR/minio.log")"
  [ $SECONDS -lt $deadline ] || die "MinIO not ready after ${TIMEOUT} s; its log: $DIR/minio.log"
  sleep 0.2
done
# Buckets: PUT with curl's own SigV4, the credentials read from a file (not the command line).
for bucket in "$@"; do
  code="$(printf 'user = "%s:%s"\n' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" |
    curl -s -o /dev/null -w '%{http_code}' -K - --aws-sigv4 "aws:amz:$AWS_REGION:s3" \
      -X PUT "http://127.0.0.1:$port/$bucket")"
  case "$code" in
    200 | 409) ;;  # made, or there already (ours)
    *) die "creating bucket $bucket answered HTTP $code" ;;
  esac
done
log "MinIO ready at http://127.0.0.1:$port (data $DIR/data, credentials in $DIR/env)"

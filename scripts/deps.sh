#!/usr/bin/env bash
# Installs everything sparkplane needs to build, test and run Spark locally:
# Debian packages, a venv with a pinned pyspark (the Spark runtime), and a
# check for Java 17+. Idempotent: a second run only checks.
set -euo pipefail

PYSPARK_VERSION="${PYSPARK_VERSION:-4.1.1}"
PYTEST_VERSION=8.3.3
PYYAML_VERSION=6.0.2
CACHE="${SPARKPLANE_CACHE:-$HOME/.cache/sparkplane}"
VENV="$CACHE/venv-pyspark-$PYSPARK_VERSION"

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config clang-format
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libspdlog-dev libfmt-dev
  libsqlite3-dev libcurl4-openssl-dev libssl-dev libcpp-httplib-dev
  libhowardhinnant-date-dev tzdata
  libjemalloc-dev libsimdjson-dev libzstd-dev liblz4-dev libsnappy-dev libxxhash-dev liblzf-dev zstd
  libexpat1-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3-venv procps curl wrk
  chromium nodejs
  clang libclang-rt-14-dev
)

log() { printf 'deps: %s\n' "$*"; }

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    SUDO="sudo -n"
  fi
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Java 17+ for spark-submit.
java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
JAVA_BIN="$(command -v java || true)"
if [ -z "$JAVA_BIN" ] || [ "$(java_major "$JAVA_BIN")" -lt 17 ] 2>/dev/null; then
  log "installing openjdk-17-jre-headless (Spark 4 needs Java 17+)"
  ${SUDO:-} apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null
  JAVA_BIN="$(command -v java)"
fi
log "java $(java_major "$JAVA_BIN") at $JAVA_BIN"

# pyspark ships Spark itself (jars and bin/spark-submit).
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import pyspark,sys; sys.exit(pyspark.__version__ != '$PYSPARK_VERSION')" 2>/dev/null; then
  log "creating venv with pyspark==$PYSPARK_VERSION in $VENV"
  rm -rf "$VENV"
  mkdir -p "$CACHE"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "pyspark==$PYSPARK_VERSION"
fi
# Test tooling lives in the same venv.
"$VENV/bin/python" -c "import pytest" 2>/dev/null ||
  "$VENV/bin/pip" install -q --disable-pip-version-check "pytest==$PYTEST_VERSION" "PyYAML==$PYYAML_VERSION"
ln -sfn "$VENV" "$CACHE/venv"
log "spark: $("$VENV/bin/python" -c 'import pyspark,os; print(pyspark.__version__, os.path.dirname(pyspark.__file__))')"

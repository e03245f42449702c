"""A real MinIO server for the tests: built from source by scripts/minio/build.sh into the
cache, started by scripts/minio/up.sh on 127.0.0.1 over a temporary directory (fresh
credentials), stopped (or killed, to play a crash) by scripts/minio/down.sh."""
import os
import shlex
import shutil
import subprocess
import tempfile
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "scripts" / "minio"


def binary_path():
    out = subprocess.run([str(SCRIPTS / "build.sh"), "--paths"], check=True, capture_output=True,
                         text=True).stdout
    for line in out.splitlines():
        key, _, value = line.partition("=")
        if key == "MINIO":
            return Path(shlex.split(value)[0])
    raise RuntimeError("scripts/minio/build.sh --paths named no MINIO")


def require_minio():
    """For fixtures: builds MinIO (a few minutes the first time), or skips when it is not built
    and CI is not set."""
    import pytest

    in_ci = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")
    if not os.access(binary_path(), os.X_OK) and not in_ci:
        pytest.skip("MinIO is not built: run `make minio-deps` (scripts/minio/build.sh); "
                    "under CI=true the tests build it")
    subprocess.run([str(SCRIPTS / "build.sh")], check=True, stdout=subprocess.DEVNULL)


class MinioServer:
    """One server over a temporary directory; `env` holds AWS_ENDPOINT_URL_S3, the keys and
    AWS_REGION. restart() keeps its data, port and credentials. `region`: the server's own
    (clients signing for another are refused)."""

    def __init__(self, buckets=(), region=None):
        self.dir = Path(tempfile.mkdtemp(prefix="sparkplane-minio-"))
        self.buckets = list(buckets)
        self.region = region
        self.env = {}

    def start(self):
        env = dict(os.environ)
        if self.region:
            env["MINIO_SITE_REGION"] = self.region
        proc = subprocess.run([str(SCRIPTS / "up.sh"), str(self.dir), *self.buckets],
                              capture_output=True, text=True, timeout=120, env=env)
        if proc.returncode != 0:
            raise RuntimeError(f"scripts/minio/up.sh failed ({proc.returncode}): {proc.stderr}")
        for line in (self.dir / "env").read_text().splitlines():
            if line.startswith("export "):
                key, _, value = line[len("export "):].partition("=")
                self.env[key] = value
        return self

    @property
    def endpoint(self):
        return self.env["AWS_ENDPOINT_URL_S3"]

    def stop(self, kill=False):
        args = [str(SCRIPTS / "down.sh")] + (["--kill"] if kill else []) + [str(self.dir)]
        subprocess.run(args, check=True, capture_output=True, timeout=60)

    def restart(self, kill=False):
        self.stop(kill=kill)
        self.start()

    def requests(self, api):
        """How many S3 requests of one kind (GetObject, HeadObject, ListObjectsV2, PutObject...)
        the server has answered since it started, from its Prometheus metrics (v3: not cached,
        unlike v2's)."""
        with urllib.request.urlopen(self.endpoint + "/minio/metrics/v3/api/requests",
                                    timeout=10) as r:
            text = r.read().decode()
        total = 0
        for line in text.splitlines():
            if line.startswith("minio_api_requests_total{") and f'name="{api}"' in line:
                total += int(float(line.rsplit(" ", 1)[1]))
        return total

    def client_env(self, base=None):
        """`base` (default: this process's environment) without its AWS_* variables and with
        this server's endpoint, keys and region."""
        env = {k: v for k, v in (os.environ if base is None else base).items()
               if not k.startswith("AWS_")}
        env.update(self.env)
        return env

    def stored_keys(self, bucket, prefix):
        """The objects held under bucket/prefix (relative to prefix), read from MinIO's
        single-drive layout (each object is a directory with an xl.meta file), so that a check
        does not go through our client."""
        root = self.dir / "data" / bucket
        keys = set()
        for meta in root.rglob("xl.meta"):
            key = meta.parent.relative_to(root).as_posix()
            if key.startswith(prefix):
                keys.add(key[len(prefix):])
        return keys

    def log(self):
        path = self.dir / "minio.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def close(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

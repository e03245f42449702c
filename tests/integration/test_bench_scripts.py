"""The benchmark scripts start: each one's --help runs as `python bench/<script>` does, so a
file in bench/ that shadows a standard module (bench/operator.py once hid Python's `operator`
and broke every other script there) or an import error fails here, not in a long bench run."""
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
SCRIPTS = sorted(p.name for p in BENCH.glob("*.py"))


def test_there_are_bench_scripts():
    assert "history_server.py" in SCRIPTS and "kube_operator.py" in SCRIPTS


@pytest.mark.parametrize("script", SCRIPTS)
def test_bench_script_starts(script):
    r = subprocess.run([sys.executable, str(BENCH / script), "--help"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "usage:" in r.stdout

"""deploy/images/Dockerfile without a container engine: what can be checked from the files and a
built binary.

- Its shape: two stages of one Debian release (the last a -slim image), pinned tags, no registry
  host, nothing fetched from the network by the Dockerfile itself, a numeric non-root USER,
  ENTRYPOINT ["sparkplane"], the runtime stage copying the binary only.
- Build stage: it copies sources that exist and builds the Release sparkplane target, stripped,
  with tests and benchmarks off (tests/ and bench/ are not in the image's sources).
- Build packages: each one the build stage installs is in scripts/deps.sh's APT_PACKAGES, and each
  of APT_PACKAGES is either installed there or listed below as not needed to build.
- Runtime packages: every shared library a Release build of sparkplane loads (ldd) belongs to a
  Debian package that the runtime stage installs, names the library the binary links directly
  (readelf -d), or that apt brings in as a dependency of one it installs, unless it is one of
  BASE_IMAGE_PACKAGES. Libraries map to packages with dpkg -S on this machine, so this machine
  must run the Dockerfile's Debian release.

The binary is $SPARKPLANE_BIN, else build/sparkplane (make build: Release, with jemalloc). A
sanitizer build (make integration-test passes build-asan) links libasan/libubsan and not
jemalloc, so build/sparkplane is used instead when it exists; otherwise the sanitizer build is
checked without its sanitizer runtimes, with a warning that jemalloc goes unchecked.
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO / "deploy" / "images" / "Dockerfile"
DEPS_SH = REPO / "scripts" / "deps.sh"

# In every Debian image, debian:*-slim included, so the runtime stage need not name them.
BASE_IMAGE_PACKAGES = {
    "libc6": "glibc (libc, libm, libresolv, the dynamic loader): Priority required, in every image",
    "libgcc-s1": "libgcc_s: a dependency of libc6 itself",
    "libstdc++6": "the C++ runtime: apt is written in C++ and links it, and slim keeps apt",
}

# APT_PACKAGES of scripts/deps.sh that the image's build stage does not install, and why.
NOT_FOR_BUILD = {
    "clang-format": "formatting check (make format-check)",
    "libgtest-dev": "unit tests (SPARKPLANE_TESTS=OFF in the image)",
    "libgmock-dev": "unit tests",
    "libbenchmark-dev": "benchmarks (SPARKPLANE_BENCH=OFF in the image)",
    "python3-venv": "the test and Spark venv",
    "procps": "tests (ps, pkill of test processes)",
    "curl": "tests and scripts; the Dockerfile downloads nothing",
    "wrk": "HTTP benchmarks",
    "chromium": "browser tests",
    "nodejs": "browser and UI tests",
    "clang": "fuzz targets (SPARKPLANE_FUZZ, clang++ only)",
    "libclang-rt-14-dev": "fuzz and sanitizer runtimes for clang",
    "zstd": "the zstd command, used by tests to write compressed event logs",
    "tzdata": "a run-time need (time zones), installed in the runtime stage",
}

# Installed in the runtime stage for data, not for a library the binary links.
RUNTIME_DATA_PACKAGES = {
    "ca-certificates": "CA bundle for TLS to S3 and the Kubernetes API",
    "tzdata": "/usr/share/zoneinfo for libdate-tz and ScheduledSparkApplication time zones",
}

SANITIZER_SONAMES = ("libasan.so", "libubsan.so", "liblsan.so", "libtsan.so", "libhwasan.so")

PACKAGE_NAME = re.compile(r"^[a-z0-9][a-z0-9+.-]+$")


# ---- Dockerfile parsing ---------------------------------------------------------------------

def instructions(text):
    """[(KEYWORD, arguments)] of a Dockerfile: comments dropped (also inside a continued
    instruction, as Docker does), backslash continuations joined."""
    out, parts = [], []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#") or (not stripped and not parts):
            continue
        if stripped.endswith("\\"):
            parts.append(stripped[:-1].strip())
            continue
        parts.append(stripped)
        joined = " ".join(p for p in parts if p)
        parts = []
        keyword, _, args = joined.partition(" ")
        out.append((keyword.upper(), args.strip()))
    assert not parts, "the Dockerfile ends inside a continued instruction"
    return out


def stages(instrs):
    """[{'from': image, 'name': alias or None, 'instrs': [...]}] in order."""
    result = []
    for keyword, args in instrs:
        if keyword == "FROM":
            words = [w for w in args.split() if not w.startswith("--")]
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            result.append({"from": words[0], "name": name, "instrs": []})
        elif keyword == "ARG" and not result:
            continue  # an ARG before the first FROM
        else:
            assert result, f"{keyword} before the first FROM"
            result[-1]["instrs"].append((keyword, args))
    return result


def apt_installed(stage):
    """Package names of every `apt-get install` in a stage's RUN instructions."""
    packages = []
    for keyword, args in stage["instrs"]:
        if keyword != "RUN":
            continue
        for command in re.split(r"&&|\|\||;", args):
            words = shlex.split(command)
            while words and "=" in words[0] and not words[0].startswith("-"):
                words = words[1:]  # VAR=value prefixes
            if len(words) < 2 or words[0] not in ("apt-get", "apt") or "install" not in words:
                continue
            for word in words[words.index("install") + 1:]:
                if word.startswith("-"):
                    continue
                assert PACKAGE_NAME.match(word), f"not a literal package name: {word!r}"
                packages.append(word)
    return packages


def image_ref(ref):
    """(name, tag) of an image reference; fails on a registry host or a digest-less latest."""
    first = ref.split("/")[0]
    assert "/" not in ref or not ("." in first or ":" in first or first == "localhost"), \
        f"FROM {ref}: names a registry host; write the image as Docker Hub's short name"
    name, _, tag = ref.partition(":")
    return name, tag


@pytest.fixture(scope="module")
def dockerfile():
    instrs = instructions(DOCKERFILE.read_text())
    return {"instrs": instrs, "stages": stages(instrs)}


def apt_packages_of_deps_sh():
    m = re.search(r"^APT_PACKAGES=\((.*?)^\)", DEPS_SH.read_text(), re.S | re.M)
    assert m, "scripts/deps.sh: no APT_PACKAGES=( ... ) array"
    words = []
    for line in m.group(1).splitlines():
        words += line.split("#", 1)[0].split()
    assert words and all(PACKAGE_NAME.match(w) for w in words), words
    return words


# ---- shape ----------------------------------------------------------------------------------

def test_two_stages_of_one_debian_release_the_last_slim(dockerfile):
    st = dockerfile["stages"]
    assert len(st) == 2, f"expected a build and a runtime stage, got FROM {[s['from'] for s in st]}"
    build_name, build_tag = image_ref(st[0]["from"])
    run_name, run_tag = image_ref(st[1]["from"])
    assert build_name == "debian" and re.fullmatch(r"[a-z]+", build_tag), \
        f"build stage FROM {st[0]['from']}: expected debian:<codename>"
    assert run_name == "debian" and run_tag == f"{build_tag}-slim", \
        f"runtime stage FROM {st[1]['from']}: expected debian:{build_tag}-slim, the build's release"
    assert st[0]["name"], "the build stage needs a name for COPY --from"


def test_images_are_pinned_and_nothing_is_downloaded(dockerfile):
    for keyword, args in dockerfile["instrs"]:
        if keyword == "FROM":
            ref = [w for w in args.split() if not w.startswith("--")][0]
            _, tag = image_ref(ref)
            assert tag and tag != "latest" and "latest" not in tag, f"FROM {ref}: pin a release tag"
        if keyword == "ADD":
            assert not re.search(r"(https?|ftp|git)://|git@", args), f"ADD {args}: a download"
        assert not re.search(r"(^|[\s;&|(`\"'])(curl|wget)(\s|$)", args), \
            f"{keyword} {args[:80]}...: curl/wget in the Dockerfile; install packages with apt"


def test_runs_as_a_numeric_non_root_user(dockerfile):
    final = dockerfile["stages"][-1]["instrs"]
    users = [args for keyword, args in final if keyword == "USER"]
    assert users, "the runtime stage has no USER: it would run as root"
    user, _, group = users[-1].partition(":")
    assert user.isdigit() and int(user) != 0, f"USER {users[-1]}: needs a numeric non-zero UID " \
        "(runAsNonRoot can only check a numeric one)"
    assert not group or (group.isdigit() and int(group) != 0), f"USER {users[-1]}: numeric GID"
    workdirs = [args for keyword, args in final if keyword == "WORKDIR"]
    assert workdirs, "the runtime stage sets no WORKDIR"


def test_entrypoint_is_sparkplane(dockerfile):
    final = dockerfile["stages"][-1]["instrs"]
    entry = [args for keyword, args in final if keyword == "ENTRYPOINT"]
    assert entry, "no ENTRYPOINT in the runtime stage"
    assert exec_form(entry[-1]) == ["sparkplane"], \
        f"ENTRYPOINT {entry[-1]}: expected [\"sparkplane\"] (exec form, found on PATH)"
    cmd = [args for keyword, args in final if keyword == "CMD"]
    assert cmd and exec_form(cmd[-1]) is not None, "CMD in exec (JSON) form"


def exec_form(args):
    """The list of an exec-form (JSON array) instruction, else None (shell form)."""
    try:
        value = json.loads(args)
    except ValueError:
        return None
    return value if isinstance(value, list) else None


def test_runtime_stage_copies_the_binary_only(dockerfile):
    build, final = dockerfile["stages"]
    copies = [args for keyword, args in final["instrs"] if keyword in ("COPY", "ADD")]
    assert copies, "the runtime stage copies nothing"
    for args in copies:
        words = args.split()
        flags = [w for w in words if w.startswith("--")]
        paths = [w for w in words if not w.startswith("--")]
        assert f"--from={build['name']}" in flags, f"COPY {args}: only from the build stage"
        assert len(paths) == 2 and paths[0].endswith("/sparkplane"), \
            f"COPY {args}: the runtime stage takes the sparkplane binary only"
    installed = apt_installed(final)
    dev = [p for p in installed if p.endswith("-dev") or p in ("build-essential", "cmake")]
    assert not dev, f"build packages in the runtime stage: {dev}"


def test_build_stage_builds_the_release_binary_from_what_it_copies(dockerfile):
    build = dockerfile["stages"][0]["instrs"]
    for keyword, args in build:
        if keyword in ("COPY", "ADD"):
            sources = [w for w in args.split() if not w.startswith("--")][:-1]
            for src in sources:
                assert (REPO / src).exists(), f"COPY {args}: {src} is not in the repository"
    copied = {[w for w in args.split() if not w.startswith("--")][0].rstrip("/")
              for keyword, args in build if keyword == "COPY"}
    assert {"CMakeLists.txt", "cmake", "src"} <= copied, f"the build stage copies only {copied}"
    run = " ".join(args for keyword, args in build if keyword == "RUN")
    # tests/ and bench/ are not copied: the options that would read them must be off.
    for flag in ("-DCMAKE_BUILD_TYPE=Release", "-DSPARKPLANE_TESTS=OFF", "-DSPARKPLANE_BENCH=OFF",
                 "--target sparkplane", "strip "):
        assert flag in run, f"the build stage's commands lack {flag!r}"
    assert "SPARKPLANE_SANITIZE=ON" not in run and "SPARKPLANE_JEMALLOC=OFF" not in run


# ---- build packages against scripts/deps.sh -----------------------------------------------

def test_build_packages_are_those_of_deps_sh(dockerfile):
    deps = apt_packages_of_deps_sh()
    build = apt_installed(dockerfile["stages"][0])
    assert build, "the build stage installs no packages"
    unknown = sorted(set(build) - set(deps))
    assert not unknown, (f"the build stage installs {unknown}, which scripts/deps.sh's "
                         "APT_PACKAGES does not: add them there too (or drop them here)")
    stale = sorted(set(NOT_FOR_BUILD) - set(deps))
    assert not stale, f"NOT_FOR_BUILD names packages deps.sh no longer has: {stale}"
    missing = sorted(set(deps) - set(build) - set(NOT_FOR_BUILD))
    assert not missing, (f"scripts/deps.sh installs {missing}, which the image's build stage "
                         "does not: add them to deploy/images/Dockerfile, or to NOT_FOR_BUILD "
                         "here with the reason the build does not need them")


# ---- runtime packages against the binary ---------------------------------------------------

def debian_codename():
    try:
        text = Path("/etc/os-release").read_text()
    except OSError:
        return None
    fields = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    if fields.get("ID") != "debian":
        return None
    return fields.get("VERSION_CODENAME", "").strip('"') or None


def needed_sonames(binary):
    out = subprocess.run(["readelf", "-d", str(binary)], capture_output=True, text=True,
                         check=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def ldd_libraries(binary):
    """{soname: resolved path} of every library the loader maps for the binary."""
    r = subprocess.run(["ldd", str(binary)], capture_output=True, text=True)
    assert r.returncode == 0, f"ldd {binary}: {r.stderr}"
    libs = {}
    for line in r.stdout.splitlines():
        line = line.strip()
        assert "not found" not in line, f"ldd {binary}: {line}"
        m = re.match(r"(\S+) => (/\S+) \(0x", line)
        if m:
            libs[m.group(1)] = m.group(2)
        elif re.match(r"/\S+ \(0x", line):  # the dynamic loader
            path = line.split()[0]
            libs[os.path.basename(path)] = path
        # else linux-vdso.so.1: the kernel's, no file
    return libs


def package_of(path):
    """The Debian package that owns a library file (dpkg -S), trying the /usr-merged names."""
    p = Path(path)
    candidates = [str(p), os.path.realpath(p)]
    for c in list(candidates):
        if c.startswith("/usr/lib/") or c.startswith("/usr/lib64/"):
            candidates.append(c[len("/usr"):])
        elif c.startswith("/lib/") or c.startswith("/lib64/"):
            candidates.append("/usr" + c)
    for c in candidates:
        r = subprocess.run(["dpkg", "-S", c], capture_output=True, text=True)
        for line in r.stdout.splitlines():
            if line.startswith("diversion "):
                continue
            owners, _, owned = line.rpartition(": ")
            if owned == c:
                return owners.split(",")[0].strip().split(":")[0]
    raise AssertionError(f"dpkg -S: no package owns {path} (tried {candidates})")


def installed_packages():
    """{name: {'depends': [[alternative, ...], ...]}} and {virtual: real} of installed packages."""
    out = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Package}\t${db:Status-Abbrev}\t${Pre-Depends}\t"
                                   "${Depends}\t${Provides}\n"],
        capture_output=True, text=True, check=True).stdout
    packages, provides = {}, {}
    for line in out.splitlines():
        name, status, pre, dep, prov = (line.split("\t") + [""] * 5)[:5]
        if not status.startswith("ii"):
            continue
        groups = []
        for field in (pre, dep):
            for group in filter(None, (g.strip() for g in field.split(","))):
                groups.append([a.strip().split()[0].split(":")[0] for a in group.split("|")])
        packages.setdefault(name, {"depends": []})["depends"] += groups
        for v in filter(None, (x.strip() for x in prov.split(","))):
            provides.setdefault(v.split()[0], name)
    return packages, provides


def dependency_closure(roots):
    """Every package apt installs for `apt-get install --no-install-recommends roots`: for each
    dependency, the alternative already chosen, else the first one (as apt does), with virtual
    packages resolved through the installed packages that provide them."""
    packages, provides = installed_packages()
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for alternatives in packages.get(name, {"depends": []})["depends"]:
            real = [a if a in packages else provides.get(a) for a in alternatives]
            chosen = next((r for r in real if r in seen or r in roots), None) or real[0]
            if chosen:
                todo.append(chosen)
    return seen


@pytest.fixture(scope="module")
def binary():
    if not shutil.which("ldd") or not shutil.which("dpkg"):
        pytest.skip("needs ldd and dpkg (a Debian machine)")
    if not shutil.which("readelf"):
        pytest.skip("needs readelf (binutils, part of build-essential)")
    default = REPO / "build" / "sparkplane"
    chosen = Path(os.environ.get("SPARKPLANE_BIN", default))
    if not chosen.exists():
        chosen = default
    if not chosen.exists():
        pytest.skip(f"no sparkplane binary at $SPARKPLANE_BIN or {default} (make build)")

    def sanitized(b):
        return any(n.startswith(SANITIZER_SONAMES) for n in needed_sonames(b))

    if sanitized(chosen) and default.exists() and not sanitized(default):
        chosen = default
    is_sanitized = sanitized(chosen)
    if is_sanitized:
        warnings.warn(f"{chosen} is a sanitizer build: its sanitizer runtimes are left out and "
                      "jemalloc (not linked under the sanitizers) goes unchecked; "
                      "make build for the Release binary the image ships")
    codename = debian_codename()
    if codename is None:
        pytest.skip("not a Debian machine: library-to-package names would not be Debian's")
    return {"path": chosen, "sanitized": is_sanitized, "codename": codename}


@pytest.fixture(scope="module")
def runtime_packages(dockerfile, binary):
    _, build_tag = image_ref(dockerfile["stages"][0]["from"])
    assert binary["codename"] == build_tag, (
        f"the Dockerfile builds on Debian {build_tag} but this machine runs {binary['codename']}: "
        "package names differ between releases; move the Dockerfile and scripts/deps.sh together")
    libs = ldd_libraries(binary["path"])
    direct = set(needed_sonames(binary["path"]))
    owner = {}
    for soname, path in libs.items():
        if soname.startswith(SANITIZER_SONAMES):
            continue
        owner[soname] = package_of(path)
    return {"owner": owner, "direct": direct,
            "installed": apt_installed(dockerfile["stages"][-1])}


def test_every_linked_library_has_its_package_named(runtime_packages):
    """A library the binary links directly: its package is in the runtime stage's install line
    (apt would not bring it in otherwise)."""
    r = runtime_packages
    assert r["installed"], "the runtime stage installs no packages"
    missing = sorted({f"{pkg} ({soname})" for soname, pkg in r["owner"].items()
                      if soname in r["direct"] and pkg not in BASE_IMAGE_PACKAGES
                      and pkg not in r["installed"]})
    assert not missing, ("the binary links libraries whose packages the runtime stage does not "
                         f"install: {missing}")


def test_every_loaded_library_comes_with_the_installed_packages(runtime_packages):
    """A library the binary loads through another one (libcurl's nghttp2, krb5, ...): its package
    is installed, or a dependency of an installed one, or in the base image."""
    r = runtime_packages
    closure = dependency_closure(set(r["installed"]) | set(BASE_IMAGE_PACKAGES))
    missing = sorted({f"{pkg} ({soname})" for soname, pkg in r["owner"].items()
                      if pkg not in closure})
    assert not missing, ("libraries the binary loads that no package of the runtime stage "
                         f"brings in: {missing}")


def test_runtime_stage_installs_nothing_unneeded(runtime_packages, binary):
    if binary["sanitized"]:
        pytest.skip("a sanitizer build links no jemalloc: cannot tell what is unneeded")
    r = runtime_packages
    needed = {pkg for soname, pkg in r["owner"].items() if soname in r["direct"]}
    extra = sorted(set(r["installed"]) - needed - set(RUNTIME_DATA_PACKAGES))
    assert not extra, (f"the runtime stage installs {extra}, which the binary does not link: "
                       "drop them, or add them to RUNTIME_DATA_PACKAGES with the reason")

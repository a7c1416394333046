#!/usr/bin/env bash
# Sets up everything codev needs on Debian 12, then installs the project into
# the virtual environment .venv (the native `codev` command lands in .venv/bin).
#
# Idempotent: Debian packages are installed only when missing, .venv is created
# only when absent, and the project is reinstalled only when its sources changed
# (a stamp of their hash in .venv); when it is, CMake reuses its build in
# build/<wheel tag>, so only what changed is recompiled.
#
# Environment: PYTHON (interpreter for .venv, default python3),
# CODEV_FORCE_INSTALL=1 (reinstall even if nothing changed),
# CMAKE_BUILD_PARALLEL_LEVEL (default 2). Warnings-as-errors (CODEV_WERROR) is
# applied by scripts/test.sh to the build/dev build, not here: toggling it here
# would recompile the whole package build each time CI and local runs alternate.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'setup: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}"
export PIP_DISABLE_PIP_VERSION_CHECK=1
PYTHON="${PYTHON:-python3}"
VENV=.venv
VENV_PY="$VENV/bin/python"
STAMP="$VENV/.codev-install-stamp"
started=$SECONDS

# --- 1. Debian packages: the C++ side, and the brief's PDF -------------------
debian_packages=(
    build-essential g++ cmake ninja-build pkg-config ccache git
    libtbb-dev libhdf5-dev libtomlplusplus-dev libcli11-dev librandom123-dev
    libboost-dev libeigen3-dev catch2 netcdf-bin
    # scripts/test.sh checks the C++ formatting with this version (docs/architecture.md 4.9).
    clang-format-14
    # Open MPI: `mpirun -np K codev run|sweep` spreads jobs over processes (docs/cluster.md).
    libopenmpi-dev openmpi-bin
    # The funding brief (codev report): its PDF, and the browser tests, need headless
    # Chromium (never downloaded: Debian's), pdftotext / pdfinfo and a font.
    chromium poppler-utils fonts-dejavu-core
)
# Debian's own python3 needs python3-venv for `python3 -m venv` (ensurepip).
if command -v "$PYTHON" >/dev/null && ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
    debian_packages+=(python3-venv)
fi
# ... and python3-dev for Python.h, which the extension codev._core is built against.
if command -v "$PYTHON" >/dev/null && ! "$PYTHON" -c '
import os, sys, sysconfig
sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' 2>/dev/null; then
    debian_packages+=(python3-dev)
fi

missing=()
for package in "${debian_packages[@]}"; do
    if ! dpkg-query -W -f='${db:Status-Abbrev}' "$package" 2>/dev/null | grep -q '^ii'; then
        missing+=("$package")
    fi
done
if ((${#missing[@]})); then
    say "installing Debian packages: ${missing[*]}"
    sudo=()
    if ((EUID != 0)); then
        command -v sudo >/dev/null || die "not root and no sudo: install ${missing[*]} by hand"
        sudo=(sudo)
    fi
    apt_log="$(mktemp)"
    if ! { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
            && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
                apt-get install -y -qq --no-install-recommends "${missing[@]}"; } </dev/null >"$apt_log" 2>&1; then
        cat "$apt_log" >&2
        die "apt-get failed"
    fi
    rm -f "$apt_log"
fi
command -v "$PYTHON" >/dev/null || die "no $PYTHON on PATH"

# --- 2. The virtual environment ----------------------------------------------
if ! "$VENV_PY" -c 'import sys' 2>/dev/null; then
    [[ -e "$VENV" ]] && { say "removing broken $VENV"; rm -rf "$VENV"; }
    say "creating $VENV with $(command -v "$PYTHON") ($("$PYTHON" --version 2>&1))"
    "$PYTHON" -m venv "$VENV"
fi
"$VENV_PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || die "$VENV has Python $("$VENV_PY" --version 2>&1); codev needs 3.11 or later (remove $VENV)"

# --- 3. The project, into the venv -------------------------------------------
# The hash covers everything the installed package is built from (and this
# script), the interpreter and the git commit; it is written only after a good
# install.
source_hash() {
    "$VENV_PY" - <<'EOF'
import hashlib, os, subprocess, sys
h = hashlib.sha256()
h.update(f"{sys.version}|{sys.executable}".encode())
# The git commit is stamped into results files: a new commit means a rebuild.
try:
    h.update(subprocess.run(["git", "rev-parse", "--verify", "--quiet", "HEAD"],
                            capture_output=True, check=False).stdout)
except OSError:
    pass
inputs = ["pyproject.toml", "CMakeLists.txt", "scripts/setup.sh", "cmake", "include", "model", "python"]
skip_dirs = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache"}
files = []
for top in inputs:
    if os.path.isfile(top):
        files.append(top)
    for root, dirs, names in os.walk(top):
        dirs[:] = [d for d in dirs if d not in skip_dirs]
        files += [os.path.join(root, n) for n in names if not n.endswith((".pyc", "~")) and ".tmp-" not in n]
for path in sorted(files):
    h.update(path.encode() + b"\0")
    with open(path, "rb") as f:
        h.update(hashlib.sha256(f.read()).digest())
print(h.hexdigest())
EOF
}

installed_ok() {
    [[ -x "$VENV/bin/codev" ]] && "$VENV_PY" -c 'import codev' 2>/dev/null
}

hash="$(source_hash)"
if [[ "${CODEV_FORCE_INSTALL:-0}" != 1 && -f "$STAMP" && "$(cat "$STAMP")" == "$hash" ]] && installed_ok; then
    say "codev is up to date in $VENV ($((SECONDS - started)) s)"
    exit 0
fi

# Build requirements go into the venv itself so that pip can build without an
# isolated environment (--no-build-isolation): no fresh copy of
# scikit-build-core and pybind11 per run, and CMake's cache in build/ stays valid.
mapfile -t build_requires < <("$VENV_PY" -c '
import tomllib
print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"]))')
mkdir -p build
log=build/setup-pip.log
say "installing codev into $VENV (build log: $log)"
rm -f "$STAMP"
if ! { "$VENV_PY" -m pip install -q "${build_requires[@]}" \
        && "$VENV_PY" -m pip install --no-build-isolation \
            -v -e '.[dev]'; } >"$log" 2>&1; then
    tail -n 200 "$log" >&2
    die "pip install failed (end of the log above; all of it in $log)"
fi
installed_ok || die "installed, but $VENV/bin/codev or 'import codev' is missing"
printf '%s\n' "$hash" >"$STAMP"
say "codev $("$VENV_PY" -c 'import codev; print(codev.__version__)') installed in $VENV ($((SECONDS - started)) s)"

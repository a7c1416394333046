#!/usr/bin/env bash
# The README's second command (and what .ci/run runs): set up (scripts/setup.sh),
# build the C++ side with its tests into build/dev (CMake preset `dev`), then run
# every test: Catch2 through CTest, and pytest over tests/python; then the
# formatting and lint checks.
#
# Both suites run even when the first fails; the exit status is non-zero if
# either failed. CODEV_WERROR=ON (default when CI is set) makes warnings errors.
# The dev build's directory is exported to pytest as CODEV_BUILD_DIR.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"

bash scripts/setup.sh

export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}"
if [[ -n "${CI:-}" && "${CI}" != "false" ]]; then
    CODEV_WERROR="${CODEV_WERROR:-ON}"
fi
configure_args=(--preset dev --log-level=WARNING --no-warn-unused-cli
    -DPython_EXECUTABLE="$root/.venv/bin/python"
    -Dpybind11_DIR="$("$root/.venv/bin/python" -m pybind11 --cmakedir)")
if [[ -n "${CODEV_WERROR:-}" ]]; then
    configure_args+=(-DCODEV_WERROR="$CODEV_WERROR")
fi

echo "test: building build/dev" >&2
cmake "${configure_args[@]}"
cmake --build --preset dev

status=0
echo "test: C++ tests (ctest)" >&2
ctest --test-dir build/dev --output-on-failure --no-tests=error -j2 || status=1

export CODEV_BUILD_DIR="$root/build/dev"
if [[ -d tests/python ]] && find tests/python \( -name 'test_*.py' -o -name '*_test.py' \) -print -quit | grep -q .; then
    echo "test: Python tests (pytest)" >&2
    pytest_status=0
    .venv/bin/python -m pytest tests/python -q || pytest_status=$?
    if ((pytest_status == 5)); then
        echo "test: pytest collected no tests from tests/python, which has test files" >&2
    fi
    ((pytest_status == 0)) || status=1
else
    echo "test: no Python tests yet (tests/python has no test_*.py)" >&2
fi

# Formatting, lint and types (docs/architecture.md 4.9): clang-format-14 with the
# repository's .clang-format over the C++ sources; ruff's formatter and linter
# (rules in pyproject.toml) over the Python; mypy over the package. A finding
# fails the run; `clang-format-14 -i FILE`, `.venv/bin/ruff format` and
# `.venv/bin/ruff check --fix` repair most.
echo "test: lint (clang-format-14, ruff, mypy)" >&2
mapfile -t cxx_files < <(git ls-files '*.cpp' '*.hpp' '*.h' 2>/dev/null ||
    find include model tests python/src -name '*.[ch]pp' -o -name '*.h')
if ((${#cxx_files[@]})) && ! clang-format-14 --dry-run --Werror "${cxx_files[@]}"; then
    echo "test: lint: C++ not formatted (clang-format-14 -i on the files above)" >&2
    status=1
fi
if ! .venv/bin/ruff check --quiet python tests bench scripts; then
    echo "test: lint: ruff findings above" >&2
    status=1
fi
if ! .venv/bin/ruff format --check --quiet python tests bench scripts; then
    echo "test: lint: Python not formatted (.venv/bin/ruff format on the files above)" >&2
    status=1
fi
if ! .venv/bin/python -m mypy; then
    echo "test: lint: mypy findings above (the package's types; configuration in pyproject.toml)" >&2
    status=1
fi

((status == 0)) || echo "test: FAILED" >&2
exit "$status"

#!/usr/bin/env bash
# Reliability checks beyond scripts/test.sh (issue 5), run by .ci/run after it:
#
#   asan  the whole Catch2 suite under AddressSanitizer + UndefinedBehaviorSanitizer
#         (CMake preset asan, build/asan, leaks checked)
#   tsan  the [determinism] tests under ThreadSanitizer (preset tsan, build/tsan),
#         after a canary shows the set-up reports a real race and nothing else
#         (tests/tsan/: Debian's oneTBB is not instrumented, see tbb_happens_before.cpp)
#   fuzz  the scenario loader, the communes CSV reader and the results-file
#         reader under libFuzzer + ASan + UBSan for CODEV_FUZZ_SECONDS each
#         (default 60), from seed corpora of the shipped and the bad scenarios
#         and CSVs, and edits of results files this commit's codev writes
#         (preset fuzz, build/fuzz, clang-14); a crash leaves its input in
#         build/fuzz/artifacts/ (a reproducer: scenario_fuzzer FILE,
#         communes_csv_fuzzer FILE or
#         CODEV_FUZZ_RESULTS=build/fuzz/results
#         LSAN_OPTIONS=suppressions=tests/fuzz/lsan.supp results_file_fuzzer FILE;
#         lsan.supp says which leaks of libhdf5 are not codev's)
#
# Installs clang-14 and libclang-rt-14-dev first when missing (apt-get update
# only then). Every step runs even when an earlier one failed; each prints its
# test runner's summary, and the script exits non-zero if any step failed.
# Environment: CMAKE_BUILD_PARALLEL_LEVEL (default 2), CODEV_FUZZ_SECONDS.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"

export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}"
fuzz_seconds="${CODEV_FUZZ_SECONDS:-60}"
started=$SECONDS

say() { printf 'ci-extra: %s\n' "$*" >&2; }

# --- clang-14 and libFuzzer's runtime (the fuzz step only) --------------------
install_clang() {
    local packages=(clang-14 libclang-rt-14-dev) missing=() package
    for package in "${packages[@]}"; do
        dpkg-query -W -f='${db:Status-Abbrev}' "$package" 2>/dev/null | grep -q '^ii' || missing+=("$package")
    done
    ((${#missing[@]})) || return 0
    say "installing Debian packages: ${missing[*]}"
    local sudo=()
    if ((EUID != 0)); then
        command -v sudo >/dev/null || { say "not root and no sudo: install ${missing[*]} by hand"; return 1; }
        sudo=(sudo)
    fi
    local log
    log="$(mktemp)"
    if ! { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
            && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
                apt-get install -y -qq --no-install-recommends "${missing[@]}"; } </dev/null >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        return 1
    fi
    rm -f "$log"
}

# --- the steps ------------------------------------------------------------------
step_asan() {
    cmake --preset asan --log-level=WARNING
    cmake --build --preset asan --target codev_tests  # what ctest runs; not the CLI
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        ctest --test-dir build/asan --output-on-failure --no-tests=error -j2
}

step_tsan() {
    cmake --preset tsan --log-level=WARNING
    cmake --build --preset tsan --target codev_tests tsan_race_canary
    export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$root/tests/tsan.supp"
    local canary=build/tsan/tests/cpp/tsan_race_canary log=build/tsan/race-canary.log
    # No report on correct TBB code (TBB's hand-offs are seen, its internals suppressed) ...
    "$canary"
    # ... and a report on a real race between two bodies of one parallel_for.
    if "$canary" racy >"$log" 2>&1 || ! grep -q 'WARNING: ThreadSanitizer: data race' "$log"; then
        cat "$log" >&2
        say "tsan: the race canary's race was not reported: the ThreadSanitizer set-up is broken"
        return 1
    fi
    say "tsan: the race canary's race was reported, as it must be"
    build/tsan/tests/cpp/codev_tests '[determinism]'
}

step_fuzz() {
    install_clang
    cmake --preset fuzz --log-level=WARNING
    cmake --build --preset fuzz
    # Seeds are copied afresh each run: libFuzzer adds what it finds to the
    # corpus directory, and generated corpora are not kept in the repository.
    local artifacts=build/fuzz/artifacts status=0
    rm -rf "$artifacts" && mkdir -p "$artifacts"
    fuzz_one scenario_fuzzer "-dict=tests/fuzz/toml.dict" scenarios/*.toml tests/data/*.toml tests/data/bad/*.toml ||
        status=1
    fuzz_one communes_csv_fuzzer "" tests/data/*.csv tests/data/bad/csv/*.csv scenarios/data/mali-communes-2009.csv ||
        status=1
    results_bases build/fuzz/results || return 1
    CODEV_FUZZ_RESULTS="$root/build/fuzz/results" LSAN_OPTIONS="suppressions=$root/tests/fuzz/lsan.supp:print_suppressions=0" \
        fuzz_one results_file_fuzzer "-max_len=160 -len_control=0" tests/fuzz/results-base/*.bin ||
        status=1
    return "$status"
}

# results_bases DIR: the results files results_file_fuzzer damages, written
# afresh by this commit's codev (build/dev, built here when test.sh has not):
# a run of a baseline and a policy, and a sweep.
results_bases() {
    local dir="$1" codev=build/dev/codev
    if [[ ! -x "$codev" ]]; then
        cmake --preset dev --log-level=WARNING
        cmake --build --preset dev --target codev
    fi
    rm -rf "$dir" && mkdir -p "$dir"
    "$codev" run tests/fuzz/results-base/baseline.toml tests/fuzz/results-base/policy.toml -r 2 -q --out "$dir/run.h5" >/dev/null
    "$codev" sweep tests/fuzz/results-base/policy.toml -f behaviour.epsilon=0:0.5 -n 2 -r 2 -q --out "$dir/sweep.h5"
}

# fuzz_one TARGET OPTIONS SEED...: CODEV_FUZZ_SECONDS of TARGET from the seeds,
# with more libFuzzer OPTIONS (space-separated, or "").
fuzz_one() {
    local target="$1" options=() corpus log="build/fuzz/$1.log" artifacts=build/fuzz/artifacts status=0
    read -ra options <<<"$2"
    shift 2
    corpus="$(mktemp -d)"
    cp "$@" "$corpus/"
    build/fuzz/tests/fuzz/"$target" "${options[@]}" -max_total_time="$fuzz_seconds" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/$target-" "$corpus" \
        >"$log" 2>&1 || status=$?
    rm -rf "$corpus"
    local runs
    runs="$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 inputs in \2 s/p' "$log" | tail -n 1)"
    if ((status != 0)) || [[ -z "$runs" ]]; then
        tail -n 60 "$log" >&2
        say "fuzz: $target FAILED (status $status); the input is in $artifacts: $(ls "$artifacts" | tr '\n' ' ')"
        return 1
    fi
    grep '^Done [0-9]* runs' "$log"
    say "fuzz: $target: $runs executed, no crash (log: $log)"
}

# --- run them all -------------------------------------------------------------
passed=0
failed=0
failures=()
for step in asan tsan fuzz; do
    say "$step: start"
    step_started=$SECONDS
    # A subshell outside any `if`, so that `set -e` stops the step at its first
    # failing command (bash ignores -e in a condition) without ending the script.
    set +e
    (set -euo pipefail; "step_$step")
    status=$?
    set -e
    if ((status == 0)); then
        passed=$((passed + 1))
        say "$step: ok ($((SECONDS - step_started)) s)"
    else
        failed=$((failed + 1))
        failures+=("$step")
        say "$step: FAILED ($((SECONDS - step_started)) s)"
    fi
done

say "$((SECONDS - started)) s in all${failures:+; failed: ${failures[*]}}"
echo "ci-extra: $passed passed, $failed failed"
((failed == 0))

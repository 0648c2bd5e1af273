#!/usr/bin/env bash
# Run every opsagg test: C++ unit tests (CMake + GoogleTest, ctest), the same under ASan+UBSan,
# the libFuzzer targets (test/fuzz), the SQL regression tests (pg_regress and isolation via
# `make installcheck` against a throwaway PostgreSQL 15 server) and the TAP tests of the live
# worker (t/*.pl, as the postgres OS user).
#
#   bash scripts/test.sh
#
# Installs the dependencies (Debian, root), builds and installs the extension, runs the suites
# and ends with one line "N passed, M failed" over all of them. Exit status 0 only if every test
# passed and every suite ran. A suite that could not run at all counts as one failure.
# Logs: log/ (apt.log, build.log, unit.log, unit-asan.log, fuzz/, regress-*.log, postgres.log,
# tap.log, tap-logs/);
# build dirs: build/ (unit tests), build-asan/ (ASan+UBSan), build-fuzz/ (libFuzzer targets).
# OPSAGG_FUZZ_SECONDS: how long each fuzz target runs (default 60).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
mkdir -p "$OPSAGG_LOGDIR"

total_passed=0
total_failed=0
problems=()

# finish: print the per-suite problems and the one total line, then exit.
finish() {
    local p
    echo
    for p in "${problems[@]}"; do
        printf '  problem: %s\n' "$p"
    done
    echo "${total_passed} passed, ${total_failed} failed"
    if ((total_failed > 0 || ${#problems[@]} > 0)); then
        exit 1
    fi
    exit 0
}

suite_broken() { # suite_broken MESSAGE: a suite could not run; count it as one failure
    problems+=("$1")
    total_failed=$((total_failed + 1))
}

# ---------------------------------------------------------------------------------------------

step "Installing dependencies"
if ! install_deps; then
    suite_broken "dependencies could not be installed: no suite ran"
    suite_broken "(second suite not run)"
    finish
fi

step "Building and installing the extension"
built=1
if ! build_and_install; then
    built=0
fi

# ---------------------------------------------------------------------------------------------
# Unit tests: ctest closes with "100% tests passed, 0 tests failed out of 12".

# run_unit_tests NAME BUILD_DIR LOG [CMAKE_ARG...]: configure, build and ctest one build of
# the unit tests, adding its counts to the totals.
run_unit_tests() {
    local name=$1 dir=$2 log="${OPSAGG_LOGDIR}/$3" rc=0 line
    shift 3
    : >"$log"
    if [[ ! -f CMakeLists.txt ]]; then
        suite_broken "${name}: no CMakeLists.txt"
        return
    fi
    run_logged "$log" cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" || { suite_broken "${name}: cmake configure failed (see $log)"; return; }
    run_logged "$log" cmake --build "$dir" -j2 || { suite_broken "${name}: build failed (see $log)"; return; }

    ctest --test-dir "$dir" --output-on-failure -j2 2>&1 | tee -a "$log" || rc=${PIPESTATUS[0]}
    line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1 || true)
    if [[ "$line" =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
        local failed=${BASH_REMATCH[1]} total=${BASH_REMATCH[2]}
        total_passed=$((total_passed + total - failed))
        total_failed=$((total_failed + failed))
        info "${name}: $((total - failed)) passed, ${failed} failed"
        if ((failed == 0 && rc != 0)); then
            suite_broken "${name}: ctest exited with status ${rc}"
        fi
    else
        suite_broken "${name}: ctest ran no tests (exit ${rc}; see $log)"
    fi
}

step "Unit tests (cmake + ctest)"
run_unit_tests "unit tests" build unit.log

# The same unit tests with the cores built with AddressSanitizer and UndefinedBehaviorSanitizer
# (CMake option OPSAGG_SANITIZE): any report aborts its test, which then fails.
step "Unit tests under ASan+UBSan (cmake -DOPSAGG_SANITIZE=ON + ctest)"
run_unit_tests "unit tests under ASan+UBSan" build-asan unit-asan.log -DOPSAGG_SANITIZE=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo

# ---------------------------------------------------------------------------------------------
# Fuzzing: each libFuzzer target of test/fuzz (clang, ASan+UBSan) runs for OPSAGG_FUZZ_SECONDS
# (default 60) on a temporary copy of its seed corpus. A target that ends by itself is one
# passed test; a crash, sanitizer report or failed check is one failed test, its input kept
# in log/fuzz/.

run_fuzzers() {
    local log="${OPSAGG_LOGDIR}/fuzz.log" seconds=${OPSAGG_FUZZ_SECONDS:-60} source name corpus
    local rc artifacts passed=0 failed=0
    : >"$log"
    if ! command -v clang++-14 >/dev/null 2>&1; then
        suite_broken "fuzzing: clang++-14 not found"
        return
    fi
    run_logged "$log" env CXX=clang++-14 cmake -S . -B build-fuzz -DOPSAGG_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo || { suite_broken "fuzzing: cmake configure failed (see $log)"; return; }
    run_logged "$log" cmake --build build-fuzz -j2 --target fuzzers || { suite_broken "fuzzing: build failed (see $log)"; return; }
    mkdir -p "${OPSAGG_LOGDIR}/fuzz"
    for source in test/fuzz/fuzz_*.cpp; do
        name=$(basename "$source" .cpp)
        name=${name#fuzz_}
        corpus=$(mktemp -d) || { suite_broken "fuzzing: mktemp failed"; return; }
        if [[ -d "test/fuzz/corpus/${name}" ]]; then
            cp -r "test/fuzz/corpus/${name}/." "$corpus/"
        fi
        rm -f "${OPSAGG_LOGDIR}/fuzz/${name}-"*
        rc=0
        "build-fuzz/fuzz_${name}" -max_total_time="$seconds" -print_final_stats=1 \
            -artifact_prefix="${OPSAGG_LOGDIR}/fuzz/${name}-" "$corpus" \
            >"${OPSAGG_LOGDIR}/fuzz/${name}.log" 2>&1 || rc=$?
        rm -rf "$corpus"
        if ((rc == 0)); then
            passed=$((passed + 1))
            info "fuzz_${name}: ${seconds} s, $(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "${OPSAGG_LOGDIR}/fuzz/${name}.log" | grep -Eo '[0-9]+$' || echo '?') inputs, no crash"
        else
            failed=$((failed + 1))
            artifacts=$(ls "${OPSAGG_LOGDIR}/fuzz/${name}-"* 2>/dev/null | tr '\n' ' ')
            warn "fuzz_${name} failed (exit ${rc}); input kept: ${artifacts:-none}; log: ${OPSAGG_LOGDIR}/fuzz/${name}.log"
            grep -E 'runtime error|fuzz check failed|ERROR: AddressSanitizer|ERROR: libFuzzer' "${OPSAGG_LOGDIR}/fuzz/${name}.log" | head -n 5 >&2 || true
        fi
    done
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
    info "fuzzing: ${passed} passed, ${failed} failed"
}

step "Fuzzing (libFuzzer, ASan+UBSan, ${OPSAGG_FUZZ_SECONDS:-60} s a target)"
run_fuzzers

# ---------------------------------------------------------------------------------------------
# SQL regression tests. PG 15's pg_regress closes with one of
#   " All N tests passed. "                      " M of N tests failed. "
#   " P of N tests passed, I failed test(s) ignored. "
#   " M of N tests failed, I of these failures ignored. "
# (once per pg_regress run: the Makefile may run more than one, e.g. isolation tests).

parse_pg_regress() { # parse_pg_regress FILE: add its pg_regress totals; fails if none found
    local line found=1
    while IFS= read -r line; do
        if [[ "$line" =~ ^\ All\ ([0-9]+)\ tests\ passed\. ]]; then
            total_passed=$((total_passed + BASH_REMATCH[1]))
        elif [[ "$line" =~ ^\ ([0-9]+)\ of\ ([0-9]+)\ tests\ passed,\ ([0-9]+)\ failed\ test ]]; then
            total_passed=$((total_passed + BASH_REMATCH[1]))
        elif [[ "$line" =~ ^\ ([0-9]+)\ of\ ([0-9]+)\ tests\ failed,\ ([0-9]+)\ of\ these ]]; then
            total_passed=$((total_passed + BASH_REMATCH[2] - BASH_REMATCH[1]))
            total_failed=$((total_failed + BASH_REMATCH[1] - BASH_REMATCH[3]))
        elif [[ "$line" =~ ^\ ([0-9]+)\ of\ ([0-9]+)\ tests\ failed\. ]]; then
            total_passed=$((total_passed + BASH_REMATCH[2] - BASH_REMATCH[1]))
            total_failed=$((total_failed + BASH_REMATCH[1]))
        else
            continue
        fi
        found=0
    done <"$1"
    return "$found"
}

# Every suite runs twice: with the server's defaults (JIT on at its default costs, parallel
# query at its default costs), and with JIT compilation, inlining and optimization of every
# query and parallel plans forced. Nothing in the tests changes a setting to make them pass.
FORCED_SETTINGS="-c jit=on -c jit_above_cost=0 -c jit_inline_above_cost=0 -c jit_optimize_above_cost=0"
FORCED_SETTINGS+=" -c force_parallel_mode=regress -c parallel_setup_cost=0 -c parallel_tuple_cost=0"
FORCED_SETTINGS+=" -c min_parallel_table_scan_size=0 -c min_parallel_index_scan_size=0"
FORCED_SETTINGS+=" -c max_parallel_workers_per_gather=2"

# run_regression_pass NAME PGOPTIONS: one `make installcheck` (pg_regress and isolation).
run_regression_pass() {
    local name=$1 options=$2 log="${OPSAGG_LOGDIR}/regress-$1.log" rc=0 diffs before_p before_f
    : >"$log"
    # pg_regress writes results/, regression.diffs and regression.out into the repository (all
    # ignored by git). Remove the last run's so a stale diff is never shown for this one.
    rm -rf results/ regression.diffs regression.out output_iso/

    info "pass '${name}'${options:+: PGOPTIONS=${options}}"
    if [[ -n "$options" ]] &&
        [[ "$(PGOPTIONS="$options" "${PG_BINDIR}/psql" -X -A -t -c 'SHOW jit_inline_above_cost')" != 0 ]]; then
        suite_broken "regression tests (${name}): the forced settings did not reach the server"
        return
    fi
    before_p=$total_passed before_f=$total_failed
    # TAP_TESTS= : the TAP tests run in their own step, as the postgres OS user.
    PGOPTIONS="$options" make PG_CONFIG="$PG_CONFIG" TAP_TESTS= installcheck 2>&1 | tee "$log" || rc=${PIPESTATUS[0]}

    if ! parse_pg_regress "$log"; then
        suite_broken "regression tests (${name}): pg_regress printed no summary (make exit ${rc}; see $log)"
    else
        info "regression tests (${name}): $((total_passed - before_p)) passed, $((total_failed - before_f)) failed"
        if ((rc != 0 && total_failed == before_f)); then
            suite_broken "regression tests (${name}): make installcheck exited with status ${rc}"
        fi
    fi

    if ((rc != 0)); then
        while IFS= read -r diffs; do
            cp "$diffs" "${OPSAGG_LOGDIR}/regress-${name}.$(basename "$(dirname "$diffs")").diffs" 2>/dev/null || true
            echo
            echo "---- ${diffs} (${name}; first 200 lines) ----"
            head -n 200 "$diffs"
        done < <(find . -maxdepth 3 -name regression.diffs -size +0c -not -path './build/*' -not -path './.git/*' | sort)
    fi
}

# A backend that died by a signal makes the server restart every session; the suites may
# still look mostly green. Count it as a failure of its own.
check_server_log() {
    local server_log="${OPSAGG_PGDIR}/server.log"
    local crash='terminated by signal|was terminated by exception|server process .* exited with exit code [^01]'
    if grep -E "$crash" "$server_log" >/dev/null 2>&1; then
        # Show the crashes and their cause (an assertion's message comes just before), not the
        # parallel workers that exited with code 1 because a test expected an ERROR.
        grep -E "$crash|Assertion|TRAP" "$server_log" | head -n 6
        suite_broken "server log: a backend crashed (see ${OPSAGG_LOGDIR}/postgres.log)"
    fi
}

run_regression_tests() {
    if ((!built)); then
        suite_broken "regression tests: not run, the extension did not build or install (see ${OPSAGG_LOGDIR}/build.log)"
        return
    fi
    if ! start_pg; then
        suite_broken "regression tests: could not start PostgreSQL"
        return
    fi
    run_regression_pass defaults ""
    run_regression_pass forced "$FORCED_SETTINGS"
    check_server_log
    stop_pg
}

step "Regression tests (pg_regress, make installcheck): server defaults, then JIT and parallel forced"
run_regression_tests

# ---------------------------------------------------------------------------------------------
# TAP tests (t/*.pl, PostgreSQL::Test::Cluster): each starts its own servers with the worker
# preloaded. initdb refuses root, so they run as the postgres OS user from a copy of t/ in a
# directory it owns. prove closes with "Files=2, Tests=53, ..." and "Result: PASS"; a failing
# file is listed as "t/x.pl (Wstat: ... Tests: 20 Failed: 2)".
run_tap_tests() {
    local log="${OPSAGG_LOGDIR}/tap.log" dir pgxs rc=0 tests failed
    if ((!built)); then
        suite_broken "TAP tests: not run, the extension did not build or install (see ${OPSAGG_LOGDIR}/build.log)"
        return
    fi
    dir=$(mktemp -d /tmp/opsagg-tap.XXXXXX) || { suite_broken "TAP tests: no temp dir"; return; }
    opsagg_on_exit "rm -rf '$dir'"
    cp -r t "$dir/"
    ((EUID == 0)) && chown -R postgres: "$dir"
    pgxs="$(dirname "$("$PG_CONFIG" --pgxs)")/../.."
    (
        cd "$dir" || exit 1
        as_pg=()
        ((EUID == 0)) && as_pg=(runuser -u postgres --)
        "${as_pg[@]}" env TESTDIR="$dir" PATH="${PG_BINDIR}:${PATH}" \
            PG_REGRESS="${pgxs}/src/test/regress/pg_regress" \
            prove -I "${pgxs}/src/test/perl" t/*.pl
    ) 2>&1 | tee "$log" || rc=${PIPESTATUS[0]}
    cp -r "$dir/tmp_check/log" "${OPSAGG_LOGDIR}/tap-logs" 2>/dev/null || true

    tests=$(sed -n 's/^Files=[0-9]*, Tests=\([0-9]*\),.*/\1/p' "$log" | tail -n 1)
    failed=$(sed -n 's/.*Tests: [0-9]* Failed: \([0-9]*\)).*/\1/p' "$log" | awk '{n += $1} END {print n + 0}')
    if [[ -z "$tests" ]]; then
        suite_broken "TAP tests: prove printed no summary (exit ${rc}; see $log)"
        return
    fi
    total_passed=$((total_passed + tests - failed))
    total_failed=$((total_failed + failed))
    info "TAP tests: $((tests - failed)) passed, ${failed} failed"
    if ! grep -q '^Result: PASS' "$log" && ((failed == 0)); then
        suite_broken "TAP tests: a test file died or exited non-zero (see $log and ${OPSAGG_LOGDIR}/tap-logs)"
    fi
}

step "TAP tests (t/*.pl): the live worker"
run_tap_tests

finish

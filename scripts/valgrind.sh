#!/usr/bin/env bash
# Run the pg_regress suites (make installcheck) against a throwaway PostgreSQL 15 server that
# runs under valgrind's memcheck, then summarize the errors valgrind reported, separating
# those with an opsagg.so frame in their stack from PostgreSQL's own.
#
#   bash scripts/valgrind.sh                     # every suite of the Makefile's REGRESS
#   OPSAGG_VALGRIND_SUITES="sketch_io heartbeat_io" bash scripts/valgrind.sh   # a subset
#
# Slow: every backend runs under valgrind (tens of minutes for all suites on 2 cores). It is
# not part of scripts/test.sh. JIT is off on this server: LLVM's generated code is not what is
# under test and makes valgrind much slower. Exit status 0 only if pg_regress passed and no
# valgrind error has an opsagg frame. Logs: log/valgrind/ (one file per process, the summary,
# pg_regress output); suppressions: test/valgrind.supp.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

command -v valgrind >/dev/null 2>&1 || die "valgrind not found (apt-get install valgrind)"
vglog="${OPSAGG_LOGDIR}/valgrind"
rm -rf "$vglog"
mkdir -p "$vglog"
chmod 777 "$vglog"  # the server runs as the postgres user

step "Building and installing the extension"
build_and_install || die "build failed (see ${OPSAGG_LOGDIR}/build.log)"

# The wrapper pg_ctl starts instead of postgres. --error-exitcode makes a backend with an
# error exit abnormally, so the postmaster restarts and the suite fails visibly too.
wrapper=$(mktemp /tmp/opsagg-valgrind.XXXXXX)
opsagg_on_exit "rm -f '$wrapper'"
cat >"$wrapper" <<WRAPPER
#!/bin/sh
exec valgrind --quiet --trace-children=yes --track-origins=yes --leak-check=no \\
    --error-exitcode=128 --num-callers=40 --read-var-info=no \\
    --suppressions='${OPSAGG_ROOT}/test/valgrind.supp' --gen-suppressions=all \\
    --error-markers=VALGRINDERROR-BEGIN,VALGRINDERROR-END \\
    --log-file='${vglog}/%p.log' '${PG_BINDIR}/postgres' "\$@"
WRAPPER
chmod 755 "$wrapper"

step "Starting PostgreSQL under valgrind"
OPSAGG_PG_WRAPPER="$wrapper" OPSAGG_PG_START_TIMEOUT=600 start_pg "jit = off" \
    || die "the server did not start under valgrind"

step "Regression tests under valgrind"
suites=()
if [[ -n "${OPSAGG_VALGRIND_SUITES:-}" ]]; then
    read -r -a suites <<<"$OPSAGG_VALGRIND_SUITES"
    info "suites: ${suites[*]}"
fi
rm -rf results/ regression.diffs regression.out output_iso/
rc=0
started=$(date +%s)
if ((${#suites[@]} > 0)); then
    make PG_CONFIG="$PG_CONFIG" installcheck REGRESS="${suites[*]}" ISOLATION= 2>&1 | tee "${vglog}/regress.log" || rc=${PIPESTATUS[0]}
else
    make PG_CONFIG="$PG_CONFIG" installcheck 2>&1 | tee "${vglog}/regress.log" || rc=${PIPESTATUS[0]}
fi
info "pg_regress took $(($(date +%s) - started)) s (make exit ${rc})"
OPSAGG_PG_START_TIMEOUT=600 stop_pg

step "Valgrind errors"
total=0 ours=0
summary="${vglog}/summary.txt"
: >"$summary"
for f in "$vglog"/[0-9]*.log; do
    [[ -f "$f" ]] || continue
    # One error = the lines between the markers.
    while IFS= read -r -d $'\f' block; do
        [[ -n "$block" ]] || continue
        total=$((total + 1))
        if grep -qE 'opsagg\.so|src/(core|pg)/|_glue\.cpp' <<<"$block"; then
            ours=$((ours + 1))
            printf '==== %s (opsagg frame)\n%s\n' "$f" "$block" >>"$summary"
        else
            printf '==== %s (PostgreSQL)\n%s\n' "$f" "$block" >>"$summary"
        fi
    done < <(awk '/VALGRINDERROR-BEGIN/ { on = 1; next } /VALGRINDERROR-END/ { on = 0; printf "\f"; next } on' "$f")
done
info "$(ls "$vglog"/[0-9]*.log 2>/dev/null | wc -l) processes traced; ${total} valgrind errors, ${ours} with an opsagg frame (details: ${summary})"
if ((ours > 0)); then
    head -n 80 "$summary"
fi
if ((rc != 0 || ours > 0)); then
    echo "valgrind run FAILED (pg_regress exit ${rc}, ${ours} errors in opsagg)"
    exit 1
fi
echo "valgrind run passed: pg_regress passed, no valgrind error in opsagg (${total} elsewhere)"

# shellcheck shell=bash
# Shared helpers for scripts/demo.sh and scripts/test.sh. Source it; do not run it.
#
#   install_deps        apt-get install the pinned build/test dependencies (root, Debian)
#   build_and_install   make + make install against PostgreSQL 15 (PGXS)
#   start_pg [LINE...]  start a throwaway PostgreSQL 15 server on a Unix socket in a temp dir;
#                       each LINE is appended to postgresql.conf; exports PGHOST PGPORT PGUSER
#                       PGDATABASE; the server is stopped and the dir removed on exit
#   stop_pg             stop that server now and remove its dir (idempotent)
#
# Environment knobs (all optional):
#   OPSAGG_PGPORT     port of the throwaway server (default 54329; only names the socket file)
#   OPSAGG_VERBOSE=1  stream apt/make output to the terminal as well as to the log files
#   OPSAGG_SKIP_DEPS=1  do not call apt at all (you installed the dependencies yourself)
#   OPSAGG_PG_WRAPPER   start_pg runs this executable instead of postgres (scripts/valgrind.sh)
#   OPSAGG_PG_START_TIMEOUT  seconds start_pg waits for the server (default 60)
#   PG_CONFIG         defaults to /usr/lib/postgresql/15/bin/pg_config
#
# Logs go to log/ at the repository root (ignored by git): apt.log, build.log, postgres.log ...

if [[ -n "${_OPSAGG_LIB_LOADED:-}" ]]; then
    return 0
fi
_OPSAGG_LIB_LOADED=1

OPSAGG_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_MAJOR=15
PG_CONFIG="${PG_CONFIG:-/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config}"
# The server binaries beside pg_config (a relocated copy of the installation works too).
PG_BINDIR="$(dirname "$PG_CONFIG")"
OPSAGG_LOGDIR="${OPSAGG_LOGDIR:-${OPSAGG_ROOT}/log}"
OPSAGG_PGPORT="${OPSAGG_PGPORT:-54329}"
export PG_CONFIG

# Packages pinned to the PostgreSQL version (apt must not upgrade the server under us),
# and packages where any version will do.
_OPSAGG_PG_PKGS=("postgresql-${PG_MAJOR}" "postgresql-client-${PG_MAJOR}" "postgresql-server-dev-${PG_MAJOR}")
# clang-14 + libclang-rt-14-dev: libFuzzer and the sanitizer runtimes of the fuzz targets;
# valgrind: scripts/valgrind.sh.
_OPSAGG_OTHER_PKGS=(libboost-dev libipc-run-perl googletest libgtest-dev cmake g++ make clang-14
    libclang-rt-14-dev valgrind)

# ---------------------------------------------------------------------------------------------
# messages

if [[ -t 1 && -z "${NO_COLOR:-}" ]]; then
    _opsagg_bold=$'\e[1m' _opsagg_red=$'\e[31m' _opsagg_off=$'\e[0m'
else
    _opsagg_bold='' _opsagg_red='' _opsagg_off=''
fi

step() { printf '%s==> %s%s\n' "$_opsagg_bold" "$*" "$_opsagg_off"; }
info() { printf '    %s\n' "$*"; }
warn() { printf '%swarning:%s %s\n' "$_opsagg_red" "$_opsagg_off" "$*" >&2; }
die()  { printf '%serror:%s %s\n' "$_opsagg_red" "$_opsagg_off" "$*" >&2; exit 1; }

# run_logged LOGFILE CMD...: run CMD with its output appended to LOGFILE (and to the terminal
# when OPSAGG_VERBOSE=1). On failure print the log's tail. Returns CMD's status.
run_logged() {
    local log=$1 rc=0
    shift
    mkdir -p "$(dirname "$log")" || return 1
    printf '\n$ %s\n' "$*" >>"$log"
    if [[ "${OPSAGG_VERBOSE:-0}" == 1 ]]; then
        "$@" 2>&1 | tee -a "$log" || rc=${PIPESTATUS[0]}
    else
        "$@" >>"$log" 2>&1 || rc=$?
    fi
    if ((rc != 0)); then
        warn "command failed (exit $rc): $*"
        if [[ "${OPSAGG_VERBOSE:-0}" != 1 ]]; then
            warn "last lines of $log:"
            tail -n 60 "$log" >&2
        fi
    fi
    return "$rc"
}

# ---------------------------------------------------------------------------------------------
# exit cleanup: one EXIT trap runs every registered command, newest first, even on failure.

_OPSAGG_CLEANUP=()

opsagg_on_exit() { _OPSAGG_CLEANUP+=("$1"); }

_opsagg_exit_trap() {
    local rc=$? i
    set +e
    for ((i = ${#_OPSAGG_CLEANUP[@]} - 1; i >= 0; i--)); do
        eval "${_OPSAGG_CLEANUP[i]}"
    done
    exit "$rc"
}
trap _opsagg_exit_trap EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------
# dependencies

_opsagg_as_root() {
    if ((EUID == 0)); then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        warn "not root and no sudo: cannot run $*"
        return 1
    fi
}

# _opsagg_pkg_version PKG: installed version of PKG, empty when not (fully) installed
_opsagg_pkg_version() {
    dpkg-query -W -f='${db:Status-Status} ${Version}\n' "$1" 2>/dev/null |
        awk '$1 == "installed" { print $2 }'
}

install_deps() {
    if [[ "${OPSAGG_SKIP_DEPS:-0}" == 1 ]]; then
        info "OPSAGG_SKIP_DEPS=1: not installing dependencies"
        return 0
    fi
    command -v apt-get >/dev/null 2>&1 || { warn "apt-get not found: this script supports Debian only"; return 1; }

    local log="${OPSAGG_LOGDIR}/apt.log" pgv pkg missing=() want=()
    export DEBIAN_FRONTEND=noninteractive
    local apt=(apt-get -q -y -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=300)

    # Pin to the server version already installed; on a machine without it, to the candidate.
    pgv=$(_opsagg_pkg_version "postgresql-${PG_MAJOR}")
    for pkg in "${_OPSAGG_PG_PKGS[@]}"; do
        [[ -n "$pgv" && "$(_opsagg_pkg_version "$pkg")" == "$pgv" ]] || missing+=("$pkg")
    done
    for pkg in "${_OPSAGG_OTHER_PKGS[@]}"; do
        [[ -n "$(_opsagg_pkg_version "$pkg")" ]] || missing+=("$pkg")
    done
    if ((${#missing[@]} == 0)); then
        info "dependencies present (postgresql-${PG_MAJOR} ${pgv}); apt not needed"
        return 0
    fi

    info "installing: ${missing[*]} (log: ${log})"
    run_logged "$log" _opsagg_as_root "${apt[@]}" update || return 1
    if [[ -z "$pgv" ]]; then
        pgv=$(apt-cache policy "postgresql-${PG_MAJOR}" | awk '/Candidate:/ { print $2 }')
        if [[ -z "$pgv" || "$pgv" == "(none)" ]]; then
            warn "apt has no postgresql-${PG_MAJOR} package"
            return 1
        fi
    fi
    for pkg in "${_OPSAGG_PG_PKGS[@]}"; do want+=("${pkg}=${pgv}"); done
    want+=("${_OPSAGG_OTHER_PKGS[@]}")
    run_logged "$log" _opsagg_as_root "${apt[@]}" install --no-install-recommends "${want[@]}" || return 1
    info "installed postgresql-${PG_MAJOR} ${pgv} and build dependencies"
}

# ---------------------------------------------------------------------------------------------
# build

build_and_install() {
    local log="${OPSAGG_LOGDIR}/build.log"
    [[ -x "$PG_CONFIG" ]] || { warn "$PG_CONFIG not found (run install_deps)"; return 1; }
    info "make && make install (PG_CONFIG=${PG_CONFIG}; log: ${log})"
    run_logged "$log" make -C "$OPSAGG_ROOT" -j2 PG_CONFIG="$PG_CONFIG" || return 1
    run_logged "$log" _opsagg_as_root make -C "$OPSAGG_ROOT" PG_CONFIG="$PG_CONFIG" install || return 1
    info "installed into $("$PG_CONFIG" --pkglibdir) and $("$PG_CONFIG" --sharedir)/extension"
}

# ---------------------------------------------------------------------------------------------
# throwaway server

OPSAGG_PGDIR=''

# _opsagg_as_pg CMD...: run CMD as the postgres OS user (initdb refuses root), from a directory
# that user can enter.
_opsagg_as_pg() {
    if ((EUID == 0)); then
        (cd "$OPSAGG_PGDIR" && runuser -u postgres -- "$@")
    else
        (cd "$OPSAGG_PGDIR" && "$@")
    fi
}

# shellcheck disable=SC2120 # the conf lines are optional
start_pg() {
    if [[ -n "$OPSAGG_PGDIR" ]]; then
        warn "start_pg: a server is already running in $OPSAGG_PGDIR"
        return 1
    fi
    [[ -x "${PG_BINDIR}/initdb" ]] || { warn "${PG_BINDIR}/initdb not found (run install_deps)"; return 1; }
    if ((EUID == 0)); then
        command -v runuser >/dev/null 2>&1 || { warn "runuser (util-linux) not found"; return 1; }
        id postgres >/dev/null 2>&1 || { warn "no postgres OS user (run install_deps)"; return 1; }
    fi

    # /tmp, not $TMPDIR: the postgres user must reach it and a socket path has ~100 bytes at most.
    OPSAGG_PGDIR=$(mktemp -d /tmp/opsagg-pg.XXXXXX) || return 1
    opsagg_on_exit stop_pg
    if ((EUID == 0)); then
        chown postgres: "$OPSAGG_PGDIR" || return 1
    fi

    local data="${OPSAGG_PGDIR}/data" line
    info "initdb in ${data}"
    _opsagg_as_pg "${PG_BINDIR}/initdb" --pgdata="$data" --username=postgres --auth=trust \
        --encoding=UTF8 --locale=C --no-sync >"${OPSAGG_PGDIR}/initdb.log" 2>&1 || {
        warn "initdb failed:"
        cat "${OPSAGG_PGDIR}/initdb.log" >&2
        return 1
    }

    {
        echo "# added by scripts/lib.sh start_pg"
        echo "port = ${OPSAGG_PGPORT}"
        echo "listen_addresses = ''"
        echo "unix_socket_directories = '${OPSAGG_PGDIR}'"
        echo "fsync = off"
        echo "synchronous_commit = off"
        echo "full_page_writes = off"
        echo "log_min_messages = warning"
        for line in "$@"; do
            echo "$line"
        done
    } >>"${data}/postgresql.conf" || return 1

    # OPSAGG_PG_WRAPPER: an executable started instead of postgres (scripts/valgrind.sh).
    local wrapper=()
    [[ -n "${OPSAGG_PG_WRAPPER:-}" ]] && wrapper=(-p "$OPSAGG_PG_WRAPPER")
    _opsagg_as_pg "${PG_BINDIR}/pg_ctl" --pgdata="$data" --log="${OPSAGG_PGDIR}/server.log" \
        "${wrapper[@]}" --wait --timeout="${OPSAGG_PG_START_TIMEOUT:-60}" start >/dev/null || {
        warn "the server did not start:"
        tail -n 40 "${OPSAGG_PGDIR}/server.log" >&2
        return 1
    }

    export PGHOST="$OPSAGG_PGDIR" PGPORT="$OPSAGG_PGPORT" PGUSER=postgres PGDATABASE=postgres
    unset PGHOSTADDR PGSERVICE PGPASSWORD PGOPTIONS
    "${PG_BINDIR}/psql" -X -q -A -t -c 'SELECT 1' >/dev/null || {
        warn "server started but psql cannot connect"
        return 1
    }
    info "PostgreSQL $("${PG_BINDIR}/psql" -X -A -t -c 'SHOW server_version') on socket ${PGHOST}, port ${PGPORT}"
}

stop_pg() {
    [[ -n "$OPSAGG_PGDIR" ]] || return 0
    local dir=$OPSAGG_PGDIR pid
    if [[ -f "${dir}/data/postmaster.pid" ]]; then
        if ! _opsagg_as_pg "${PG_BINDIR}/pg_ctl" --pgdata="${dir}/data" --mode=fast --wait --timeout="${OPSAGG_PG_START_TIMEOUT:-60}" stop >/dev/null 2>&1; then
            _opsagg_as_pg "${PG_BINDIR}/pg_ctl" --pgdata="${dir}/data" --mode=immediate --wait --timeout=30 stop >/dev/null 2>&1 || {
                pid=$(head -n 1 "${dir}/data/postmaster.pid" 2>/dev/null)
                [[ "$pid" =~ ^[0-9]+$ ]] && kill -KILL "$pid" 2>/dev/null
            }
        fi
    fi
    if [[ -f "${dir}/server.log" ]]; then
        mkdir -p "$OPSAGG_LOGDIR" && cp "${dir}/server.log" "${OPSAGG_LOGDIR}/postgres.log"
    fi
    rm -rf "$dir"
    OPSAGG_PGDIR=''
    unset PGHOST PGPORT
    return 0
}

#!/usr/bin/env bash
# Real PostgreSQL 15 and Redis 7 for the tests and benches, run by the project itself: no
# system service, no Docker. Both listen on 127.0.0.1 only, each on a free port (two checkouts,
# or two test runs, do not collide), with their files in one state folder.
#
#   bash scripts/services.sh install   # apt-get install postgresql-15 redis-server when missing
#   bash scripts/services.sh start     # start both (idempotent), print the two env lines
#   bash scripts/services.sh env       # print the env lines of the running services
#   bash scripts/services.sh stop      # fast shutdown, remove the state folder
#
# State folder: $REPO_DIGEST_SERVICES_DIR, default ${TMPDIR:-/tmp}/repo-digest-services.
# Use them from a shell (vitest then uses these instead of starting its own):
#   set -a; . <(bash scripts/services.sh start); set +a
#
# Test settings, not production ones: trust authentication on loopback, fsync off, no Redis
# persistence. The data lives only as long as the state folder.
set -euo pipefail

PG_BIN="${REPO_DIGEST_PG_BIN:-/usr/lib/postgresql/15/bin}"
DIR="${REPO_DIGEST_SERVICES_DIR:-${TMPDIR:-/tmp}/repo-digest-services}"
DIR="${DIR%/}"
# A file that marks the folder as ours: `stop` removes only a folder that has it.
MARKER=".repo-digest-services"
DATABASE="repo_digest_test"
WAIT_SECONDS=20

fail() {
  echo "services: $*" >&2
  exit 1
}

have_binaries() {
  local bin
  for bin in "$PG_BIN/initdb" "$PG_BIN/pg_ctl" "$PG_BIN/postgres" "$PG_BIN/pg_isready" "$PG_BIN/createdb"; do
    [ -x "$bin" ] || return 1
  done
  command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1
}

cmd_install() {
  if have_binaries; then return 0; fi
  if [ "$(id -u)" -ne 0 ]; then
    fail "PostgreSQL 15 or Redis is missing and only root can install them: run as root: apt-get install -y postgresql-15 redis-server (or set REPO_DIGEST_PG_BIN to the folder of initdb)"
  fi
  command -v apt-get >/dev/null 2>&1 || fail "PostgreSQL 15 or Redis is missing and there is no apt-get: install postgresql-15 and redis-server with this system's package manager"
  echo "services: installing Debian's postgresql-15 and redis-server (once)" >&2
  # The packages would start system servers on 5432 and 6379; a test that ignored its URL
  # would then pass by reaching them. policy-rc.d exit 101 tells Debian not to start them
  # (Docker images ship one already).
  local own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    own_policy=1
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15 redis-server >/dev/null
  if [ "$own_policy" -eq 1 ]; then
    rm -f /usr/sbin/policy-rc.d
    trap - EXIT
  fi
  have_binaries || fail "apt-get installed postgresql-15 and redis-server but $PG_BIN/initdb or redis-server is still missing"
}

# Commands that touch PostgreSQL's files run as `postgres` when we are root: initdb and
# postgres refuse to run as root. From / so that a cwd postgres cannot enter is not a warning.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# A port the kernel calls free now. Another process may take it before we bind it: start
# retries with a new port when a server cannot listen.
free_port() {
  node -e 'const s = require("node:net").createServer(); s.listen(0, "127.0.0.1", () => { process.stdout.write(String(s.address().port)); s.close(); });'
}

# Running, not a zombie: a server that outlived this script is reaped by pid 1, sometimes
# seconds after it exited.
alive() {
  [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null || return 1
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 0
  stat="${stat##*) }"
  [ "${stat%% *}" != "Z" ]
}

pg_pid() {
  head -n 1 "$DIR/pg/data/postmaster.pid" 2>/dev/null || true
}

pg_answers() {
  "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$1" -d "$DATABASE" -U postgres -t 2
}

redis_answers() {
  [ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = "PONG" ]
}

# Reads PG_PORT, REDIS_PORT and REDIS_PID written by start.
load_state() {
  PG_PORT="" REDIS_PORT="" REDIS_PID=""
  [ -f "$DIR/state" ] || return 1
  # shellcheck source=/dev/null
  . "$DIR/state"
}

running() {
  load_state || return 1
  [ -f "$DIR/env" ] && alive "$(pg_pid)" && alive "$REDIS_PID" && pg_answers "$PG_PORT" && redis_answers "$REDIS_PORT"
}

# A state folder we may create or delete: missing, empty, or marked as ours.
check_dir_is_ours() {
  if [ -e "$DIR" ] && [ ! -e "$DIR/$MARKER" ] && [ -n "$(ls -A "$DIR" 2>/dev/null)" ]; then
    fail "$DIR is not empty and was not made by this script: set REPO_DIGEST_SERVICES_DIR to a new folder"
  fi
}

stop_services() {
  load_state || true
  if [ -n "$REDIS_PID" ] && alive "$REDIS_PID"; then
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || kill -TERM "$REDIS_PID" 2>/dev/null || true
  fi
  if [ -f "$DIR/pg/data/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -m fast -w -t "$WAIT_SECONDS" stop >/dev/null 2>&1 || {
      local pid
      pid="$(pg_pid)"
      if alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
    }
  fi
  local i
  for ((i = 0; i < WAIT_SECONDS * 10; i++)); do
    alive "$REDIS_PID" || break
    sleep 0.1
  done
  if alive "$REDIS_PID"; then kill -KILL "$REDIS_PID" 2>/dev/null || true; fi
}

start_postgres() {
  mkdir -p "$DIR/pg"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || fail "there is no postgres user to run PostgreSQL as: apt-get install -y postgresql-15"
    chown postgres: "$DIR/pg"
    runuser -u postgres -- test -w "$DIR/pg" ||
      fail "the postgres user cannot enter $DIR (a parent folder is private): set REPO_DIGEST_SERVICES_DIR under /tmp"
  fi
  # --no-sync and fsync=off: throwaway data, startup in about a second.
  as_pg "$PG_BIN/initdb" -D "$DIR/pg/data" -U postgres --auth=trust --encoding=UTF8 --locale=C \
    --no-sync --no-instructions >"$DIR/pg/initdb.log" 2>&1 ||
    fail "initdb failed: $(tail -n 1 "$DIR/pg/initdb.log")"
  # No Unix socket: only TCP on loopback, and no path length limit on the state folder.
  as_pg sh -c 'cat >>"$1"' sh "$DIR/pg/data/postgresql.conf" <<'EOF'
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
  local attempt
  for attempt in 1 2 3; do
    PG_PORT="$(free_port)"
    # 9>&- : the server must not inherit the lock of this script.
    if as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -l "$DIR/pg/server.log" -w -t "$WAIT_SECONDS" \
      -o "-p $PG_PORT" start >/dev/null 2>&1 9>&-; then
      break
    fi
    if [ "$attempt" -eq 3 ]; then fail "PostgreSQL did not start: $(tail -n 1 "$DIR/pg/server.log" 2>/dev/null) (log: $DIR/pg/server.log)"; fi
  done
  echo "PG_PORT=$PG_PORT" >>"$DIR/state"
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$DATABASE" ||
    fail "could not create the database $DATABASE"
}

start_redis() {
  mkdir -p "$DIR/redis"
  local attempt i
  for attempt in 1 2 3; do
    REDIS_PORT="$(free_port)"
    # Not --daemonize: the forked server would report a port clash only in its log. setsid: a
    # Ctrl-C of the caller does not stop it; `stop` does.
    setsid redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --protected-mode yes \
      --save "" --appendonly no --dir "$DIR/redis" --logfile "$DIR/redis/server.log" \
      --daemonize no </dev/null >>"$DIR/redis/server.log" 2>&1 9>&- &
    REDIS_PID=$!
    for ((i = 0; i < WAIT_SECONDS * 10; i++)); do
      if redis_answers "$REDIS_PORT"; then
        # The server's own pid, whether or not setsid had to fork to run it.
        REDIS_PID="$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" info server | sed -n 's/^process_id:\([0-9]*\).*/\1/p')"
        printf 'REDIS_PORT=%s\nREDIS_PID=%s\n' "$REDIS_PORT" "$REDIS_PID" >>"$DIR/state"
        return 0
      fi
      alive "$REDIS_PID" || break
      sleep 0.1
    done
    kill -KILL "$REDIS_PID" 2>/dev/null || true
    if [ "$attempt" -eq 3 ]; then fail "Redis did not start: $(tail -n 1 "$DIR/redis/server.log" 2>/dev/null) (log: $DIR/redis/server.log)"; fi
  done
}

# One start or stop at a time per state folder, on fd 9. The lock file sits beside the folder
# (stop removes the folder) and stop removes it too: a lock taken on a file that was removed
# meanwhile is taken again on the new one.
lock_dir() {
  while :; do
    exec 9>"$DIR.lock"
    flock -w 60 9 || fail "another start or stop of $DIR has held $DIR.lock for 60 s"
    [ "$DIR.lock" -ef /dev/fd/9 ] && return 0
  done
}

cmd_start() {
  have_binaries || cmd_install
  check_dir_is_ours
  mkdir -p "$DIR"
  lock_dir
  if running; then
    cat "$DIR/env"
    return 0
  fi
  # Half-started or left behind by a killed run: start again from nothing.
  stop_services
  find "$DIR" -mindepth 1 -delete
  touch "$DIR/$MARKER"
  # The postgres user has to reach its data folder inside.
  chmod 755 "$DIR"
  # A start that fails half-way stops what it started (state records each server as it runs).
  trap 'stop_services' EXIT
  start_postgres
  start_redis
  trap - EXIT
  {
    echo "REPO_DIGEST_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/$DATABASE"
    echo "REPO_DIGEST_TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
  } >"$DIR/env"
  cat "$DIR/env"
}

cmd_stop() {
  [ -e "$DIR" ] || return 0
  check_dir_is_ours
  lock_dir
  stop_services
  rm -rf "$DIR"
  rm -f "$DIR.lock"
}

cmd_env() {
  running || fail "no services are running in $DIR: run: bash scripts/services.sh start"
  cat "$DIR/env"
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  env) cmd_env ;;
  *) fail "unknown command '${1:-}': use install, start, stop or env" ;;
esac

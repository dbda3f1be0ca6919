#!/usr/bin/env bash
# The database-facing tests once through a real PgBouncer in transaction mode (what Neon's
# pooled endpoint is), in front of a PostgreSQL with JIT on and forced on every query
# (jit_above_cost=0: the worst case of PostgreSQL's default jit=on).
#   tools/pgbouncer/run-tests.sh [pytest args]   (default: the task and stats tests)
# Needs root (CI) or the postgres user; installs Debian's pgbouncer when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
command -v pgbouncer >/dev/null || { apt-get update -qq && apt-get install -y -qq pgbouncer >/dev/null; }
pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
work="$(mktemp -d /tmp/pgbouncer-ci.XXXXXX)"
chown postgres "$work"
pg_port=55432
bouncer_port=56432
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  [ -f "$work/pgbouncer.pid" ] && kill "$(cat "$work/pgbouncer.pid")" 2>/dev/null || true
  as_pg "$pg_bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

as_pg "$pg_bin/initdb" -D "$work/data" -U postgres --auth=trust >/dev/null
cat >>"$work/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$work'
jit = on
jit_above_cost = 0
max_connections = 200
CONF
as_pg "$pg_bin/pg_ctl" -D "$work/data" -l "$work/postgres.log" -w start >/dev/null

cat >"$work/pgbouncer.ini" <<CONF
[databases]
* = host=127.0.0.1 port=$pg_port
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $bouncer_port
unix_socket_dir =
auth_type = trust
auth_file = $work/users.txt
pool_mode = transaction
default_pool_size = 20
max_client_conn = 500
pidfile = $work/pgbouncer.pid
logfile = $work/pgbouncer.log
admin_users = postgres
CONF
echo '"postgres" ""' >"$work/users.txt"
chown postgres "$work/pgbouncer.ini" "$work/users.txt"
as_pg pgbouncer -d "$work/pgbouncer.ini"
for _ in $(seq 50); do
  (echo >/dev/tcp/127.0.0.1/$bouncer_port) 2>/dev/null && break
  sleep 0.1
done

export DATABASE_URL="postgresql://postgres@127.0.0.1:$bouncer_port/postgres?pgbouncer=true"
echo "pgbouncer: transaction mode on :$bouncer_port, PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') with jit on"
if [ "$#" -eq 0 ]; then
  set -- services/task-manager/tests/tasks services/task-manager/tests/test_stats.py \
    services/task-manager/tests/test_stats_contract.py services/task-manager/tests/test_pooler.py -q
fi
"$root/.venv/bin/pytest" -p no:randomly "$@"

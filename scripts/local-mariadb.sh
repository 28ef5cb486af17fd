#!/usr/bin/env bash
# Local MariaDB instances for ShardSync: sources and shards, each with its own datadir, port and socket.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: scripts/local-mariadb.sh start|stop|status|sql PORT [SQL]

  start    install mariadb-server if missing, start every instance (idempotent), create the users
  stop     stop every instance started by this script
  status   one line per instance
  sql      run SQL (or an interactive client) as the admin user on the instance at PORT

Environment:
  SHARDSYNC_SOURCE_PORTS  source ports (binlog on), default "3307 3317" (a second source for multi-source jobs)
  SHARDSYNC_SHARD_PORTS   shard ports, default "3308 3309 3310 3311" (the last two for resharding 2 -> 4)
  SHARDSYNC_LOCAL_DIR     where datadirs, sockets, logs and generated passwords live, default .local/mariadb

Users (passwords are generated on first start into $SHARDSYNC_LOCAL_DIR/secrets/<user>.password):
  shardsync_cdc     on sources: SELECT, RELOAD, REPLICATION SLAVE, REPLICATION CLIENT
  shardsync_writer  on shards:  SELECT, INSERT, UPDATE, DELETE, CREATE, INDEX, ALTER, DROP
  shardsync_admin   everywhere: all privileges, for demo loaders, tests and verify
EOF
}

repo_dir=$(cd "$(dirname "$0")/.." && pwd)
local_dir=${SHARDSYNC_LOCAL_DIR:-$repo_dir/.local/mariadb}
source_ports=${SHARDSYNC_SOURCE_PORTS:-3307 3317}
shard_ports=${SHARDSYNC_SHARD_PORTS:-3308 3309 3310 3311}
secrets_dir=$local_dir/secrets

install_server() {
    command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] && return 0
    echo "installing mariadb-server" >&2
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q mariadb-server mariadb-client >/dev/null
}

password_of() {
    local user=$1 file=$secrets_dir/$1.password
    if [ ! -s "$file" ]; then
        mkdir -p "$secrets_dir" && chmod 700 "$secrets_dir"
        head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$file"
        chmod 600 "$file"
    fi
    cat "$file"
}

socket_of() { echo "$local_dir/$1/mysqld.sock"; }

root_sql() { mariadb --no-defaults --socket="$(socket_of "$1")" -uroot -N -B -e "$2"; }

is_up() { mariadb-admin --no-defaults --socket="$(socket_of "$1")" -uroot ping >/dev/null 2>&1; }

start_instance() {
    local port=$1 server_id=$2 dir=$local_dir/$1
    if is_up "$port"; then
        echo "instance $port already running"
        return 0
    fi
    mkdir -p "$dir"
    if [ ! -d "$dir/data/mysql" ]; then
        mariadb-install-db --no-defaults --user="$(id -un)" --datadir="$dir/data" \
            --auth-root-authentication-method=socket >"$dir/install.log" 2>&1
    fi
    # ROW binlog with full images on every instance: sources feed the job, shards may feed a reshard.
    # Binlogs older than a day go at each rotation: tests and benchmarks write gigabytes of them.
    setsid /usr/sbin/mariadbd --no-defaults --user="$(id -un)" --datadir="$dir/data" \
        --port="$port" --bind-address=127.0.0.1 --socket="$(socket_of "$port")" \
        --pid-file="$dir/mysqld.pid" --log-error="$dir/error.log" \
        --log-bin="$dir/data/binlog" --binlog-format=ROW --binlog-row-image=FULL \
        --binlog-expire-logs-seconds=86400 --server-id="$server_id" --default-time-zone=+00:00 --skip-name-resolve \
        --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
        --innodb-buffer-pool-size=256M --innodb-log-file-size=256M --max-connections=300 \
        --innodb-flush-log-at-trx-commit=2 --sync-binlog=0 \
        </dev/null >/dev/null 2>&1 &
    for _ in $(seq 1 60); do
        is_up "$port" && { echo "instance $port started (server-id $server_id)"; return 0; }
        sleep 0.5
    done
    echo "instance $port did not start; see $dir/error.log" >&2
    tail -20 "$dir/error.log" >&2 || true
    return 1
}

ensure_user() {
    local port=$1 user=$2 grants=$3 pw
    pw=$(password_of "$user")
    root_sql "$port" "CREATE USER IF NOT EXISTS '$user'@'127.0.0.1' IDENTIFIED BY '$pw';
        CREATE USER IF NOT EXISTS '$user'@'localhost' IDENTIFIED BY '$pw';
        ALTER USER '$user'@'127.0.0.1' IDENTIFIED BY '$pw';
        ALTER USER '$user'@'localhost' IDENTIFIED BY '$pw';
        GRANT $grants ON *.* TO '$user'@'127.0.0.1';
        GRANT $grants ON *.* TO '$user'@'localhost';"
}

start() {
    install_server
    local id=1 port
    for port in $source_ports; do
        start_instance "$port" "$id"
        ensure_user "$port" shardsync_cdc "SELECT, RELOAD, REPLICATION SLAVE, REPLICATION CLIENT"
        ensure_user "$port" shardsync_admin "ALL PRIVILEGES"
        id=$((id + 1))
    done
    for port in $shard_ports; do
        start_instance "$port" "$((100 + id))"
        ensure_user "$port" shardsync_writer "SELECT, INSERT, UPDATE, DELETE, CREATE, INDEX, ALTER, DROP"
        ensure_user "$port" shardsync_admin "ALL PRIVILEGES"
        id=$((id + 1))
    done
}

stop() {
    local dir pid
    for dir in "$local_dir"/*/; do
        [ -f "$dir/mysqld.pid" ] || continue
        pid=$(cat "$dir/mysqld.pid")
        if kill "$pid" 2>/dev/null; then
            while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
            echo "instance $(basename "$dir") stopped"
        fi
    done
}

status() {
    local port
    for port in $source_ports $shard_ports; do
        if is_up "$port"; then echo "$port up"; else echo "$port down"; fi
    done
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    sql)
        [ -n "${2:-}" ] || { usage; exit 2; }
        if [ -n "${3:-}" ]; then
            mariadb --no-defaults -h127.0.0.1 -P"$2" -ushardsync_admin -p"$(password_of shardsync_admin)" -e "$3"
        else
            mariadb --no-defaults -h127.0.0.1 -P"$2" -ushardsync_admin -p"$(password_of shardsync_admin)"
        fi
        ;;
    *) usage; [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ] || exit 2 ;;
esac

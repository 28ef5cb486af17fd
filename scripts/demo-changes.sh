#!/usr/bin/env bash
# Change generator for the demo: a steady mix of row changes on demo.orders at the source, fed through one
# long-lived mariadb client, with a line of counts per second.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: scripts/demo-changes.sh [events-per-second] [seconds|forever]

Writes a mix of changes to demo.orders on the source (load scripts/demo-schema.sql first):
  inserts      25%  new orders (version 1)
  updates      50%  status/amount change, version + 1, updated_at = NOW(6)
  deletes      10%
  moves        10%  user_id (the shard key) changes by an odd offset, so with 2 shards the row changes shard
  key changes   5%  id = id + 10000000 (the primary key), version + 1
plus one all_types row per second (version + 1), so every column type also travels through the binlog, and
two payments per second: one to the next user (its shard may change), one to a new id (its table changes).
Updates, deletes, moves and key changes pick a random existing order of a random user; a user without orders
is a miss, and only rows actually changed are counted. Prints one line per second; stops on Ctrl-C or TERM.

  events-per-second  target rate, default 200
  seconds            how long to run, default forever

Environment:
  SHARDSYNC_SOURCE_PORT  source port, default 3307
  SHARDSYNC_LOCAL_DIR    where scripts/local-mariadb.sh keeps secrets, default .local/mariadb
EOF
}

case "${1:-}" in -h | --help) usage; exit 0 ;; esac
rate=${1:-200}
duration=${2:-forever}
[[ $rate =~ ^[1-9][0-9]*$ ]] || { echo "events-per-second must be a positive integer (got '$rate')" >&2; usage >&2; exit 2; }
[[ $duration = forever || $duration =~ ^[1-9][0-9]*$ ]] || { echo "seconds must be a positive integer or 'forever' (got '$duration')" >&2; usage >&2; exit 2; }

repo_dir=$(cd "$(dirname "$0")/.." && pwd)
port=${SHARDSYNC_SOURCE_PORT:-3307}
password_file=${SHARDSYNC_LOCAL_DIR:-$repo_dir/.local/mariadb}/secrets/shardsync_admin.password
[ -r "$password_file" ] || { echo "no $password_file; run scripts/local-mariadb.sh start first" >&2; exit 1; }

# Mix in percent, cumulative: insert < 25 <= update < 75 <= delete < 85 <= move < 95 <= key change.
readonly MIX_INSERT=25 MIX_UPDATE=75 MIX_DELETE=85 MIX_MOVE=95
readonly TICKS_PER_SECOND=10
readonly STATUSES=(new paid shipped cancelled)

# --sigint-ignore: Ctrl-C reaches the whole process group; the client must finish what it has been sent.
# --force: a failed statement (e.g. a lost race) is reported and the stream goes on.
coproc SQL {
    MYSQL_PWD=$(cat "$password_file") exec mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P"$port" \
        -ushardsync_admin --default-character-set=utf8mb4 --batch --skip-column-names --unbuffered \
        --force --sigint-ignore demo
}
sql_in=${SQL[1]}
sql_out=${SQL[0]}
# shellcheck disable=SC2153  # SQL_PID is set by coproc
sql_pid=$SQL_PID

send() { printf '%s\n' "$1" >&"$sql_in"; }

stopping=0
trap 'stopping=1' INT TERM

# One order change as SQL; the counter in @c_* grows by the rows it really changed.
change() {
    local user=$((RANDOM % 1000 + 1)) dice=$((RANDOM % 100))
    # A random order of a random user: ~10 rows through the user_id index, cheap at any table size.
    local pick="SET @id = (SELECT id FROM orders WHERE user_id = $user ORDER BY RAND() LIMIT 1);"
    if ((dice < MIX_INSERT)); then
        local note="live order $((RANDOM))"
        ((RANDOM % 20 == 0)) && note="live 😀 order $((RANDOM))"
        REPLY="INSERT INTO orders (user_id, status, amount, note, version, updated_at) VALUES
 ($user, 'new', $((RANDOM * 30 % 1000000)) / 100, '$note', 1, NOW(6)); SET @c_ins = @c_ins + ROW_COUNT();"
    elif ((dice < MIX_UPDATE)); then
        REPLY="$pick UPDATE orders SET status = '${STATUSES[RANDOM % 4]}', amount = $((RANDOM * 30 % 1000000)) / 100,
 version = version + 1, updated_at = NOW(6) WHERE id = @id; SET @c_upd = @c_upd + ROW_COUNT();"
    elif ((dice < MIX_DELETE)); then
        REPLY="$pick DELETE FROM orders WHERE id = @id; SET @c_del = @c_del + ROW_COUNT();"
    elif ((dice < MIX_MOVE)); then
        # An odd offset modulo 1000 flips user_id's parity: with 2 shards every move crosses shards.
        REPLY="$pick UPDATE orders SET user_id = (user_id - 1 + $((RANDOM % 500 * 2 + 1))) % 1000 + 1,
 version = version + 1, updated_at = NOW(6) WHERE id = @id; SET @c_mov = @c_mov + ROW_COUNT();"
    else
        # IGNORE: the new id may collide with an auto-increment id handed out since the last jump; then skip.
        REPLY="$pick UPDATE IGNORE orders SET id = id + 10000000, version = version + 1, updated_at = NOW(6)
 WHERE id = @id; SET @c_key = @c_key + ROW_COUNT();"
    fi
}

now_us() { now=${EPOCHREALTIME//[.,]/}; }

# Reads the counters back; the reply also paces the generator to what the server really executes.
counters() {
    send "SELECT @c_ins, @c_upd, @c_del, @c_mov, @c_key, @c_typ;"
    local deadline=$((SECONDS + 60))
    # A signal (Ctrl-C) interrupts read; the reply is still coming, so read again.
    until read -r -t 60 -u "$sql_out" ins upd del mov key typ; do
        if ! kill -0 "$sql_pid" 2>/dev/null; then
            echo "the mariadb client exited" >&2
            exit 1
        elif ((SECONDS >= deadline)); then
            echo "no reply from the source within 60 s" >&2
            exit 1
        fi
    done
}

send "SET @c_ins = 0, @c_upd = 0, @c_del = 0, @c_mov = 0, @c_key = 0, @c_typ = 0;"
counters
last=(0 0 0 0 0 0)
total_events=0
second=0
printf 'Changing demo.orders on 127.0.0.1:%s at %d events/s %s; Ctrl-C stops\n' \
    "$port" "$rate" "$([ "$duration" = forever ] && echo forever || echo "for $duration s")"
now_us
start=$now
binlog_type_rows=(1 2 4 5 6)
while ((!stopping)) && { [ "$duration" = forever ] || ((second < duration)); }; do
    for ((tick = 0; tick < TICKS_PER_SECOND && !stopping; tick++)); do
        batch=""
        for ((i = rate * tick / TICKS_PER_SECOND; i < rate * (tick + 1) / TICKS_PER_SECOND; i++)); do
            change
            batch+=$REPLY$'\n'
        done
        # Row 3 holds a negative TIME, which the binlog decodes wrongly (README, known limitations).
        ((tick == 0)) && batch+="UPDATE all_types SET version = version + 1 WHERE id = ${binlog_type_rows[second % 5]};
 SET @c_typ = @c_typ + ROW_COUNT();"
        # payments, split over 4 tables per shard: a payment to another user (another shard, maybe), and one
        # to another id (another table of its shard)
        ((tick == 0)) && batch+="SET @p = (SELECT id FROM payments ORDER BY RAND() LIMIT 1);
 UPDATE payments SET user_id = user_id % 1000 + 1, amount = amount + 1, version = version + 1 WHERE id = @p;
 SET @p = (SELECT id FROM payments ORDER BY RAND() LIMIT 1);
 UPDATE IGNORE payments SET id = id + 1000001, version = version + 1 WHERE id = @p;"
        [ -n "$batch" ] && printf '%s' "$batch" >&"$sql_in"
        now_us
        delay=$((start + (second * TICKS_PER_SECOND + tick + 1) * 1000000 / TICKS_PER_SECOND - now))
        if ((delay > 0)); then
            printf -v delay '0.%06d' "$delay"
            sleep "$delay" || true
        fi
    done
    counters
    total_events=$((ins + upd + del + mov + key))
    ((stopping)) && break  # a cut-short second is only in the summary
    events=$((total_events - last[0] - last[1] - last[2] - last[3] - last[4]))
    printf '%(%H:%M:%S)T  %4d events/s  inserts %4d  updates %4d  deletes %4d  moves %4d  key changes %4d  all_types %d\n' \
        -1 "$events" $((ins - last[0])) $((upd - last[1])) $((del - last[2])) $((mov - last[3])) $((key - last[4])) \
        $((typ - last[5]))
    last=("$ins" "$upd" "$del" "$mov" "$key" "$typ")
    second=$((second + 1))
done

exec {sql_in}>&-
wait "$sql_pid" || true
now_us
elapsed_ms=$(((now - start) / 1000))
printf 'Stopped after %d.%03d s: %d events (%d/s): inserts %d, updates %d, deletes %d, moves %d, key changes %d, all_types %d\n' \
    $((elapsed_ms / 1000)) $((elapsed_ms % 1000)) "$total_events" $((elapsed_ms > 0 ? total_events * 1000 / elapsed_ms : 0)) \
    "$ins" "$upd" "$del" "$mov" "$key" "$typ"

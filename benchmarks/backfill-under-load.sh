#!/usr/bin/env bash
# Benchmark: pgbench writes against a hot table while Switchback ships a release whose migrations add a column and
# then backfill it for every existing row (a migration of kind backfill, run by the migrator in batches, each its own
# transaction). pgbench updates random existing rows, so its writes contend for the very rows the batches lock.
# Records failed transactions and latency p50/p99/max before and during the migration, and the batches it took.
# Needs the suite up (./suite up); installs Debian's pgbench if it is missing.
#   benchmarks/backfill-under-load.sh [seconds=90] [clients=8] [rows=1000000] [batch=2000] [pauseMillis=20]
set -euo pipefail

duration="${1:-90}"
clients="${2:-8}"
seed="${3:-1000000}"
batch="${4:-2000}"
pause="${5:-20}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
api="http://127.0.0.1:${RELEASE_API_PORT:-8080}"
pg_port="${POSTGRES_PORT:-15432}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

pgbench="$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | tail -n 1 || true)"
if [[ -z "$pgbench" ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    pgbench="$(ls /usr/lib/postgresql/*/bin/pgbench | tail -n 1)"
fi
psql_cmd=(psql -h 127.0.0.1 -p "$pg_port" -U postgres -d sample_app -qtAX)
command -v psql >/dev/null || psql_cmd=("$(dirname "$pgbench")/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d sample_app -qtAX)
curl -fs "$api/q/health/ready" >/dev/null || { echo "the suite is not up: run ./suite up first"; exit 1; }
auth="Authorization: Bearer $("$root/suite" token releaser --subject benchmark | tail -n 1)"

rows=$("${psql_cmd[@]}" -c "SELECT count(*) FROM notes")
if (( rows < seed )); then
    "${psql_cmd[@]}" -c "INSERT INTO notes (body) SELECT 'seed ' || g FROM generate_series(1, $((seed - rows))) g"
fi
max_id=$("${psql_cmd[@]}" -c "SELECT max(id) FROM notes")
cat > "$work/hot.sql" <<SQL
\set id random(1, $max_id)
UPDATE notes SET body = body || '' WHERE id = :id;
INSERT INTO notes (body) VALUES ('bench');
SQL

stamp=$(( $(date +%s) % 1000000000 ))
echo "pgbench: $clients clients for ${duration}s on notes ($max_id rows); the release starts after $((duration / 4))s"
(cd "$work" && "$pgbench" -h 127.0.0.1 -p "$pg_port" -U postgres -n -c "$clients" -j 2 -T "$duration" \
    -f hot.sql -l --log-prefix=tx sample_app > pgbench.out 2>&1) &
bench=$!
sleep $((duration / 4))

version="1.$stamp.0"
# Rows pgbench inserts meanwhile are not the backfill's: it fills the rows that existed before the release.
body=$(cat <<JSON
{"service": "sample-app", "environment": "local", "version": "$version",
 "migrations": [
   {"version": "$stamp", "description": "add bench length", "sql": "ALTER TABLE notes ADD COLUMN bench_$stamp int"},
   {"version": "$stamp.1", "description": "backfill bench length", "kind": "backfill", "batchSize": $batch,
    "pauseMillis": $pause,
    "sql": "UPDATE notes SET bench_$stamp = length(body) WHERE bench_$stamp IS NULL AND id <= $max_id"}]}
JSON
)
id=$(curl -fsS -XPOST "$api/releases" -H "$auth" -H 'Content-Type: application/json' -d "$body" | sed -E 's/.*"id":"([^"]+)".*/\1/')
for _ in $(seq 1 3000); do
    release=$(curl -fsS -H "$auth" "$api/releases/$id")
    phase=$(sed -E 's/.*"phase":"([A-Z_]+)".*/\1/' <<<"$release")
    [[ "$phase" == LIVE || "$phase" == FAILED || "$phase" == ROLLED_BACK ]] && break
    sleep 0.2
done
wait "$bench" || true

# The migration window, from the release's history: the migrator started, the migrator succeeded.
epoch() { date -d "$1" +%s.%N; }
started=$(grep -o '"event":"dev.switchback.migration.started","reason":[^}]*"at":"[^"]*"' <<<"$release" | sed -E 's/.*"at":"([^"]+)"/\1/')
finished=$(grep -o '"event":"dev.switchback.migration.succeeded","reason":[^}]*"at":"[^"]*"' <<<"$release" | sed -E 's/.*"at":"([^"]+)"/\1/')
[[ -n "$started" && -n "$finished" ]] || { echo "release $id ended $phase without a migration window"; cat "$work/pgbench.out"; exit 1; }
# The migrator's events are stamped after the run; widen the window to the release's start to be safe.
release_start=$(grep -o '"event":"dev.switchback.release.started","reason":[^}]*"at":"[^"]*"' <<<"$release" | sed -E 's/.*"at":"([^"]+)"/\1/')
from=$(epoch "$release_start")
to=$(epoch "$finished")

cat "$work"/tx.* > "$work/all.log"
stats() { # $1: awk condition on the transaction's end time t
    awk -v from="$from" -v to="$to" "{ t = \$5 + \$6 / 1000000; if ($1) print \$3 }" "$work/all.log" | sort -n > "$work/window"
    local n; n=$(wc -l < "$work/window")
    if (( n == 0 )); then echo "0 - -"; return; fi
    local p50 p99 max
    p50=$(awk -v n="$n" 'NR == int(n * 0.50) + 1 { print $1 / 1000; exit }' "$work/window")
    p99=$(awk -v n="$n" 'NR == int(n * 0.99) + 1 { print $1 / 1000; exit }' "$work/window")
    max=$(tail -n 1 "$work/window" | awk '{ print $1 / 1000 }')
    echo "$n $p50 $p99 $max"
}
read -r before_n before_p50 before_p99 before_max <<<"$(stats 't < from')"
read -r during_n during_p50 during_p99 during_max <<<"$(stats 't >= from && t <= to')"
# The backfill's last progress step in the history: "backfill V done: B batch(es), R row(s) so far of M ...".
progress=$(grep -o '"event":"dev.switchback.migration.backfill-progress","reason":"[^"]*done[^"]*"' <<<"$release" \
    | tail -n 1 | sed -E 's/.*done: ([0-9]+) batch\(es\), ([0-9]+) row.*/\1 \2/')
read -r batches backfilled <<<"${progress:-- -}"
filled=$("${psql_cmd[@]}" -c "SELECT count(*) FROM notes WHERE id <= $max_id AND bench_$stamp = length(body)" 2>/dev/null || echo -)
failed=$(grep -E "number of failed transactions" "$work/pgbench.out" | sed -E 's/[^0-9]*([0-9]+).*/\1/' || echo 0)
aborted=$(grep -c "aborted" "$work/pgbench.out" || true)
window_ms=$(awk -v a="$from" -v b="$to" 'BEGIN { printf "%.0f", (b - a) * 1000 }')

echo
echo "release $id ($version) ended $phase; migration window ${window_ms} ms; backfill: $batches batches, $backfilled rows (rows filled now: $filled of $max_id)"
grep -E "number of transactions actually processed|latency average|tps =|failed" "$work/pgbench.out" || true
echo
echo "| run | rows | clients | batch / pause ms | release | batches | window ms | tx before | p50 / p99 / max before ms | tx during | p50 / p99 / max during ms | failed tx | aborted clients |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
echo "| $(date -u +%Y-%m-%dT%H:%MZ) | $max_id | $clients | $batch / $pause | $phase | $batches | $window_ms | $before_n | $before_p50 / $before_p99 / $before_max | $during_n | $during_p50 / $during_p99 / $during_max | ${failed:-0} | $aborted |"

#!/usr/bin/env bash
# pg-backup through the running function vs bare `pg_dump > /dev/null`, in one run.
#
#   bash bench/pg-backup.sh [--scale N] [--repeat N]
#
# Builds a pgbench database (scale 30 by default, about 450 MB on disk) on the local PostgreSQL
# (127.0.0.1:5432, trust auth), starts the pg-backup function jar, and times, alternately:
#   bare:     pg_dump --dbname=DB > /dev/null
#   function: one inline dev.stowage.backup.requested event (curl) until the reply arrives, into a
#             freshly initialised repository (all data new), then a second request into the same
#             repository (unchanged database: everything deduplicates, as on most nights)
# It also times restic 0.14 reading the same pg_dump from stdin, for reference.
# Prints medians and the ratio function/bare (target ≤ 1.2).
set -euo pipefail
cd "$(dirname "$0")/.."
scale=30
repeat=3
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    *) echo "usage: $0 [--scale N] [--repeat N]" >&2; exit 2 ;;
  esac
done
work=bench/work/pg
db=stowage_bench_pg
port=18181
mkdir -p "$work"
if ! pg_isready -q -h 127.0.0.1; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
fi
command -v restic >/dev/null || { apt-get update -qq && apt-get install -y -qq restic; }
jar=functions/pg-backup/target/pg-backup-exec.jar
[ -f "$jar" ] || ./mvnw -B -q -ntp install -DskipTests -pl functions/pg-backup -am

if [ "$(psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$db'")" != 1 ] \
   || [ "$(cat "$work/scale" 2>/dev/null)" != "$scale" ]; then
  echo "building pgbench database, scale $scale ..."
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  pgbench -h 127.0.0.1 -U postgres -i -q -s "$scale" "$db"
  echo "$scale" > "$work/scale"
fi
size=$(psql -h 127.0.0.1 -U postgres -tAc "SELECT pg_size_pretty(pg_database_size('$db'))")
echo "database $db: $size"

printf 'bench password' > "$work/password"
java ${STOWAGE_JAVA_OPTS:-} -jar "$jar" --server.port=$port > "$work/function.log" 2>&1 &
fn=$!
trap 'kill $fn 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null && break
  sleep 0.5
done

now() { date +%s.%N; }
bare=() function_times=() function_again=() restic_times=() restic_again=()
for i in $(seq 1 "$repeat"); do
  t0=$(now); pg_dump -h 127.0.0.1 -U postgres --dbname="$db" > /dev/null; t1=$(now)
  bare+=("$(echo "$t1 - $t0" | bc)")

  rm -rf "$work/repo-$i"
  # the repository exists before the timed run, as restic's does below (init is not what is measured)
  STOWAGE_PASSWORD_FILE="$PWD/$work/password" bin/stowage init -r "$work/repo-$i" >/dev/null
  body=$(printf '{"repository":{"url":"%s","password":{"file":"%s"}},"postgres":{"host":"127.0.0.1","database":"%s","user":"postgres"},"params":{"backupCMD":"pg_dump"}}' \
    "$PWD/$work/repo-$i" "$PWD/$work/password" "$db")
  t0=$(now)
  reply=$(curl -sf -D "$work/headers-$i" "http://127.0.0.1:$port/" -H 'Ce-Specversion: 1.0' -H "Ce-Id: bench-$i-$$" \
    -H 'Ce-Source: /bench' -H 'Ce-Type: dev.stowage.backup.requested' -H 'Content-Type: application/json' -d "$body")
  t1=$(now)
  grep -qi '^ce-type: dev.stowage.backup.completed' "$work/headers-$i" || { echo "backup failed: $reply" >&2; exit 1; }
  function_times+=("$(echo "$t1 - $t0" | bc)")
  # the next night: same repository, same (unchanged) database, a new request
  t0=$(now)
  curl -sf -o /dev/null -D "$work/headers-$i-b" "http://127.0.0.1:$port/" -H 'Ce-Specversion: 1.0' \
    -H "Ce-Id: bench-$i-b-$$" -H 'Ce-Source: /bench' -H 'Ce-Type: dev.stowage.backup.requested' \
    -H 'Content-Type: application/json' -d "$body"
  t1=$(now)
  grep -qi '^ce-type: dev.stowage.backup.completed' "$work/headers-$i-b" || { echo "second backup failed" >&2; exit 1; }
  function_again+=("$(echo "$t1 - $t0" | bc)")

  rm -rf "$work/restic-$i"
  RESTIC_PASSWORD='bench password' restic -q init -r "$work/restic-$i" >/dev/null
  t0=$(now)
  pg_dump -h 127.0.0.1 -U postgres --dbname="$db" | RESTIC_PASSWORD='bench password' restic -q -r "$work/restic-$i" \
    backup --stdin --stdin-filename dumpfile.sql >/dev/null
  t1=$(now)
  restic_times+=("$(echo "$t1 - $t0" | bc)")
  t0=$(now)
  pg_dump -h 127.0.0.1 -U postgres --dbname="$db" | RESTIC_PASSWORD='bench password' restic -q -r "$work/restic-$i" \
    backup --stdin --stdin-filename dumpfile.sql >/dev/null
  t1=$(now)
  restic_again+=("$(echo "$t1 - $t0" | bc)")
  rm -rf "$work/restic-$i" "$work/repo-$i"
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
b=$(median "${bare[@]}"); f=$(median "${function_times[@]}"); f2=$(median "${function_again[@]}")
r=$(median "${restic_times[@]}"); r2=$(median "${restic_again[@]}")
printf '\n| run (median of %d) | seconds | / bare pg_dump |\n|---|---|---|\n' "$repeat"
printf '| pg_dump > /dev/null | %.2f | 1.00 |\n' "$b"
printf '| pg-backup function, first backup into an empty repository | %.2f | %.2f |\n' "$f" "$(echo "$f / $b" | bc -l)"
printf '| pg-backup function, next backup of the unchanged database | %.2f | %.2f |\n' "$f2" "$(echo "$f2 / $b" | bc -l)"
printf '| restic 0.14 backup --stdin, first backup | %.2f | %.2f |\n' "$r" "$(echo "$r / $b" | bc -l)"
printf '| restic 0.14 backup --stdin, next backup | %.2f | %.2f |\n' "$r2" "$(echo "$r2 / $b" | bc -l)"
printf '\nload average at the end: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"

#!/usr/bin/env bash
# Cold start of the four functions: wall time from process start to the first successful answer
# to a CloudEvent, per function and variant, as medians of alternating runs. See bench/README.md
# ("Cold start").
#
# Usage: bench/cold-start.sh [--runs N] [--functions "pg-backup restore ..."] [--inline] [--no-build]
#                            [--variant LABEL=COMMAND]...
#   --runs N       runs per function and variant (default 7); variants alternate within a run,
#                  in reverse order every other run
#   --variant      replaces the default variants; COMMAND starts one function, {fn} is replaced by
#                  its name; the benchmark appends --server.port and --stowage.kubernetes=true
#   --inline       also time "pg-backup-inline": pg-backup's first reply to an inline backup of a
#                  one-table database (local PostgreSQL, 127.0.0.1:5432, user postgres, trust) into
#                  a new repository: start-up plus a whole first backup (repository creation,
#                  scrypt, pg_dump, the archiver) in a cold JVM
#   --no-build     use the jars and layers as they are
# Default variants:
#   baseline    java -jar functions/{fn}/target/{fn}-exec.jar (java on PATH, Java 17 here), or
#               $BASELINE_JARS/{fn}-exec.jar (e.g. jars built from an earlier commit)
#   optimised   bench/work/cold-start/layers/{fn}/run, the image layout from
#               functions/build-image-layer.sh (JDK 25 at $OPTIMISED_JAVA_HOME, default
#               /usr/lib/jvm/temurin-25-jdk-amd64), rebuilt when older than the exec jar, the
#               training jar or build-image-layer.sh
# Environment: BASELINE_JAVA (default java), BASELINE_JARS.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
work="$root/bench/work/cold-start"
runs=7 functions="pg-backup restore post-backup scheduler" build=1 inline=0
labels=() commands=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --functions) functions="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --inline) inline=1; shift ;;
    --variant) labels+=("${2%%=*}"); commands+=("${2#*=}"); shift 2 ;;
    *) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
optimised_java_home="${OPTIMISED_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [ ${#labels[@]} -eq 0 ]; then
  labels=(baseline optimised)
  baseline_jar="$root/functions/{fn}/target/{fn}-exec.jar"
  if [ -n "${BASELINE_JARS:-}" ]; then baseline_jar="$BASELINE_JARS/{fn}-exec.jar"; fi
  commands=("${BASELINE_JAVA:-java} -jar $baseline_jar" "$work/layers/{fn}/run")
  default_variants=1
fi
mkdir -p "$work/logs"
training_jar="$root/functions/aot-training/target/aot-training.jar"

if [ "$build" = 1 ]; then
  missing=0
  for fn in $functions; do [ -f "$root/functions/$fn/target/$fn-exec.jar" ] || missing=1; done
  if [ "$missing" = 1 ] || [ ! -f "$training_jar" ]; then
    echo "cold-start: building the functions (-Paot)" >&2
    mods="build-tools,functions/aot-training"; for fn in $functions; do mods="$mods,functions/$fn"; done
    (cd "$root" && ./mvnw -B -q -ntp -Paot package -DskipTests -pl "$mods" -am >&2)
  fi
  if [ "${default_variants:-0}" = 1 ]; then
    for fn in $functions; do
      layer="$work/layers/$fn"
      if [ ! -x "$layer/run" ] || [ "$root/functions/$fn/target/$fn-exec.jar" -nt "$layer/run" ] \
         || [ "$root/functions/build-image-layer.sh" -nt "$layer/run" ] || [ "$training_jar" -nt "$layer/run" ]; then
        echo "cold-start: building the image layout of $fn" >&2
        JAVA_HOME="$optimised_java_home" "$root/functions/build-image-layer.sh" "$fn" "$layer" >&2
      fi
    done
  fi
fi

# The stand-in Kubernetes API (from the training jar).
api_port=18643 port=18680
java -jar "$training_jar" fake-api "$api_port" > "$work/logs/fake-api.log" 2>&1 &
api_pid=$!
trap 'kill $api_pid 2>/dev/null || true' EXIT
# fabric8's client finds the API from the environment, as in a pod (no kubeconfig; plain HTTP).
unset KUBECONFIG KUBERNETES_SERVICE_HOST KUBERNETES_SERVICE_PORT
export KUBERNETES_MASTER="http://127.0.0.1:$api_port" KUBERNETES_NAMESPACE=demo KUBERNETES_AUTH_TRYKUBECONFIG=false
for i in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$api_port") 2>/dev/null && break
  sleep 0.1
done
for fn in $functions; do java -jar "$training_jar" event "$fn" > "$work/event-$fn.json"; done
if [ "$inline" = 1 ]; then
  db=stowage_cold_start
  if [ "$(psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$db'")" != 1 ]; then
    psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $db"
    psql -h 127.0.0.1 -U postgres -d "$db" -qc "CREATE TABLE orders (id int PRIMARY KEY, item text)" \
      -c "INSERT INTO orders SELECT g, 'item ' || g FROM generate_series(1, 1000) g"
  fi
  printf 'cold start' > "$work/repo-password"
  functions="$functions pg-backup-inline"
fi

results="$work/results.jsonl"
: > "$results"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
for run in $(seq "$runs"); do
  order=("${!labels[@]}")
  if [ $((run % 2)) = 0 ]; then order=($(printf '%s\n' "${order[@]}" | tac)); fi
  for fn in $functions; do
    for v in "${order[@]}"; do
      event="$work/event-$fn.json"
      if [ "$fn" = pg-backup-inline ]; then
        rm -rf "$work/repo"
        printf '{"headers": {"Ce-Specversion": "1.0", "Ce-Id": "%s", "Ce-Source": "/bench/cold-start", %s}, "body": %s}\n' \
          "$run-${labels[$v]}" '"Ce-Type": "dev.stowage.backup.requested", "Content-Type": "application/json"' \
          "$(printf '{"repository": {"url": "%s", "password": {"file": "%s"}}, "postgres": {"host": "127.0.0.1", "database": "%s", "user": "postgres"}}' \
            "$work/repo" "$work/repo-password" "$db" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))')" > "$event"
      fi
      cmd="${commands[$v]//\{fn\}/${fn%-inline}}"
      # shellcheck disable=SC2086 # the command is words
      line="$(python3 "$root/bench/cold-start-probe.py" --port "$port" --event "$event" \
        --log "$work/logs/$fn-${labels[$v]}-$run.log" -- $cmd --server.port=$port --stowage.kubernetes=true)" || true
      echo "run $run $fn ${labels[$v]}: $line" >&2
      printf '{"run": %d, "function": "%s", "variant": "%s", "load": "%s", "result": %s}\n' \
        "$run" "$fn" "${labels[$v]}" "$(cut -d' ' -f1 /proc/loadavg)" "${line:-null}" >> "$results"
    done
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$results" "$started" "$load_before" "$load_after" "$(nproc)" "${labels[@]}" <<'EOF' | tee "$work/results.md"
import json, statistics, sys
path, started, before, after, cpus, *labels = sys.argv[1:]
rows = [json.loads(l) for l in open(path)]
fns = list(dict.fromkeys(r["function"] for r in rows))
print(f"Cold start, {started}: {cpus} CPUs, load average {before} before, {after} after; "
      f"median (min-max) of {max(r['run'] for r in rows)} runs; 'first reply' is process start to the 2xx answer, "
      "'CPU' the process's CPU time by then, 'Spring' Spring Boot's 'process running for'.\n")
print("| function | " + " | ".join(f"{l} first reply ms | {l} CPU ms | {l} Spring ms" for l in labels) + " |")
print("|---|" + "---:|" * (3 * len(labels)))
def cell(values):
    values = [v for v in values if v is not None]
    if not values:
        return "failed"
    return f"{statistics.median(values):.0f} ({min(values)}-{max(values)})" if len(values) > 1 else f"{values[0]}"
for fn in fns:
    cells = []
    for l in labels:
        rs = [r["result"] or {} for r in rows if r["function"] == fn and r["variant"] == l]
        failed = sum(1 for r in rs if r.get("first_reply_ms") is None)
        cells.append(cell([r.get("first_reply_ms") for r in rs]) + (f", {failed} failed" if failed else ""))
        cells.append(cell([r.get("cpu_ms") for r in rs]))
        cells.append(cell([r.get("jvm_started_ms") for r in rs]))
    print(f"| {fn} | " + " | ".join(cells) + " |")
EOF

#!/usr/bin/env bash
# Stowage vs. restic through the S3 backend, both against the same s3proxy.  See bench/README.md.
#
# usage: bash bench/s3.sh [--scale X] [--regen] [--repeat N] [--storage filesystem|transient]
#
#   --scale X      dataset scale passed to gen-dataset.py (default 1.0 = ~1 GiB)
#   --regen        regenerate the dataset even if bench/work/data exists
#   --repeat N     repeat the init/backup/backup/restore sequence N times per
#                  tool (alternating the order) and report medians (default 1)
#   --storage S    s3proxy's jclouds store: filesystem (default; objects are
#                  files under bench/work/s3-store-<tool>) or transient (in
#                  s3proxy's heap; needs RAM for both repositories)
#
# Environment:
#   STOWAGE   command used as "stowage" (default: $ROOT/bin/stowage), split on whitespace
#   RESTIC    restic binary (default: restic)
#   S3PROXY_JAVA_OPTS   JVM options for s3proxy (default: -Xmx2g)
#   BENCH_VERIFY=content   only compare contents/types/symlinks after restore
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
WORK=$BENCH/work
DATA=$WORK/data
STAMP=$WORK/data.stamp
LOGS=$WORK/s3-logs
RESULTS=$WORK/s3-results.md
CLASSPATH_FILE=$WORK/s3proxy.classpath

SCALE=1.0
REGEN=0
REPEAT=1
STORAGE=filesystem

usage() {
    sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

while [[ $# -gt 0 ]]; do
    case $1 in
        --scale) [[ $# -ge 2 ]] || { echo "s3.sh: --scale needs a value" >&2; exit 2; }; SCALE=$2; shift 2 ;;
        --scale=*) SCALE=${1#--scale=}; shift ;;
        --regen) REGEN=1; shift ;;
        --repeat) [[ $# -ge 2 ]] || { echo "s3.sh: --repeat needs a value" >&2; exit 2; }; REPEAT=$2; shift 2 ;;
        --repeat=*) REPEAT=${1#--repeat=}; shift ;;
        --storage) [[ $# -ge 2 ]] || { echo "s3.sh: --storage needs a value" >&2; exit 2; }; STORAGE=$2; shift 2 ;;
        --storage=*) STORAGE=${1#--storage=}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "s3.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
[[ $REPEAT =~ ^[1-9][0-9]*$ ]] || { echo "s3.sh: --repeat must be a positive integer, got '$REPEAT'" >&2; exit 2; }
[[ $SCALE =~ ^[0-9]*\.?[0-9]+$ ]] || { echo "s3.sh: --scale must be a positive number, got '$SCALE'" >&2; exit 2; }
[[ $STORAGE == filesystem || $STORAGE == transient ]] || { echo "s3.sh: --storage is filesystem or transient" >&2; exit 2; }

STOWAGE=${STOWAGE:-$ROOT/bin/stowage}
read -r -a STOWAGE_CMD <<< "$STOWAGE"
RESTIC=${RESTIC:-restic}
TIME=/usr/bin/time
read -r -a S3PROXY_OPTS <<< "${S3PROXY_JAVA_OPTS:--Xmx2g}"

log() { printf '[s3-bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '\n*** s3 bench FAILED: %s\n\n' "$*" >&2; exit 1; }

command -v "$RESTIC" >/dev/null || die "restic not found (bench/run.sh installs it, or: apt-get install restic)"
[[ -x $TIME ]] || die "GNU time is required at $TIME (apt-get install time)"
command -v python3 >/dev/null || die "python3 is required"
command -v java >/dev/null || die "java is required to run s3proxy"
command -v "${STOWAGE_CMD[0]}" >/dev/null || die "stowage command '${STOWAGE_CMD[0]}' not found"

# --- dataset (shared with run.sh) ---------------------------------------------
mkdir -p "$WORK"
gen_id="scale=$SCALE gen=$(sha256sum "$BENCH/gen-dataset.py" | cut -c1-16)"
if [[ $REGEN -eq 1 || ! -d $DATA || ! -f $STAMP || $(cat "$STAMP") != "$gen_id" ]]; then
    rm -rf "$DATA" "$STAMP"
    log "generating dataset (scale $SCALE) in $DATA"
    python3 "$BENCH/gen-dataset.py" "$DATA" --scale "$SCALE" >&2
    echo "$gen_id" > "$STAMP"
else
    log "reusing dataset $DATA ($gen_id; --regen to force)"
fi
sync
DATA_BYTES=$(du -sb "$DATA" | cut -f1)
DATA_FILES=$(find "$DATA" -type f | wc -l)

# --- s3proxy ------------------------------------------------------------------
# Its runtime classpath comes from the project's own pinned s3proxy test dependency.
pom_id=$(cat "$ROOT/pom.xml" "$ROOT/shared-engine/pom.xml" | sha256sum | cut -c1-16)
if [[ ! -s $CLASSPATH_FILE || ! -f $CLASSPATH_FILE.stamp || $(cat "$CLASSPATH_FILE.stamp") != "$pom_id" ]]; then
    log "resolving s3proxy's classpath with Maven (once)"
    (cd "$ROOT" && ./mvnw -B -q -ntp -pl shared-engine dependency:build-classpath \
        -Dmdep.includeScope=test -Dmdep.outputFile="$CLASSPATH_FILE") >&2 || die "cannot resolve s3proxy's classpath"
    echo "$pom_id" > "$CLASSPATH_FILE.stamp"
fi

ACCESS_KEY=bench-access
SECRET_KEY=bench-secret-key
S3_PID=""
S3_PORT=""

stop_s3proxy() {
    if [[ -n $S3_PID ]]; then
        kill "$S3_PID" 2>/dev/null || true
        wait "$S3_PID" 2>/dev/null || true
        S3_PID=""
    fi
}
trap stop_s3proxy EXIT

# start_s3proxy NAME: serves bench/work/s3-store-NAME (filesystem) on a free port.
start_s3proxy() {
    local name=$1 store=$WORK/s3-store-$1 conf=$WORK/s3proxy-$1.conf
    S3_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    mkdir -p "$store"
    {
        echo "s3proxy.endpoint=http://127.0.0.1:$S3_PORT"
        echo "s3proxy.authorization=aws-v2-or-v4"
        echo "s3proxy.identity=$ACCESS_KEY"
        echo "s3proxy.credential=$SECRET_KEY"
        echo "jclouds.provider=$STORAGE"
        echo "jclouds.identity=unused"
        echo "jclouds.credential=unused"
        echo "jclouds.filesystem.basedir=$store"
    } > "$conf"
    java "${S3PROXY_OPTS[@]}" -cp "$(cat "$CLASSPATH_FILE")" org.gaul.s3proxy.Main --properties "$conf" \
        >"$LOGS/s3proxy-$name.log" 2>&1 &
    S3_PID=$!
    local deadline=$((SECONDS + 60))
    until (exec 3<>"/dev/tcp/127.0.0.1/$S3_PORT") 2>/dev/null; do
        kill -0 "$S3_PID" 2>/dev/null || { cat "$LOGS/s3proxy-$name.log" >&2; die "s3proxy did not start"; }
        (( SECONDS < deadline )) || die "s3proxy did not listen on port $S3_PORT within 60 s"
        sleep 0.2
    done
}

# --- clean state ----------------------------------------------------------------
unset RESTIC_REPOSITORY RESTIC_REPOSITORY_FILE RESTIC_PASSWORD_FILE RESTIC_PASSWORD_COMMAND \
      RESTIC_CACHE_DIR RESTIC_COMPRESSION RESTIC_PACK_SIZE RESTIC_HOST \
      STOWAGE_REPOSITORY STOWAGE_PASSWORD_FILE STOWAGE_PASSWORD_COMMAND AWS_SESSION_TOKEN AWS_PROFILE || true
export RESTIC_PASSWORD=bench STOWAGE_PASSWORD=bench
export AWS_ACCESS_KEY_ID=$ACCESS_KEY AWS_SECRET_ACCESS_KEY=$SECRET_KEY AWS_DEFAULT_REGION=us-east-1
rm -rf "$WORK"/s3-store-* "$WORK"/s3-restore-* "$WORK"/s3-restic-cache "$LOGS" "$RESULTS"
mkdir -p "$LOGS"

log "preflight: ${STOWAGE_CMD[*]} version (untimed)"
STOWAGE_VERSION=$(timeout 900 "${STOWAGE_CMD[@]}" version 2>"$LOGS/stowage-preflight.log" | head -n 1) || STOWAGE_VERSION=""

TIMES=$LOGS/times.tsv   # tool, step, rep, elapsed s, max RSS KiB, user s, sys s
printf 'tool\tstep\trep\tseconds\tmaxrss_kib\tuser_s\tsys_s\n' > "$TIMES"

measure() {
    local tool=$1 step=$2 rep=$3; shift 3
    local name=$tool-$step-r$rep tf=$LOGS/$tool-$step-r$rep.time
    sync
    log "$name: $*"
    if ! "$TIME" -f '%e %M %U %S' -o "$tf" "$@" >"$LOGS/$name.log" 2>&1; then
        tail -n 30 "$LOGS/$name.log" >&2
        die "$name failed: $*"
    fi
    local secs rss usr sys
    read -r secs rss usr sys < <(tail -n 1 "$tf")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$step" "$rep" "$secs" "$rss" "$usr" "$sys" >> "$TIMES"
    log "$name: ${secs}s (user ${usr}s, sys ${sys}s), max RSS $((rss / 1024)) MiB"
}

verify_restore() {
    local tool=$1 rep=$2 target=$3 restored="" cand vlog=$LOGS/$tool-verify-r$rep.log
    for cand in "$target$DATA" "$target/$(basename "$DATA")"; do
        if [[ -d $cand ]]; then restored=$cand; break; fi
    done
    [[ -n $restored ]] || die "$tool restore: $target$DATA does not exist"
    python3 "$BENCH/verify-tree.py" "$DATA" "$restored" >"$vlog" 2>&1 || { cat "$vlog" >&2; die "$tool: RESTORED TREE DIFFERS (kept in $target)"; }
    # kept until the end of the run, as in run.sh: deleting 40,000 files slows the next restore
}

repo_url() { echo "s3:http://127.0.0.1:$S3_PORT/bench-$1"; }

# sequence TOOL REP CMD...: fresh s3proxy store, init, backup, no-change backup, restore, verify.
sequence() {
    local tool=$1 rep=$2; shift 2
    local target=$WORK/s3-restore-$tool-r$rep
    rm -rf "$WORK/s3-store-$tool"
    if [[ $tool == restic ]]; then rm -rf "$WORK/s3-restic-cache"; fi
    # a fresh s3proxy for each sequence, so neither tool meets a server the other warmed up
    start_s3proxy "$tool"
    local repo
    repo=$(repo_url "$tool")
    measure "$tool" init    "$rep" "$@" -r "$repo" init
    find "$DATA" -type f -print0 | xargs -0 cat > /dev/null
    measure "$tool" backup1 "$rep" "$@" -r "$repo" backup "$DATA" --host bench -q
    measure "$tool" backup2 "$rep" "$@" -r "$repo" backup "$DATA" --host bench -q
    measure "$tool" restore "$rep" "$@" -r "$repo" restore latest --target "$target" -q
    verify_restore "$tool" "$rep" "$target"
    if (( rep == REPEAT )); then
        # restic's own check over S3 on each final repository: also proves restic accepts Stowage's
        measure "$tool" check 1 "$RESTIC" --no-cache -r "$repo" check --read-data
        if [[ $STORAGE == filesystem ]]; then SIZE[$tool]=$(du -sb "$WORK/s3-store-$tool" | cut -f1); else SIZE[$tool]=0; fi
    fi
    stop_s3proxy
}

declare -A SIZE
RESTIC_RUN=("$RESTIC" --cache-dir "$WORK/s3-restic-cache")
T0=$(date +%s)
for (( rep = 1; rep <= REPEAT; rep++ )); do
    if (( rep % 2 == 1 )); then order=(restic stowage); else order=(stowage restic); fi
    for tool in "${order[@]}"; do
        if [[ $tool == restic ]]; then sequence restic "$rep" "${RESTIC_RUN[@]}"; else sequence stowage "$rep" "${STOWAGE_CMD[@]}"; fi
    done
done
T1=$(date +%s)

# --- report -----------------------------------------------------------------------
export B_DATE="$(date -u +%Y-%m-%dT%H:%M:%SZ)" B_NPROC="$(nproc)" B_RESTIC="$("$RESTIC" version | head -n 1)" \
       B_STOWAGE="${STOWAGE_VERSION:-unknown}" B_GIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none)" \
       B_SCALE="$SCALE" B_WALL=$((T1 - T0)) B_DATA_BYTES="$DATA_BYTES" B_DATA_FILES="$DATA_FILES" \
       B_REPEAT="$REPEAT" B_STORAGE="$STORAGE" B_restic_size="${SIZE[restic]}" B_stowage_size="${SIZE[stowage]}"
python3 - "$RESULTS" "$TIMES" <<'PY'
import csv, os, statistics, sys
e = os.environ
MiB = 1024 * 1024
runs = {}
with open(sys.argv[2]) as fh:
    for r in csv.DictReader(fh, delimiter="\t"):
        runs.setdefault((r["tool"], r["step"]), []).append((int(r["rep"]), float(r["seconds"]), int(r["maxrss_kib"])))
med = lambda tool, step: statistics.median(x[1] for x in runs[(tool, step)])
rows = []
for label, step in (("Initial backup time (s)", "backup1"), ("No-change backup time (s)", "backup2"),
                    ("Restore time (s)", "restore"), ("`restic check --read-data` time (s)", "check")):
    if ("restic", step) in runs:
        r, s = med("restic", step), med("stowage", step)
        rows.append((label, f"{r:.2f}", f"{s:.2f}", f"{max(r, .01) / max(s, .01):.2f}×"))
peak = lambda tool: max(x[2] for st in ("backup1", "backup2", "restore") for x in runs[(tool, st)]) / 1024
rows.append(("Peak RSS, backups+restore (MiB)", f"{peak('restic'):.0f}", f"{peak('stowage'):.0f}",
             f"{peak('stowage') / peak('restic'):.2f}×"))
rs, ss = int(e["B_restic_size"]), int(e["B_stowage_size"])
if rs:
    rows.append(("Stored size (MiB, du -sb of the store)", f"{rs / MiB:.1f}", f"{ss / MiB:.1f}", f"{ss / rs:.3f}×"))
head = ("Metric", "restic", "stowage", "ratio")
w = [max(len(str(x[i])) for x in [head] + rows) for i in range(4)]
line = lambda row: "| " + " | ".join(str(c).ljust(w[i]) for i, c in enumerate(row)) + " |"
out = [f"# Stowage vs. restic over S3 (s3proxy, {e['B_STORAGE']} store) ({e['B_DATE']})", "",
       f"- {e['B_NPROC']} CPUs; restic: {e['B_RESTIC']}; stowage: {e['B_STOWAGE']} (git {e['B_GIT']})",
       f"- dataset: scale {e['B_SCALE']}, {int(e['B_DATA_FILES'])} files, {int(e['B_DATA_BYTES']) / MiB:.1f} MiB",
       f"- repetitions: {e['B_REPEAT']}" + (" (medians)" if int(e["B_REPEAT"]) > 1 else "") + f"; total wall time {e['B_WALL']} s",
       "", line(head), "|" + "|".join("-" * (x + 2) for x in w) + "|"] + [line(r) for r in rows] + [
       "", "Time ratios are restic time / stowage time (> 1: Stowage is faster);",
       "RSS and size ratios are stowage / restic (< 1: Stowage uses less). s3proxy runs on the same",
       "machine and is not counted in RSS; it competes with the tool for the CPUs."]
if int(e["B_REPEAT"]) > 1:
    out += ["", "Individual repetitions (s):", ""]
    for tool in ("restic", "stowage"):
        for st in ("backup1", "backup2", "restore"):
            out.append(f"- {tool} {st}: " + ", ".join(f"{x[1]:.2f}" for x in sorted(runs[(tool, st)])))
text = "\n".join(out) + "\n"
open(sys.argv[1], "w").write(text)
print()
print(text)
PY
rm -rf "$WORK"/s3-restore-*
log "results written to $RESULTS (logs in $LOGS)"

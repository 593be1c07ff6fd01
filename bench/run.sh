#!/usr/bin/env bash
# Stowage vs. restic benchmark.  See bench/README.md.
#
# usage: bash bench/run.sh [--scale X] [--regen] [--repeat N]
#
#   --scale X    dataset scale passed to gen-dataset.py (default 1.0 = ~1 GiB)
#   --regen      regenerate the dataset even if bench/work/data exists
#   --repeat N   repeat the init/backup/backup/restore sequence N times per
#                tool (alternating the order) and report medians (default 1)
#
# Environment:
#   STOWAGE   command used as "stowage" (default: $ROOT/bin/stowage); split on
#             whitespace, e.g. STOWAGE=restic runs restic against itself
#             (useful to test this script before Stowage exists).
#   RESTIC    restic binary (default: restic)
#   BENCH_VERIFY=content   only compare file contents/types/symlinks after
#             restore (default also compares modes, mtimes and hard links).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
WORK=$BENCH/work
DATA=$WORK/data
LOGS=$WORK/logs
STAMP=$WORK/data.stamp
RESULTS=$WORK/results.md

SCALE=1.0
REGEN=0
REPEAT=1

usage() {
    sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

while [[ $# -gt 0 ]]; do
    case $1 in
        --scale) [[ $# -ge 2 ]] || { echo "run.sh: --scale needs a value" >&2; exit 2; }
                 SCALE=$2; shift 2 ;;
        --scale=*) SCALE=${1#--scale=}; shift ;;
        --regen) REGEN=1; shift ;;
        --repeat) [[ $# -ge 2 ]] || { echo "run.sh: --repeat needs a value" >&2; exit 2; }
                  REPEAT=$2; shift 2 ;;
        --repeat=*) REPEAT=${1#--repeat=}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
if ! [[ $REPEAT =~ ^[1-9][0-9]*$ ]]; then
    echo "run.sh: --repeat must be a positive integer, got '$REPEAT'" >&2
    exit 2
fi
if ! [[ $SCALE =~ ^[0-9]*\.?[0-9]+$ ]]; then
    echo "run.sh: --scale must be a positive number, got '$SCALE'" >&2
    exit 2
fi

STOWAGE=${STOWAGE:-$ROOT/bin/stowage}
read -r -a STOWAGE_CMD <<< "$STOWAGE"
RESTIC=${RESTIC:-restic}
TIME=/usr/bin/time

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '\n*** bench FAILED: %s\n\n' "$*" >&2; exit 1; }

# --- prerequisites ----------------------------------------------------------
apt_install() {
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null || die "need to install $* but not root and no sudo"
        sudo=(sudo)
    fi
    log "installing $* via apt-get"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "$@" >/dev/null
}
if ! command -v "$RESTIC" >/dev/null; then
    [[ $RESTIC == restic ]] || die "RESTIC=$RESTIC not found"
    apt_install restic
fi
[[ -x $TIME ]] || apt_install time
command -v python3 >/dev/null || die "python3 is required"
command -v "${STOWAGE_CMD[0]}" >/dev/null \
    || die "stowage command '${STOWAGE_CMD[0]}' not found or not executable (build it, or set STOWAGE=...)"

# --- dataset ----------------------------------------------------------------
mkdir -p "$WORK"
gen_id="scale=$SCALE gen=$(sha256sum "$BENCH/gen-dataset.py" | cut -c1-16)"
if [[ $REGEN -eq 1 || ! -d $DATA || ! -f $STAMP || $(cat "$STAMP") != "$gen_id" ]]; then
    if [[ -d $DATA && $REGEN -eq 0 ]]; then
        log "existing dataset does not match ($gen_id), regenerating"
    fi
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
DATA_DIRS=$(find "$DATA" -type d | wc -l)

# --- clean state ------------------------------------------------------------
unset RESTIC_REPOSITORY RESTIC_REPOSITORY_FILE RESTIC_PASSWORD_FILE RESTIC_PASSWORD_COMMAND \
      RESTIC_CACHE_DIR RESTIC_COMPRESSION RESTIC_PACK_SIZE RESTIC_HOST \
      STOWAGE_REPOSITORY STOWAGE_PASSWORD_FILE STOWAGE_PASSWORD_COMMAND || true
export RESTIC_PASSWORD=bench STOWAGE_PASSWORD=bench
rm -rf "$WORK"/repo-restic "$WORK"/repo-stowage "$WORK"/restore-* "$WORK"/restic-cache "$LOGS" "$RESULTS"
mkdir -p "$LOGS"

# Untimed preflight: bin/stowage builds the CLI on first use (or when sources
# changed), which must not be charged to a timed command.
log "preflight: ${STOWAGE_CMD[*]} version (untimed)"
if STOWAGE_VERSION=$(timeout 900 "${STOWAGE_CMD[@]}" version 2>"$LOGS/stowage-preflight.log" | head -n 1); then
    log "stowage: ${STOWAGE_VERSION:-?}"
else
    STOWAGE_VERSION=""
    log "warning: '${STOWAGE_CMD[*]} version' failed (see $LOGS/stowage-preflight.log); continuing"
fi

TIMES=$LOGS/times.tsv   # tool, step, rep, elapsed s, max RSS KiB, user s, sys s
printf 'tool\tstep\trep\tseconds\tmaxrss_kib\tuser_s\tsys_s\n' > "$TIMES"
declare -A SIZE

# measure TOOL STEP REP CMD...: run CMD under /usr/bin/time (output to
# $LOGS/TOOL-STEP-rREP.log) and append elapsed seconds and max RSS to $TIMES.
measure() {
    local tool=$1 step=$2 rep=$3; shift 3
    local name=$tool-$step-r$rep
    local tf=$LOGS/$name.time
    sync
    log "$name: $*"
    if ! "$TIME" -f '%e %M %U %S' -o "$tf" "$@" >"$LOGS/$name.log" 2>&1; then
        echo "----- last lines of $LOGS/$name.log -----" >&2
        tail -n 30 "$LOGS/$name.log" >&2
        die "$name failed: $*"
    fi
    local secs rss usr sys
    read -r secs rss usr sys < <(tail -n 1 "$tf")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$step" "$rep" "$secs" "$rss" "$usr" "$sys" >> "$TIMES"
    log "$name: ${secs}s (user ${usr}s, sys ${sys}s), max RSS $((rss / 1024)) MiB"
}

warmup() {
    log "warm-up: reading dataset into page cache"
    find "$DATA" -type f -print0 | xargs -0 cat > /dev/null
}

verify_restore() {
    local tool=$1 rep=$2 target=$3 restored=""
    local cand vlog=$LOGS/$tool-verify-r$rep.log
    for cand in "$target$DATA" "$target/$(basename "$DATA")"; do
        if [[ -d $cand ]]; then restored=$cand; break; fi
    done
    [[ -n $restored ]] || die "$tool restore: neither $target$DATA nor $target/$(basename "$DATA") exists"
    log "$tool: verifying restored tree $restored"
    if ! python3 "$BENCH/verify-tree.py" "$DATA" "$restored" >"$vlog" 2>&1; then
        cat "$vlog" >&2
        die "$tool: RESTORED TREE DIFFERS FROM SOURCE (kept in $target)"
    fi
    cat "$vlog" >&2
    # Restored trees stay until the end of the run: ext4 without a journal (as on the VMs this
    # was measured on) skips inodes deleted in the last 60 s (360 s while their table block is
    # dirty) when it allocates new ones, testing each one it skips, so deleting 40,000 files
    # made the next restore's file creations several seconds slower, and that was always the
    # other tool's restore.
}

# sequence TOOL REP CMD...: fresh repository, init, backup, no-change backup,
# restore, verify.
sequence() {
    local tool=$1 rep=$2; shift 2
    local repo=$WORK/repo-$tool target=$WORK/restore-$tool-r$rep
    rm -rf "$repo"
    if [[ $tool == restic ]]; then rm -rf "$WORK/restic-cache"; fi
    sync
    measure "$tool" init    "$rep" "$@" -r "$repo" init
    warmup
    measure "$tool" backup1 "$rep" "$@" -r "$repo" backup "$DATA" --host bench -q
    measure "$tool" backup2 "$rep" "$@" -r "$repo" backup "$DATA" --host bench -q
    measure "$tool" restore "$rep" "$@" -r "$repo" restore latest --target "$target" -q
    verify_restore "$tool" "$rep" "$target"
}

RESTIC_RUN=("$RESTIC" --cache-dir "$WORK/restic-cache")
T0=$(date +%s)
log "restic: $("$RESTIC" version)"
for (( rep = 1; rep <= REPEAT; rep++ )); do
    # alternate the order between repetitions to cancel order effects
    if (( rep % 2 == 1 )); then order=(restic stowage); else order=(stowage restic); fi
    for tool in "${order[@]}"; do
        if [[ $tool == restic ]]; then
            sequence restic "$rep" "${RESTIC_RUN[@]}"
        else
            sequence stowage "$rep" "${STOWAGE_CMD[@]}"
        fi
    done
done
# Stowage has no check command yet: restic checks both (final) repositories,
# which also validates that Stowage writes a repository restic accepts.
for tool in restic stowage; do
    measure "$tool" check 1 "${RESTIC_RUN[@]}" -r "$WORK/repo-$tool" check --read-data
    SIZE[$tool]=$(du -sb "$WORK/repo-$tool" | cut -f1)
done
T1=$(date +%s)

# --- report -----------------------------------------------------------------
GIT_REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "none")
if [[ -n $(git -C "$ROOT" status --porcelain 2>/dev/null | head -n 1) ]]; then GIT_REV="$GIT_REV (dirty)"; fi

export B_DATE="$(date -u +%Y-%m-%dT%H:%M:%SZ)" B_HOST="$(uname -n)" \
       B_CPU="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" \
       B_NPROC="$(nproc)" B_MEM="$(free -m | awk '/^Mem:/{print $2}')" \
       B_RESTIC="$("$RESTIC" version | head -n 1)" B_STOWAGE="${STOWAGE_VERSION:-unknown}" \
       B_STOWAGE_CMD="$STOWAGE" B_GIT="$GIT_REV" B_SCALE="$SCALE" B_WALL=$((T1 - T0)) \
       B_DATA_BYTES="$DATA_BYTES" B_DATA_FILES="$DATA_FILES" B_DATA_DIRS="$DATA_DIRS"
export B_REPEAT="$REPEAT" B_restic_size="${SIZE[restic]}" B_stowage_size="${SIZE[stowage]}"

python3 - "$RESULTS" "$TIMES" <<'PY'
import csv, os, statistics, sys
e = os.environ
MiB = 1024 * 1024
runs = {}  # (tool, step) -> [(rep, secs, rss_kib)]
with open(sys.argv[2]) as fh:
    for r in csv.DictReader(fh, delimiter="\t"):
        runs.setdefault((r["tool"], r["step"]), []).append(
            (int(r["rep"]), float(r["seconds"]), int(r["maxrss_kib"])))
def med(tool, step): return statistics.median(x[1] for x in runs[(tool, step)])
def peak_rss(tool):
    return max(x[2] for st in ("backup1", "backup2", "restore") for x in runs[(tool, st)])

rows = []
def speed(label, step, target):
    r, s = med("restic", step), med("stowage", step)
    ratio = max(r, 0.01) / max(s, 0.01)
    rows.append((label, f"{r:.2f}", f"{s:.2f}", f"{ratio:.2f}×",
                 "—" if target is None else f"≥ {target:.2f}×",
                 None if target is None else ratio >= target))
def smaller(label, rv, sv, fmt, target, digits):
    ratio = sv / rv if rv else float("inf")
    rows.append((label, fmt(rv), fmt(sv), f"{ratio:.{digits}f}×", f"≤ {target:.2f}×", ratio <= target))
speed("Initial backup time (s)", "backup1", 2.0)
speed("No-change backup time (s)", "backup2", 1.0)
speed("Restore time (s)", "restore", 1.5)
speed("`restic check --read-data` time (s)", "check", None)
smaller("Peak RSS, backups+restore (MiB)", peak_rss("restic") / 1024, peak_rss("stowage") / 1024,
        lambda v: f"{v:.0f}", 2.0, 2)
smaller("Repository size (MiB, du -sb)", int(e["B_restic_size"]) / MiB, int(e["B_stowage_size"]) / MiB,
        lambda v: f"{v:.1f}", 1.02, 3)

def render(head, body):
    w = [max(len(str(row[i])) for row in [head] + body) for i in range(len(head))]
    line = lambda row: "| " + " | ".join(str(c).ljust(w[i]) for i, c in enumerate(row)) + " |"
    return [line(head), "|" + "|".join("-" * (x + 2) for x in w) + "|"] + [line(r) for r in body]

head = ("Metric", "restic", "stowage", "ratio", "target", "status")
body = [r[:5] + ({True: "PASS", False: "MISS", None: ""}[r[5]],) for r in rows]
met = sum(1 for r in rows if r[5]); total = sum(1 for r in rows if r[5] is not None)
repeat = int(e["B_REPEAT"])

out = [
    f"# Stowage vs. restic benchmark ({e['B_DATE']})",
    "",
    f"- machine: {e['B_HOST']}, {e['B_CPU']}, {e['B_NPROC']} CPUs, {e['B_MEM']} MiB RAM",
    f"- restic: {e['B_RESTIC']}",
    f"- stowage: {e['B_STOWAGE']} (command: `{e['B_STOWAGE_CMD']}`, git {e['B_GIT']})",
    f"- dataset: scale {e['B_SCALE']}, {int(e['B_DATA_FILES'])} files, {int(e['B_DATA_DIRS'])} directories, "
    f"{int(e['B_DATA_BYTES'])} bytes ({int(e['B_DATA_BYTES']) / MiB:.1f} MiB)",
    f"- repetitions: {repeat}" + (" (times are medians)" if repeat > 1 else "")
    + f"; total wall time {e['B_WALL']} s",
    "",
] + render(head, body) + [
    "",
    f"Targets met: {met}/{total}.",
    "",
    "Time ratios are speed ratios (restic time / stowage time; > 1 means Stowage is faster).",
    "RSS and size ratios are stowage / restic (< 1 means Stowage uses less).",
    "Peak RSS is the maximum over both backups and the restore. `check --read-data` is",
    "restic's own check run on each final repository (it validates Stowage's repository format too).",
    "Numbers are machine-dependent; compare ratios, not absolute times.",
]
if repeat > 1:
    raw = []
    for tool in ("restic", "stowage"):
        for st in ("backup1", "backup2", "restore"):
            xs = sorted(runs[(tool, st)])
            raw.append((tool, st) + tuple(f"{x[1]:.2f}" for x in xs))
    out += ["", "Individual repetitions (s):", ""] + render(
        ("tool", "step") + tuple(f"#{i}" for i in range(1, repeat + 1)), raw)
text = "\n".join(out) + "\n"
with open(sys.argv[1], "w") as fh:
    fh.write(text)
print()
print(text)
PY
rm -rf "$WORK"/restore-*
log "results written to $RESULTS (logs in $LOGS)"

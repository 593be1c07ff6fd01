#!/usr/bin/env bash
# forget + prune on a repository with many snapshots: Stowage vs restic 0.14, in one run.
# Usage: bash bench/maintenance.sh [SNAPSHOTS]   (default 60)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-60}"
work="$root/bench/work/maint"
stowage="${STOWAGE:-$root/bin/stowage}"
command -v restic >/dev/null || { apt-get update -qq && apt-get install -y -qq restic >/dev/null; }
rm -rf "$work" && mkdir -p "$work/src"
export RESTIC_PASSWORD=bench STOWAGE_PASSWORD=bench
"$stowage" version >/dev/null # builds the CLI if needed, untimed

python3 - "$work/src" <<'PY'
import os, random, sys
d = sys.argv[1]; r = random.Random(1)
for i in range(300):
    with open(os.path.join(d, f"f{i:03}.txt"), "w") as f:
        f.write("".join(r.choice("abcdefgh \n") for _ in range(r.randint(100, 4000))))
PY
restic -q --no-cache -r "$work/restic" init
"$stowage" -q -r "$work/stowage" init
# one snapshot a day; each day changes a file and adds 200 KiB of new data
for i in $(seq 1 "$n"); do
  day=$(date -u -d "2026-01-01 + $i days" '+%Y-%m-%d 12:00:00')
  head -c 204800 /dev/urandom > "$work/src/new-$i.bin"
  echo "day $i" >> "$work/src/f000.txt"
  rm -f "$work/src/new-$((i - 3)).bin"
  restic -q --no-cache -r "$work/restic" backup "$work/src" --host bench --time "$day" >/dev/null
  "$stowage" -q -r "$work/stowage" backup "$work/src" --host bench --time "$day" >/dev/null
done
policy=(--keep-last 5 --keep-weekly 4 --keep-monthly 2)
t() { /usr/bin/time -f '%e' "$@" 2>&1 >/dev/null | tail -n 1; }
r=$(t restic -q --no-cache -r "$work/restic" forget "${policy[@]}" --prune)
s=$(t "$stowage" -q -r "$work/stowage" forget "${policy[@]}" --prune)
rc=$(restic --no-cache -r "$work/restic" snapshots --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
sc=$(restic --no-cache -r "$work/stowage" snapshots --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
restic -q --no-cache -r "$work/stowage" check --read-data >/dev/null
ratio=$(python3 -c "print(f'{$r / $s:.2f}')")
cat <<OUT
| forget + prune of $n daily snapshots | restic | stowage | speed ratio (restic/stowage) |
|---|---|---|---|
| wall time (s) | $r | $s | ${ratio}× |
| snapshots kept | $rc | $sc | |
| repository size after (MiB) | $(du -sm "$work/restic" | cut -f1) | $(du -sm "$work/stowage" | cut -f1) | |
(restic check --read-data passed on Stowage's repository afterwards)
OUT

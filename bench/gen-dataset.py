#!/usr/bin/env python3
"""Deterministic benchmark dataset generator for Stowage vs. restic.

Usage:
    python3 bench/gen-dataset.py TARGET_DIR [--scale 1.0] [--seed N]

At --scale 1.0 it writes about 1 GiB:
  * ~40,000 small files (0-32 KiB, log-normal size distribution, ~3% empty)
    spread over ~300 nested directories; about 60% text-like (compressible),
    40% pseudo-random (incompressible); plus a few symlinks (one dangling)
    and a few hard links,
  * big/random.bin  ~400 MiB of pseudo-random bytes (incompressible),
  * big/app.log     ~300 MiB of log-like text lines (compressible).

--scale multiplies the number of small files/directories/links and the size
of the two large files, so the total is roughly scale * 1 GiB (small file
sizes keep the same distribution).

Everything is deterministic: structure decisions come from random.Random(seed)
(only random(), randrange(), choice() and normalvariate() are used), bulk
bytes come from SHAKE-256 in counter mode keyed by (seed, purpose, index), and
all mtimes/atimes/permissions are fixed.  Running twice with the same
arguments produces byte-identical trees with identical metadata (except
inode numbers / ctimes, which cannot be controlled).

Standard library only.
"""

import argparse
import hashlib
import math
import os
import random
import struct
import sys
import time

KIB = 1024
MIB = 1024 * KIB

# Sizes/counts at scale 1.0
N_SMALL_FILES = 40_000
N_DIRS = 300
N_SYMLINKS = 8
N_HARDLINKS = 6
BIG_RANDOM_SIZE = 400 * MIB
BIG_LOG_SIZE = 300 * MIB
SMALL_MAX = 32 * KIB

BASE_MTIME = 1_700_000_000  # 2023-11-14T22:13:20Z
CHUNK = 4 * MIB

WORDS = (
    "the of and to in is that for it as was with be by on not he this are or "
    "his from at which but have an they you were her she there been one all "
    "would their we him when who will more no if out so said what up its "
    "about into than them can only other new some could time these two may "
    "then do first any my now such like our over man me even most made after "
    "also did many before must through back years where much your way well "
    "down should because each just those people how too little state good "
    "very make world still own see men work long get here between both life "
    "being under never day same another know while last might us great old "
    "year off come since against go came right used take three"
).split()

CODE_WORDS = (
    "int long void return if else for while static final public private "
    "class struct const char bool true false null nil self this new delete "
    "import package func def let var try catch throw throws async await "
    "buffer size index count value result error config context handler "
    "request response stream reader writer path file node tree blob pack "
    "snapshot repository chunk hash key data offset length flags mode"
).split()

DIR_NAMES = (
    "src lib docs test tests assets images img photos music video build "
    "cache config etc share include bin data logs tmp archive backup notes "
    "projects work home users scripts vendor third_party modules pkg cmd "
    "internal api web static templates fonts css js res raw out reports"
).split()

TEXT_EXTS = ("txt", "md", "c", "h", "java", "py", "go", "rs", "json", "xml",
             "html", "csv", "conf", "yaml", "log", "sh")
BIN_EXTS = ("jpg", "png", "gz", "zip", "bin", "dat", "mp3", "pdf", "xz", "o")

LEVELS = ("INFO", "INFO", "INFO", "INFO", "DEBUG", "DEBUG", "WARN", "ERROR")
COMPONENTS = ("http.server", "db.pool", "cache", "auth", "scheduler",
              "storage.s3", "worker", "api.v1", "metrics", "gc")
METHODS = ("GET", "GET", "GET", "POST", "PUT", "DELETE")
ROUTES = ("/api/v1/items/", "/api/v1/users/", "/static/img/", "/healthz?n=",
          "/api/v2/orders/", "/login?session=")
STATUSES = ("200", "200", "200", "200", "201", "204", "304", "404", "500")
MESSAGES = (
    "connection acquired from pool size={a} idle={b}",
    "cache miss for key user:{a}:profile, loading from backend",
    "cache hit for key item:{a}",
    "scheduled job compact-{b} finished in {a}ms",
    "slow query detected: SELECT * FROM orders WHERE id={a} took {b}ms",
    "retrying upload of part {b} (attempt {c}) after timeout",
    "token refreshed for client {a}",
    "heap usage {a}MiB of {b}MiB, triggering collection",
)


def shake_stream(seed, purpose, index, size):
    """Deterministic pseudo-random bytes: SHAKE-256(seed|purpose|index|block)."""
    out = []
    done = 0
    block = 0
    while done < size:
        n = min(CHUNK, size - done)
        key = f"{seed}/{purpose}/{index}/{block}".encode()
        out.append(hashlib.shake_256(key).digest(n))
        done += n
        block += 1
    return b"".join(out)


def write_random_file(path, seed, purpose, size):
    with open(path, "wb") as f:
        block = 0
        left = size
        while left > 0:
            n = min(CHUNK, left)
            key = f"{seed}/{purpose}/0/{block}".encode()
            f.write(hashlib.shake_256(key).digest(n))
            left -= n
            block += 1


def make_text_pool(rng, size):
    """A few MiB of mixed prose / code / csv-ish lines to slice text files from."""
    parts = []
    total = 0
    choice = rng.choice
    rnd = rng.random
    randrange = rng.randrange
    while total < size:
        r = rnd()
        if r < 0.45:  # prose
            n = randrange(6, 18)
            line = " ".join(choice(WORDS) for _ in range(n)).capitalize() + ".\n"
        elif r < 0.80:  # code-like
            indent = "    " * randrange(0, 4)
            a, b, c = choice(CODE_WORDS), choice(CODE_WORDS), choice(CODE_WORDS)
            k = randrange(4)
            if k == 0:
                line = f"{indent}{a} {b}_{c} = {randrange(10000)};\n"
            elif k == 1:
                line = f"{indent}if ({b} != {c}) {{ return {a}({randrange(256)}); }}\n"
            elif k == 2:
                line = f"{indent}// {' '.join(choice(WORDS) for _ in range(randrange(3, 10)))}\n"
            else:
                line = f"{indent}{a}.{b}({c}, {randrange(1 << 16)});\n"
        else:  # csv / json-ish records
            if rnd() < 0.5:
                line = (f"{randrange(1 << 20)},{choice(WORDS)},{choice(CODE_WORDS)},"
                        f"{randrange(100000) / 100:.2f},{randrange(2)}\n")
            else:
                line = (f'{{"id": {randrange(1 << 24)}, "name": "{choice(WORDS)}_{choice(WORDS)}", '
                        f'"{choice(CODE_WORDS)}": {randrange(1000)}}}\n')
        parts.append(line)
        total += len(line)
    return "".join(parts).encode()[:size]


def small_file_size(rng):
    """0-32 KiB, clipped log-normal (median ~6 KiB, mean ~8.4 KiB), ~3% empty."""
    if rng.random() < 0.03:
        return 0
    while True:
        s = int(math.exp(rng.normalvariate(math.log(7500), 1.2)))
        if s <= SMALL_MAX:
            return max(1, s)


def build_dirs(rng, root, n_dirs):
    """Return list of relative directory paths ('' is root)."""
    dirs = [""]
    depth = {"": 0}
    used = {"": set()}
    while len(dirs) < n_dirs + 1:
        # random recursive tree: uniform parent choice gives depth ~ log(n)
        parent = dirs[rng.randrange(len(dirs))]
        if depth[parent] >= 7:
            continue
        name = rng.choice(DIR_NAMES)
        if name in used[parent]:
            name = f"{name}-{rng.randrange(1000)}"
            if name in used[parent]:
                continue
        used[parent].add(name)
        rel = os.path.join(parent, name) if parent else name
        dirs.append(rel)
        depth[rel] = depth[parent] + 1
        used[rel] = set()
    for d in dirs[1:]:
        os.mkdir(os.path.join(root, d))
    return dirs


def write_log_file(path, seed, size):
    """Log-like text: unique timestamps + request ids, repetitive prefixes/messages.

    Per-line randomness comes from a SHAKE-256 stream (one 64-bit word per
    line) so the 3 million lines at scale 1.0 are produced in a few seconds.
    """
    rng = random.Random(f"{seed}/biglog")
    choice = rng.choice
    randrange = rng.randrange
    prefixes = [f" {lvl:<5} [worker-{w}] {comp}: "
                for lvl in LEVELS for comp in COMPONENTS for w in range(16)]
    msgs = []
    for _ in range(4096):
        if randrange(2) == 0:
            msgs.append(f"{choice(METHODS)} {choice(ROUTES)}{randrange(100000)} "
                        f"{choice(STATUSES)} {randrange(100, 90000)}B "
                        f"{randrange(1, 5000) / 10:.1f}ms")
        else:
            msgs.append(choice(MESSAGES).format(a=randrange(1, 10000), b=randrange(1, 500),
                                                c=randrange(1, 6)))
    n_prefixes = len(prefixes)
    ts = BASE_MTIME * 1000  # milliseconds
    last_sec = -1
    sec_stamp = ""
    written = 0
    block = 0
    with open(path, "wb") as f:
        while written < size:
            # ~1 MiB of text per block (avg line ~95 bytes)
            words = hashlib.shake_256(f"{seed}/biglog/{block}".encode()).digest(8 * 11000)
            block += 1
            lines = []
            for (x,) in struct.iter_unpack("<Q", words):
                ts += x & 63
                sec = ts // 1000
                if sec != last_sec:
                    last_sec = sec
                    tm = time.gmtime(sec)
                    sec_stamp = (f"{tm.tm_year:04d}-{tm.tm_mon:02d}-{tm.tm_mday:02d}T"
                                 f"{tm.tm_hour:02d}:{tm.tm_min:02d}:{tm.tm_sec:02d}")
                lines.append(f"{sec_stamp}.{ts % 1000:03d}Z{prefixes[(x >> 6) % n_prefixes]}"
                             f"{msgs[(x >> 24) & 4095]} rid={(x >> 36) & 0xffffff:06x}\n")
            data = "".join(lines).encode()
            if written + len(data) >= size:
                data = data[: size - written - 1] + b"\n"
            f.write(data)
            written += len(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("target", help="directory to create (must not exist or be empty)")
    ap.add_argument("--scale", type=float, default=1.0,
                    help="multiply counts and large file sizes (default 1.0 ~ 1 GiB)")
    ap.add_argument("--seed", type=int, default=20240501, help="PRNG seed")
    args = ap.parse_args()
    if args.scale <= 0:
        ap.error("--scale must be > 0")

    t0 = time.monotonic()
    root = args.target
    if os.path.exists(root):
        if not os.path.isdir(root) or os.listdir(root):
            sys.exit(f"gen-dataset: {root} exists and is not an empty directory")
    else:
        os.makedirs(root)

    scale = args.scale
    seed = args.seed
    rng = random.Random(seed)

    n_files = max(1, round(N_SMALL_FILES * scale))
    n_dirs = max(3, round(N_DIRS * scale))
    n_symlinks = max(2, round(N_SYMLINKS * scale))
    n_hardlinks = max(2, round(N_HARDLINKS * scale))
    big_random = int(BIG_RANDOM_SIZE * scale)
    big_log = int(BIG_LOG_SIZE * scale)

    dirs = build_dirs(rng, root, n_dirs)
    # skewed file distribution over directories (a few "busy" directories)
    weights = [rng.random() ** 3 + 0.01 for _ in dirs]
    cum = []
    acc = 0.0
    for w in weights:
        acc += w
        cum.append(acc)

    def pick_dir():
        x = rng.random() * acc
        lo, hi = 0, len(cum) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if cum[mid] < x:
                lo = mid + 1
            else:
                hi = mid
        return dirs[lo]

    pool = make_text_pool(rng, 8 * MIB)
    pool_len = len(pool)

    total_bytes = 0
    n_regular = 0
    n_empty = 0
    files = []  # (relpath, mtime)
    used_names = {}
    for i in range(n_files):
        d = pick_dir()
        size = small_file_size(rng)
        is_text = rng.random() < 0.6
        ext = rng.choice(TEXT_EXTS if is_text else BIN_EXTS)
        base = rng.choice(WORDS if is_text else CODE_WORDS)
        name = f"{base}_{i:05d}.{ext}"
        rel = os.path.join(d, name) if d else name
        if size == 0:
            data = b""
            n_empty += 1
        elif is_text:
            header = f"# {rel} ({i})\n".encode()
            body_len = max(0, size - len(header))
            off = rng.randrange(pool_len - body_len) if body_len < pool_len else 0
            data = (header + pool[off:off + body_len])[:size]
        else:
            data = hashlib.shake_256(f"{seed}/small/{i}".encode()).digest(size)
        path = os.path.join(root, rel)
        with open(path, "wb") as f:
            f.write(data)
        r = rng.random()
        mode = 0o755 if ext == "sh" else (0o600 if r < 0.1 else 0o644)
        os.chmod(path, mode)
        mtime = BASE_MTIME - rng.randrange(0, 3 * 365 * 86400)
        files.append((rel, mtime))
        used_names.setdefault(d, set()).add(name)
        total_bytes += size
        n_regular += 1

    # large files
    big_dir = os.path.join(root, "big")
    os.mkdir(big_dir)
    write_random_file(os.path.join(big_dir, "random.bin"), seed, "bigrandom", big_random)
    write_log_file(os.path.join(big_dir, "app.log"), seed, big_log)
    for name in ("random.bin", "app.log"):
        os.chmod(os.path.join(big_dir, name), 0o644)
        files.append((os.path.join("big", name), BASE_MTIME - 3600))
    total_bytes += big_random + big_log
    n_regular += 2

    # hard links (additional names for existing small files, other directory)
    n_hl = 0
    for k in range(n_hardlinks):
        src_rel, _ = files[rng.randrange(n_files)]
        d = pick_dir()
        name = f"hardlink_{k}_{os.path.basename(src_rel)}"
        dst_rel = os.path.join(d, name) if d else name
        if os.path.lexists(os.path.join(root, dst_rel)):
            continue
        os.link(os.path.join(root, src_rel), os.path.join(root, dst_rel))
        n_hl += 1

    # symlinks: relative links to files and directories, plus one dangling
    symlinks = []
    for k in range(n_symlinks):
        d = pick_dir()
        if k == 0:
            target = "does/not/exist.txt"
        elif k % 3 == 0:
            target_rel = dirs[rng.randrange(1, len(dirs))]
            target = os.path.relpath(target_rel, d or ".")
        else:
            target_rel, _ = files[rng.randrange(n_files)]
            target = os.path.relpath(target_rel, d or ".")
        name = f"symlink_{k}"
        rel = os.path.join(d, name) if d else name
        os.symlink(target, os.path.join(root, rel))
        symlinks.append(rel)

    # fixed timestamps: files, symlinks, then directories deepest-first
    for rel, mtime in files:
        os.utime(os.path.join(root, rel), (mtime, mtime))
    for k, rel in enumerate(symlinks):
        t = BASE_MTIME - 7200 - k
        os.utime(os.path.join(root, rel), (t, t), follow_symlinks=False)
    all_dirs = dirs + ["big"]
    for k, rel in enumerate(sorted(all_dirs, key=lambda p: (-p.count(os.sep), p))):
        t = BASE_MTIME - 86400 - k
        p = os.path.join(root, rel) if rel else root
        os.chmod(p, 0o755)
        os.utime(p, (t, t))
    # the root directory last (its mtime changed while creating 'big')
    os.utime(root, (BASE_MTIME, BASE_MTIME))

    elapsed = time.monotonic() - t0
    print(f"gen-dataset: {root} scale={scale:g} seed={seed}")
    print(f"  directories : {len(all_dirs)} (incl. root)")
    print(f"  files       : {n_regular} regular ({n_empty} empty, 2 large), "
          f"{n_hl} hard links, {len(symlinks)} symlinks")
    print(f"  bytes       : {total_bytes} ({total_bytes / MIB:.1f} MiB; "
          f"small files {(total_bytes - big_random - big_log) / MIB:.1f} MiB, "
          f"random.bin {big_random / MIB:.1f} MiB, app.log {big_log / MIB:.1f} MiB)")
    print(f"  elapsed     : {elapsed:.1f} s")


if __name__ == "__main__":
    main()

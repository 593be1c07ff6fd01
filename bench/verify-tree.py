#!/usr/bin/env python3
"""Compare a restored directory tree against its source.

Usage: python3 bench/verify-tree.py SOURCE_DIR RESTORED_DIR [--content-only]

Checks, for every entry below the two roots (symlinks are not followed):
  * same set of relative paths and same entry type (file / dir / symlink),
  * regular files: same size and SHA-256 of the content,
  * symlinks: same link target,
  * unless --content-only (or env BENCH_VERIFY=content):
      permission bits of files and directories, whole-second mtimes of files
      and directories, and hard-link groups (paths sharing an inode in the
      source must share an inode in the restored tree).

Exits 0 if identical, 1 with a list of differences otherwise.  Standard
library only.
"""

import hashlib
import os
import stat
import sys


def file_digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 20)
            if not b:
                break
            h.update(b)
    return h.hexdigest()


def manifest(root):
    """rel path -> dict of attributes; also inode -> [rel paths] for hard links."""
    entries = {}
    inodes = {}

    def add(rel, full):
        st = os.lstat(full)
        m = st.st_mode
        e = {"mtime": st.st_mtime_ns // 1_000_000_000, "perm": stat.S_IMODE(m)}
        if stat.S_ISREG(m):
            e["type"] = "file"
            e["size"] = st.st_size
            e["sha256"] = file_digest(full)
            if st.st_nlink > 1:
                inodes.setdefault((st.st_dev, st.st_ino), []).append(rel)
        elif stat.S_ISDIR(m):
            e["type"] = "dir"
        elif stat.S_ISLNK(m):
            e["type"] = "symlink"
            e["target"] = os.readlink(full)
        else:
            e["type"] = "other:%o" % stat.S_IFMT(m)
        entries[rel] = e

    add(".", root)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            full = os.path.join(dirpath, name)
            add(os.path.relpath(full, root), full)
    groups = sorted(sorted(v) for v in inodes.values() if len(v) > 1)
    return entries, groups


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    content_only = "--content-only" in sys.argv[1:] or os.environ.get("BENCH_VERIFY") == "content"
    if len(args) != 2:
        sys.exit(__doc__)
    src, dst = args
    if not os.path.isdir(dst):
        print(f"verify-tree: restored tree {dst} does not exist", file=sys.stderr)
        return 1
    a, ga = manifest(src)
    b, gb = manifest(dst)
    diffs = []
    for rel in sorted(set(a) | set(b)):
        if rel not in b:
            diffs.append(f"missing in restore: {rel}")
            continue
        if rel not in a:
            diffs.append(f"extra in restore:   {rel}")
            continue
        ea, eb = a[rel], b[rel]
        if ea["type"] != eb["type"]:
            diffs.append(f"type differs: {rel}: {ea['type']} != {eb['type']}")
            continue
        t = ea["type"]
        if t == "file" and (ea["size"], ea["sha256"]) != (eb["size"], eb["sha256"]):
            diffs.append(f"content differs: {rel} (size {ea['size']} vs {eb['size']})")
        if t == "symlink" and ea["target"] != eb["target"]:
            diffs.append(f"symlink target differs: {rel}: {ea['target']!r} != {eb['target']!r}")
        if content_only or t not in ("file", "dir"):
            continue
        if ea["perm"] != eb["perm"]:
            diffs.append(f"mode differs: {rel}: {ea['perm']:o} != {eb['perm']:o}")
        if ea["mtime"] != eb["mtime"]:
            diffs.append(f"mtime differs: {rel}: {ea['mtime']} != {eb['mtime']}")
    if not content_only and ga != gb:
        diffs.append(f"hard link groups differ: source {ga} vs restored {gb}")

    n_files = sum(1 for e in a.values() if e["type"] == "file")
    if diffs:
        print(f"verify-tree: {len(diffs)} difference(s) between {src} and {dst}:", file=sys.stderr)
        for d in diffs[:50]:
            print("  " + d, file=sys.stderr)
        if len(diffs) > 50:
            print(f"  ... and {len(diffs) - 50} more", file=sys.stderr)
        return 1
    print(f"verify-tree: OK ({len(a)} entries, {n_files} files, {len(ga)} hard-link groups"
          f"{', content only' if content_only else ''})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env bash
# Export and retention figures on SQLite (docs/benchmarks.md, "Archive"): the demo with N random
# 512×512 PNGs (stored uncompressed, about 770 KB each) added through `tutti asset add`, then
# `tutti export` timed against `tar -cf` of the same blob directory (the baseline: it copies the
# bytes without hashing or reading the database), then a retention dry run and a real run after
# every version was aged past the 24-month floor.
#
#   bench/archive_export.sh TUTTI [N]
#
# TUTTI is a release build's binary; N defaults to 100. Needs python3, sqlite3 and GNU time.
set -euo pipefail

tutti=$(realpath "$1")
n=${2:-100}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
url="sqlite:$work/a.db"
"$tutti" demo --db "$url" >/dev/null
activation=$(sqlite3 a.db "SELECT id FROM activations LIMIT 1")
# Random file names: the benchmark is about bytes, not the demo's naming template.
"$tutti" asset settings --db "$url" --activation "$activation" --naming-template "" >/dev/null
python3 - "$n" <<'PY'
import os, struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
for i in range(int(sys.argv[1])):
    raw = b"".join(b"\x00" + os.urandom(3 * 512) for _ in range(512))
    with open(f"img_{i:04d}.png", "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 512, 512, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 0)) + chunk(b"IEND", b""))
PY
for f in img_*.png; do
  "$tutti" asset add --db "$url" --data-dir data --activation "$activation" --org StreamCo "$f" \
    >/dev/null
done
echo "blobs: $(du -sh data/blobs | cut -f1) in $n files"
/usr/bin/time -f "export: %e s, peak RSS %M KB" \
  "$tutti" export --db "$url" --data-dir data --activation "$activation" --out out.tar
echo "archive: $(stat -c %s out.tar) bytes"
/usr/bin/time -f "baseline tar -cf of the blob directory: %e s" tar -cf base.tar data/blobs
sqlite3 a.db "UPDATE asset_versions SET created_at = '2020-01-01T00:00:00.000Z'"
/usr/bin/time -f "retention dry run: %e s" \
  "$tutti" retention run --db "$url" --data-dir data --dry-run | grep -E "^version"
/usr/bin/time -f "retention run: %e s" \
  "$tutti" retention run --db "$url" --data-dir data | grep -E "^version|files removed"

#!/usr/bin/env bash
# Peak memory of `tutti serve` while one large asset downloads through
# GET …/assets/{asset_id}/versions/1/content (docs/benchmarks.md, "Asset download"). The asset is
# a PNG of random pixels stored uncompressed (MB megabytes), added with `tutti asset add`. Prints
# the server's VmHWM (peak resident set) before and after, and the download's time against
# `cat` of the same stored file in the same run (the baseline: the disk and page cache alone).
#
#   bench/asset_download.sh TUTTI [MB]
#
# TUTTI is a release build's binary; MB defaults to 500. Needs python3, curl and sqlite3.
set -euo pipefail
# shellcheck source=bench/serve_lib.bash
source "$(dirname "${BASH_SOURCE[0]}")/serve_lib.bash"

tutti=$(realpath "$1")
megabytes=${2:-500}
work=$(mktemp -d)
server=""
cleanup() {
  if [[ -n "$server" ]] && kill -0 "$server" 2>/dev/null; then kill -TERM "$server"; fi
  rm -rf -- "$work"
}
trap cleanup EXIT
cd "$work"

url="sqlite:$work/d.db"
"$tutti" demo --db "$url" >/dev/null
activation=$(sqlite3 d.db "SELECT id FROM activations LIMIT 1")
"$tutti" asset settings --db "$url" --activation "$activation" --naming-template "" >/dev/null
python3 - "$megabytes" <<'PY'
import os, struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
side = int((int(sys.argv[1]) * 1_000_000 / 3) ** 0.5)
packer = zlib.compressobj(0)
with open("big.png", "wb") as f:
    body = b"".join(packer.compress(b"\x00" + os.urandom(3 * side)) for _ in range(side))
    body += packer.flush()
    f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", body) + chunk(b"IEND", b""))
PY
"$tutti" asset add --db "$url" --data-dir data --activation "$activation" --org StreamCo big.png \
  >/dev/null
asset=$(sqlite3 d.db "SELECT asset_id FROM asset_versions LIMIT 1")
sha=$(sqlite3 d.db "SELECT sha256 FROM asset_versions LIMIT 1")
blob="data/blobs/${sha:0:2}/${sha:2}"
size=$(stat -c %s "$blob")

start_serve "$tutti" "$work" --db "$url" --data-dir data --secret-file secret
log_in sam@streamco.example tutti-demo-partner

peak() { sed -nE 's/^VmHWM:\s+([0-9]+) kB/\1/p' "/proc/$server/status"; }
echo "asset: $size bytes"
echo "server VmHWM before the download: $(peak) kB"
start=$(date +%s.%N)
curl -sS -o got.png -H "Authorization: Bearer $token" \
  -w 'HTTP %{http_code}, %{size_download} bytes' \
  "$base/api/v1/activations/$activation/assets/$asset/versions/1/content"
end=$(date +%s.%N)
echo " in $(echo "$end - $start" | bc) s"
echo "server VmHWM after the download: $(peak) kB"
cmp -s got.png "$blob" || { echo "the download differs from the stored file" >&2; exit 1; }
rm -f got.png
start=$(date +%s.%N)
cat "$blob" >copy.png
end=$(date +%s.%N)
echo "baseline cat of the stored file to a file: $(echo "$end - $start" | bc) s"

#!/usr/bin/env bash
# `tutti export` and `tutti retention run` on SQLite (issue 5, archive): the demo activation with
# a real PNG added is written as one tar that the system `tar` lists and extracts, whose
# manifest names every other member with the SHA-256 and size sha256sum and stat find, and whose
# files/<sha256> is the PNG; an unknown activation is one error line and leaves no file. Then a
# version aged past 24 months (by editing its timestamp) is counted by a dry run without being
# touched, kept while a legal hold stands, and deleted with its file once the hold is released.
# run_capture sets NAME_out, NAME_err and NAME_rc through printf -v, which shellcheck cannot see.
# shellcheck disable=SC2154
set -euo pipefail
# shellcheck source=tests/cli/lib.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
setup_workdir "$@"
command -v sqlite3 >/dev/null || fail "the sqlite3 shell is required (Debian package sqlite3)"
command -v python3 >/dev/null || fail "python3 is required to write the sample PNG"
command -v tar >/dev/null || fail "tar is required to read the archive back"

db="$work/a.db"
url="sqlite:$db"
data="$work/data"
"$tutti" demo --db "$url" >/dev/null
activation=$(sqlite3 "$db" "SELECT id FROM activations LIMIT 1")

python3 - "$work/hero.png" <<'PY'
import struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
raw = b"".join(b"\x00" + b"\x80" * 12 for _ in range(4))
with open(sys.argv[1], "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
PY
sha=$(sha256sum "$work/hero.png" | cut -d' ' -f1)
# The demo holds names to a template; this test is about the archive, not names.
"$tutti" asset settings --db "$url" --activation "$activation" --naming-template '' >/dev/null
"$tutti" asset add --db "$url" --data-dir "$data" --activation "$activation" --org StreamCo \
  "$work/hero.png" >/dev/null

run_capture exported "$tutti" export --db "$url" --data-dir "$data" --activation "$activation" \
  --out "$work/out.tar"
[[ "$exported_rc" == 0 ]] || fail "export exited $exported_rc: $exported_err"
expect_contains "$exported_out" "exported activation $activation" "the export says what it wrote"
[[ ! -e "$work/out.tar.partial" ]] || fail "the partial file must be renamed into place"

listing=$(tar -tf "$work/out.tar")
for member in activation.json assets.json approvals.json gates.json audit.json crisis.json \
  retention.json posts.json publications.json "files/$sha" manifest.json; do
  grep -qxF "$member" <<<"$listing" || fail "the archive lacks $member: $listing"
done
[[ "$(tail -n 1 <<<"$listing")" == manifest.json ]] || fail "the manifest comes last"

mkdir "$work/x"
tar -xf "$work/out.tar" -C "$work/x"
cmp -s "$work/hero.png" "$work/x/files/$sha" || fail "files/$sha is not the PNG"
# Every member but the manifest is listed in it with the digest and size the tools compute.
python3 - "$work/x" <<'PY' >"$work/manifest.txt"
import json, sys
m = json.load(open(sys.argv[1] + "/manifest.json"))
for e in m["entries"]:
    print(e["sha256"], e["bytes"], e["name"])
PY
checked=0
while read -r digest bytes name; do
  [[ "$(sha256sum "$work/x/$name" | cut -d' ' -f1)" == "$digest" ]] || fail "digest of $name"
  [[ "$(stat -c %s "$work/x/$name")" == "$bytes" ]] || fail "size of $name"
  checked=$((checked + 1))
done <"$work/manifest.txt"
members=$(wc -l <<<"$listing")
[[ "$checked" == $((members - 1)) ]] || fail "manifest lists $checked of $((members - 1)) members"
grep -qF "\"agreement\"" "$work/x/activation.json" || fail "activation.json carries agreements"

run_capture unknown "$tutti" export --db "$url" --data-dir "$data" \
  --activation act_aaaaaaaaaaaaaaaaaaaa --out "$work/none.tar"
expect_one_error_line unknown "an unknown activation"
[[ ! -e "$work/none.tar" && ! -e "$work/none.tar.partial" ]] || fail "a failed export leaves a file"

# ---- retention: the PNG's version, aged 25 months ----
sqlite3 "$db" "UPDATE asset_versions SET created_at = '2020-01-01T00:00:00.000Z'"
run_capture dry "$tutti" retention run --db "$url" --data-dir "$data" --dry-run
[[ "$dry_rc" == 0 ]] || fail "the dry run exited $dry_rc: $dry_err"
version_line=$(grep -E '^version ' <<<"$dry_out")
[[ "$(awk '{print $3}' <<<"$version_line")" == 1 ]] || fail "one version would go: $dry_out"
[[ "$(sqlite3 "$db" "SELECT COUNT(*) FROM asset_versions")" == 1 ]] || fail "a dry run deletes"

# A legal hold (placed here straight in the table: the API and its tests place holds).
sqlite3 "$db" "INSERT INTO legal_holds (id, activation_id, reason, placed_by, placed_at) VALUES
  ('hold_cli', '$activation', 'test', 'cli', '2026-01-01T00:00:00.000Z')"
run_capture held "$tutti" retention run --db "$url" --data-dir "$data"
[[ "$held_rc" == 0 ]] || fail "the held run exited $held_rc: $held_err"
expect_contains "$held_out" "1 on legal hold" "the hold is reported"
[[ "$(grep -E '^version ' <<<"$held_out" | awk '{print $4}')" == 1 ]] || fail "held: $held_out"
[[ "$(sqlite3 "$db" "SELECT COUNT(*) FROM asset_versions")" == 1 ]] || fail "a hold keeps it"

sqlite3 "$db" "UPDATE legal_holds SET released_at = '2026-02-01T00:00:00.000Z', released_by = 'cli'"
run_capture swept "$tutti" retention run --db "$url" --data-dir "$data"
[[ "$swept_rc" == 0 ]] || fail "the run exited $swept_rc: $swept_err"
[[ "$(grep -E '^version ' <<<"$swept_out" | awk '{print $3}')" == 1 ]] || fail "swept: $swept_out"
expect_contains "$swept_out" "files removed: 1" "the file nobody names goes"
[[ "$(sqlite3 "$db" "SELECT COUNT(*) FROM asset_versions")" == 0 ]] || fail "the version stays"
[[ ! -e "$data/blobs/${sha:0:2}/${sha:2}" ]] || fail "the blob stays"
[[ "$(sqlite3 "$db" "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'retention'")" == 1 ]] ||
  fail "one audit entry for the sweep"
echo "ok"

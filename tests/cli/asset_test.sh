#!/usr/bin/env bash
# `tutti asset settings` and `tutti asset add` on SQLite (issue 5, C3): the settings are shown and
# changed field by field, audited; a real PNG (written here by python3, nothing
# downloaded) is stored under DATA_DIR/blobs by its SHA-256 and printed with its version; a name
# off the activation's template fails with one error line showing the expected name; the same
# PNG named .jpg is refused by its header; the next version must carry v2; an off-spec file lists
# its violations; an unknown organisation is an error. Refused files leave nothing behind.
# run_capture sets NAME_out, NAME_err and NAME_rc through printf -v, which shellcheck cannot see.
# shellcheck disable=SC2154
set -euo pipefail
# shellcheck source=tests/cli/lib.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
setup_workdir "$@"
command -v sqlite3 >/dev/null || fail "the sqlite3 shell is required (Debian package sqlite3)"
command -v python3 >/dev/null || fail "python3 is required to write the sample PNG"

db="$work/a.db"
url="sqlite:$db"
"$tutti" demo --db "$url" >/dev/null
activation=$(sqlite3 "$db" "SELECT id FROM activations LIMIT 1")
streamco=$(sqlite3 "$db" "SELECT id FROM orgs WHERE name = 'StreamCo'")
# The demo sets the naming template and brand: `tutti asset settings` shows them, refuses an
# unknown template field, changes the brand alone, then the specs from a file, each change
# keeping the others.
run_capture shown "$tutti" asset settings --db "$url" --activation "$activation"
[[ "$shown_rc" == 0 ]] || fail "showing the settings exited $shown_rc: $shown_err"
expect_contains "$shown_out" '"version": 1' "the demo's settings"
expect_contains "$shown_out" '{brand}_{partner}_{platform}_{locale}_{yyyymmdd}_v{version}' \
  "the demo's template"
run_capture bad_template "$tutti" asset settings --db "$url" --activation "$activation" \
  --naming-template '{brand}_{nonsense}'
expect_one_error_line bad_template "an unknown template field"
expect_contains "$bad_template_err" "nonsense" "the unknown field is named"
run_capture named "$tutti" asset settings --db "$url" --activation "$activation" --brand " ACME "
[[ "$named_rc" == 0 ]] || fail "setting the brand exited $named_rc: $named_err"
expect_contains "$named_out" '"brand": "acme"' "the brand is normalised"
expect_contains "$named_out" '"version": 2' "the next stored version"
printf '{"specs": [{"placement": "story", "formats": ["png"], "min_width": 1080}]}' >"$work/specs.json"
run_capture specs "$tutti" asset settings --db "$url" --activation "$activation" \
  --platform-specs "$work/specs.json"
[[ "$specs_rc" == 0 ]] || fail "setting the specs exited $specs_rc: $specs_err"
expect_contains "$specs_out" '{brand}_{partner}_{platform}_{locale}_{yyyymmdd}_v{version}' \
  "the template is kept when only the specs change"
expect_contains "$specs_out" '"min_width": 1080' "the specs are stored"
expect_contains "$specs_out" '"version": 3' "each change is a new version"
[[ "$(sqlite3 "$db" "SELECT count(*) FROM audit_log WHERE entity_type = 'asset_settings'")" == 3 ]] ||
  fail "each settings change is audited once"

# png WIDTH HEIGHT FILE: an 8-bit RGB PNG of that size, every pixel grey.
png() {
  python3 - "$@" <<'PY'
import struct, sys, zlib
w, h, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
raw = b"".join(b"\x00" + b"\x80" * (3 * w) for _ in range(h))
with open(path, "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
PY
}
png 1080 1920 "$work/story.png"
png 600 600 "$work/small.png"
sha=$(sha256sum "$work/story.png" | cut -d' ' -f1)

add() {
  local name=$1
  shift
  run_capture "$name" "$tutti" asset add --db "$url" --data-dir "$work/data" \
    --activation "$activation" "$@"
}

cp "$work/story.png" "$work/IMG_0042.png"
add wrong_name --org StreamCo --platform story --locale en-GB "$work/IMG_0042.png"
expect_one_error_line wrong_name "a name off the template"
expect_contains "$wrong_name_err" "expected name like acme_streamco_story_en-gb_{yyyymmdd}_v1.png" \
  "the expected name"

cp "$work/story.png" "$work/acme_streamco_story_en-gb_20260601_v1.jpg"
add renamed --org StreamCo --platform story "$work/acme_streamco_story_en-gb_20260601_v1.jpg"
expect_one_error_line renamed "a PNG named .jpg"
expect_contains "$renamed_err" "the file's header says image/png; expected .png" "header decides"

cp "$work/small.png" "$work/acme_streamco_story_en-gb_20260601_v1.png"
add off_spec --org StreamCo --platform story "$work/acme_streamco_story_en-gb_20260601_v1.png"
expect_one_error_line off_spec "a file under the spec's width"
expect_contains "$off_spec_err" "width 600 px is below the 1080 px minimum of story" "violation"
[[ ! -d "$work/data/blobs/${sha:0:2}" ]] || fail "refused uploads must leave no file"

cp "$work/story.png" "$work/acme_streamco_story_en-gb_20260601_v1.png"
add ok --org StreamCo --platform story --tags summer,hero "$work/acme_streamco_story_en-gb_20260601_v1.png"
[[ "$ok_rc" == 0 ]] || fail "a good upload exited $ok_rc: $ok_err"
expect_contains "$ok_out" "version 1 sha256 $sha" "version and digest"
expect_contains "$ok_out" "image/png 1080x1920" "probed media"
[[ -f "$work/data/blobs/${sha:0:2}/${sha:2}" ]] || fail "the file is stored under its SHA-256"
asset=$(sqlite3 "$db" "SELECT id FROM assets LIMIT 1")
[[ "$(sqlite3 "$db" "SELECT org_id FROM assets WHERE id = '$asset'")" == "$streamco" ]] ||
  fail "the asset belongs to StreamCo"

add stale_version --org "$streamco" --asset "$asset" --platform story \
  "$work/acme_streamco_story_en-gb_20260601_v1.png"
expect_one_error_line stale_version "a second version named v1"
expect_contains "$stale_version_err" "acme_streamco_story_en-gb_{yyyymmdd}_v2.png" "v2 expected"

cp "$work/story.png" "$work/acme_streamco_story_en-gb_20260602_v2.png"
add v2 --org "$streamco" --asset "$asset" --platform story "$work/acme_streamco_story_en-gb_20260602_v2.png"
[[ "$v2_rc" == 0 ]] || fail "version 2 exited $v2_rc: $v2_err"
expect_contains "$v2_out" "asset $asset version 2 sha256 $sha" "same bytes, new version"
files=$(find "$work/data/blobs" -type f | wc -l)
[[ "$files" == 1 ]] || fail "identical bytes are stored once, found $files files"

add unknown_org --org "Nobody Ltd" "$work/acme_streamco_story_en-gb_20260601_v1.png"
expect_one_error_line unknown_org "an unknown organisation"

echo "PASS"

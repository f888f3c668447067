#!/usr/bin/env bash
# `tutti demo` seeds post content (issue 5, "compliant publishing" in the web calendar): Nova
# Sports' kit reveal discloses (#ad up front) and carries a link tagged from the demo's UTM
# taxonomy, with utm_source and utm_medium derived from the post (instagram, not paid); StreamCo's
# paid X post does not disclose, so its stored check is the engine's missing_disclosure, and its
# agency link is kept as written with findings. A second `tutti demo` adds nothing.
# run_capture sets NAME_out, NAME_err and NAME_rc through printf -v, which shellcheck cannot see.
# shellcheck disable=SC2154
set -euo pipefail
# shellcheck source=tests/cli/lib.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
setup_workdir "$@"
command -v sqlite3 >/dev/null || fail "the sqlite3 shell is required (Debian package sqlite3)"

db="$work/d.db"
url="sqlite:$db"
run_capture first "$tutti" demo --db "$url"
[[ "$first_rc" == 0 ]] || fail "demo exited $first_rc: $first_err"
expect_contains "$first_out" "Demo post content: 2 posts" "the first demo run"

content() { # POST JSON-PATH: the post's latest version's value at JSON-PATH
  sqlite3 "$db" "SELECT $2 FROM post_contents WHERE post_id = '$1' ORDER BY version DESC LIMIT 1"
}

[[ $(content nova-kit-us "json_extract(disclosure, '\$.ok')") == 1 ]] || fail "Nova's kit reveal discloses"
[[ $(content nova-kit-us "json_extract(disclosure, '\$.markers[0].text')") == "#ad" ]] ||
  fail "the marker found is #ad"
tagged=$(content nova-kit-us "json_extract(links, '\$[0].tagged_url')")
expected="https://novasports.example/summer-splash?utm_source=instagram&utm_medium=social"
expected+="&utm_campaign=acme_summer-splash-2026&utm_content=kit_reveal"
[[ "$tagged" == "$expected" ]] || fail "the tagged link: expected $expected, got $tagged"
[[ $(content nova-kit-us "json_extract(links, '\$[0].utm[0].derived')") == 1 ]] ||
  fail "utm_source is marked derived"
[[ $(content nova-kit-us "json_extract(links, '\$[0].utm[2].derived')") == 0 ]] ||
  fail "utm_campaign, typed, is not marked derived"
[[ $(content nova-kit-us "json_extract(content, '\$.partner')") == 1 ]] || fail "a partner post"

[[ $(content sc-x-us "json_extract(content, '\$.paid')") == 1 ]] || fail "StreamCo's X post is paid"
[[ $(content sc-x-us "json_extract(disclosure, '\$.ok')") == 0 ]] || fail "it does not disclose"
[[ $(content sc-x-us "json_extract(disclosure, '\$.reason')") == "missing_disclosure" ]] ||
  fail "the stored reason is the engine's"
expect_contains "$(content sc-x-us "json_extract(disclosure, '\$.message')")" \
  '"thanks" is not a clear disclosure' "the stored message names the weak word"
[[ $(content sc-x-us "json_extract(links, '\$[0].mode') || json_extract(links, '\$[0].compliant')") == "validated0" ]] ||
  fail "the agency link is kept as written and does not comply"
[[ $(sqlite3 "$db" "SELECT count(*) FROM audit_log WHERE entity_type = 'post_content'") == 2 ]] ||
  fail "each version is audited"

run_capture second "$tutti" demo --db "$url"
[[ "$second_rc" == 0 ]] || fail "a second demo exited $second_rc: $second_err"
expect_not_contains "$second_out" "Demo post content" "the second demo run"
[[ $(sqlite3 "$db" "SELECT count(*) FROM post_contents") == 2 ]] || fail "a second demo adds no version"
echo "demo_publishing_test: ok"

#!/usr/bin/env bash
# `tutti gate status` and `tutti gate put` on SQLite (issue 5, C3): the demo's pilot gate is not
# ready (exit 3); a gate measured on a channel is UNKNOWN without events, FAIL below its CTR
# threshold, and PASS exactly at it once another click is ingested (exit 0); --json says the
# same; a bad --phase is a usage error (2); closed gates and unknown activations are errors (1).
# run_capture sets NAME_out, NAME_err and NAME_rc through printf -v, which shellcheck cannot see.
# shellcheck disable=SC2154
set -euo pipefail
# shellcheck source=tests/cli/lib.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
setup_workdir "$@"
command -v sqlite3 >/dev/null || fail "the sqlite3 shell is required (Debian package sqlite3)"

db="$work/g.db"
url="sqlite:$db"
"$tutti" demo --db "$url" >/dev/null
activation=$(sqlite3 "$db" "SELECT id FROM activations LIMIT 1")

run_capture pilot "$tutti" gate status --db "$url" --activation "$activation"
[[ "$pilot_rc" == 3 ]] || fail "the demo's pilot gate is not ready: expected exit 3, got $pilot_rc: $pilot_err"
expect_contains "$pilot_out" "in pilot" "current phase"
expect_contains "$pilot_out" "PASS    legal_signoff" "ticked item"
expect_contains "$pilot_out" "FAIL    tracking_qa" "unticked item"
expect_contains "$pilot_out" "verdict: NOT READY" "verdict"

cat >"$work/criteria.json" <<'JSON'
{"checklist": [], "metrics": [{"metric": "ctr", "op": ">=", "value": 0.5, "scope": "newsletter"}]}
JSON
run_capture put "$tutti" gate put --db "$url" --activation "$activation" --phase full_deployment \
  "$work/criteria.json"
[[ "$put_rc" == 0 ]] || fail "gate put exited $put_rc: $put_err"
expect_contains "$put_out" "gate full_deployment of $activation: criteria version 2" "gate put"

status() {
  run_capture "$1" "$tutti" gate status --db "$url" --activation "$activation" \
    --phase full_deployment "${@:2}"
}
status unknown
[[ "$unknown_rc" == 3 ]] || fail "no newsletter events: expected exit 3, got $unknown_rc"
expect_contains "$unknown_out" "UNKNOWN ctr@newsletter" "no events, no measurement"

cat >"$work/contract.json" <<'JSON'
{"feed": "gate-newsletter", "fields": [
  {"name": "event_id", "type": "string", "privacy": "pseudonymous", "role": "event_id"},
  {"name": "user", "type": "string", "privacy": "pseudonymous", "role": "user_key"},
  {"name": "ts", "type": "timestamp", "privacy": "aggregate", "role": "timestamp"},
  {"name": "type", "type": "string", "privacy": "aggregate", "role": "event_type"},
  {"name": "channel", "type": "string", "privacy": "aggregate", "role": "channel"}]}
JSON
"$tutti" contract put --db "$url" --activation "$activation" --org StreamCo "$work/contract.json" >/dev/null
ingest() {
  "$tutti" ingest --db "$url" --secret-file "$work/secret" --feed gate-newsletter "$1" 2>/dev/null >/dev/null ||
    fail "ingest of $1 failed"
}
# One click over four impressions: a CTR of 25 % against 50 %.
printf '%s\n' "event_id,user,ts,type,channel" \
  "n1,u1,2026-06-02T09:00:00Z,impression,newsletter" "n2,u2,2026-06-02T09:00:00Z,impression,newsletter" \
  "n3,u3,2026-06-02T09:00:00Z,impression,newsletter" "n4,u4,2026-06-02T09:00:00Z,impression,newsletter" \
  "n5,u1,2026-06-02T09:05:00Z,click,newsletter" >"$work/first.csv"
ingest "$work/first.csv"
status failing
[[ "$failing_rc" == 3 ]] || fail "CTR 25 % < 50 %: expected exit 3, got $failing_rc"
expect_contains "$failing_out" "FAIL    ctr@newsletter" "below the threshold"
expect_contains "$failing_out" "is 25 %; needs >= 50 %" "measured against expected"

# A second click: 2 / 4 = 50 %, exactly the threshold, which ">=" meets.
printf '%s\n' "event_id,user,ts,type,channel" "n6,u2,2026-06-02T09:06:00Z,click,newsletter" >"$work/second.csv"
ingest "$work/second.csv"
status passing
[[ "$passing_rc" == 0 ]] || fail "CTR 50 % >= 50 %: expected exit 0, got $passing_rc: $passing_out"
expect_contains "$passing_out" "PASS    ctr@newsletter" "at the threshold"
expect_contains "$passing_out" "verdict: READY (1 pass, 0 fail, 0 unknown)" "ready verdict"

status json --json
[[ "$json_rc" == 0 ]] || fail "--json of a ready gate must exit 0, got $json_rc"
python3 - "$json_out" <<'PY' || fail "--json output: $json_out"
import json, sys
out = json.loads(sys.argv[1])
assert out["phase"] == "full_deployment" and out["current_phase"] == "pilot", out
assert out["ready"] is True and out["version"] == 2, out
c = out["evaluation"]["criteria"][0]
assert c["id"] == "ctr@newsletter" and c["outcome"] == "pass" and c["measured"] == 0.5, c
PY

run_capture bad_phase "$tutti" gate status --db "$url" --activation "$activation" --phase launch
[[ "$bad_phase_rc" == 2 ]] || fail "an unknown phase is a usage error (2), got $bad_phase_rc"
run_capture missing "$tutti" gate status --db "$url" --activation act_aaaaaaaaaaaaaaaaaaaa
[[ "$missing_rc" == 1 ]] || fail "an unknown activation must exit 1, got $missing_rc"
expect_one_error_line missing "unknown activation"
run_capture closed "$tutti" gate put --db "$url" --activation "$activation" --phase ideation \
  "$work/criteria.json"
[[ "$closed_rc" == 1 ]] || fail "a passed phase's gate is closed: expected exit 1, got $closed_rc"
expect_one_error_line closed "closed gate"
expect_contains "$closed_err" "phase_closed" "closed gate names its reason"
echo "gate_test: ok"

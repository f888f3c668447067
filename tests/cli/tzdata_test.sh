#!/usr/bin/env bash
# `tutti tzdata check`: stored launches are local time + zone, resolved again on every read; the
# check compares them with the instants recorded when each plan was stored. An older tz database
# is simulated by rewriting the recorded instant with the sqlite3 shell. Moved launches are
# listed with market, local time, zone and both instants, exit 1 until accepted; --accept records
# the new instants with an audit entry, after which the check is clean again.
# run_capture sets NAME_out, NAME_err and NAME_rc through printf -v, which shellcheck cannot see.
# shellcheck disable=SC2154
set -euo pipefail
# shellcheck source=tests/cli/lib.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
setup_workdir "$@"
command -v sqlite3 >/dev/null || fail "the sqlite3 shell is required (Debian package sqlite3)"

db="$work/tz.db"
"$tutti" demo --db "sqlite:$db" >/dev/null

run_capture clean "$tutti" tzdata check --db "sqlite:$db"
[[ "$clean_rc" == 0 ]] || fail "a fresh demo reported moved launches (exit $clean_rc): $clean_out"
expect_contains "$clean_out" "0 launch instant(s) moved across 1 plan(s)" "fresh check"
expect_contains "$clean_out" "tz database 20" "fresh check names the tz database release"

recorded=$(sqlite3 "$db" "SELECT resolved_launch FROM activation_plans")
us=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["US"])' "$recorded")
# The same local time an hour later in UTC: what a database with other rules would have given.
older=$(python3 -c '
import datetime, sys
t = datetime.datetime.strptime(sys.argv[1], "%Y-%m-%dT%H:%M:%SZ") + datetime.timedelta(hours=1)
print(t.strftime("%Y-%m-%dT%H:%M:%SZ"))' "$us")
sqlite3 "$db" "UPDATE activation_plans SET resolved_launch = json_set(resolved_launch, '\$.US', '$older')"

run_capture moved "$tutti" tzdata check --db "sqlite:$db"
[[ "$moved_rc" == 1 ]] || fail "a moved launch must exit 1, got $moved_rc: $moved_out $moved_err"
expect_contains "$moved_out" "market US launch" "moved check"
expect_contains "$moved_out" "America/New_York moved from $older to $us" "moved check"
expect_contains "$moved_out" "1 launch instant(s) moved" "moved check"
expect_not_contains "$moved_out" "market JP" "moved check lists only the moved market"

entries_before=$(sqlite3 "$db" "SELECT COUNT(*) FROM audit_log")
run_capture accepted "$tutti" tzdata check --db "sqlite:$db" --accept
[[ "$accepted_rc" == 0 ]] || fail "--accept exited $accepted_rc: $accepted_err"
expect_contains "$accepted_out" "new instants recorded" "accept"
entries_after=$(sqlite3 "$db" "SELECT COUNT(*) FROM audit_log")
((entries_after == entries_before + 1)) || fail "--accept wrote $((entries_after - entries_before)) audit entries, expected 1"
action=$(sqlite3 "$db" "SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1")
[[ "$action" == "launch_rederived" ]] || fail "--accept was audited as '$action'"
[[ $(sqlite3 "$db" "SELECT json_extract(resolved_launch, '\$.US') FROM activation_plans") == "$us" ]] ||
  fail "--accept did not record the new instant"

run_capture again "$tutti" tzdata check --db "sqlite:$db"
[[ "$again_rc" == 0 ]] || fail "after --accept the check must be clean: $again_out"
run_capture verify "$tutti" audit verify --db "sqlite:$db"
[[ "$verify_rc" == 0 ]] || fail "the audit chain broke: $verify_err"

run_capture usage "$tutti" tzdata
[[ "$usage_rc" == 2 ]] || fail "tzdata without a subcommand must be a usage error, got $usage_rc"
echo "ok"

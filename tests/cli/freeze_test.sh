#!/usr/bin/env bash
# `tutti freeze` and `tutti unfreeze` on SQLite (issue 5, item 4): a partner's posts frozen by
# name from the shell, recorded with the reason and audited as the CLI; the whole activation
# frozen with --all; a lift with its reason, a second lift refused; --partner and --all together,
# or neither, are usage errors (2); an unknown organisation is an error (1) that writes nothing.
# run_capture sets NAME_out, NAME_err and NAME_rc through printf -v, which shellcheck cannot see.
# shellcheck disable=SC2154
set -euo pipefail
# shellcheck source=tests/cli/lib.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
setup_workdir "$@"
command -v sqlite3 >/dev/null || fail "the sqlite3 shell is required (Debian package sqlite3)"

db="$work/f.db"
url="sqlite:$db"
"$tutti" demo --db "$url" >/dev/null
activation=$(sqlite3 "$db" "SELECT id FROM activations LIMIT 1")
streamco=$(sqlite3 "$db" "SELECT id FROM orgs WHERE name = 'StreamCo'")

run_capture frozen "$tutti" freeze --db "$url" --activation "$activation" --partner StreamCo \
  --reason "talent dispute"
[[ "$frozen_rc" == 0 ]] || fail "freeze exited $frozen_rc: $frozen_err"
expect_contains "$frozen_out" "every scheduled post of organisation $streamco" "freeze by name"
freeze_id=$(sqlite3 "$db" "SELECT id FROM post_freezes WHERE org_id = '$streamco'")
[[ "$freeze_id" == frz_* ]] || fail "no freeze row for StreamCo: '$freeze_id'"
[[ $(sqlite3 "$db" "SELECT reason FROM post_freezes WHERE id = '$freeze_id'") == "talent dispute" ]] ||
  fail "the reason is kept"
[[ $(sqlite3 "$db" "SELECT actor_id || ':' || action FROM audit_log WHERE entity_id = '$freeze_id'") == "cli:frozen" ]] ||
  fail "the freeze is audited as the CLI"

run_capture all "$tutti" freeze --db "$url" --activation "$activation" --all --reason "recall"
[[ "$all_rc" == 0 ]] || fail "freeze --all exited $all_rc: $all_err"
[[ $(sqlite3 "$db" "SELECT count(*) FROM post_freezes WHERE scope = 'activation' AND lifted_at IS NULL") == 1 ]] ||
  fail "one active freeze of the whole activation"

run_capture lifted "$tutti" unfreeze --db "$url" --activation "$activation" --freeze "$freeze_id" \
  --reason "dispute settled"
[[ "$lifted_rc" == 0 ]] || fail "unfreeze exited $lifted_rc: $lifted_err"
expect_contains "$lifted_out" "lifted $freeze_id" "unfreeze"
[[ $(sqlite3 "$db" "SELECT lifted_by || '|' || lift_reason FROM post_freezes WHERE id = '$freeze_id'") == "cli|dispute settled" ]] ||
  fail "who lifted it and why"

run_capture again "$tutti" unfreeze --db "$url" --activation "$activation" --freeze "$freeze_id" \
  --reason "twice"
expect_one_error_line again "a second lift"
expect_contains "$again_err" "already_lifted" "a second lift"

run_capture both "$tutti" freeze --db "$url" --activation "$activation" --all --partner StreamCo \
  --reason "x"
[[ "$both_rc" == 2 ]] || fail "--all with --partner: expected usage error 2, got $both_rc"
run_capture neither "$tutti" freeze --db "$url" --activation "$activation" --reason "x"
[[ "$neither_rc" == 2 ]] || fail "neither --all nor --partner: expected usage error 2, got $neither_rc"

before=$(sqlite3 "$db" "SELECT count(*) FROM audit_log")
run_capture unknown "$tutti" freeze --db "$url" --activation "$activation" --partner "Nobody Ltd" \
  --reason "x"
expect_one_error_line unknown "an unknown organisation"
[[ "$unknown_rc" == 1 ]] || fail "an unknown organisation: expected exit 1, got $unknown_rc"
[[ $(sqlite3 "$db" "SELECT count(*) FROM audit_log") == "$before" ]] || fail "a refusal writes nothing"
echo "freeze_test: ok"

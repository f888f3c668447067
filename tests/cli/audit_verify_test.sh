#!/usr/bin/env bash
# `tutti audit verify` on SQLite: an intact chain passes and prints its head as SEQ:HASH; an
# entry edited, removed or reordered behind Tutti's back (with the sqlite3 shell) fails naming
# the first bad entry; a truncated tail is caught only against a checkpoint kept from before.
# run_capture sets NAME_out, NAME_err and NAME_rc through printf -v, which shellcheck cannot see.
# shellcheck disable=SC2154
set -euo pipefail
# shellcheck source=tests/cli/lib.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
setup_workdir "$@"
command -v sqlite3 >/dev/null || fail "the sqlite3 shell is required (Debian package sqlite3)"

pristine="$work/pristine.db"
"$tutti" demo --db "sqlite:$pristine" >/dev/null

run_capture ok "$tutti" audit verify --db "sqlite:$pristine"
[[ "$ok_rc" == 0 ]] || fail "verify of an intact chain exited $ok_rc: $ok_err"
entries=$(sqlite3 "$pristine" "SELECT COUNT(*) FROM audit_log")
((entries >= 10)) || fail "the demo wrote only $entries audit entries"
head=$(grep -oE '[0-9]+:[0-9a-f]{64}' <<<"$ok_out") || fail "verify printed no SEQ:HASH: $ok_out"
[[ "$head" == "$entries:"* ]] || fail "head $head does not name the last entry $entries"
expect_contains "$ok_out" "$entries entries" "verify of an intact chain"

run_capture with_head "$tutti" audit verify --db "sqlite:$pristine" --checkpoint "$head"
[[ "$with_head_rc" == 0 ]] || fail "verify against its own head exited $with_head_rc: $with_head_err"

# A consistent copy of the pristine database to tamper with (the backup API copies WAL content).
copy() {
  local target="$work/$1.db"
  rm -f "$target"
  sqlite3 "$pristine" ".backup '$target'"
  echo "$target"
}

expect_broken_at() {
  local db=$1 seq=$2 what=$3
  shift 3
  run_capture broken "$tutti" audit verify --db "sqlite:$db" "$@"
  expect_one_error_line broken "$what"
  [[ "$broken_rc" == 1 ]] || fail "$what: exited $broken_rc, expected 1"
  expect_contains "$broken_err" "broken at entry $seq:" "$what"
}

# (a) An edited after_state breaks that entry's own hash.
edited=$(copy edited)
sqlite3 "$edited" "UPDATE audit_log SET after_state = '{\"status\":\"live\"}' WHERE seq = 5"
expect_broken_at "$edited" 5 "edited after_state"

# So does an edited actor: every field but the hash is covered by it.
actor=$(copy actor)
sqlite3 "$actor" "UPDATE audit_log SET actor_id = 'usr_mallory' WHERE seq = 3"
expect_broken_at "$actor" 3 "edited actor"

# (b) A deleted interior entry is named as missing.
deleted=$(copy deleted)
sqlite3 "$deleted" "DELETE FROM audit_log WHERE seq = 7"
expect_broken_at "$deleted" 7 "deleted entry 7"
expect_contains "$broken_err" "missing" "deleted entry 7"

# (c) Two entries swapped (their seq exchanged) break the chain where the first of them stood.
swapped=$(copy swapped)
sqlite3 "$swapped" "UPDATE audit_log SET seq = -1 WHERE seq = 4;
                    UPDATE audit_log SET seq = 4 WHERE seq = 6;
                    UPDATE audit_log SET seq = 6 WHERE seq = -1;"
expect_broken_at "$swapped" 4 "entries 4 and 6 swapped"

# (d) Deleting the newest entry leaves a shorter chain that is valid in itself: nothing inside a
# hash chain records how long it was. Plain verify therefore passes; a head kept from an earlier
# verify (--checkpoint) is what catches the truncation.
truncated=$(copy truncated)
sqlite3 "$truncated" "DELETE FROM audit_log WHERE seq = $entries"
run_capture plain "$tutti" audit verify --db "sqlite:$truncated"
[[ "$plain_rc" == 0 ]] || fail "plain verify of a truncated chain exited $plain_rc: $plain_err"
expect_contains "$plain_out" "$((entries - 1)) entries" "plain verify of a truncated chain"
expect_broken_at "$truncated" "$entries" "truncated tail against the earlier head" \
  --checkpoint "$head"
expect_contains "$broken_err" "truncated" "truncated tail against the earlier head"

# A rewritten history that is consistent in itself is caught by the checkpoint's hash.
early_head="3:$(sqlite3 "$pristine" "SELECT hash FROM audit_log WHERE seq = 3")"
run_capture early "$tutti" audit verify --db "sqlite:$pristine" --checkpoint "$early_head"
[[ "$early_rc" == 0 ]] || fail "verify against an earlier head exited $early_rc: $early_err"
expect_broken_at "$edited" 5 "edited entry, with an earlier checkpoint" --checkpoint "$early_head"

# A malformed checkpoint is the operator's mistake, not a broken log.
for bad in "12:nothex" "3:$(printf 'z%.0s' {1..64})"; do
  run_capture bad_checkpoint "$tutti" audit verify --db "sqlite:$pristine" --checkpoint "$bad"
  expect_one_error_line bad_checkpoint "malformed checkpoint $bad"
  expect_contains "$bad_checkpoint_err" "checkpoint" "malformed checkpoint $bad"
  expect_not_contains "$bad_checkpoint_err" "broken" "malformed checkpoint $bad"
done

echo "PASS: audit verify"

#!/usr/bin/env bash
# `tutti contract put`, `tutti ingest`, `tutti consent set` and `tutti erase` on SQLite (issue 4,
# C5/C6): a contract is checked before it is stored; a CSV with good and bad records stores the
# good ones in one batch and lists every bad one with its line, field and reason; raw e-mails
# never reach the database file; re-sending stores nothing twice; an Idempotency-Key replays;
# gzip NDJSON works; a corrupt upload stores nothing; an erased key's events go and stay gone.
# run_capture sets NAME_out, NAME_err and NAME_rc through printf -v, which shellcheck cannot see.
# shellcheck disable=SC2154
set -euo pipefail
# shellcheck source=tests/cli/lib.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
scenarios="$(cd "$(dirname "${BASH_SOURCE[0]}")/../scenarios/ingest" && pwd)"
setup_workdir "$@"
command -v sqlite3 >/dev/null || fail "the sqlite3 shell is required (Debian package sqlite3)"

db="$work/m.db"
url="sqlite:$db"
secret="$work/secret"
"$tutti" demo --db "$url" >/dev/null
activation=$(sqlite3 "$db" "SELECT id FROM activations LIMIT 1")
# The demo seeds measurement feeds of its own; this test counts only what it sends.
sqlite3 "$db" "DELETE FROM events"
count() { sqlite3 "$db" "SELECT COUNT(*) FROM events"; }

run_capture bad_contract "$tutti" contract put --db "$url" --activation "$activation" --org StreamCo \
  <(sed 's/"timestamp", "privacy"/"date", "privacy"/' "$scenarios/streamco.contract.json")
[[ "$bad_contract_rc" == 1 ]] || fail "an invalid contract must exit 1, got $bad_contract_rc"
expect_one_error_line bad_contract "invalid contract"
expect_contains "$bad_contract_err" "fields[2].type" "invalid contract names its field"

run_capture put "$tutti" contract put --db "$url" --activation "$activation" --org StreamCo \
  "$scenarios/streamco.contract.json"
[[ "$put_rc" == 0 ]] || fail "contract put exited $put_rc: $put_err"
expect_contains "$put_out" "feed streamco-events of StreamCo: contract version 1" "contract put"

run_capture first "$tutti" ingest --db "$url" --secret-file "$secret" --feed streamco-events \
  "$scenarios/events.csv"
[[ "$first_rc" == 4 ]] || fail "a file with rejected records must exit 4, got $first_rc: $first_err"
expect_contains "$first_err" "10 records, 4 stored, 0 already there, 0 of erased keys, 6 rejected" "first ingest"
report=$first_out
for expected in "6 ts invalid_instant" "7 revenue invalid_type" "8 email required" \
  "9 - stray_quote" "10 - field_count" "11 channel invalid_utf8"; do
  read -r line field reason <<<"$expected"
  python3 - "$report" "$line" "$field" "$reason" <<'PY' || fail "report lacks line $expected: $report"
import json, sys
report, line, field, reason = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
if field == "-":  # record-level errors have no field
    field = ""
assert any(e["line"] == line and e["reason"] == reason and (not field or e["field"] == field)
           for e in report["errors"]), (line, field, reason)
PY
done
[[ $(count) == 4 ]] || fail "expected 4 stored events, found $(count)"
# No raw identifier or free text anywhere in the database files (WAL included).
for needle in "ana.silva" "Ana.Silva" "example.com" "loved it" "multi"; do
  if grep -a -q -- "$needle" "$db"*; then fail "'$needle' reached the database"; fi
done
keys=$(sqlite3 "$db" "SELECT COUNT(DISTINCT user_key) FROM events")
[[ "$keys" == 2 ]] || fail "ana's three spellings must be one key (plus erin's): $keys keys"
[[ $(sqlite3 "$db" "SELECT COUNT(*) FROM consents WHERE granted = 0") == 2 ]] ||
  fail "erin's consent=false must opt her out of measurement and sharing"

run_capture again "$tutti" ingest --db "$url" --secret-file "$secret" --feed streamco-events \
  --errors csv "$scenarios/events.csv"
expect_contains "$again_err" "0 stored, 4 already there" "re-sending stores nothing twice"
expect_contains "$again_out" "line,field,reason,message" "csv report header"
[[ $(count) == 4 ]] || fail "re-sending changed the event count"

run_capture key1 "$tutti" ingest --db "$url" --secret-file "$secret" --feed streamco-events \
  --idempotency-key k-1 "$scenarios/events.csv"
run_capture key2 "$tutti" ingest --db "$url" --secret-file "$secret" --feed streamco-events \
  --idempotency-key k-1 "$scenarios/events.csv"
expect_contains "$key2_err" "replayed batch" "idempotency key replays"
[[ $(sqlite3 "$db" "SELECT COUNT(*) FROM ingest_batches WHERE idempotency_key = 'k-1'") == 1 ]] ||
  fail "a replay must not record a second batch"

printf '%s\n' '{"event_id": "n1", "email": "fay@example.com", "ts": "2026-06-02T09:00:00Z", "type": "click", "channel": "x"}' \
  '{"event_id": "n2", "email": "fay@example.com", "ts": "2026-06-02T10:00:00Z", "type": "purchase", "revenue": 20}' |
  gzip >"$work/events.ndjson.gz"
run_capture gz "$tutti" ingest --db "$url" --secret-file "$secret" --feed streamco-events \
  "$work/events.ndjson.gz"
[[ "$gz_rc" == 0 ]] || fail "a clean gzip NDJSON must exit 0, got $gz_rc: $gz_err $gz_out"
[[ $(count) == 6 ]] || fail "gzip NDJSON did not store its 2 events"

head -c 60 "$work/events.ndjson.gz" >"$work/broken.ndjson.gz"
batches=$(sqlite3 "$db" "SELECT COUNT(*) FROM ingest_batches")
run_capture broken "$tutti" ingest --db "$url" --secret-file "$secret" --feed streamco-events \
  "$work/broken.ndjson.gz"
[[ "$broken_rc" == 1 ]] || fail "a truncated gzip must exit 1, got $broken_rc"
expect_one_error_line broken "truncated gzip"
[[ $(count) == 6 && $(sqlite3 "$db" "SELECT COUNT(*) FROM ingest_batches") == "$batches" ]] ||
  fail "a failed upload must store nothing"

ana_key=$(sqlite3 "$db" "SELECT user_key FROM events WHERE event_id = 'e1'")
[[ ${#ana_key} == 64 ]] || fail "user keys are 64 hex characters: '$ana_key'"
run_capture erased "$tutti" erase --db "$url" --secret-file "$secret" --email " ANA.SILVA@example.com"
[[ "$erased_rc" == 0 ]] || fail "erase exited $erased_rc: $erased_err"
expect_contains "$erased_out" "3 event(s) removed" "erase"
[[ $(count) == 3 ]] || fail "erase left ana's events"
run_capture after "$tutti" ingest --db "$url" --secret-file "$secret" --feed streamco-events \
  "$scenarios/events.csv"
expect_contains "$after_err" "3 of erased keys" "an erased key's events are refused later"
[[ $(count) == 3 ]] || fail "an erased key came back"
[[ $(sqlite3 "$db" "SELECT COUNT(*) FROM audit_log WHERE entity_id = '$ana_key' OR
    after_state LIKE '%$ana_key%' OR before_state LIKE '%$ana_key%'") == 0 ]] ||
  fail "the audit trail names an erased key"
[[ $(sqlite3 "$db" "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'erasure'") == 1 ]] ||
  fail "the erasure is not audited"

run_capture consent "$tutti" consent set --db "$url" --secret-file "$secret" \
  --email fay@example.com --purpose sharing --granted false
[[ "$consent_rc" == 0 ]] || fail "consent set exited $consent_rc: $consent_err"
run_capture audit "$tutti" audit verify --db "$url"
[[ "$audit_rc" == 0 ]] || fail "the audit chain broke: $audit_err"
echo "ok"

#!/usr/bin/env bash
# The CLI on PostgreSQL: migrate, demo and audit verify against a database of its own on the
# server at $TUTTI_TEST_POSTGRES_URL (scripts/pg-test-server starts one), then an entry edited
# with psql is caught. Without the variable this test fails, unless TUTTI_ALLOW_NO_POSTGRES=1.
# run_capture sets NAME_out, NAME_err and NAME_rc through printf -v, which shellcheck cannot see.
# shellcheck disable=SC2154
set -euo pipefail
# shellcheck source=tests/cli/lib.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
setup_workdir "$@"

base_url=${TUTTI_TEST_POSTGRES_URL:-}
if [[ -z "$base_url" ]]; then
  if [[ "${TUTTI_ALLOW_NO_POSTGRES:-}" == 1 ]]; then
    echo "SKIP: TUTTI_TEST_POSTGRES_URL is unset and TUTTI_ALLOW_NO_POSTGRES=1"
    exit 0
  fi
  fail "TUTTI_TEST_POSTGRES_URL is unset: run scripts/pg-test-server start DIR and export the URL
it prints, or set TUTTI_ALLOW_NO_POSTGRES=1 to skip PostgreSQL"
fi
command -v psql >/dev/null || fail "psql is required (Debian package postgresql-client)"

database="tutti_cli_$$_$RANDOM"
# Same server and options, another database: replace the path of the URL.
url=$(sed -E "s#^(postgres(ql)?://[^/?]*/)[^?]*#\1$database#" <<<"$base_url")
[[ "$url" == *"/$database"* ]] || fail "cannot derive a database URL from $base_url"
psql "$base_url" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $database" >/dev/null
drop_database() {
  psql "$base_url" -X -q -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null || true
  rm -rf -- "$work"
}
trap drop_database EXIT

run_capture migrate1 "$tutti" migrate --db "$url"
[[ "$migrate1_rc" == 0 ]] || fail "migrate exited $migrate1_rc: $migrate1_err"
expect_contains "$migrate1_out" "(10 migration(s) applied now)" "first migrate"
run_capture migrate2 "$tutti" migrate --db "$url"
[[ "$migrate2_rc" == 0 ]] || fail "second migrate exited $migrate2_rc: $migrate2_err"
expect_contains "$migrate2_out" "(0 migration(s) applied now)" "second migrate"

run_capture demo "$tutti" demo --db "$url"
[[ "$demo_rc" == 0 ]] || fail "demo exited $demo_rc: $demo_err"
expect_contains "$demo_out" "olivia@acme.example / tutti-demo-owner" "demo"
run_capture demo2 "$tutti" demo --db "$url"
expect_contains "$demo2_out" "already present" "second demo"

sql() { psql "$url" -X -q -t -A -v ON_ERROR_STOP=1 -c "$1"; }
entries=$(sql "SELECT COUNT(*) FROM audit_log")
run_capture ok "$tutti" audit verify --db "$url"
[[ "$ok_rc" == 0 ]] || fail "verify exited $ok_rc: $ok_err"
head=$(grep -oE '[0-9]+:[0-9a-f]{64}' <<<"$ok_out") || fail "verify printed no SEQ:HASH: $ok_out"
[[ "$head" == "$entries:"* ]] || fail "head $head does not name the last entry $entries"

run_capture dup "$tutti" org add "Acme Beverages" --db "$url"
expect_one_error_line dup "duplicate org add on PostgreSQL"

sql "UPDATE audit_log SET before_state = '{\"forged\":true}' WHERE seq = 4" >/dev/null
run_capture broken "$tutti" audit verify --db "$url"
expect_one_error_line broken "edited entry on PostgreSQL"
expect_contains "$broken_err" "broken at entry 4:" "edited entry on PostgreSQL"

echo "PASS: postgres"

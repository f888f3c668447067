#!/usr/bin/env bash
# The tutti sub-commands on SQLite: version and help, migrations, organisations, users and the
# demo seed, including the failures an operator will meet (duplicates, weak passwords, typos).
# run_capture sets NAME_out, NAME_err and NAME_rc through printf -v, which shellcheck cannot see.
# shellcheck disable=SC2154
set -euo pipefail
# shellcheck source=tests/cli/lib.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
setup_workdir "$@"
db="sqlite:$work/t.db"

# --version and --help
run_capture version "$tutti" --version
[[ "$version_rc" == 0 ]] || fail "--version exited $version_rc"
[[ "$version_out" =~ ^tutti\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "--version printed: $version_out"

check_help() {
  local expected_options=$1
  shift
  run_capture help "$tutti" "$@" --help
  [[ "$help_rc" == 0 ]] || fail "tutti $* --help exited $help_rc: $help_err"
  local option
  for option in $expected_options; do
    expect_contains "$help_out" "$option" "tutti $* --help"
  done
}
check_help "serve migrate org user demo audit --version"
check_help "--db --listen --web-root --max-body-bytes --secure-cookies --argon2-memory-mib" serve
check_help "--db" migrate
check_help "add" org
check_help "NAME --partner --db" org add
check_help "add" user
check_help "--org --email --name --role --password-stdin --db --argon2-passes" user add
check_help "--db" demo
check_help "verify" audit
check_help "--db --checkpoint SEQ:HASH" audit verify

# No sub-command is a usage error (exit 2, per cli.h).
run_capture bare "$tutti"
[[ "$bare_rc" == 2 ]] || fail "tutti without a sub-command exited $bare_rc, expected 2"

# migrate twice: the second run applies nothing.
run_capture migrate1 "$tutti" migrate --db "$db"
[[ "$migrate1_rc" == 0 ]] || fail "first migrate exited $migrate1_rc: $migrate1_err"
expect_contains "$migrate1_out" "(10 migration(s) applied now)" "first migrate"
run_capture migrate2 "$tutti" migrate --db "$db"
[[ "$migrate2_rc" == 0 ]] || fail "second migrate exited $migrate2_rc: $migrate2_err"
expect_contains "$migrate2_out" "(0 migration(s) applied now)" "second migrate"
expect_contains "$migrate2_out" "schema at version 10" "second migrate"

# org add: host by default, --partner for partners; names are unique.
run_capture host "$tutti" org add "Acme Beverages" --db "$db"
[[ "$host_rc" == 0 ]] || fail "org add host exited $host_rc: $host_err"
tab=$'\t'
[[ "$host_out" =~ ^org_[a-z2-9]{20}"${tab}Acme Beverages${tab}host"$ ]] ||
  fail "org add printed: $host_out"
run_capture partner "$tutti" org add StreamCo --partner --db "$db"
[[ "$partner_rc" == 0 ]] || fail "org add --partner exited $partner_rc: $partner_err"
[[ "$partner_out" == *"${tab}StreamCo${tab}partner" ]] || fail "org add --partner printed: $partner_out"

run_capture dup "$tutti" org add "Acme Beverages" --partner --db "$db"
expect_one_error_line dup "duplicate org add"
[[ "$dup_rc" == 1 ]] || fail "duplicate org add exited $dup_rc, expected 1"
expect_contains "$dup_err" "already exists" "duplicate org add"
[[ $(sqlite3 "$work/t.db" "SELECT COUNT(*) FROM orgs") == 2 ]] || fail "duplicate created a row"

run_capture empty_name "$tutti" org add "" --db "$db"
expect_one_error_line empty_name "org add with an empty name"

# user add: the password comes from stdin only.
add_user() {
  "$tutti" user add --db "$db" --org "$1" --email "$2" --name "$3" --role "$4" --password-stdin
}
run_capture good add_user "Acme Beverages" " Olivia@Acme.Example " "Olivia Okafor" owner \
  <<<"a long enough password"
[[ "$good_rc" == 0 ]] || fail "user add exited $good_rc: $good_err"
[[ "$good_out" =~ ^usr_[a-z2-9]{20}"${tab}olivia@acme.example${tab}owner${tab}Acme Beverages"$ ]] ||
  fail "user add printed: $good_out"
stored_hash=$(sqlite3 "$work/t.db" "SELECT password_hash FROM users WHERE email = 'olivia@acme.example'")
# shellcheck disable=SC2016 # the dollars are literal PHC separators
[[ "$stored_hash" == '$argon2id$v=19$m=19456,t=2,p=1$'* ]] || fail "stored hash: $stored_hash"

run_capture short add_user "Acme Beverages" felix@acme.example "Felix Hart" facilitator \
  <<<"too short"
expect_one_error_line short "user add with a short password"
expect_contains "$short_err" "password" "user add with a short password"
[[ $(sqlite3 "$work/t.db" "SELECT COUNT(*) FROM users WHERE email = 'felix@acme.example'") == 0 ]] ||
  fail "a user with a rejected password was created"

run_capture bad_role add_user "Acme Beverages" felix@acme.example "Felix Hart" admin \
  <<<"a long enough password"
[[ "$bad_role_rc" == 2 ]] || fail "unknown role exited $bad_role_rc, expected the usage status 2"
expect_contains "$bad_role_err" "--role" "user add with an unknown role"

run_capture unknown_org add_user "Nope Inc" felix@acme.example "Felix Hart" facilitator \
  <<<"a long enough password"
expect_one_error_line unknown_org "user add to an unknown organisation"
expect_contains "$unknown_org_err" "not_found" "user add to an unknown organisation"

run_capture dup_user add_user StreamCo OLIVIA@acme.example "Olivia Again" viewer \
  <<<"a long enough password"
expect_one_error_line dup_user "user add with a taken email"
expect_contains "$dup_user_err" "already exists" "user add with a taken email"

run_capture no_stdin_flag "$tutti" user add --db "$db" --org StreamCo --email s@x.example \
  --name S --role viewer
[[ "$no_stdin_flag_rc" == 2 ]] || fail "user add without --password-stdin exited $no_stdin_flag_rc"
[[ $(sqlite3 "$work/t.db" "SELECT COUNT(*) FROM users") == 1 ]] || fail "failed adds created users"

# demo twice: idempotent, and both runs print the log-ins.
demo_db="sqlite:$work/demo.db"
run_capture demo1 "$tutti" demo --db "$demo_db"
[[ "$demo1_rc" == 0 ]] || fail "demo exited $demo1_rc: $demo1_err"
expect_contains "$demo1_out" "Demo seeded" "first demo"
expect_contains "$demo1_out" "olivia@acme.example / tutti-demo-owner" "first demo"
expect_contains "$demo1_out" "sam@streamco.example / tutti-demo-partner" "first demo"
entries_after_first=$(sqlite3 "$work/demo.db" "SELECT COUNT(*) FROM audit_log")
run_capture demo2 "$tutti" demo --db "$demo_db"
[[ "$demo2_rc" == 0 ]] || fail "second demo exited $demo2_rc: $demo2_err"
expect_contains "$demo2_out" "already present" "second demo"
expect_contains "$demo2_out" "olivia@acme.example / tutti-demo-owner" "second demo"
[[ $(sqlite3 "$work/demo.db" "SELECT COUNT(*) FROM orgs") == 5 ]] || fail "demo orgs duplicated"
[[ $(sqlite3 "$work/demo.db" "SELECT COUNT(*) FROM activations") == 1 ]] ||
  fail "demo activation duplicated"
[[ $(sqlite3 "$work/demo.db" "SELECT COUNT(*) FROM audit_log") == "$entries_after_first" ]] ||
  fail "the second demo changed the audit trail"

# A URL with an unknown scheme is one clear error.
run_capture bad_url "$tutti" migrate --db "mysql://x/y"
expect_one_error_line bad_url "migrate with an unknown URL scheme"

echo "PASS: commands"

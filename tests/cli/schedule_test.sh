#!/usr/bin/env bash
# `tutti schedule plan | what-if | fallback`: the issue's example plan printed as JSON with its
# launch instants, standard input, invalid plans as one error line naming the cycle or the DST
# market (exit 1), usage errors (exit 2), what-if delays and the fallback launch.
# run_capture sets NAME_out, NAME_err and NAME_rc through printf -v, which shellcheck cannot see.
# shellcheck disable=SC2154
set -euo pipefail
# shellcheck source=tests/cli/lib.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
setup_workdir "$@"
command -v python3 >/dev/null || fail "python3 is required to read the JSON output"

# json_get JSON EXPR: prints EXPR, a Python expression over the parsed document `d`, as JSON.
json_get() {
  python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print(json.dumps(eval(sys.argv[2])))' \
    "$1" "$2"
}
# expect_json JSON EXPR EXPECTED WHAT: EXPR equals the JSON value EXPECTED (objects unordered).
expect_json() {
  local json=$1 expr=$2 expected=$3 what=$4
  local got
  got=$(json_get "$json" "$expr") || fail "$what: output is not JSON: $json"
  python3 -c 'import json, sys; sys.exit(json.loads(sys.argv[1]) != json.loads(sys.argv[2]))' \
    "$got" "$expected" || fail "$what: $expr is $got, expected $expected"
}

# The example plan of issue 3, verbatim.
cat >example.json <<'EOF'
{"launch": {"local": "2026-06-01T09:00",
            "markets": [{"name": "US", "tz": "America/New_York"}, {"name": "JP", "tz": "Asia/Tokyo"}],
            "on_gap": "shift_forward", "on_overlap": "earliest"},
 "milestones": [{"id": "brief", "duration": "3d", "buffer": "1d", "owner": "ana"},
                {"id": "qa", "duration": "36h", "after": ["brief", {"id": "legal", "lag": "4h"}]},
                {"id": "legal", "duration": "90m"}]}
EOF
now=2026-05-20T00:00:00Z

# --help explains the format and points to the documentation.
run_capture help "$tutti" schedule --help
[[ "$help_rc" == 0 ]] || fail "schedule --help exited $help_rc"
for word in plan what-if fallback docs/scheduling.md; do
  expect_contains "$help_out" "$word" "schedule --help"
done
for command in plan what-if fallback; do
  run_capture help "$tutti" schedule "$command" --help
  [[ "$help_rc" == 0 ]] || fail "schedule $command --help exited $help_rc"
  for word in PLAN --now milestones duration docs/scheduling.md; do
    expect_contains "$help_out" "$word" "schedule $command --help"
  done
done
run_capture bare "$tutti" schedule
[[ "$bare_rc" == 2 ]] || fail "schedule without a command exited $bare_rc, expected 2"

# plan: JSON on stdout with each market's UTC launch (09:00 EDT = 13:00Z, 09:00 JST = 00:00Z).
run_capture plan "$tutti" schedule plan example.json --now "$now"
[[ "$plan_rc" == 0 ]] || fail "schedule plan exited $plan_rc: $plan_err"
[[ -z "$plan_err" ]] || fail "schedule plan wrote to stderr: $plan_err"
expect_json "$plan_out" 'd["launch"]' '{"US": "2026-06-01T13:00:00Z", "JP": "2026-06-01T00:00:00Z"}' \
  "schedule plan"
expect_json "$plan_out" '[m["id"] for m in d["milestones"]]' '["brief", "qa", "legal"]' "schedule plan"
expect_json "$plan_out" 'd["milestones"][1]["earliest_start"]' '"2026-05-24T00:00:00Z"' "schedule plan"
expect_json "$plan_out" 'd["milestones"][1]["latest_finish"]' '"2026-06-01T00:00:00Z"' "schedule plan"
expect_json "$plan_out" 'd["milestones"][0]["slack_seconds"]' '561600' "schedule plan"
expect_json "$plan_out" 'd["critical_path"]' '["brief", "qa"]' "schedule plan"
expect_json "$plan_out" 'd["at_risk"]' 'false' "schedule plan"
# Pretty-printed with two spaces.
expect_contains "$plan_out" $'{\n  "at_risk": false,' "schedule plan"

# The same plan from standard input; without --now, brief (waiting for nothing) starts now.
run_capture stdin "$tutti" schedule plan - --now "$now" <example.json
[[ "$stdin_rc" == 0 && "$stdin_out" == "$plan_out" ]] || fail "plan from stdin differs: $stdin_err"
before=$(date -u +%Y-%m-%dT%H:%M:%SZ)
run_capture current "$tutti" schedule plan example.json
after=$(date -u +%Y-%m-%dT%H:%M:%SZ)
[[ "$current_rc" == 0 ]] || fail "schedule plan without --now exited $current_rc: $current_err"
started=$(json_get "$current_out" 'd["milestones"][0]["earliest_start"]' | tr -d '"')
[[ ! "$started" < "$before" && ! "$started" > "$after" ]] ||
  fail "without --now brief starts at $started, not between $before and $after"

# Invalid plans: exit 1 with one line naming the problem.
cat >cycle.json <<'EOF'
{"launch": {"at": "2026-06-01T13:00:00Z"},
 "milestones": [{"id": "brief", "duration": "3d"},
                {"id": "qa", "duration": "36h", "after": ["brief", "legal"]},
                {"id": "legal", "duration": "90m", "after": ["qa"]}]}
EOF
run_capture cycle "$tutti" schedule plan cycle.json --now "$now"
expect_one_error_line cycle "a plan with a cycle"
[[ "$cycle_rc" == 1 ]] || fail "a plan with a cycle exited $cycle_rc, expected 1"
expect_contains "$cycle_err" "qa -> legal -> qa" "a plan with a cycle"
[[ -z "$cycle_out" ]] || fail "a plan with a cycle printed: $cycle_out"

cat >gap.json <<'EOF'
{"launch": {"local": "2026-03-08T02:30",
            "markets": [{"name": "UK", "tz": "Europe/London"}, {"name": "US", "tz": "America/New_York"}]},
 "milestones": [{"id": "teaser", "duration": "1d"}]}
EOF
run_capture gap "$tutti" schedule plan gap.json --now 2026-03-01T00:00:00Z
expect_one_error_line gap "a launch in a DST gap"
[[ "$gap_rc" == 1 ]] || fail "a launch in a DST gap exited $gap_rc, expected 1"
expect_contains "$gap_err" "market US" "a launch in a DST gap"
expect_contains "$gap_err" "2026-03-08T02:30" "a launch in a DST gap"
expect_contains "$gap_err" "America/New_York" "a launch in a DST gap"
# With shift_forward it resolves (02:30 EST read as 03:30 EDT = 07:30Z).
sed 's/"local": "2026-03-08T02:30",/"local": "2026-03-08T02:30", "on_gap": "shift_forward",/' \
  gap.json >shifted.json
run_capture shifted "$tutti" schedule plan shifted.json --now 2026-03-01T00:00:00Z
[[ "$shifted_rc" == 0 ]] || fail "shift_forward exited $shifted_rc: $shifted_err"
expect_json "$shifted_out" 'd["launch"]["US"]' '"2026-03-08T07:30:00Z"' "shift_forward"

printf '{"launch": {"at": "2026-06-01T13:00:00Z"}, "milestones": [{"id": "a", "duration": "1d", "after": ["b"]}]}' \
  >unknown.json
run_capture unknown "$tutti" schedule plan unknown.json --now "$now"
expect_one_error_line unknown "an unknown dependency"
expect_contains "$unknown_err" 'milestones[0].after[0]' "an unknown dependency"
expect_contains "$unknown_err" '"b"' "an unknown dependency"

printf '{"launch": {"at": "2026-06-01T13:00:00Z"}, "milestones": [{"id": "a", "duration": "1d", "lagg": "1h"}]}' \
  >typo.json
run_capture typo "$tutti" schedule plan typo.json --now "$now"
expect_one_error_line typo "an unknown key"
expect_contains "$typo_err" "unknown_field: milestones[0].lagg" "an unknown key"

printf '{"launch": ' >broken.json
run_capture broken "$tutti" schedule plan broken.json --now "$now"
expect_one_error_line broken "a file that is not JSON"
expect_contains "$broken_err" "broken.json is not valid JSON" "a file that is not JSON"

run_capture missing "$tutti" schedule plan no-such-plan.json --now "$now"
expect_one_error_line missing "a missing plan file"
[[ "$missing_rc" == 1 ]] || fail "a missing plan file exited $missing_rc, expected 1"

# Usage errors: exit 2.
run_capture bad_now "$tutti" schedule plan example.json --now yesterday
[[ "$bad_now_rc" == 2 ]] || fail "--now yesterday exited $bad_now_rc, expected 2"
run_capture no_plan "$tutti" schedule plan
[[ "$no_plan_rc" == 2 ]] || fail "schedule plan without PLAN exited $no_plan_rc, expected 2"

# what-if: legal (10d6h30m of slack) delayed 11d pushes qa and legal past the JP launch.
run_capture delay "$tutti" schedule what-if example.json --delay legal=11d --now "$now"
[[ "$delay_rc" == 0 ]] || fail "what-if exited $delay_rc: $delay_err"
expect_json "$delay_out" 'd["pushed_past_launch"]' '["qa", "legal"]' "what-if legal=11d"
expect_json "$delay_out" 'd["markets_missed"]' '["JP"]' "what-if legal=11d"
expect_json "$delay_out" 'd["schedule"]["at_risk"]' 'true' "what-if legal=11d"
expect_json "$delay_out" 'd["schedule"]["milestones"][2]["earliest_start"]' '"2026-05-31T00:00:00Z"' \
  "what-if legal=11d"
run_capture small "$tutti" schedule what-if example.json --delay legal=10d --now "$now"
[[ "$small_rc" == 0 ]] || fail "what-if legal=10d exited $small_rc: $small_err"
expect_json "$small_out" 'd["pushed_past_launch"]' '[]' "what-if legal=10d"
expect_json "$small_out" 'd["markets_missed"]' '[]' "what-if legal=10d"

run_capture nobody "$tutti" schedule what-if example.json --delay lgal=1d --now "$now"
expect_one_error_line nobody "what-if on an unknown milestone"
[[ "$nobody_rc" == 1 ]] || fail "what-if on an unknown milestone exited $nobody_rc, expected 1"
expect_contains "$nobody_err" '"lgal"' "what-if on an unknown milestone"
run_capture bad_delay "$tutti" schedule what-if example.json --delay legal --now "$now"
[[ "$bad_delay_rc" == 2 ]] || fail "--delay without a duration exited $bad_delay_rc, expected 2"
run_capture no_delay "$tutti" schedule what-if example.json --now "$now"
[[ "$no_delay_rc" == 2 ]] || fail "what-if without --delay exited $no_delay_rc, expected 2"

# fallback: the 7 days of work miss 06-01 from 05-28 but fit before 06-08 09:00 New York.
cat >fallback.json <<'EOF'
{"launch": {"at": "2026-06-01T00:00:00Z"},
 "fallback": {"local": "2026-06-08T09:00", "markets": [{"name": "US", "tz": "America/New_York"}]},
 "milestones": [{"id": "build", "duration": "5d"}, {"id": "ship", "duration": "2d", "after": ["build"]}]}
EOF
run_capture primary "$tutti" schedule plan fallback.json --now 2026-05-28T00:00:00Z
expect_json "$primary_out" 'd["at_risk"]' 'true' "the primary launch"
run_capture holds "$tutti" schedule fallback fallback.json --now 2026-05-28T00:00:00Z
[[ "$holds_rc" == 0 ]] || fail "schedule fallback exited $holds_rc: $holds_err"
expect_json "$holds_out" 'd["holds"]' 'true' "fallback from 05-28"
expect_json "$holds_out" 'd["schedule"]["launch"]' '{"US": "2026-06-08T13:00:00Z"}' "fallback from 05-28"
run_capture fails "$tutti" schedule fallback fallback.json --now 2026-06-03T00:00:00Z
[[ "$fails_rc" == 0 ]] || fail "schedule fallback exited $fails_rc: $fails_err"
expect_json "$fails_out" 'd["holds"]' 'false' "fallback from 06-03"
expect_json "$fails_out" 'd["schedule"]["markets_at_risk"]' '["US"]' "fallback from 06-03"
run_capture none "$tutti" schedule fallback example.json --now "$now"
expect_one_error_line none "fallback of a plan without one"
[[ "$none_rc" == 1 ]] || fail "fallback of a plan without one exited $none_rc, expected 1"
expect_contains "$none_err" "no fallback" "fallback of a plan without one"

echo "PASS: schedule"

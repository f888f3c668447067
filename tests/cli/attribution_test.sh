#!/usr/bin/env bash
# `tutti attribution`: the heuristic models on a small events CSV with answers worked by hand,
# credit by channel, partner and partner × channel, lookback options, standard input, names that
# need CSV quoting, the same events as NDJSON (from a file and from standard input), and the
# errors: a bad record in CSV or NDJSON (exit 1, one line naming line and column or key), a
# missing file (exit 1), time_decay on a path file (exit 1) and usage errors (exit 2).
# run_capture sets NAME_out, NAME_err and NAME_rc through printf -v, which shellcheck cannot see.
# shellcheck disable=SC2154
set -euo pipefail
# shellcheck source=tests/cli/lib.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
setup_workdir "$@"

# alice: a streamco social impression 3 h and an acme search click 2 h before buying for 100.
# bob: a streamco social click 25 h and a streamco video impression 1 h before buying for 50.
# carol: buys for 20 with no touch at all, so (direct). dave: a click and no conversion.
cat >events.csv <<'EOF'
event_id,user_key,ts,partner,channel,type,value
e01,alice,2026-06-01T09:00:00Z,streamco,social,impression,
e02,alice,2026-06-01T10:00:00Z,acme,search,click,
e03,alice,2026-06-01T12:00:00Z,acme,web,conversion,100
e04,bob,2026-06-01T08:00:00Z,streamco,social,click,
e05,bob,2026-06-02T08:00:00Z,streamco,video,impression,
e06,bob,2026-06-02T09:00:00Z,acme,web,conversion,50
e07,carol,2026-06-03T09:00:00Z,acme,web,conversion,20
e08,dave,2026-06-03T09:00:00Z,acme,search,click,
EOF

# expect_table WHAT EXPECTED ARGS...: the run succeeds, prints exactly EXPECTED, nothing on stderr.
expect_table() {
  local what=$1 expected=$2
  shift 2
  run_capture table "$tutti" attribution "$@"
  [[ "$table_rc" == 0 ]] || fail "$what: exited $table_rc: $table_err"
  [[ -z "$table_err" ]] || fail "$what: wrote to stderr: $table_err"
  [[ "$table_out" == "$expected" ]] || fail "$what: expected
$expected
got
$table_out"
}

expect_table "linear by channel" "channel,conversions,revenue
(direct),1.000000,20.000000
search,0.500000,50.000000
social,1.000000,75.000000
video,0.500000,25.000000" --events events.csv --model linear

expect_table "first by channel" "channel,conversions,revenue
(direct),1.000000,20.000000
search,0.000000,0.000000
social,2.000000,150.000000
video,0.000000,0.000000" --events events.csv --model first

expect_table "last by partner" "partner,conversions,revenue
(direct),1.000000,20.000000
acme,1.000000,100.000000
streamco,1.000000,50.000000" --events events.csv --model last --by partner

expect_table "position by partner and channel" "partner,channel,conversions,revenue
(direct),(direct),1.000000,20.000000
acme,search,0.500000,50.000000
streamco,social,1.000000,75.000000
streamco,video,0.500000,25.000000" --events events.csv --model position --by partner,channel

# Ages 3 h and 2 h at a half-life of 1 h weigh 1/3 and 2/3; bob's 25 h and 1 h, 2^-24 and 1.
expect_table "time_decay with a 1 h half-life" "channel,conversions,revenue
(direct),1.000000,20.000000
search,0.666667,66.666667
social,0.333333,33.333336
video,1.000000,49.999997" --events events.csv --model time_decay --half-life 1h

# A 1 h click window drops alice's click (2 h) and bob's (25 h); a 30 min view window drops
# alice's impression (3 h) too, so she converts directly.
expect_table "lookback windows" "channel,conversions,revenue
(direct),2.000000,120.000000
search,0.000000,0.000000
social,0.000000,0.000000
video,1.000000,50.000000" --events events.csv --model last --click-lookback 1h --view-lookback 1h
expect_table "a shorter view window" "channel,conversions,revenue
(direct),3.000000,170.000000
search,0.000000,0.000000
social,0.000000,0.000000
video,0.000000,0.000000" --events events.csv --model last --click-lookback 1h --view-lookback 30m

run_capture stdin "$tutti" attribution --events - --model linear --threads 1 <events.csv
[[ "$stdin_rc" == 0 ]] || fail "--events - exited $stdin_rc: $stdin_err"
expect_contains "$stdin_out" "social,1.000000,75.000000" "--events -"

# The same events as NDJSON, told from CSV by their first byte: the same table, from a file and
# from standard input after blank lines. Keys in another order, ts as epoch milliseconds, a
# blank line and a spend on a touchpoint change nothing.
cat >events.ndjson <<'EOF'
{"event_id":"e01","user_key":"alice","ts":"2026-06-01T09:00:00Z","partner":"streamco","channel":"social","type":"impression"}
{"event_id":"e02","user_key":"alice","ts":"2026-06-01T10:00:00Z","partner":"acme","channel":"search","type":"click","value":0.4}
{"type":"conversion","value":100,"event_id":"e03","user_key":"alice","ts":"2026-06-01T12:00:00Z","partner":"acme","channel":"web"}
{"event_id":"e04","user_key":"bob","ts":1780300800000,"partner":"streamco","channel":"social","type":"click","value":null}

{"event_id":"e05","user_key":"bob","ts":"2026-06-02T08:00:00Z","partner":"streamco","channel":"video","type":"impression"}
{"event_id":"e06","user_key":"bob","ts":"2026-06-02T09:00:00Z","partner":"acme","channel":"web","type":"conversion","value":50}
{"event_id":"e07","user_key":"carol","ts":"2026-06-03T09:00:00Z","type":"conversion","value":20}
{"event_id":"e08","user_key":"dave","ts":"2026-06-03T09:00:00Z","partner":"acme","channel":"search","type":"click"}
EOF
linear_by_channel="channel,conversions,revenue
(direct),1.000000,20.000000
search,0.500000,50.000000
social,1.000000,75.000000
video,0.500000,25.000000"
expect_table "NDJSON, linear by channel" "$linear_by_channel" --events events.ndjson --model linear
run_capture ndjson_stdin "$tutti" attribution --events - --model linear \
  < <(printf '\n  \r\n' && cat events.ndjson)
[[ "$ndjson_stdin_rc" == 0 ]] || fail "NDJSON on --events - exited $ndjson_stdin_rc: $ndjson_stdin_err"
[[ "$ndjson_stdin_out" == "$linear_by_channel" ]] || fail "NDJSON on --events -: got
$ndjson_stdin_out"

# Names with commas and quotes come out quoted, and sort by partner, then channel.
cat >quoted.csv <<'EOF'
event_id,user_key,ts,partner,channel,type,value
1,u,2026-06-01T09:00:00Z,"Acme, Inc.","say ""hi""",click,
2,u,2026-06-01T09:30:00Z,Acme,tv,click,
3,u,2026-06-01T10:00:00Z,shop,web,conversion,9
EOF
expect_table "quoted names" 'partner,channel,conversions,revenue
Acme,tv,0.500000,4.500000
"Acme, Inc.","say ""hi""",0.500000,4.500000' --events quoted.csv --model linear --by partner,channel

# A bad record: exit 1, one line naming the line and the column, nothing on stdout.
cat >bad.csv <<'EOF'
event_id,user_key,ts,partner,channel,type,value
e1,u,2026-06-01T09:00:00Z,p,c,click,
e2,u,yesterday,p,c,click,
e3,u,2026-06-01T10:00:00Z,p,c,conversion,
EOF
run_capture bad "$tutti" attribution --events bad.csv --model last
expect_one_error_line bad "a bad record"
[[ "$bad_rc" == 1 ]] || fail "a bad record exited $bad_rc, expected 1"
[[ -z "$bad_out" ]] || fail "a bad record printed: $bad_out"
expect_contains "$bad_err" "line 3: ts" "a bad record"
expect_contains "$bad_err" "2 bad records" "a bad record"

# A bad NDJSON line: the same one-line error, naming the line and the key (or "record" when the
# line is not a JSON object).
printf '%s\n' \
  '{"event_id":"e1","user_key":"u","ts":"2026-06-01T09:00:00Z","partner":"p","channel":"c","type":"click"}' \
  '{"event_id":"e2","user_key":"u","ts":"2026-06-01T10:00:00Z","type":"conversion","value":"12"}' \
  '{"event_id":"e3","user_key":"u","ts":"2026-06-01T11:00:00Z",' >bad.ndjson
run_capture bad_ndjson "$tutti" attribution --events bad.ndjson --model last
expect_one_error_line bad_ndjson "a bad NDJSON line"
[[ "$bad_ndjson_rc" == 1 ]] || fail "a bad NDJSON line exited $bad_ndjson_rc, expected 1"
[[ -z "$bad_ndjson_out" ]] || fail "a bad NDJSON line printed: $bad_ndjson_out"
expect_contains "$bad_ndjson_err" "line 2: value" "a bad NDJSON line"
expect_contains "$bad_ndjson_err" "expected a JSON number" "a bad NDJSON line"
expect_contains "$bad_ndjson_err" "2 bad records" "a bad NDJSON line"

run_capture missing "$tutti" attribution --events no-such-file.csv --model last
expect_one_error_line missing "a missing file"
[[ "$missing_rc" == 1 ]] || fail "a missing file exited $missing_rc, expected 1"
expect_contains "$missing_err" "no-such-file.csv" "a missing file"

# time_decay needs timestamps, which a path file has not.
printf 'path,total_conversions,total_conversion_value,total_null\na > b,1,10,0\n' >paths.csv
run_capture no_times "$tutti" attribution --paths paths.csv --model time_decay
expect_one_error_line no_times "time_decay on a path file"
[[ "$no_times_rc" == 1 ]] || fail "time_decay on a path file exited $no_times_rc, expected 1"
expect_contains "$no_times_err" "time_decay needs the time of every touch" "time_decay on paths"

# Usage errors exit 2.
for args in "--model last" \
  "--events events.csv --paths paths.csv --model last" \
  "--events events.csv" \
  "--events events.csv --model newest" \
  "--events events.csv --model last --by campaign" \
  "--events events.csv --model last --click-lookback soon" \
  "--events events.csv --model last --click-lookback 3wd" \
  "--paths paths.csv --model last --by partner" \
  "--paths paths.csv --model last --view-lookback 1d" \
  "--events events.csv --model markov --order 9"; do
  # shellcheck disable=SC2086 # the arguments are split on purpose
  run_capture usage "$tutti" attribution $args
  [[ "$usage_rc" == 2 ]] || fail "attribution $args exited $usage_rc, expected 2: $usage_err"
  [[ -z "$usage_out" ]] || fail "attribution $args printed: $usage_out"
done

run_capture help "$tutti" attribution --help
[[ "$help_rc" == 0 ]] || fail "attribution --help exited $help_rc"
for word in --events --paths --model --by --click-lookback --view-lookback --half-life --order \
  --threads event_id,user_key,ts,partner,channel,type,value NDJSON docs/attribution.md; do
  expect_contains "$help_out" "$word" "attribution --help"
done

echo "attribution CLI: all checks passed"

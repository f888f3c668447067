#!/usr/bin/env bash
# The golden iCalendar files (tests/scenarios/icalendar/*.ics, which icalendar_test.cc proves are
# the writer's exact output) read back through an independent implementation: Python's
# icalendar package plus zoneinfo, checked by tests/scenarios/icalendar/check.py. Needs the
# Debian package python3-icalendar (scripts/install-deps --test); without it this test fails,
# unless TUTTI_ALLOW_NO_PYTHON_ICALENDAR=1. The tutti binary given as $1 is not used.
# run_capture sets NAME_out, NAME_err and NAME_rc through printf -v, which shellcheck cannot see.
# shellcheck disable=SC2154
set -euo pipefail
# shellcheck source=tests/cli/lib.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
setup_workdir "$@"

scenarios=$(realpath "$(dirname "${BASH_SOURCE[0]}")/../scenarios/icalendar")

# Debian's python3-icalendar lives in the system interpreter, which a pyenv or virtualenv
# python3 earlier on PATH does not see: take the first interpreter that can import it.
python=
for candidate in "${TUTTI_PYTHON:-}" python3 /usr/bin/python3; do
  [[ -n "$candidate" ]] || continue
  if "$candidate" -c 'import icalendar, zoneinfo' >/dev/null 2>&1; then
    python=$candidate
    break
  fi
done
if [[ -z "$python" ]]; then
  if [[ "${TUTTI_ALLOW_NO_PYTHON_ICALENDAR:-}" == 1 ]]; then
    echo "SKIP: no python3 with the icalendar package and TUTTI_ALLOW_NO_PYTHON_ICALENDAR=1"
    exit 0
  fi
  fail "no python3 can import icalendar: run scripts/install-deps --test (python3-icalendar),
or set TUTTI_ALLOW_NO_PYTHON_ICALENDAR=1 to skip this test"
fi

shopt -s nullglob
files=("$scenarios"/*.ics)
((${#files[@]} >= 10)) || fail "expected the golden .ics files in $scenarios, found ${#files[@]}"
"$python" "$scenarios/check.py" "${files[@]}" || fail "check.py found problems (above)"

# The checker itself must notice a wrong file: move the first 01:30 of New York's fall-back day
# to the second (the pytz-style reading that RFC 5545 forbids) and expect a failure.
cp "$scenarios/ny_fall_back.ics" "$scenarios/ny_fall_back.json" "$work/"
sed -i 's/^TZOFFSETTO:-0400\r$/TZOFFSETTO:-0500\r/' "$work/ny_fall_back.ics"
run_capture broken "$python" "$scenarios/check.py" "$work/ny_fall_back.ics"
[[ "$broken_rc" != 0 ]] || fail "check.py accepted a VTIMEZONE with a wrong offset"
expect_contains "$broken_err" "ny_fall_back.ics" "check.py on a broken file"
echo "ok: ${#files[@]} golden iCalendar files read back as their instants"

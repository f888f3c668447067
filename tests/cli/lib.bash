# Shared helpers for the CLI tests (sourced, not a test itself: only *_test.sh files are run).
# Each test runs the real binary given as $1 inside its own temporary directory.

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# run_capture NAME CMD...: runs CMD with stdin from /dev/null unless redirected by the caller,
# storing stdout, stderr and the exit status in $NAME_out, $NAME_err and $NAME_rc.
run_capture() {
  local name=$1
  shift
  local out err rc=0
  out=$(mktemp -p "$work") err=$(mktemp -p "$work")
  "$@" >"$out" 2>"$err" || rc=$?
  printf -v "${name}_out" '%s' "$(cat "$out")"
  printf -v "${name}_err" '%s' "$(cat "$err")"
  printf -v "${name}_rc" '%s' "$rc"
  rm -f "$out" "$err"
}

expect_contains() {
  local haystack=$1 needle=$2 what=$3
  [[ "$haystack" == *"$needle"* ]] || fail "$what: expected to contain '$needle', got: $haystack"
}

expect_not_contains() {
  local haystack=$1 needle=$2 what=$3
  [[ "$haystack" != *"$needle"* ]] || fail "$what: must not contain '$needle', got: $haystack"
}

# Expects a failed run whose stderr is exactly one line starting "tutti: error:".
expect_one_error_line() {
  local name=$1 what=$2
  local rc_var="${name}_rc" err_var="${name}_err"
  [[ "${!rc_var}" != 0 ]] || fail "$what: expected a non-zero exit status"
  local lines
  lines=$(printf '%s\n' "${!err_var}" | wc -l)
  [[ "$lines" == 1 ]] || fail "$what: expected one line on stderr, got $lines: ${!err_var}"
  [[ "${!err_var}" == "tutti: error: "* ]] ||
    fail "$what: stderr must start with 'tutti: error:', got: ${!err_var}"
}

# Sets $tutti (the binary under test) and $work (a temporary directory, removed on exit) and
# changes into $work.
setup_workdir() {
  [[ $# -ge 1 && -x "$1" ]] || fail "usage: bash $0 /path/to/tutti"
  # shellcheck disable=SC2034 # used by the sourcing test
  tutti=$(realpath "$1")
  work=$(mktemp -d "${TMPDIR:-/tmp}/tutti-cli-test.XXXXXX")
  trap 'rm -rf -- "$work"' EXIT
  cd "$work" || fail "cannot enter $work"
}

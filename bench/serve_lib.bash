# shellcheck shell=bash disable=SC2034  # server, base and token are for the caller
# Shared by the bench/ scripts that measure a running `tutti serve`: start it on a free loopback
# port and log in as a demo user. Source it; the functions set globals (server, base, token) so
# that the caller's cleanup trap can stop the server.

# start_serve TUTTI WORK_DIR SERVE-ARGS… : starts `TUTTI serve SERVE-ARGS… --listen 127.0.0.1:0`
# with its output in WORK_DIR, waits up to 30 s for it to listen, and sets server (the pid) and
# base (http://127.0.0.1:PORT). Exits the script if it does not start.
start_serve() {
  local tutti=$1 work=$2 port=""
  shift 2
  "$tutti" serve --listen 127.0.0.1:0 "$@" >"$work/serve.out" 2>"$work/serve.err" &
  server=$!
  for _ in $(seq 1 300); do
    if [[ "$(head -n 1 "$work/serve.out" 2>/dev/null)" =~ listening\ on\ http://127\.0\.0\.1:([0-9]+) ]]; then
      port=${BASH_REMATCH[1]}
      break
    fi
    sleep 0.1
  done
  [[ -n "$port" ]] || { echo "serve did not start: $(cat "$work/serve.err")" >&2; exit 1; }
  base="http://127.0.0.1:$port"
}

# log_in EMAIL PASSWORD : sets token to a session token of that demo user, or exits the script.
log_in() {
  local reply
  reply=$(curl -sS -X POST "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"$2\"}")
  token=$(sed -nE 's/.*"token":"([^"]+)".*/\1/p' <<<"$reply")
  [[ -n "$token" ]] || { echo "log-in failed: $reply" >&2; exit 1; }
}

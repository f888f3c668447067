#!/usr/bin/env bash
# `tutti serve` on port 0 prints the port it bound, serves a log-in and a change, and on SIGTERM
# finishes and exits 0 with the acknowledged change on disk.
# run_capture sets NAME_out, NAME_err and NAME_rc through printf -v, which shellcheck cannot see.
# shellcheck disable=SC2154
set -euo pipefail
# shellcheck source=tests/cli/lib.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
setup_workdir "$@"
command -v curl >/dev/null || fail "curl is required"
command -v sqlite3 >/dev/null || fail "the sqlite3 shell is required (Debian package sqlite3)"

db="$work/t.db"
"$tutti" demo --db "sqlite:$db" >/dev/null

"$tutti" serve --db "sqlite:$db" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
server=$!
stop_server() {
  if kill -0 "$server" 2>/dev/null; then kill -KILL "$server" 2>/dev/null || true; fi
  rm -rf -- "$work"
}
trap stop_server EXIT

port=""
for _ in $(seq 1 300); do
  if [[ -s "$work/serve.out" ]]; then
    first=$(head -n 1 "$work/serve.out")
    if [[ "$first" =~ ^Tutti\ is\ listening\ on\ http://127\.0\.0\.1:([0-9]+) ]]; then
      port=${BASH_REMATCH[1]}
      break
    fi
  fi
  kill -0 "$server" 2>/dev/null || fail "serve exited early: $(cat "$work/serve.err")"
  sleep 0.1
done
[[ -n "$port" && "$port" != 0 ]] || fail "serve printed no port: $(cat "$work/serve.out")"
base="http://127.0.0.1:$port"

[[ $(curl -s -o /dev/null -w '%{http_code}' "$base/healthz") == 200 ]] || fail "/healthz is not 200"

login=$(curl -sS -X POST "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"olivia@acme.example","password":"tutti-demo-owner"}')
token=$(sed -nE 's/.*"token":"([^"]+)".*/\1/p' <<<"$login")
[[ -n "$token" ]] || fail "log-in returned no token: $login"

list=$(curl -sS "$base/api/v1/activations" -H "Authorization: Bearer $token")
id=$(grep -oE 'act_[a-z2-9]{20}' <<<"$list" | head -n 1) || true
[[ -n "$id" ]] || fail "no activation listed: $list"

code=$(curl -sS -o "$work/patch.json" -w '%{http_code}' -X PATCH "$base/api/v1/activations/$id" \
  -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"description":"changed just before SIGTERM"}')
[[ "$code" == 200 ]] || fail "PATCH answered $code: $(cat "$work/patch.json")"

kill -TERM "$server"
status=0
wait "$server" || status=$?
[[ "$status" == 0 ]] || fail "serve exited $status after SIGTERM: $(cat "$work/serve.err")"
expect_contains "$(cat "$work/serve.err")" "stopped cleanly" "serve's stderr"

brief=$(sqlite3 "$db" "SELECT brief FROM activations WHERE id = '$id'")
expect_contains "$brief" "changed just before SIGTERM" "the activation on disk"
"$tutti" audit verify --db "sqlite:$db" >/dev/null || fail "the chain does not verify after serve"

echo "PASS: serve"

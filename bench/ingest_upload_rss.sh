#!/usr/bin/env bash
# Peak memory of `tutti serve` while one event upload streams through
# POST /api/v1/feeds/{feed}/events (docs/benchmarks.md, "Streamed upload"). Generates NDJSON on
# the fly (bench/ingest_events.sh, event ids wrapping at DISTINCT_IDS so the database stays
# small while the upload does not) and pipes it into curl, which sends it chunked; nothing of
# the upload is ever on disk. Prints the server's VmHWM (peak resident set) before and after.
#
#   bench/ingest_upload_rss.sh TUTTI [BYTES] [DISTINCT_IDS] [-- SERVE-OPTIONS…]
#
# TUTTI is a release build's binary; BYTES (default 2 000 000 000) is the upload's approximate
# size, 125 bytes an event; DISTINCT_IDS defaults to 1 000 000. Needs curl and sqlite3.
set -euo pipefail
# shellcheck source=bench/serve_lib.bash
source "$(dirname "${BASH_SOURCE[0]}")/serve_lib.bash"

tutti=$(realpath "$1")
bytes=${2:-2000000000}
distinct=${3:-1000000}
shift $(($# < 3 ? $# : 3))
[[ "${1:-}" == "--" ]] && shift
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
scenarios="$here/../tests/scenarios/ingest"
work=$(mktemp -d)
server=""
cleanup() {
  if [[ -n "$server" ]] && kill -0 "$server" 2>/dev/null; then kill -TERM "$server"; fi
  rm -rf -- "$work"
}
trap cleanup EXIT

url="sqlite:$work/u.db"
"$tutti" demo --db "$url" >/dev/null
activation=$(sqlite3 "$work/u.db" "SELECT id FROM activations LIMIT 1")
"$tutti" contract put --db "$url" --activation "$activation" --org StreamCo \
  "$scenarios/streamco.contract.json" >/dev/null

start_serve "$tutti" "$work" --db "$url" --secret-file "$work/secret" "$@"
log_in sam@streamco.example tutti-demo-partner

peak() { sed -nE 's/^VmHWM:\s+([0-9]+) kB/\1/p' "/proc/$server/status"; }
echo "server VmHWM before the upload: $(peak) kB"
events=$((bytes / 125))
start=$(date +%s.%N)
"$here/ingest_events.sh" ndjson "$events" "$distinct" |
  curl -sS -X POST -T - "$base/api/v1/feeds/streamco-events/events" \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/x-ndjson' \
    -w '\nHTTP %{http_code}, %{size_upload} bytes sent\n' >"$work/report.json"
end=$(date +%s.%N)
echo "upload of $events events: $(tail -n 1 "$work/report.json") in $(echo "$end - $start" | bc) s"
head -c 300 "$work/report.json"
echo
echo "server VmHWM after the upload: $(peak) kB"

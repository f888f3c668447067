#!/usr/bin/env bash
# Generates event files for the stored-ingest figures in docs/benchmarks.md, with the columns of
# tests/scenarios/ingest/events.csv (the streamco-events contract). Deterministic: the same
# arguments print the same bytes.
#
#   bench/ingest_events.sh csv N [DISTINCT_IDS]      N events as CSV (header first)
#   bench/ingest_events.sh ndjson N [DISTINCT_IDS]   N events as NDJSON
#
# 40 000 distinct e-mails, one purchase in ten (with revenue), consent given on one record in
# ten, eight events a second from 2026-06-01. DISTINCT_IDS (default N) wraps the event ids, so
# that a long stream repeats earlier events (stored once, the rest counted as duplicates) and
# the database stays small while the upload does not.
set -euo pipefail

usage() {
  echo "usage: $0 csv|ndjson N [DISTINCT_IDS]" >&2
  exit 2
}

[[ $# -ge 2 && $# -le 3 ]] || usage
format=$1
count=$2
distinct=${3:-$2}
[[ "$format" == csv || "$format" == ndjson ]] || usage
[[ "$count" =~ ^[0-9]+$ && "$distinct" =~ ^[1-9][0-9]*$ ]] || usage

# mawk (Debian's default awk) has no strftime, so the timestamp is built by hand; a 31-day
# month holds 21 M events at eight a second, and the day wraps within June beyond that.
exec awk -v n="$count" -v distinct="$distinct" -v format="$format" '
BEGIN {
  srand(20260601)
  split("youtube search instagram email display", channels, " ")
  if (format == "csv") print "event_id,email,ts,type,channel,revenue,consent,note"
  for (i = 0; i < n; i++) {
    user = int(rand() * 40000)
    second = int(i / 8)
    day = 1 + int(second / 86400) % 30
    ts = sprintf("2026-06-%02dT%02d:%02d:%02dZ", day, int(second / 3600) % 24,
                 int(second / 60) % 60, second % 60)
    purchase = (i % 10 == 9)
    type = purchase ? "purchase" : (rand() < 0.6 ? "view" : "click")
    channel = channels[1 + int(rand() * 5)]
    revenue = purchase ? sprintf("%.2f", 5 + rand() * 95) : ""
    consent = (i % 10 == 3) ? "true" : ""
    id = sprintf("ev%09d", i % distinct)
    if (format == "csv") {
      printf "%s,user%05d@example.com,%s,%s,%s,%s,%s,\n", id, user, ts, type, channel, revenue,
             consent
    } else {
      printf "{\"event_id\":\"%s\",\"email\":\"user%05d@example.com\",\"ts\":\"%s\",\"type\":\"%s\",\"channel\":\"%s\"", id, user, ts, type, channel
      if (purchase) printf ",\"revenue\":%s", revenue
      if (consent != "") printf ",\"consent\":true"
      printf "}\n"
    }
  }
}'

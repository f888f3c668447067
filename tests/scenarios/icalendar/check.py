#!/usr/bin/env python3
"""Checks Tutti's golden iCalendar files with an implementation independent of the writer.

Usage: check.py FILE.ics...   (each FILE.ics next to FILE.json, written by icalendar_test.cc)

For each file:
  * the physical form: UTF-8, CRLF only, no line over 75 octets;
  * it parses with the Python `icalendar` package (Debian python3-icalendar);
  * VERSION, PRODID, METHOD:PUBLISH; UID and DTSTAMP on every VEVENT;
  * exactly one VTIMEZONE per TZID used, and each block's offsets agree with Python's zoneinfo
    (the system tz database) hour by hour over the span it covers;
  * every DTSTART/DTEND means the instant in FILE.json, read two ways: through the file's own
    VTIMEZONE with the rules of RFC 5545 section 3.3.5 (an ambiguous local time is its first
    occurrence, a nonexistent one uses the offset before the gap), and through zoneinfo with
    fold=0, which follows the same rules;
  * every local time written exists (none in a DST gap, although RFC 5545 would give it a
    meaning), and an event asked for in a zone is written in UTC only when that is necessary:
    the zone is unknown, or a local time occurs twice and the instant is the second occurrence.

The instants are not taken from icalendar's own datetime values: icalendar 4 localizes TZID times
with pytz's is_dst=False, which picks the *second* occurrence of a repeated local time, contrary
to RFC 5545. Only the wall-clock fields and parameters it parsed are used.
"""
import datetime as dt
import json
import os
import sys
import zoneinfo

import icalendar

UTC = dt.timezone.utc
failures = []


def fail(path, message):
    failures.append(f"{os.path.basename(path)}: {message}")


def parse_instant(text):
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


class ReadZone:
    """A VTIMEZONE as a list of transitions (UTC instant, offset before, offset after)."""

    def __init__(self, component):
        self.transitions = []
        for sub in component.subcomponents:
            if sub.name not in ("STANDARD", "DAYLIGHT"):
                continue
            if "RRULE" in sub or "RDATE" in sub:
                raise ValueError("unexpected RRULE/RDATE: Tutti writes each transition")
            start = sub["DTSTART"].dt  # naive local time on the clock before the transition
            before = sub["TZOFFSETFROM"].td
            after = sub["TZOFFSETTO"].td
            utc = (start - before).replace(tzinfo=UTC)
            self.transitions.append((utc, before, after))
        self.transitions.sort()

    def offset_at(self, utc):
        offset = self.transitions[0][1]
        for when, _, after in self.transitions:
            if when <= utc:
                offset = after
        return offset

    def resolve(self, local):
        offsets = {o for _, before, after in self.transitions for o in (before, after)}
        candidates = []
        for offset in offsets:
            utc = (local - offset).replace(tzinfo=UTC)
            if self.offset_at(utc) == offset:
                candidates.append(utc)
        if candidates:
            return min(candidates)
        for when, before, after in self.transitions:
            gap_start = when.replace(tzinfo=None) + before
            gap_end = when.replace(tzinfo=None) + after
            if after > before and gap_start <= local < gap_end:
                return (local - before).replace(tzinfo=UTC)
        raise ValueError(f"cannot resolve {local}")


def known_zone(name):
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def second_occurrence(instant, tz):
    local = instant.astimezone(tz).replace(tzinfo=None)
    return local.replace(tzinfo=tz, fold=0).astimezone(UTC) != instant


def check_physical(path, data):
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        fail(path, f"not UTF-8: {error}")
    if not data.endswith(b"\r\n"):
        fail(path, "does not end in CRLF")
    for number, line in enumerate(data.split(b"\r\n")[:-1], 1):
        if b"\n" in line or b"\r" in line:
            fail(path, f"line {number}: bare CR or LF")
        if len(line) > 75:
            fail(path, f"line {number}: {len(line)} octets")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            fail(path, f"line {number}: a fold split a UTF-8 sequence")


def instant_of(path, prop, zones):
    value = prop.dt
    tzid = prop.params.get("TZID")
    if tzid is None:
        if value.tzinfo is None or value.utcoffset() != dt.timedelta(0):
            fail(path, f"{prop.to_ical()!r}: a time without TZID must be UTC, not floating")
        return value.replace(tzinfo=UTC), None
    local = value.replace(tzinfo=None)
    if tzid not in zones:
        fail(path, f"no VTIMEZONE for TZID {tzid}")
        return None, tzid
    from_vtimezone = zones[tzid].resolve(local)
    from_zoneinfo = local.replace(tzinfo=zoneinfo.ZoneInfo(tzid), fold=0).astimezone(UTC)
    if from_vtimezone != from_zoneinfo:
        fail(path, f"{tzid} {local}: VTIMEZONE says {from_vtimezone}, zoneinfo {from_zoneinfo}")
    if from_zoneinfo.astimezone(zoneinfo.ZoneInfo(tzid)).replace(tzinfo=None) != local:
        # RFC 5545 gives such a time a meaning, but Tutti writes what the clocks show.
        fail(path, f"{tzid} {local}: local time does not exist (DST gap)")
    return from_vtimezone, tzid


def check_file(path):
    with open(path, "rb") as f:
        data = f.read()
    with open(os.path.splitext(path)[0] + ".json", encoding="utf-8") as f:
        expected = json.load(f)["events"]
    check_physical(path, data)

    calendar = icalendar.Calendar.from_ical(data)
    for name, value in (("VERSION", "2.0"), ("METHOD", "PUBLISH")):
        if str(calendar.get(name)) != value:
            fail(path, f"{name} is {calendar.get(name)!r}, expected {value}")
    if not str(calendar.get("PRODID", "")):
        fail(path, "PRODID missing")

    zones = {}
    for component in calendar.walk("VTIMEZONE"):
        tzid = str(component["TZID"])
        if tzid in zones:
            fail(path, f"more than one VTIMEZONE for {tzid}")
        zones[tzid] = ReadZone(component)

    events = calendar.walk("VEVENT")
    if len(events) != len(expected):
        fail(path, f"{len(events)} events, expected {len(expected)}")
        return
    used = set()
    spans = {}
    for event, want in zip(events, expected):
        uid = str(event.get("UID", ""))
        if uid != want["uid"]:
            fail(path, f"UID {uid!r}, expected {want['uid']!r}")
        if "DTSTAMP" not in event or event["DTSTAMP"].dt.utcoffset() != dt.timedelta(0):
            fail(path, f"{uid}: DTSTAMP missing or not UTC")
        in_utc = []
        for name, key in (("DTSTART", "start"), ("DTEND", "end")):
            if key not in want:
                if name in event:
                    fail(path, f"{uid}: unexpected {name}")
                continue
            if name not in event:
                fail(path, f"{uid}: {name} missing")
                continue
            instant, tzid = instant_of(path, event[name], zones)
            target = parse_instant(want[key])
            if instant != target:
                fail(path, f"{uid}: {name} means {instant}, expected {target}")
            zone = want.get("zone")
            if tzid is not None:
                used.add(tzid)
                lo, hi = spans.get(tzid, (target, target))
                spans[tzid] = (min(lo, target), max(hi, target))
                if tzid != zone:
                    fail(path, f"{uid}: written in {tzid}, asked for {zone}")
            elif zone is not None and known_zone(zone) is not None:
                in_utc.append(target)
        # UTC instead of the zone is only right when one of the event's times is the second of
        # two equal local times (both times share one form).
        if in_utc and not any(second_occurrence(t, known_zone(want["zone"])) for t in in_utc):
            fail(path, f"{uid}: written in UTC though its {want['zone']} local times are exact")
        if "duration_seconds" in want:
            duration = event.get("DURATION")
            if duration is None or duration.dt.total_seconds() != want["duration_seconds"]:
                fail(path, f"{uid}: DURATION {duration and duration.to_ical()!r}")

    if set(zones) != used:
        fail(path, f"VTIMEZONE for {sorted(zones)}, TZIDs used {sorted(used)}")
    # Each VTIMEZONE agrees with zoneinfo at every hour of the span it must cover.
    for tzid, (lo, hi) in spans.items():
        tz = zoneinfo.ZoneInfo(tzid)
        t = lo - dt.timedelta(days=366)
        while t < hi + dt.timedelta(days=366):
            if zones[tzid].offset_at(t) != t.astimezone(tz).utcoffset():
                fail(path, f"{tzid}: VTIMEZONE offset at {t} differs from zoneinfo")
                break
            t += dt.timedelta(hours=1)


def main(paths):
    if not paths:
        print("usage: check.py FILE.ics...", file=sys.stderr)
        return 2
    for path in paths:
        try:
            check_file(path)
        except Exception as error:  # a parse error is a failure of that file, not of the run
            fail(path, f"{type(error).__name__}: {error}")
    for message in failures:
        print(f"FAIL: {message}", file=sys.stderr)
    print(f"checked {len(paths)} iCalendar files, {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

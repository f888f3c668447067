// iCalendar (RFC 5545, RFC 7986) writer for subscribable launch calendars: one VCALENDAR with
// METHOD:PUBLISH, one VEVENT per launch, milestone or post, and one VTIMEZONE per TZID used,
// generated from the same IANA tz database the server computes launches with.
//
// Events are given as UTC instants; the writer's job is to write them so that any client that
// follows RFC 5545 reads back exactly those instants. An event with a zone is written as local
// time with TZID=<IANA name> when that local time is unambiguous under RFC 5545 §3.3.5 (an
// ambiguous local time means its *first* occurrence, so an instant in the second occurrence of a
// fall-back hour cannot be written with TZID); otherwise, and when the zone is unknown, it is
// written in UTC ("...Z"), which is always exact.
//
// Output syntax: CRLF line endings, lines folded at 75 octets without splitting UTF-8 sequences,
// TEXT values escaped, control characters removed, invalid UTF-8 replaced by U+FFFD.
// Instants are written at second resolution (milliseconds are truncated).
//
// Pure functions over their arguments and the immutable tz database; thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tutti/base/clock.h"
#include "tutti/base/status.h"

namespace tutti::scheduling {

enum class EventStatus { kConfirmed, kTentative, kCancelled };
// Whether the event blocks time in a free/busy view (TRANSP:OPAQUE) or not (TRANSPARENT).
enum class Transparency { kOpaque, kTransparent };

struct CalendarEvent {
  // Stable across every regeneration of the feed (see StableUid); must not be empty.
  std::string uid;
  // Bumped by the caller on every material change (time, location, cancellation) so that
  // clients replace their copy (RFC 5546 §2.1.5: the highest SEQUENCE wins).
  int sequence = 0;
  // When this copy of the event was produced (written in UTC); DTSTAMP breaks SEQUENCE ties.
  Instant dtstamp;
  Instant start;
  // DTEND when set and later than `start`; otherwise DURATION when set and positive (written in
  // exact hours/minutes/seconds, never nominal days); otherwise neither (a point in time).
  std::optional<Instant> end;
  std::optional<std::chrono::seconds> duration;
  // IANA zone ("America/New_York") to present the times in; unset writes UTC.
  std::optional<std::string> zone;
  std::string summary;
  std::string description;  // omitted when empty, as are location, url and categories
  std::string location;
  std::string url;
  std::vector<std::string> categories;
  EventStatus status = EventStatus::kConfirmed;
  Transparency transparency = Transparency::kOpaque;
};

struct CalendarFeed {
  std::string name;                        // NAME and X-WR-CALNAME; omitted when empty
  std::optional<std::string> description;  // DESCRIPTION and X-WR-CALDESC
  std::optional<std::string> color;        // RFC 7986 COLOR: a CSS3 colour name ("darkorange")
  // How often clients should poll: REFRESH-INTERVAL and X-PUBLISHED-TTL; omitted unless positive.
  std::chrono::seconds refresh_interval = std::chrono::hours(1);
  std::optional<std::string> source_url;  // RFC 7986 SOURCE: where the feed is fetched from
  std::vector<CalendarEvent> events;
};

inline constexpr std::string_view kICalendarProductId = "-//Tutti//Tutti 0.1//EN";

// The whole iCalendar object. Events keep their order; VTIMEZONEs come first, in order of first
// use, each covering the span of its events' times extended by a year on either side with every
// transition as its own STANDARD/DAYLIGHT sub-component (exact dates, no RRULE). Never fails:
// an event whose zone is unknown or whose local time would be ambiguous is written in UTC.
std::string WriteICalendar(const CalendarFeed& feed);

// "<kind>-<id>@<domain>", e.g. StableUid("milestone", "brief", "tutti.example.com") ==
// "milestone-brief@tutti.example.com". Bytes of `id` outside [A-Za-z0-9._~-] are percent-encoded
// so that the UID is ASCII, needs no TEXT escaping and distinct ids give distinct UIDs.
std::string StableUid(std::string_view kind, std::string_view id, std::string_view domain);

// The iCalendar local DATE-TIME ("20260308T033000") of `instant` in `zone`, i.e. the value of
// DTSTART;TZID=<zone>. Errors (kInvalidArgument): reason "unknown_time_zone"; reason
// "ambiguous_local_time" when RFC 5545 §3.3.5 would read the local time back as a different
// instant (the second occurrence of a repeated hour, such as America/New_York 2026-11-01T06:30Z,
// 01:30 EST, which a reader takes as 01:30 EDT).
Result<std::string> LocalTimeIn(std::string_view zone, Instant instant);

// Building blocks, exposed for tests and for other writers of content lines.
//
// A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, CRLF/CR/LF written as
// "\n", other ASCII control characters except TAB dropped, invalid UTF-8 replaced by U+FFFD.
std::string EscapeICalendarText(std::string_view text);
// One content line (without its line ending) folded at 75 octets (RFC 5545 §3.1): each physical
// line ends in CRLF and continuation lines start with one space; a fold never splits a UTF-8
// sequence. `line` must be valid UTF-8 without CR or LF.
std::string FoldICalendarLine(std::string_view line);

}  // namespace tutti::scheduling

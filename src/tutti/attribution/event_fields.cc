// The field checks and the event batch shared by the events readers (event_fields.h).
#include "tutti/attribution/event_fields.h"

#include <algorithm>
#include <charconv>

namespace tutti::attribution::internal {
namespace {

constexpr size_t kMaxTextBytes = 256;
// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z: the instants an ISO-8601 year can name.
constexpr int64_t kMinTimestampMs = -62167219200000;
constexpr int64_t kMaxTimestampMs = 253402300799999;

// Length of the valid UTF-8 sequence at `p`, or 0.
size_t Utf8SequenceLength(const unsigned char* p, const unsigned char* end) {
  const unsigned char lead = p[0];
  auto continuation = [&](size_t i, unsigned char low = 0x80, unsigned char high = 0xbf) {
    return p + i < end && p[i] >= low && p[i] <= high;
  };
  if (lead >= 0xc2 && lead <= 0xdf) return continuation(1) ? 2 : 0;
  if (lead >= 0xe0 && lead <= 0xef) {
    const unsigned char low = lead == 0xe0 ? 0xa0 : 0x80;
    const unsigned char high = lead == 0xed ? 0x9f : 0xbf;
    return continuation(1, low, high) && continuation(2) ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    const unsigned char low = lead == 0xf0 ? 0x90 : 0x80;
    const unsigned char high = lead == 0xf4 ? 0x8f : 0xbf;
    return continuation(1, low, high) && continuation(2) && continuation(3) ? 4 : 0;
  }
  return 0;
}

// Days from 1970-01-01 to the proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<int64_t>(day_of_era) - 719468;
}

unsigned DaysInMonth(int year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

std::string Shown(std::string_view text) {
  std::string out = "\"";
  const size_t shown = std::min<size_t>(text.size(), 40);
  for (size_t i = 0; i < shown; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte < 0x7f && byte != '"' && byte != '\\') {
      out += static_cast<char>(byte);
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  out += '"';
  if (text.size() > shown) out += "…";
  return out;
}

size_t InvalidUtf8Offset(std::string_view text) {
  const auto* begin = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = begin + text.size();
  for (const unsigned char* p = begin; p < end;) {
    if (*p < 0x80) {
      ++p;
      continue;
    }
    const size_t length = Utf8SequenceLength(p, end);
    if (length == 0) return static_cast<size_t>(p - begin);
    p += length;
  }
  return std::string_view::npos;
}

std::string CheckText(std::string_view text) {
  if (text.empty()) return "must not be empty";
  if (text.size() > kMaxTextBytes) {
    return "is " + std::to_string(text.size()) + " bytes long; at most 256 are allowed";
  }
  const auto* begin = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = begin + text.size();
  // Printable ASCII, the usual case, is settled by a loop the compiler vectorises.
  unsigned char outside = 0;
  for (const unsigned char* c = begin; c < end; ++c) {
    outside |= static_cast<unsigned char>(*c - 0x20) >= 0x5f;  // below 0x20 wraps around
  }
  if (outside == 0) return {};
  for (const unsigned char* p = begin; p < end;) {
    if (*p < 0x80) {
      if (*p < 0x20 || *p == 0x7f) {
        return "holds a control character (byte " + std::to_string(p - begin + 1) + ")";
      }
      ++p;
      continue;
    }
    const size_t length = Utf8SequenceLength(p, end);
    if (length == 0) return "is not valid UTF-8 (byte " + std::to_string(p - begin + 1) + ")";
    p += length;
  }
  return {};
}

std::string CheckName(std::string_view text, bool conversion) {
  // Conversions are never credited, so they need not say where they happened.
  if (conversion && text.empty()) return {};
  std::string problem = CheckText(text);
  if (!problem.empty() && text.empty()) problem += " on a touchpoint";
  return problem;
}

bool IsTimestampMsInRange(int64_t ms) { return ms >= kMinTimestampMs && ms <= kMaxTimestampMs; }

std::optional<int64_t> ParseTimestampMs(std::string_view text) {
  const char* p = text.data();
  const size_t size = text.size();
  auto digits = [&](size_t at, size_t count, unsigned* out) {
    unsigned value = 0;
    for (size_t i = at; i < at + count; ++i) {
      if (i >= size || p[i] < '0' || p[i] > '9') return false;
      value = value * 10 + static_cast<unsigned>(p[i] - '0');
    }
    *out = value;
    return true;
  };
  if (size > 0 && size <= 16 && text.find_first_not_of("-0123456789") == std::string_view::npos &&
      text.find('-', 1) == std::string_view::npos) {
    int64_t ms = 0;
    const auto [end, error] = std::from_chars(p, p + size, ms);
    if (error != std::errc() || end != p + size || !IsTimestampMsInRange(ms)) return std::nullopt;
    return ms;
  }
  unsigned year, month, day, hour, minute, second;
  if (size < 20 || !digits(0, 4, &year) || p[4] != '-' || !digits(5, 2, &month) || p[7] != '-' ||
      !digits(8, 2, &day) || p[10] != 'T' || !digits(11, 2, &hour) || p[13] != ':' ||
      !digits(14, 2, &minute) || p[16] != ':' || !digits(17, 2, &second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(static_cast<int>(year), month) ||
      hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  size_t at = 19;
  unsigned millis = 0;
  if (p[at] == '.') {
    size_t fraction_digits = 0;
    for (++at; at < size && p[at] >= '0' && p[at] <= '9'; ++at, ++fraction_digits) {
      if (fraction_digits < 3) millis = millis * 10 + static_cast<unsigned>(p[at] - '0');
    }
    if (fraction_digits == 0 || fraction_digits > 9) return std::nullopt;
    for (size_t i = fraction_digits; i < 3; ++i) millis *= 10;
  }
  int64_t offset_minutes = 0;
  if (at + 1 == size && p[at] == 'Z') {
    // UTC
  } else if (at + 6 == size && (p[at] == '+' || p[at] == '-') && p[at + 3] == ':') {
    unsigned offset_hours, offset_mins;
    if (!digits(at + 1, 2, &offset_hours) || !digits(at + 4, 2, &offset_mins) ||
        offset_hours > 23 || offset_mins > 59) {
      return std::nullopt;
    }
    offset_minutes =
        (p[at] == '-' ? -1 : 1) * static_cast<int64_t>(offset_hours * 60 + offset_mins);
  } else {
    return std::nullopt;
  }
  const int64_t days = DaysFromCivil(year, month, day);
  const int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return seconds * 1000 + millis;
}

std::string TimestampProblem(std::string_view got) {
  return "expected an ISO-8601 instant like 2026-06-01T13:00:00Z (or with milliseconds or a "
         "±HH:MM offset, years 0000..9999) or epoch milliseconds, got " +
         std::string(got);
}

std::string TypeProblem(std::string_view got) {
  return "expected impression, click, engagement or conversion, got " + std::string(got);
}

std::string ValueRangeProblem(std::string_view shown) {
  return "must be between 0 and 1e14, got " + std::string(shown);
}

Result<EventTable> EventsOrFirstError(EventsCsv&& parsed) {
  if (parsed.rejected == 0) return std::move(parsed.events);
  const std::string others = parsed.rejected > 1 ? " (" + std::to_string(parsed.rejected) +
                                                       " bad records in all; the first is shown)"
                                                 : "";
  if (parsed.errors.empty()) {
    return InvalidArgument(std::to_string(parsed.rejected) + " bad records", "events",
                           "invalid_record");
  }
  const EventsCsvError& first = parsed.errors.front();
  return InvalidArgument(first.reason + others,
                         "line " + std::to_string(first.line) + ": " + first.field,
                         "invalid_record");
}

std::string_view EventBatch::Keep(std::string_view text) {
  constexpr size_t kChunkBytes = size_t{64} << 10;
  for (;; ++chunk_) {
    if (chunk_ == chunks_.size())
      chunks_.emplace_back().reserve(std::max(kChunkBytes, text.size()));
    std::string& chunk = chunks_[chunk_];
    if (chunk.capacity() - chunk.size() >= text.size()) {
      const size_t at = chunk.size();
      chunk.append(text);
      return std::string_view(chunk).substr(at);
    }
  }
}

void EventBatch::Add(std::string_view event_id, std::string_view user_key, int64_t ts_ms,
                     std::string_view partner, std::string_view channel, EventType type,
                     double value) {
  events_.push_back({event_id, partner, channel, ts_ms, type, value});
  users_.push_back(user_key);
}

void EventBatch::Flush(EventTable& table) {
  user_ids_.resize(users_.size());
  table.users.InternMany(users_, user_ids_);
  for (size_t i = 0; i < events_.size(); ++i) {
    const Pending& e = events_[i];
    table.user.push_back(user_ids_[i]);
    table.partner.push_back(table.partners.Intern(e.partner));
    table.channel.push_back(table.channels.Intern(e.channel));
    table.ts_ms.push_back(e.ts_ms);
    table.type.push_back(e.type);
    table.value.push_back(e.value);
    table.event_id_arena.append(e.event_id);
    table.event_id_offsets.push_back(table.event_id_arena.size());
  }
  events_.clear();
  users_.clear();
  for (size_t c = 0; c < chunks_.size() && c <= chunk_; ++c) chunks_[c].clear();
  chunk_ = 0;
}

}  // namespace tutti::attribution::internal

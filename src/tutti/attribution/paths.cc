// ReadPathFile (paths.h). Thread-safe: re-entrant; all state lives in one PathFileReader, and
// the chunks it reads are parsed on up to options.threads threads of its own.
//
// Why it is shaped like this: the benchmark file has 10 M rows and 46 M touches in 600 MB, and
// `tutti attribution --paths` must finish in under 2 s on two cores, so the reader may spend
// well under 100 ns per row of one core's time. It therefore
//   * reads the stream in large blocks, cut after the last whole record (found from quote
//     parity, so quoted newlines are never mistaken for record ends); each block of records is
//     a chunk, parsed by whichever thread is free while the reading thread reads on, into
//     columns of its own with channel ids of its own. The reading thread appends parsed chunks
//     to the journeys in file order, mapping their ids onto the file's in order of first
//     appearance and counting lines chunk by chunk, so ids, line numbers and the refusal
//     reported (the first in the file) do not depend on the threads or the block size. Chunk
//     text buffers are recycled and chunk columns freed as they are appended: on a virtual
//     machine a page fault costs microseconds, and faulting the output in twice cost a third
//     of the time;
//   * parses a block without quotes (the usual case) from a bit mask of its structural bytes
//     (',', '\n', '>'), built 16 bytes at a time with SSE2 compares (a portable loop elsewhere):
//     each row costs one step per delimiter rather than one per byte. Blocks with quotes take a
//     general RFC 4180 path, field by field;
//   * interns channel names through an open-addressing cache that compares names of up to 16
//     bytes as two machine words loaded straight from the buffer (the padding makes the
//     over-read safe), so the Dictionary is consulted, and UTF-8 validated, once per distinct
//     name: a cached name is byte-equal to one already validated;
//   * parses numbers of up to 8 bytes eight digits at a time, exactly (an integer below 2^53
//     divided by a power of ten is correctly rounded), and with std::from_chars otherwise;
//   * reports failure as a bool and keeps the Status aside, so a good row builds no Status.
#include "tutti/attribution/paths.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "tutti/base/text.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tutti::attribution {
namespace {

// Readable slack after the buffered bytes: the structural scan loads 64 bytes from any position
// inside the data, the interner 16, and one byte may be taken for a final newline.
constexpr size_t kPadding = 128;

enum class Column : uint8_t { kIgnored, kPath, kConversions, kValue, kNulls };

constexpr std::array<std::string_view, 4> kRequiredColumns = {
    "path", "total_conversions", "total_conversion_value", "total_null"};
constexpr std::string_view kExpectedHeader =
    "the header must name path, total_conversions, total_conversion_value and total_null";

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsBlank(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsBlank(text.back())) text.remove_suffix(1);
  return text;
}

uint64_t Load64(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, sizeof word);
  return word;
}

// First ',', '\n' or '"' in [p, end), or end. Reads up to 15 bytes past end (the padding).
// The general path's field scanner.
const char* FindDelimiter(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(',');
  const __m128i newline = _mm_set1_epi8('\n');
  const __m128i quote = _mm_set1_epi8('"');
  for (; p < end; p += 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hits =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, comma), _mm_cmpeq_epi8(chunk, newline)),
                     _mm_cmpeq_epi8(chunk, quote));
    const auto mask = static_cast<uint32_t>(_mm_movemask_epi8(hits));
    if (mask != 0) return std::min(p + std::countr_zero(mask), end);
  }
  return end;
#else
  while (p < end && *p != ',' && *p != '\n' && *p != '"') ++p;
  return p;
#endif
}

// Where the last complete record of data[0, size) ends: just past its last newline outside
// quotes, or 0. data[0, scanned) is known to hold no such newline and to end inside quotes when
// `inside_quotes`; both are brought up to `size`, so a long record is scanned once however many
// reads it spans. data[0] is a record boundary.
size_t LastRecordEnd(const char* data, size_t size, size_t& scanned, bool& inside_quotes) {
  size_t last = 0;
  if (!inside_quotes && std::memchr(data + scanned, '"', size - scanned) == nullptr) {
    for (size_t i = size; i > scanned; --i) {
      if (data[i - 1] == '\n') {
        last = i;
        break;
      }
    }
  } else {
    for (size_t i = scanned; i < size; ++i) {
      if (data[i] == '"') {
        inside_quotes = !inside_quotes;
      } else if (data[i] == '\n' && !inside_quotes) {
        last = i + 1;
      }
    }
  }
  scanned = size;
  return last;
}

// Masks keeping the first n (0..8) bytes of a word loaded from memory, by table rather than by
// branch: name and number lengths vary from row to row and branches on them mispredict.
constexpr std::array<uint64_t, 9> kKeepBytes = [] {
  std::array<uint64_t, 9> masks{};
  for (unsigned n = 1; n <= 8; ++n) {
    masks[n] = std::endian::native == std::endian::little ? ~uint64_t{0} >> (64 - 8 * n)
                                                          : ~uint64_t{0} << (64 - 8 * n);
  }
  return masks;
}();

uint64_t KeepBytes(uint64_t word, size_t bytes) { return word & kKeepBytes[bytes]; }

constexpr std::array<double, 16> kPowersOfTen = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                                 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

// 1 to 8 bytes of digits with at most one decimal point between digits, parsed as one word
// (the digit check and conversion of fast_float's eight-digit routine), or false to let the
// general parser decide. Reads 8 bytes from `begin`. Little-endian only.
bool ParseShortNumber(const char* begin, size_t length, double& out) {
  if constexpr (std::endian::native != std::endian::little) return false;
  if (length == 0 || length > 8) return false;
  uint64_t word = KeepBytes(Load64(begin), length);
  size_t fraction_digits = 0;
  const uint64_t not_dots = word ^ 0x2E2E2E2E2E2E2E2Eull;
  const uint64_t dots = (not_dots - 0x0101010101010101ull) & ~not_dots & 0x8080808080808080ull;
  if (dots != 0) {  // the lowest flagged byte is exactly the first '.'
    const auto dot = static_cast<size_t>(std::countr_zero(dots)) / 8;
    if (dot == 0 || dot + 1 >= length) return false;
    word = (word & kKeepBytes[dot]) | ((word >> (8 * (dot + 1))) << (8 * dot));
    fraction_digits = length - dot - 1;
    --length;
  }
  // Right-align the digits behind leading '0's, then check and convert all eight at once.
  const auto shift = static_cast<unsigned>(8 * (8 - length));
  word = (word << shift) | (0x3030303030303030ull & ((uint64_t{1} << shift) - 1));
  uint64_t digits = word - 0x3030303030303030ull;
  if ((((digits + 0x7676767676767676ull) | digits) & 0x8080808080808080ull) != 0) return false;
  digits = digits * 10 + (digits >> 8);
  digits = (((digits & 0x000000FF000000FFull) * (100 + (1000000ull << 32))) +
            (((digits >> 16) & 0x000000FF000000FFull) * (1 + (10000ull << 32)))) >>
           32;
  // Counts are integers: skip the division (it sits on the critical path of every row).
  out = fraction_digits == 0 ? static_cast<double>(digits)
                             : static_cast<double>(digits) / kPowersOfTen[fraction_digits];
  return true;
}

// A decimal number (surrounding blanks allowed), or false. Exactly what from_chars would give:
// the fast paths only take integers below 2^53 divided by exact powers of ten, whose quotient
// IEEE division rounds correctly. Reads 8 bytes from text.data().
bool ParseNumber(std::string_view text, double& out) {
  if (ParseShortNumber(text.data(), text.size(), out)) return true;
  text = Trim(text);
  if (text.empty()) return false;
  uint64_t mantissa = 0;
  size_t digits = 0, fraction_digits = 0, i = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
    mantissa = mantissa * 10 + static_cast<uint64_t>(text[i] - '0');
  }
  const size_t integer_digits = digits;
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
      mantissa = mantissa * 10 + static_cast<uint64_t>(text[i] - '0');
      ++fraction_digits;
    }
  }
  if (i == text.size() && integer_digits > 0 && digits <= 15 &&
      (fraction_digits > 0 || text.back() != '.')) {
    out = static_cast<double>(mantissa) / kPowersOfTen[fraction_digits];
    return true;
  }
  double value = 0;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::general);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return false;
  }
  out = value + 0.0;  // -0 becomes 0
  return true;
}

// Bit i is set when block[i] is ',', '\n' or '>' (64 bytes are read).
uint64_t StructuralBits(const char* block) {
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(',');
  const __m128i newline = _mm_set1_epi8('\n');
  const __m128i separator = _mm_set1_epi8('>');
  uint64_t bits = 0;
  for (int i = 0; i < 4; ++i) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * i));
    const __m128i hits =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, comma), _mm_cmpeq_epi8(chunk, newline)),
                     _mm_cmpeq_epi8(chunk, separator));
    bits |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(hits))} << (16 * i);
  }
  return bits;
#else
  uint64_t bits = 0;
  for (int i = 0; i < 64; ++i) {
    const char c = block[i];
    if (c == ',' || c == '\n' || c == '>') bits |= uint64_t{1} << i;
  }
  return bits;
#endif
}

uint64_t Mix(uint64_t x) {
  x *= 0xBF58476D1CE4E5B9ull;
  return x ^ (x >> 31);
}

// Channel name -> Dictionary id. A name must be followed by 16 readable bytes. New names are
// validated as UTF-8 once. The table stays at most 1/8 full so that a lookup nearly always ends
// at its first slot: with a few dozen channels it is a few kilobytes, in L1.
class ChannelInterner {
 public:
  static constexpr uint32_t kInvalidUtf8 = UINT32_MAX;

  explicit ChannelInterner(Dictionary& dictionary) : dictionary_(dictionary), slots_(64) {}

  uint32_t Intern(const char* name, size_t length) {
    // Names of up to 16 bytes (nearly all) are two words, compared without memcmp.
    const uint64_t first = KeepBytes(Load64(name), std::min<size_t>(length, 8));
    const uint64_t second =
        length <= 16 ? KeepBytes(Load64(name + 8), std::max<size_t>(length, 8) - 8) : 0;
    // Multiplicative hashing: two independent multiplies, the table index from the high bits.
    const uint64_t hash =
        length <= 16 ? ((first + length) * 0x9E3779B97F4A7C15ull) ^ (second * 0xC2B2AE3D27D4EB4Full)
                     : HashLong(name, length);
    const size_t mask = slots_.size() - 1;
    for (size_t index = Home(hash);; index = (index + 1) & mask) {
      const Slot& slot = slots_[index];
      if (slot.id == kEmpty) return Insert(index, hash, first, second, name, length);
      if (slot.length != length || slot.first != first || slot.second != second) continue;
      if (length <= 16 ||
          (slot.hash == hash && std::memcmp(names_[index].data(), name, length) == 0)) {
        return slot.id;
      }
    }
  }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  struct Slot {
    uint64_t first = 0, second = 0, hash = 0;
    size_t length = 0;
    uint32_t id = kEmpty;
  };

  size_t Home(uint64_t hash) const { return static_cast<size_t>(hash >> shift_); }

  static uint64_t HashLong(const char* name, size_t length) {
    uint64_t hash = length * 0x9E3779B97F4A7C15ull;
    size_t i = 0;
    for (; i + 8 <= length; i += 8) hash = Mix(hash ^ Load64(name + i));
    return Mix(hash ^ KeepBytes(Load64(name + i), length - i));
  }

  uint32_t Insert(size_t index, uint64_t hash, uint64_t first, uint64_t second, const char* name,
                  size_t length) {
    const std::string_view text(name, length);
    if (!IsValidUtf8(text)) return kInvalidUtf8;
    const uint32_t id = dictionary_.Intern(text);
    slots_[index] = Slot{first, second, hash, length, id};
    names_[index] = std::string(text);
    if (++used_ * 8 > slots_.size()) Grow();
    return id;
  }

  void Grow() {
    --shift_;
    std::vector<Slot> old_slots(slots_.size() * 2);
    std::vector<std::string> old_names(slots_.size() * 2);
    old_slots.swap(slots_);
    old_names.swap(names_);
    const size_t mask = slots_.size() - 1;
    for (size_t i = 0; i < old_slots.size(); ++i) {
      if (old_slots[i].id == kEmpty) continue;
      size_t index = Home(old_slots[i].hash);
      while (slots_[index].id != kEmpty) index = (index + 1) & mask;
      slots_[index] = old_slots[i];
      names_[index] = std::move(old_names[i]);
    }
  }

  Dictionary& dictionary_;
  std::vector<Slot> slots_;
  std::vector<std::string> names_{std::vector<std::string>(64)};  // only for names over 16 bytes
  size_t used_ = 0;
  int shift_ = 64 - 6;  // log2 of the 64 slots
};

// Which column is which, from the header.
struct Layout {
  std::vector<Column> columns;
  std::vector<std::string> names;
};

// A refusal, its line counted from the first line of its chunk (0).
struct Refusal {
  uint64_t line = 0;
  std::string column;
  const char* reason = "";
  std::string what;
};

// Quoted text is unescaped here; the padding lets names and numbers be read by words.
struct Scratch {
  std::vector<char> bytes;
  size_t size = 0;

  void Append(const char* begin, const char* end) {
    const auto length = static_cast<size_t>(end - begin);
    if (bytes.size() < size + length + kPadding) {
      bytes.resize(std::max(bytes.size() * 2, size + length + kPadding));
    }
    std::memcpy(bytes.data() + size, begin, length);
    size += length;
  }
};

// Reads the RFC 4180 field at p into `field` and leaves p on its delimiter (',' or '\n', which
// exists because every region ends in '\n'); quoted text is unescaped into `scratch` and its
// newlines counted. Returns null, or why the field is malformed.
const char* ReadField(const char*& p, const char* end, Scratch& scratch, uint64_t& newlines,
                      std::string_view& field) {
  if (*p != '"') {
    const char* stop = FindDelimiter(p, end);
    if (stop < end && *stop == '"') {
      return "a quote inside an unquoted field; quote the whole field and double the quotes "
             "inside it";
    }
    size_t length = static_cast<size_t>(stop - p);
    if (length > 0 && *stop == '\n' && p[length - 1] == '\r') --length;
    field = std::string_view(p, length);
    p = stop;
    return nullptr;
  }
  scratch.size = 0;
  ++p;
  for (;;) {
    const char* quote = static_cast<const char*>(std::memchr(p, '"', static_cast<size_t>(end - p)));
    if (quote == nullptr) return "a quoted field is never closed";
    scratch.Append(p, quote);
    newlines += static_cast<uint64_t>(std::count(p, quote, '\n'));
    p = quote + 1;
    if (p < end && *p == '"') {
      scratch.Append(p, p + 1);
      ++p;
      continue;
    }
    break;
  }
  if (p < end && *p == '\r' && p + 1 < end && p[1] == '\n') ++p;
  if (p >= end || (*p != ',' && *p != '\n')) {
    return "text after a closing quote; a quote inside a quoted field is written \"\"";
  }
  scratch.Append(p, p);  // so that the padding exists even for an empty field
  field = std::string_view(scratch.bytes.data(), scratch.size);
  return nullptr;
}

bool IsBlankLine(const char* p, const char* end) {
  return *p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n');
}

enum class HeaderState { kParsed, kNotYet, kRefused };

// Parses the header at p, after any blank lines; p is left after it and `lines` counts the
// lines taken. kNotYet when [p, end) holds only blank lines; kRefused with `refusal` set when
// the header is unusable.
HeaderState ParseHeader(const char*& p, const char* end, Layout& layout, uint64_t& lines,
                        Refusal& refusal) {
  while (p < end && IsBlankLine(p, end)) {
    p += *p == '\n' ? 1 : 2;
    ++lines;
  }
  if (p == end) return HeaderState::kNotYet;
  if (end - p >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;  // a spreadsheet's BOM
  Scratch scratch;
  uint64_t newlines = 0;
  std::array<bool, kRequiredColumns.size()> seen{};
  for (;;) {
    std::string_view field;
    if (const char* why = ReadField(p, end, scratch, newlines, field)) {
      refusal = Refusal{lines, "", "bad_quoting", why};
      return HeaderState::kRefused;
    }
    const std::string_view name = Trim(field);
    Column column = Column::kIgnored;
    for (size_t i = 0; i < kRequiredColumns.size(); ++i) {
      if (name != kRequiredColumns[i]) continue;
      if (seen[i]) {
        refusal =
            Refusal{lines, std::string(name), "duplicate_column", "named twice in the header"};
        return HeaderState::kRefused;
      }
      seen[i] = true;
      column = static_cast<Column>(i + 1);
    }
    layout.columns.push_back(column);
    layout.names.emplace_back(name);
    if (*p++ == '\n') break;
  }
  for (size_t i = 0; i < kRequiredColumns.size(); ++i) {
    if (!seen[i]) {
      refusal = Refusal{lines, std::string(kRequiredColumns[i]), "missing_column",
                        "missing from the header; " + std::string(kExpectedHeader)};
      return HeaderState::kRefused;
    }
  }
  lines += 1 + newlines;
  return HeaderState::kParsed;
}

// What one chunk of whole records becomes. Channel ids are the chunk's own, numbered in order
// of first appearance; the merge maps them onto the file's.
struct ChunkJourneys {
  Dictionary channels;
  std::vector<uint32_t> touch_key;
  std::vector<uint64_t> row_end;  // row i's touches end at row_end[i] of this chunk's touches
  std::vector<double> conversions, value, nulls;
  uint64_t lines = 0;  // physical lines parsed
  std::optional<Refusal> refusal;
};

// Parses the rows of one chunk. Not shared between threads; each chunk has its own.
class ChunkParser {
 public:
  ChunkParser(const Layout& layout, ChunkJourneys& out)
      : layout_(layout), out_(out), interner_(out.channels) {}

  // [begin, end) holds whole records, each ending in '\n'. False when a row was refused
  // (out.refusal); out.lines counts the lines parsed either way.
  bool Parse(const char* begin, const char* end) {
    const auto bytes = static_cast<size_t>(end - begin);
    // Generous for typical rows (about 60 bytes, 13 bytes per touch): reserving address space
    // costs nothing until it is touched, and it saves copying the columns as they grow.
    out_.row_end.reserve(bytes / 32 + 16);
    out_.conversions.reserve(bytes / 32 + 16);
    out_.value.reserve(bytes / 32 + 16);
    out_.nulls.reserve(bytes / 32 + 16);
    out_.touch_key.reserve(bytes / 8 + 16);
    const bool ok = std::memchr(begin, '"', bytes) == nullptr ? ParsePlainRecords(begin, end)
                                                              : ParseQuotedRecords(begin, end);
    out_.lines = line_;
    return ok;
  }

 private:
  // Keeps the refusal aside and returns false, so that a good row builds no Status.
  bool Fail(std::string_view column, const char* reason, std::string what) {
    out_.refusal = Refusal{line_, std::string(column), reason, std::move(what)};
    return false;
  }

  // The fast path: [begin, end) has no quote, so every ',' and '\n' is a delimiter and every
  // '>' in the path column separates two channels.
  bool ParsePlainRecords(const char* begin, const char* end) {
    const size_t last_column = layout_.columns.size() - 1;
    const char* field = begin;    // where the current field starts
    const char* channel = begin;  // where the current channel name starts (path column)
    size_t column = 0;
    row_first_touch_ = out_.touch_key.size();
    for (const char* block = begin; block < end; block += 64) {
      uint64_t bits = StructuralBits(block);
      const auto left = static_cast<size_t>(end - block);
      if (left < 64) bits &= (uint64_t{1} << left) - 1;
      for (; bits != 0; bits &= bits - 1) {
        const char* at = block + std::countr_zero(bits);
        if (*at == '>') {
          if (layout_.columns[column] == Column::kPath) {
            if (!AddChannel(channel, at, column, false)) return false;
            channel = at + 1;
          }
          continue;
        }
        if (*at == ',') {
          if (!EndField(column, field, at, channel)) return false;
          if (column == last_column) return FailTooManyFields();
          ++column;
          field = channel = at + 1;
          continue;
        }
        const char* field_end = at > field && at[-1] == '\r' ? at - 1 : at;
        if (column == 0 && field_end == field) {  // a blank line
          ++line_;
          field = channel = at + 1;
          continue;
        }
        if (!EndField(column, field, field_end, channel)) return false;
        if (column != last_column) return FailMissingColumn(column + 1);
        EndRow();
        ++line_;
        column = 0;
        field = channel = at + 1;
      }
    }
    return true;
  }

  // The general path, one record and one field at a time, for chunks with quotes.
  bool ParseQuotedRecords(const char* p, const char* end) {
    const size_t last_column = layout_.columns.size() - 1;
    while (p < end) {
      if (IsBlankLine(p, end)) {
        p += *p == '\n' ? 1 : 2;
        ++line_;
        continue;
      }
      uint64_t newlines = 0;
      row_first_touch_ = out_.touch_key.size();
      for (size_t column = 0;; ++column) {
        std::string_view field;
        if (const char* why = ReadField(p, end, scratch_, newlines, field)) {
          return Fail(layout_.names[column], "bad_quoting", why);
        }
        if (layout_.columns[column] == Column::kPath) {
          if (!SplitPath(column, field)) return false;
        } else if (!EndField(column, field.data(), field.data() + field.size(), field.data())) {
          return false;
        }
        if (*p++ == '\n') {
          if (column != last_column) return FailMissingColumn(column + 1);
          break;
        }
        if (column == last_column) return FailTooManyFields();
      }
      EndRow();
      line_ += 1 + newlines;
    }
    return true;
  }

  bool FailTooManyFields() {
    return Fail("", "too_many_fields",
                "more fields than the header's " + std::to_string(layout_.columns.size()));
  }

  bool FailMissingColumn(size_t column) {
    return Fail(layout_.names[column], "missing_column",
                "missing; the row has " + std::to_string(column) + " fields, the header " +
                    std::to_string(layout_.columns.size()));
  }

  bool SplitPath(size_t column, std::string_view path) {
    const char* p = path.data();
    const char* const end = p + path.size();
    for (;;) {
      const char* separator =
          static_cast<const char*>(std::memchr(p, '>', static_cast<size_t>(end - p)));
      if (separator == nullptr) return AddChannel(p, end, column, true);
      if (!AddChannel(p, separator, column, false)) return false;
      p = separator + 1;
    }
  }

  // Ends the field [begin, end) of `column`; for the path column `channel` is where its last
  // channel name starts.
  bool EndField(size_t column, const char* begin, const char* end, const char* channel) {
    const std::string_view text(begin, static_cast<size_t>(end - begin));
    switch (layout_.columns[column]) {
      case Column::kIgnored:
        return true;
      case Column::kPath:
        return AddChannel(channel, end, column, true);
      case Column::kConversions:
        return TakeCount(column, text, row_conversions_);
      case Column::kNulls:
        return TakeCount(column, text, row_nulls_);
      case Column::kValue:
        if (ParseNumber(text, row_value_)) return true;
        return Fail(layout_.names[column], "invalid_number",
                    "\"" + std::string(text.substr(0, 40)) + "\" is not a finite number");
    }
    return true;
  }

  bool AddChannel(const char* begin, const char* end, size_t column, bool last_in_path) {
    // " > " leaves one blank on each side of a name but the first and last: drop one without a
    // branch that mispredicts at every path's ends, then loop only for unusual spacing.
    if (begin < end) begin += IsBlank(*begin);
    if (end > begin) end -= IsBlank(end[-1]);
    if (begin < end && (IsBlank(*begin) || IsBlank(end[-1]))) {
      while (begin < end && IsBlank(*begin)) ++begin;
      while (end > begin && IsBlank(end[-1])) --end;
    }
    if (begin == end) {
      if (last_in_path && out_.touch_key.size() == row_first_touch_) {
        return Fail(layout_.names[column], "empty_path", "empty path");
      }
      return Fail(layout_.names[column], "empty_channel",
                  "empty channel name; channels are separated by \" > \"");
    }
    const uint32_t key = interner_.Intern(begin, static_cast<size_t>(end - begin));
    if (key == ChannelInterner::kInvalidUtf8) {
      return Fail(layout_.names[column], "invalid_utf8", "a channel name is not valid UTF-8");
    }
    out_.touch_key.push_back(key);
    return true;
  }

  bool TakeCount(size_t column, std::string_view text, double& out) {
    if (!ParseNumber(text, out)) {
      return Fail(layout_.names[column], "invalid_number",
                  "\"" + std::string(text.substr(0, 40)) + "\" is not a number");
    }
    if (out < 0) {
      return Fail(
          layout_.names[column], "invalid_number",
          "negative count " + std::string(Trim(text).substr(0, 40)) + "; expected a number >= 0");
    }
    return true;
  }

  void EndRow() {
    out_.row_end.push_back(out_.touch_key.size());
    out_.conversions.push_back(row_conversions_);
    out_.value.push_back(row_value_);
    out_.nulls.push_back(row_nulls_);
    row_first_touch_ = out_.touch_key.size();
  }

  const Layout& layout_;
  ChunkJourneys& out_;
  ChannelInterner interner_;
  Scratch scratch_;
  uint64_t line_ = 0;
  size_t row_first_touch_ = 0;
  double row_conversions_ = 0, row_value_ = 0, row_nulls_ = 0;
};

// Recycles the text buffers of parsed chunks: reading a large file would otherwise fault in
// fresh pages for every block, and on a virtual machine those faults cost more than reading.
class BufferPool {
 public:
  // Buffers hold `capacity` bytes plus kPadding.
  explicit BufferPool(size_t capacity) : capacity_(capacity) {}

  size_t capacity() const { return capacity_; }

  std::unique_ptr<char[]> Take() {
    {
      std::lock_guard lock(mutex_);
      if (!free_.empty()) {
        std::unique_ptr<char[]> buffer = std::move(free_.back());
        free_.pop_back();
        return buffer;
      }
    }
    return std::unique_ptr<char[]>(new char[capacity_ + kPadding]);
  }

  // Keeps `buffer` for reuse when it has the pool's size.
  void Give(std::unique_ptr<char[]> buffer, size_t capacity) {
    if (capacity != capacity_ || buffer == nullptr) return;
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(buffer));
  }

 private:
  const size_t capacity_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<char[]>> free_;
};

// Whole records read from the stream, and what they parse into.
struct Chunk {
  size_t index = 0;  // in file order
  // The records are bytes[begin, size); `capacity` bytes plus kPadding are allocated, and not
  // zeroed first: every byte is written by the stream before it is read, and the padding after
  // the data is zeroed on each read.
  std::unique_ptr<char[]> bytes;
  size_t capacity = 0;
  size_t begin = 0;  // past the header in the first chunk
  size_t size = 0;
  ChunkJourneys journeys;
  std::atomic<bool> parsed{false};  // set by the thread that parsed it, after the journeys

  // At least `capacity` bytes, from the pool when they fit in its buffers.
  static std::unique_ptr<Chunk> WithCapacity(size_t capacity, BufferPool& pool) {
    auto chunk = std::make_unique<Chunk>();
    if (capacity <= pool.capacity()) {
      chunk->bytes = pool.Take();
      chunk->capacity = pool.capacity();
    } else {
      chunk->bytes.reset(new char[capacity + kPadding]);
      chunk->capacity = capacity;
    }
    return chunk;
  }

  // Keeps bytes[0, kept).
  void Grow(size_t new_capacity, size_t kept) {
    std::unique_ptr<char[]> grown(new char[new_capacity + kPadding]);
    std::memcpy(grown.get(), bytes.get(), kept);
    bytes = std::move(grown);
    capacity = new_capacity;
  }
};

// Parses chunks on worker threads while the reading thread reads. The reader hands chunks over
// with Add and, whenever more than `max_waiting` wait, parses one itself, so on two cores both
// parse and memory stays bounded. Chunks after one that was refused are skipped: only the
// first refusal in file order is reported.
class ChunkWorkers {
 public:
  ChunkWorkers(const Layout& layout, BufferPool& pool, int workers, size_t max_waiting)
      : layout_(layout), pool_(pool), max_waiting_(max_waiting) {
    for (int w = 0; w < workers; ++w) {
      threads_.emplace_back([this] {
        while (Chunk* chunk = Next()) Parse(*chunk);
      });
    }
  }
  ~ChunkWorkers() { Finish(); }

  void Add(Chunk* chunk) {
    {
      std::lock_guard lock(mutex_);
      waiting_.push_back(chunk);
    }
    ready_.notify_one();
    if (threads_.empty() || Waiting() > max_waiting_) {
      if (Chunk* own = TryNext()) Parse(*own);
    }
  }

  // Parses what is left (the calling thread helps) and waits for the workers.
  void Finish() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    ready_.notify_all();
    while (Chunk* chunk = TryNext()) Parse(*chunk);
    for (std::thread& thread : threads_) thread.join();
    threads_.clear();
  }

  bool refused() const { return first_refused_.load() != kNone; }

 private:
  static constexpr size_t kNone = std::numeric_limits<size_t>::max();

  size_t Waiting() {
    std::lock_guard lock(mutex_);
    return waiting_.size();
  }

  Chunk* TryNext() {
    std::lock_guard lock(mutex_);
    return TakeLocked();
  }

  Chunk* Next() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [this] { return closed_ || !waiting_.empty(); });
    return TakeLocked();
  }

  Chunk* TakeLocked() {
    if (waiting_.empty()) return nullptr;
    Chunk* chunk = waiting_.front();
    waiting_.pop_front();
    return chunk;
  }

  void Parse(Chunk& chunk) {
    const size_t index = chunk.index;
    if (index < first_refused_.load()) {
      ChunkParser parser(layout_, chunk.journeys);
      if (!parser.Parse(chunk.bytes.get() + chunk.begin, chunk.bytes.get() + chunk.size)) {
        size_t expected = first_refused_.load();
        while (index < expected && !first_refused_.compare_exchange_weak(expected, index)) {
        }
      }
    }
    pool_.Give(std::move(chunk.bytes), chunk.capacity);  // the text is no longer needed
    chunk.parsed.store(true, std::memory_order_release);
  }

  const Layout& layout_;
  BufferPool& pool_;
  const size_t max_waiting_;
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Chunk*> waiting_;
  bool closed_ = false;
  std::atomic<size_t> first_refused_{kNone};
};

class PathFileReader {
 public:
  explicit PathFileReader(const PathFileOptions& options)
      : block_bytes_(std::max<size_t>(options.block_bytes, 1)),
        max_record_bytes_(std::max<size_t>(options.max_record_bytes, 1)),
        threads_(options.threads > 0
                     ? options.threads
                     : std::max(1, static_cast<int>(std::thread::hardware_concurrency()))) {}

  Result<Journeys> Read(std::istream& in) {
    std::streambuf* source = in.rdbuf();
    if (source == nullptr) return Unavailable("the path file stream has no buffer");
    stream_bytes_ = RemainingBytes(in);
    // Declared before the workers, which return buffers to it until they are destroyed. Room
    // for a block and the partial record carried over from the last one, usually small.
    BufferPool pool(2 * block_bytes_);
    std::vector<std::unique_ptr<Chunk>> chunks;
    std::optional<ChunkWorkers> workers;
    std::unique_ptr<Chunk> current = Chunk::WithCapacity(block_bytes_, pool);
    size_t filled = 0, scanned = 0;
    bool at_end = false, inside_quotes = false;
    while (!at_end && !refusal_ && !(workers && workers->refused())) {
      if (current->capacity - filled < block_bytes_) {
        current->Grow(std::max(current->capacity * 2, filled + block_bytes_), filled);
      }
      char* const buffer = current->bytes.get();
      std::streamsize got = 0;
      try {
        got = source->sgetn(buffer + filled, static_cast<std::streamsize>(block_bytes_));
      } catch (const std::exception& error) {
        return Unavailable(std::string("reading the path file failed: ") + error.what());
      }
      if (got < 0) return Unavailable("reading the path file failed");
      filled += static_cast<size_t>(got);
      std::memset(buffer + filled, 0, kPadding);
      at_end = got == 0;
      size_t region = filled;
      if (at_end) {
        // A final record without its newline gets one, so every record ends in '\n'.
        if (filled > 0 && buffer[filled - 1] != '\n') buffer[filled++] = '\n';
        region = filled;
      } else {
        region = LastRecordEnd(buffer, filled, scanned, inside_quotes);
        if (region == 0) {
          if (filled > max_record_bytes_) {
            auto refused = std::make_unique<Chunk>();
            refused->index = chunks.size();
            refused->journeys.refusal =
                Refusal{0, "", "record_too_long",
                        "record longer than " + std::to_string(max_record_bytes_) +
                            " bytes (is a quote left open?)"};
            refused->parsed = true;
            chunks.push_back(std::move(refused));
            break;
          }
          continue;
        }
      }
      // The records go as one chunk; the partial record after them starts the next.
      std::unique_ptr<Chunk> next = Chunk::WithCapacity(filled - region + block_bytes_, pool);
      std::memcpy(next->bytes.get(), buffer + region, filled - region);
      current->size = region;
      filled -= region;
      scanned -= std::min(scanned, region);
      if (!workers) {
        const char* p = buffer;
        Refusal refusal;
        switch (ParseHeader(p, p + region, layout_, line_, refusal)) {
          case HeaderState::kRefused:
            return Refuse(refusal, 1);
          case HeaderState::kNotYet:  // only blank lines so far, counted in line_
            current = std::move(next);
            continue;
          case HeaderState::kParsed:
            current->begin = static_cast<size_t>(p - buffer);
            workers.emplace(layout_, pool, threads_ - 1, static_cast<size_t>(threads_));
            break;
        }
      }
      current->index = chunks.size();
      chunks.push_back(std::move(current));
      workers->Add(chunks.back().get());
      current = std::move(next);
      MergeParsed(chunks);
    }
    if (!workers) {
      return Refuse(Refusal{0, "", "missing_header", "empty file; " + std::string(kExpectedHeader)},
                    1);
    }
    workers->Finish();
    MergeParsed(chunks);
    if (refusal_) return *refusal_;
    journeys_.has_times = false;
    journeys_.partner_count.assign(journeys_.size(), 0);
    return std::move(journeys_);
  }

 private:
  // Bytes left in a seekable stream, or -1; only used to reserve memory up front.
  static int64_t RemainingBytes(std::istream& in) {
    const std::istream::pos_type start = in.tellg();
    if (start == std::istream::pos_type(-1)) {
      in.clear();
      return -1;
    }
    in.seekg(0, std::ios::end);
    const std::istream::pos_type end = in.tellg();
    in.clear();
    in.seekg(start);
    in.clear();
    if (end == std::istream::pos_type(-1)) return -1;
    return static_cast<int64_t>(end - start);
  }

  Status Refuse(const Refusal& refusal, uint64_t first_line) const {
    std::string message = "line " + std::to_string(first_line + refusal.line) + ": ";
    if (!refusal.column.empty()) message += "column " + refusal.column + ": ";
    message += refusal.what;
    return InvalidArgument(std::move(message), refusal.column, refusal.reason);
  }

  // Appends the chunks parsed so far, in file order, to the journeys, and frees their columns,
  // whose memory the next chunks then reuse: the journeys' pages are faulted in once, not
  // twice. Channel ids become the file's, in order of first appearance, and lines are counted
  // chunk by chunk, so the result is the same however the chunks were cut and parsed. Stops at
  // the first refusal.
  void MergeParsed(const std::vector<std::unique_ptr<Chunk>>& chunks) {
    for (; merged_ < chunks.size() && !refusal_; ++merged_) {
      Chunk& chunk = *chunks[merged_];
      if (!chunk.parsed.load(std::memory_order_acquire)) return;
      ChunkJourneys& part = chunk.journeys;
      if (part.refusal) {
        refusal_ = Refuse(*part.refusal, line_ + 1);
        return;
      }
      line_ += part.lines;
      if (merged_ == 0) ReserveFromFirstChunk(chunk);
      key_of_.clear();
      for (uint32_t local = 0; local < part.channels.size(); ++local) {
        key_of_.push_back(journeys_.keys.Intern(part.channels.Name(local)));
      }
      const uint64_t touch_base = journeys_.touch_key.size();
      for (uint32_t key : part.touch_key) journeys_.touch_key.push_back(key_of_[key]);
      for (uint64_t end : part.row_end) journeys_.offsets.push_back(touch_base + end);
      journeys_.conversions.insert(journeys_.conversions.end(), part.conversions.begin(),
                                   part.conversions.end());
      journeys_.value.insert(journeys_.value.end(), part.value.begin(), part.value.end());
      journeys_.nulls.insert(journeys_.nulls.end(), part.nulls.begin(), part.nulls.end());
      part = ChunkJourneys();
    }
  }

  // Reserves the journeys for the whole stream at the first chunk's density, with a margin, so
  // that the columns are not copied as they grow.
  void ReserveFromFirstChunk(const Chunk& chunk) {
    if (stream_bytes_ <= 0 || chunk.size == 0) return;
    const double scale = 1.1 * static_cast<double>(stream_bytes_) / static_cast<double>(chunk.size);
    const auto rows =
        static_cast<size_t>(scale * static_cast<double>(chunk.journeys.row_end.size())) + 16;
    const auto touches =
        static_cast<size_t>(scale * static_cast<double>(chunk.journeys.touch_key.size())) + 16;
    journeys_.offsets.reserve(rows + 1);
    journeys_.conversions.reserve(rows);
    journeys_.value.reserve(rows);
    journeys_.nulls.reserve(rows);
    journeys_.touch_key.reserve(touches);
  }

  const size_t block_bytes_;
  const size_t max_record_bytes_;
  const int threads_;
  int64_t stream_bytes_ = -1;
  Layout layout_;
  Journeys journeys_;
  uint64_t line_ = 0;  // lines merged so far: blank lines and the header, then chunk by chunk
  size_t merged_ = 0;
  std::vector<uint32_t> key_of_;
  std::optional<Status> refusal_;
};

}  // namespace

Result<Journeys> ReadPathFile(std::istream& in) { return ReadPathFile(in, PathFileOptions{}); }

Result<Journeys> ReadPathFile(std::istream& in, const PathFileOptions& options) {
  PathFileReader reader(options);
  return reader.Read(in);
}

}  // namespace tutti::attribution

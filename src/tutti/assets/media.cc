#include "tutti/assets/media.h"

#include <algorithm>
#include <cassert>
#include <limits>
#include <string>

namespace tutti::assets {
namespace {

using std::chrono::microseconds;

constexpr std::string_view kFileField = "file";

// Bounds-checked big- and little-endian reads over the caller's bytes. Every read is preceded by
// a Has() check in the format readers; the asserts catch a forgotten one in tests and fuzzing.
class Bytes {
 public:
  explicit Bytes(std::span<const std::byte> bytes) : bytes_(bytes) {}

  size_t size() const { return bytes_.size(); }
  bool Has(size_t at, size_t count) const {
    return at <= bytes_.size() && count <= bytes_.size() - at;
  }
  uint8_t U8(size_t at) const {
    assert(at < bytes_.size());
    return std::to_integer<uint8_t>(bytes_[at]);
  }
  uint64_t Be(size_t at, size_t count) const {
    assert(Has(at, count));
    uint64_t value = 0;
    for (size_t i = 0; i < count; ++i) value = (value << 8) | U8(at + i);
    return value;
  }
  uint64_t Le(size_t at, size_t count) const {
    assert(Has(at, count));
    uint64_t value = 0;
    for (size_t i = count; i > 0; --i) value = (value << 8) | U8(at + i - 1);
    return value;
  }
  uint16_t Be16(size_t at) const { return static_cast<uint16_t>(Be(at, 2)); }
  uint32_t Be32(size_t at) const { return static_cast<uint32_t>(Be(at, 4)); }
  uint64_t Be64(size_t at) const { return Be(at, 8); }
  uint16_t Le16(size_t at) const { return static_cast<uint16_t>(Le(at, 2)); }
  uint32_t Le24(size_t at) const { return static_cast<uint32_t>(Le(at, 3)); }
  uint32_t Le32(size_t at) const { return static_cast<uint32_t>(Le(at, 4)); }
  bool Matches(size_t at, std::string_view text) const {
    if (!Has(at, text.size())) return false;
    for (size_t i = 0; i < text.size(); ++i) {
      if (U8(at + i) != static_cast<uint8_t>(text[i])) return false;
    }
    return true;
  }

 private:
  std::span<const std::byte> bytes_;
};

Status Truncated(std::string_view format, const std::string& what) {
  return InvalidArgument(std::string(format) + " file is truncated: " + what,
                         std::string(kFileField), "truncated");
}
Status Corrupt(std::string_view format, const std::string& what) {
  return InvalidArgument(std::string(format) + " file is corrupt: " + what, std::string(kFileField),
                         "corrupt");
}

std::string Hex(uint64_t value, int digits) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "0x";
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kDigits[(value >> shift) & 15];
  return out;
}

// A chunk or box type for messages: 'moov' when printable, its hex value otherwise, so that a
// message never carries control bytes or invalid UTF-8.
std::string FourCc(const Bytes& b, size_t at) {
  std::string text = "'";
  for (size_t i = 0; i < 4; ++i) {
    const uint8_t c = b.U8(at + i);
    if (c < 0x20 || c > 0x7e) return Hex(b.Be32(at), 8);
    text += static_cast<char>(c);
  }
  return text + "'";
}

bool IsFourCc(const Bytes& b, size_t at, std::string_view type) { return b.Matches(at, type); }

std::string Needs(size_t at, uint64_t count, size_t file_size) {
  return "at byte " + std::to_string(at) + " needs " + std::to_string(count) +
         " bytes, but the file ends after " + std::to_string(file_size > at ? file_size - at : 0);
}

// floor(units / timescale) in microseconds, without overflow; saturates at the largest duration.
microseconds ToMicroseconds(uint64_t units, uint64_t timescale) {
  constexpr uint64_t kMicro = 1'000'000;
  constexpr uint64_t kMaxWhole =
      static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) / kMicro;
  const uint64_t whole = units / timescale;
  if (whole >= kMaxWhole) return microseconds::max();
  // rest < timescale < 2^32 wherever a timescale comes from, so rest * 10^6 fits in 64 bits.
  const uint64_t fraction = (units % timescale) * kMicro / timescale;
  return microseconds(static_cast<int64_t>(whole * kMicro + fraction));
}

// --- PNG (ISO/IEC 15948; APNG extension) -------------------------------------------------

constexpr std::string_view kPng = "PNG";

constexpr std::array<uint32_t, 256> MakeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t n = 0; n < 256; ++n) {
    uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  return table;
}
constexpr std::array<uint32_t, 256> kCrcTable = MakeCrcTable();

uint32_t Crc32(const Bytes& b, size_t at, size_t count) {
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < count; ++i) c = kCrcTable[(c ^ b.U8(at + i)) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

bool IsValidPngDepth(uint8_t color_type, uint8_t depth) {
  switch (color_type) {
    case 0:
      return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
    case 3:
      return depth == 1 || depth == 2 || depth == 4 || depth == 8;
    case 2:
    case 4:
    case 6:
      return depth == 8 || depth == 16;
    default:
      return false;
  }
}

Result<MediaInfo> ProbePng(const Bytes& b) {
  static constexpr uint8_t kTail[] = {0x0d, 0x0a, 0x1a, 0x0a};
  if (!b.Has(0, 8)) return Truncated(kPng, "the 8-byte signature " + Needs(0, 8, b.size()));
  for (size_t i = 0; i < 4; ++i) {
    if (b.U8(4 + i) != kTail[i]) {
      return Corrupt(kPng, "signature bytes 4-7 are " + Hex(b.Be32(4), 8) +
                               ", expected 0x0d0a1a0a (was it transferred as text?)");
    }
  }
  MediaInfo info;
  info.format = MediaFormat::kPng;
  bool seen_idat = false;
  bool seen_actl = false;
  uint64_t delay_us = 0;
  size_t at = 8;
  while (true) {
    if (!b.Has(at, 8)) {
      return Truncated(kPng, "no IEND chunk; the chunk header " + Needs(at, 8, b.size()));
    }
    const uint32_t length = b.Be32(at);
    const size_t data = at + 8;
    if (length > 0x7fffffffu) {
      return Corrupt(kPng, "chunk " + FourCc(b, at + 4) + " at byte " + std::to_string(at) +
                               " declares " + std::to_string(length) +
                               " bytes, more than the 2^31-1 PNG allows");
    }
    for (size_t i = 0; i < 4; ++i) {
      const uint8_t c = b.U8(at + 4 + i);
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
        return Corrupt(kPng, "chunk type " + FourCc(b, at + 4) + " at byte " +
                                 std::to_string(at + 4) + " is not four ASCII letters");
      }
    }
    if (!b.Has(data, size_t{length} + 4)) {
      return Truncated(
          kPng, "chunk " + FourCc(b, at + 4) + " " + Needs(data, uint64_t{length} + 4, b.size()));
    }
    const bool first = at == 8;
    if (first && (!IsFourCc(b, at + 4, "IHDR") || length != 13)) {
      return Corrupt(kPng, "the first chunk must be a 13-byte IHDR, found " + FourCc(b, at + 4) +
                               " of " + std::to_string(length) + " bytes");
    }
    if (!first && IsFourCc(b, at + 4, "IHDR")) {
      return Corrupt(kPng, "a second IHDR chunk at byte " + std::to_string(at));
    }
    if (first) {
      const uint32_t stored = b.Be32(data + 13);
      const uint32_t computed = Crc32(b, at + 4, 4 + 13);
      if (stored != computed) {
        return Corrupt(
            kPng, "IHDR CRC is " + Hex(stored, 8) + ", the chunk's bytes give " + Hex(computed, 8));
      }
      info.width = b.Be32(data);
      info.height = b.Be32(data + 4);
      const uint8_t depth = b.U8(data + 8);
      const uint8_t color_type = b.U8(data + 9);
      if (info.width == 0 || info.height == 0 || info.width > 0x7fffffffu ||
          info.height > 0x7fffffffu) {
        return Corrupt(kPng, "IHDR gives " + std::to_string(info.width) + "x" +
                                 std::to_string(info.height) +
                                 " pixels; each side must be 1 to 2^31-1");
      }
      if (!IsValidPngDepth(color_type, depth) || b.U8(data + 10) != 0 || b.U8(data + 11) != 0 ||
          b.U8(data + 12) > 1) {
        return Corrupt(
            kPng, "IHDR has colour type " + std::to_string(color_type) + ", bit depth " +
                      std::to_string(depth) + ", compression " + std::to_string(b.U8(data + 10)) +
                      ", filter " + std::to_string(b.U8(data + 11)) + ", interlace " +
                      std::to_string(b.U8(data + 12)) + ", which is not a valid combination");
      }
    } else if (IsFourCc(b, at + 4, "IDAT")) {
      seen_idat = true;
    } else if (IsFourCc(b, at + 4, "acTL") && length >= 8 && !seen_idat) {
      const uint32_t frames = b.Be32(data);
      if (frames == 0) return Corrupt(kPng, "acTL declares 0 frames");
      seen_actl = true;
      info.frames = frames;
    } else if (IsFourCc(b, at + 4, "fcTL") && length >= 26) {
      const uint16_t numerator = b.Be16(data + 20);
      const uint16_t denominator = b.Be16(data + 22);
      // APNG: a zero denominator means hundredths of a second.
      delay_us += uint64_t{numerator} * 1'000'000 / (denominator == 0 ? 100 : denominator);
    } else if (IsFourCc(b, at + 4, "IEND")) {
      if (!seen_idat) return Corrupt(kPng, "IEND before any IDAT: the image has no pixel data");
      break;
    }
    at = data + length + 4;
  }
  info.animated = seen_actl && info.frames > 1;
  if (info.animated) info.duration = microseconds(static_cast<int64_t>(delay_us));
  return info;
}

// --- JPEG (ITU T.81, JFIF, EXIF) -----------------------------------------------------------

constexpr std::string_view kJpeg = "JPEG";

bool IsStartOfFrame(uint8_t marker) {
  // SOF0-3, 5-7, 9-11, 13-15; C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frames.
  return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
}

// The EXIF orientation (1-8) from an APP1 payload, or 0 when absent or unreadable: EXIF is
// metadata that cameras and editors often damage, so a bad one is ignored rather than refused.
int ExifOrientation(const Bytes& b, size_t begin, size_t end) {
  using namespace std::string_view_literals;
  if (end - begin < 6 + 8 || !b.Matches(begin, "Exif\0\0"sv)) return 0;
  const size_t tiff = begin + 6;
  bool little = false;
  if (b.Matches(tiff, "II*\0"sv)) {
    little = true;
  } else if (!b.Matches(tiff, "MM\0*"sv)) {
    return 0;
  }
  auto u16 = [&](size_t at) { return little ? b.Le16(at) : b.Be16(at); };
  const uint64_t ifd = uint64_t{tiff} + (little ? b.Le32(tiff + 4) : b.Be32(tiff + 4));
  if (ifd + 2 > end) return 0;
  const size_t entries = u16(static_cast<size_t>(ifd));
  for (size_t i = 0; i < entries; ++i) {
    const uint64_t entry = ifd + 2 + 12 * uint64_t{i};
    if (entry + 12 > end) return 0;
    const size_t e = static_cast<size_t>(entry);
    if (u16(e) == 0x0112 && u16(e + 2) == 3) {
      const uint16_t value = u16(e + 8);
      return value >= 1 && value <= 8 ? value : 0;
    }
  }
  return 0;
}

Result<MediaInfo> ProbeJpeg(const Bytes& b) {
  MediaInfo info;
  info.format = MediaFormat::kJpeg;
  bool have_frame = false;
  int orientation = 0;
  size_t at = 2;
  while (true) {
    if (!b.Has(at, 2)) {
      return Truncated(kJpeg, "no start-of-scan marker; the marker " + Needs(at, 2, b.size()));
    }
    if (b.U8(at) != 0xff) {
      return Corrupt(kJpeg, "expected a marker (0xff) at byte " + std::to_string(at) + ", found " +
                                Hex(b.U8(at), 2));
    }
    size_t code_at = at + 1;
    while (code_at < b.size() && b.U8(code_at) == 0xff) ++code_at;  // fill bytes
    if (code_at >= b.size()) return Truncated(kJpeg, "the file ends inside a marker");
    const uint8_t marker = b.U8(code_at);
    const std::string where =
        "marker " + Hex(0xff00u | marker, 4) + " at byte " + std::to_string(code_at - 1);
    at = code_at + 1;
    if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;  // no length follows
    if (marker == 0x00 || marker == 0xd8 || marker == 0xd9) {
      return Corrupt(kJpeg, where + " is not allowed before the first scan");
    }
    if (!b.Has(at, 2)) return Truncated(kJpeg, where + ": its length " + Needs(at, 2, b.size()));
    const uint16_t length = b.Be16(at);
    if (length < 2) {
      return Corrupt(kJpeg, where + " declares length " + std::to_string(length) +
                                ", less than the 2 bytes of the length itself");
    }
    if (!b.Has(at, length))
      return Truncated(kJpeg, where + ": its segment " + Needs(at, length, b.size()));
    const size_t payload = at + 2;
    const size_t end = at + length;
    if (IsStartOfFrame(marker) && !have_frame) {
      const size_t components = length >= 8 ? b.U8(payload + 5) : 0;
      if (length < 8 || components == 0 || length != 8 + 3 * components) {
        return Corrupt(kJpeg, where + ": a frame header of " + std::to_string(length) +
                                  " bytes, expected 8 + 3 per component");
      }
      info.height = b.Be16(payload + 1);
      info.width = b.Be16(payload + 3);
      if (info.width == 0 || info.height == 0) {
        return Corrupt(kJpeg, where + " gives " + std::to_string(info.width) + "x" +
                                  std::to_string(info.height) +
                                  " pixels (a height set later by a DNL marker is not supported)");
      }
      have_frame = true;
    } else if (marker == 0xe1 && orientation == 0) {
      orientation = ExifOrientation(b, payload, end);
    } else if (marker == 0xda) {
      if (!have_frame) return Corrupt(kJpeg, where + ": a scan before any frame header (SOFn)");
      // Entropy-coded data never holds 0xff 0xd9 (a 0xff data byte is stuffed as 0xff 0x00), so
      // a 0xff 0xd9 after the scan header can only be the end-of-image marker. Searching from the
      // end finds it at once in a complete file, whatever trailer follows it.
      bool has_end = false;
      for (size_t i = b.size(); i >= end + 2 && !has_end; --i) {
        has_end = b.U8(i - 2) == 0xff && b.U8(i - 1) == 0xd9;
      }
      if (!has_end) {
        return Truncated(kJpeg, "no end-of-image marker (0xffd9) after the scan at byte " +
                                    std::to_string(code_at - 1) +
                                    ": the compressed image data stops unfinished");
      }
      break;
    }
    at = end;
  }
  if (orientation >= 5) std::swap(info.width, info.height);  // 5-8 turn the image a quarter
  return info;
}

// --- GIF (GIF89a specification) -------------------------------------------------------------

constexpr std::string_view kGif = "GIF";

size_t ColorTableBytes(uint8_t packed) {
  return (packed & 0x80) ? 3 * (size_t{2} << (packed & 7)) : 0;
}

Result<MediaInfo> ProbeGif(const Bytes& b) {
  if (!b.Has(0, 13)) {
    return Truncated(kGif, "the header and logical screen descriptor " + Needs(0, 13, b.size()));
  }
  if (!b.Matches(3, "87a") && !b.Matches(3, "89a")) {
    return Corrupt(kGif,
                   "version bytes are " + Hex(b.Be(3, 3), 6) + ", expected \"87a\" or \"89a\"");
  }
  MediaInfo info;
  info.format = MediaFormat::kGif;
  info.width = b.Le16(6);
  info.height = b.Le16(8);
  if (info.width == 0 || info.height == 0) {
    return Corrupt(kGif, "the logical screen is " + std::to_string(info.width) + "x" +
                             std::to_string(info.height) + " pixels");
  }
  size_t at = 13 + ColorTableBytes(b.U8(10));
  uint32_t images = 0;
  uint64_t delay_cs = 0;
  while (true) {
    if (!b.Has(at, 1)) {
      return Truncated(kGif, "no trailer (0x3b); the next block " + Needs(at, 1, b.size()));
    }
    const uint8_t kind = b.U8(at);
    if (kind == 0x3b) break;
    if (kind == 0x2c) {
      if (!b.Has(at, 11)) {
        return Truncated(kGif, "the image descriptor " + Needs(at, 11, b.size()));
      }
      const size_t table = ColorTableBytes(b.U8(at + 9));
      at += 10 + table + 1;  // descriptor, local colour table, LZW minimum code size
      if (images < std::numeric_limits<uint32_t>::max()) ++images;
    } else if (kind == 0x21) {
      if (!b.Has(at, 2)) return Truncated(kGif, "the extension " + Needs(at, 2, b.size()));
      const uint8_t label = b.U8(at + 1);
      at += 2;
      // Graphic control extension: size 4, flags, delay in hundredths, transparent index.
      if (label == 0xf9 && b.Has(at, 5) && b.U8(at) >= 4) delay_cs += b.Le16(at + 2);
    } else {
      return Corrupt(kGif, "block " + Hex(kind, 2) + " at byte " + std::to_string(at) +
                               " is none of image (0x2c), extension (0x21) or trailer (0x3b)");
    }
    while (true) {  // data sub-blocks, each led by its size, ended by a zero size
      if (!b.Has(at, 1)) {
        return Truncated(kGif, "the data sub-block " + Needs(at, 1, b.size()));
      }
      const uint8_t size = b.U8(at);
      at += size_t{1} + size;
      if (size == 0) break;
    }
  }
  if (images == 0) return Corrupt(kGif, "the trailer comes before any image");
  info.frames = images;
  info.animated = images > 1;
  if (info.animated) info.duration = microseconds(static_cast<int64_t>(delay_cs) * 10'000);
  return info;
}

// --- WebP (RFC 9649) ------------------------------------------------------------------------

constexpr std::string_view kWebp = "WebP";

struct RiffChunk {
  size_t at;
  size_t payload;
  uint32_t size;
};

Result<RiffChunk> ReadRiffChunk(const Bytes& b, size_t at, size_t end) {
  if (end - at < 8) {
    return Truncated(kWebp, "the chunk header at byte " + std::to_string(at) +
                                " needs 8 bytes, but the RIFF container ends after " +
                                std::to_string(end - at));
  }
  const uint32_t size = b.Le32(at + 4);
  if (size > end - at - 8) {
    return Truncated(kWebp, "chunk " + FourCc(b, at) + " at byte " + std::to_string(at) +
                                " declares " + std::to_string(size) +
                                " bytes, but the RIFF container ends after " +
                                std::to_string(end - at - 8));
  }
  return RiffChunk{at, at + 8, size};
}

// Chunks are padded to an even size; a missing pad byte after the last chunk is tolerated.
size_t NextChunk(const RiffChunk& chunk) { return chunk.payload + chunk.size + (chunk.size & 1); }

Status ReadVp8(const Bytes& b, const RiffChunk& chunk, MediaInfo& info) {
  if (chunk.size < 10) {
    return Corrupt(kWebp, "VP8 chunk of " + std::to_string(chunk.size) +
                              " bytes, shorter than a key frame header (10)");
  }
  const size_t p = chunk.payload;
  const uint32_t tag = b.Le24(p);
  const bool key_frame = (tag & 1) == 0;
  const uint32_t version = (tag >> 1) & 7;
  const bool shown = ((tag >> 4) & 1) != 0;
  const uint32_t first_partition = tag >> 5;
  if (!key_frame || version > 3 || !shown) {
    return Corrupt(kWebp,
                   "VP8 frame tag " + Hex(tag, 6) + " is not a shown key frame of version 0-3");
  }
  if (!b.Matches(p + 3, "\x9d\x01\x2a")) {
    return Corrupt(kWebp, "VP8 start code is " + Hex(b.Be(p + 3, 3), 6) + ", expected 0x9d012a");
  }
  if (first_partition > chunk.size - 10) {
    return Corrupt(kWebp, "VP8 first partition of " + std::to_string(first_partition) +
                              " bytes is larger than the chunk");
  }
  info.width = b.Le16(p + 6) & 0x3fff;  // the top two bits are an upscaling hint
  info.height = b.Le16(p + 8) & 0x3fff;
  if (info.width == 0 || info.height == 0) {
    return Corrupt(kWebp, "VP8 frame is " + std::to_string(info.width) + "x" +
                              std::to_string(info.height) + " pixels");
  }
  return OkStatus();
}

Status ReadVp8l(const Bytes& b, const RiffChunk& chunk, MediaInfo& info) {
  if (chunk.size < 5) {
    return Corrupt(kWebp, "VP8L chunk of " + std::to_string(chunk.size) +
                              " bytes, shorter than its header (5)");
  }
  if (b.U8(chunk.payload) != 0x2f) {
    return Corrupt(kWebp, "VP8L signature is " + Hex(b.U8(chunk.payload), 2) + ", expected 0x2f");
  }
  const uint32_t bits = b.Le32(chunk.payload + 1);
  if ((bits >> 29) != 0) {
    return Corrupt(kWebp, "VP8L version is " + std::to_string(bits >> 29) + ", expected 0");
  }
  info.width = (bits & 0x3fff) + 1;
  info.height = ((bits >> 14) & 0x3fff) + 1;
  return OkStatus();
}

Result<MediaInfo> ProbeWebp(const Bytes& b) {
  if (!b.Has(0, 12)) return Truncated(kWebp, "the RIFF header " + Needs(0, 12, b.size()));
  const uint64_t riff_end = uint64_t{b.Le32(4)} + 8;
  if (riff_end > b.size()) {
    return Truncated(kWebp, "the RIFF header declares " + std::to_string(riff_end) +
                                " bytes, but the file has " + std::to_string(b.size()));
  }
  const size_t end = static_cast<size_t>(riff_end);  // trailing bytes after RIFF are ignored
  if (end < 12) return Corrupt(kWebp, "the RIFF header declares less than its own 12 bytes");
  MediaInfo info;
  info.format = MediaFormat::kWebp;
  TUTTI_ASSIGN_OR_RETURN(const RiffChunk first, ReadRiffChunk(b, 12, end));
  bool extended = false;
  bool animation_flag = false;
  if (IsFourCc(b, first.at, "VP8 ")) {
    TUTTI_RETURN_IF_ERROR(ReadVp8(b, first, info));
  } else if (IsFourCc(b, first.at, "VP8L")) {
    TUTTI_RETURN_IF_ERROR(ReadVp8l(b, first, info));
  } else if (IsFourCc(b, first.at, "VP8X")) {
    if (first.size < 10) {
      return Corrupt(
          kWebp, "VP8X chunk of " + std::to_string(first.size) + " bytes, expected at least 10");
    }
    extended = true;
    animation_flag = (b.U8(first.payload) & 0x02) != 0;
    info.width = b.Le24(first.payload + 4) + 1;
    info.height = b.Le24(first.payload + 7) + 1;
    if (uint64_t{info.width} * info.height > 0xffffffffu) {
      return Corrupt(kWebp, "VP8X canvas " + std::to_string(info.width) + "x" +
                                std::to_string(info.height) +
                                " has more than 2^32-1 pixels, the WebP limit");
    }
  } else {
    return Corrupt(
        kWebp, "the first chunk is " + FourCc(b, first.at) + ", expected 'VP8 ', 'VP8L' or 'VP8X'");
  }
  uint32_t frames = 0;
  bool has_image = !extended;
  uint64_t duration_ms = 0;
  // Walking every chunk header (not its data) finds a file cut short inside the container.
  for (size_t at = NextChunk(first); at < end;) {
    TUTTI_ASSIGN_OR_RETURN(const RiffChunk chunk, ReadRiffChunk(b, at, end));
    if (IsFourCc(b, at, "ANMF")) {
      if (chunk.size < 16) {
        return Corrupt(kWebp, "ANMF chunk at byte " + std::to_string(at) + " of " +
                                  std::to_string(chunk.size) + " bytes, expected at least 16");
      }
      if (frames < std::numeric_limits<uint32_t>::max()) ++frames;
      duration_ms += b.Le24(chunk.payload + 12);
      has_image = true;
    } else if (IsFourCc(b, at, "VP8 ") || IsFourCc(b, at, "VP8L")) {
      has_image = true;
    }
    at = NextChunk(chunk);
  }
  if (!has_image) return Corrupt(kWebp, "the VP8X container holds no image or animation frame");
  if (animation_flag) {
    if (frames == 0) return Corrupt(kWebp, "VP8X says animated, but there is no ANMF frame");
    info.frames = frames;
    // One frame under an animation header shows as a still, as with GIF and APNG.
    info.animated = frames > 1;
    if (info.animated) info.duration = microseconds(static_cast<int64_t>(duration_ms) * 1000);
  }
  return info;
}

// --- MP4 and QuickTime (ISO/IEC 14496-12 boxes) ---------------------------------------------

struct Box {
  size_t at;
  size_t payload;
  size_t end;
};

// Reads the box header at `at`, which must lie inside [at, limit). A box running past `limit` is
// a cut-off file at the top level and corruption inside a parent that itself fits.
Result<Box> ReadBox(const Bytes& b, std::string_view format, size_t at, size_t limit,
                    bool top_level) {
  const std::string container = top_level ? "the file" : "its parent box";
  auto overrun = [&](const std::string& what) {
    const std::string message =
        what + ", but " + container + " ends after " + std::to_string(limit - at);
    return top_level ? Truncated(format, message) : Corrupt(format, message);
  };
  if (limit - at < 8) {
    return overrun("the box header at byte " + std::to_string(at) + " needs 8 bytes");
  }
  uint64_t size = b.Be32(at);
  size_t header = 8;
  if (size == 1) {
    if (limit - at < 16) {
      return overrun("box " + FourCc(b, at + 4) + " at byte " + std::to_string(at) +
                     " has a 64-bit size, which needs 16 header bytes");
    }
    size = b.Be64(at + 8);
    header = 16;
  } else if (size == 0) {
    size = limit - at;  // the box extends to the end of its container
  }
  if (size < header) {
    return Corrupt(format, "box " + FourCc(b, at + 4) + " at byte " + std::to_string(at) +
                               " declares " + std::to_string(size) +
                               " bytes, less than its own header");
  }
  if (size > limit - at) {
    return overrun("box " + FourCc(b, at + 4) + " at byte " + std::to_string(at) + " declares " +
                   std::to_string(size) + " bytes");
  }
  return Box{at, at + header, at + static_cast<size_t>(size)};
}

template <typename Visit>
Status ForEachBox(const Bytes& b, std::string_view format, size_t begin, size_t end, bool top_level,
                  Visit&& visit) {
  for (size_t at = begin; at < end;) {
    TUTTI_ASSIGN_OR_RETURN(const Box box, ReadBox(b, format, at, end, top_level));
    TUTTI_RETURN_IF_ERROR(visit(box, b.Be32(at + 4)));
    at = box.end;
  }
  return OkStatus();
}

constexpr uint32_t Type(const char (&text)[5]) {
  return static_cast<uint32_t>(static_cast<uint8_t>(text[0])) << 24 |
         static_cast<uint32_t>(static_cast<uint8_t>(text[1])) << 16 |
         static_cast<uint32_t>(static_cast<uint8_t>(text[2])) << 8 |
         static_cast<uint32_t>(static_cast<uint8_t>(text[3]));
}

// Reads a full box's version byte and requires `v0` or `v1` payload bytes accordingly.
Result<uint8_t> FullBoxVersion(const Bytes& b, std::string_view format, const Box& box, size_t v0,
                               size_t v1) {
  const size_t length = box.end - box.payload;
  const uint8_t version = length > 0 ? b.U8(box.payload) : 0;
  const size_t needed = version == 0 ? v0 : v1;
  if (version > 1 || length < needed) {
    return Corrupt(format, "box " + FourCc(b, box.at + 4) + " at byte " + std::to_string(box.at) +
                               " has version " + std::to_string(version) + " and " +
                               std::to_string(length) + " bytes; expected version 0 (" +
                               std::to_string(v0) + " bytes) or 1 (" + std::to_string(v1) +
                               " bytes)");
  }
  return version;
}

struct Track {
  bool video = false;
  bool has_header = false;
  uint32_t width = 0;
  uint32_t height = 0;
};

Result<Track> ReadTrack(const Bytes& b, std::string_view format, const Box& trak) {
  Track track;
  TUTTI_RETURN_IF_ERROR(ForEachBox(
      b, format, trak.payload, trak.end, false, [&](const Box& box, uint32_t type) -> Status {
        if (type == Type("tkhd")) {
          TUTTI_ASSIGN_OR_RETURN(const uint8_t version, FullBoxVersion(b, format, box, 84, 96));
          const size_t matrix = box.payload + (version == 0 ? 40 : 52);
          const auto a = static_cast<int32_t>(b.Be32(matrix));
          const auto d = static_cast<int32_t>(b.Be32(matrix + 16));
          // 16.16 fixed point, rounded to whole pixels.
          track.width = static_cast<uint32_t>((uint64_t{b.Be32(matrix + 36)} + 0x8000) >> 16);
          track.height = static_cast<uint32_t>((uint64_t{b.Be32(matrix + 40)} + 0x8000) >> 16);
          // A quarter turn (phones recording in portrait) has zeros on the matrix diagonal.
          if (a == 0 && d == 0) std::swap(track.width, track.height);
          track.has_header = true;
        } else if (type == Type("mdia")) {
          return ForEachBox(b, format, box.payload, box.end, false,
                            [&](const Box& child, uint32_t child_type) -> Status {
                              if (child_type == Type("hdlr") && child.end - child.payload >= 12) {
                                track.video = b.Be32(child.payload + 8) == Type("vide");
                              }
                              return OkStatus();
                            });
        }
        return OkStatus();
      }));
  return track;
}

Result<MediaInfo> ProbeIsoMedia(const Bytes& b) {
  MediaInfo info;
  info.format = MediaFormat::kQuickTime;  // without an ftyp box: a classic QuickTime movie
  std::string_view format = "QuickTime";
  if (b.Matches(4, "ftyp")) {
    const uint32_t size = b.Be32(0);
    if (size < 16) {
      return Corrupt("MP4", "the ftyp box declares " + std::to_string(size) +
                                " bytes, less than its header, brand and version (16)");
    }
    if (size > b.size()) {
      return Truncated("MP4", "the ftyp box " + Needs(0, size, b.size()));
    }
    static constexpr std::string_view kImageBrands[] = {"mif1", "msf1", "heic", "heix", "hevc",
                                                        "hevx", "heim", "heis", "avif", "avis"};
    for (std::string_view brand : kImageBrands) {
      if (b.Matches(8, brand)) {
        return InvalidArgument("an HEIF/AVIF image (ftyp brand '" + std::string(brand) +
                                   "'), which is not supported; use JPEG, PNG, GIF, WebP or MP4",
                               std::string(kFileField), "unknown_format");
      }
    }
    if (!b.Matches(8, "qt  ")) {
      info.format = MediaFormat::kMp4;
      format = "MP4";
    }
  }
  std::optional<Box> moov;
  bool has_media_data = false;
  TUTTI_RETURN_IF_ERROR(
      ForEachBox(b, format, 0, b.size(), true, [&](const Box& box, uint32_t type) -> Status {
        if (type == Type("moov") && !moov) moov = box;
        has_media_data = has_media_data || type == Type("mdat");
        return OkStatus();
      }));
  if (!moov) {
    return Corrupt(format, "no movie header (moov box); was the recording never finished?");
  }
  // A fast-start file cut just after its moov box ends on a box boundary; only the missing
  // samples give it away.
  if (!has_media_data) return Truncated(format, "no media data (mdat box) after the movie header");
  bool has_movie_header = false;
  uint32_t timescale = 0;
  uint64_t duration = 0;
  bool duration_known = false;
  std::optional<uint64_t> fragment_duration;
  std::optional<Track> video;
  TUTTI_RETURN_IF_ERROR(ForEachBox(
      b, format, moov->payload, moov->end, false, [&](const Box& box, uint32_t type) -> Status {
        if (type == Type("mvhd") && !has_movie_header) {
          TUTTI_ASSIGN_OR_RETURN(const uint8_t version, FullBoxVersion(b, format, box, 20, 32));
          const size_t p = box.payload;
          timescale = b.Be32(p + (version == 0 ? 12 : 20));
          duration = version == 0 ? b.Be32(p + 16) : b.Be64(p + 24);
          // All ones means "unknown"; zero is what fragmented files write.
          const uint64_t unknown = version == 0 ? 0xffffffffu : ~uint64_t{0};
          duration_known = duration != 0 && duration != unknown;
          has_movie_header = true;
        } else if (type == Type("trak") && !video) {
          TUTTI_ASSIGN_OR_RETURN(Track track, ReadTrack(b, format, box));
          if (track.video) video = track;
        } else if (type == Type("mvex")) {
          return ForEachBox(b, format, box.payload, box.end, false,
                            [&](const Box& child, uint32_t child_type) -> Status {
                              if (child_type != Type("mehd")) return OkStatus();
                              TUTTI_ASSIGN_OR_RETURN(const uint8_t version,
                                                     FullBoxVersion(b, format, child, 8, 12));
                              fragment_duration = version == 0 ? b.Be32(child.payload + 4)
                                                               : b.Be64(child.payload + 4);
                              return OkStatus();
                            });
        }
        return OkStatus();
      }));
  if (!has_movie_header) return Corrupt(format, "the moov box has no movie header (mvhd)");
  if (timescale == 0) return Corrupt(format, "the movie header's timescale is 0");
  if (!video) {
    return InvalidArgument(std::string(format) + " file has no video track (handler 'vide')",
                           std::string(kFileField), "no_video_track");
  }
  if (!video->has_header || video->width == 0 || video->height == 0) {
    return Corrupt(format, "the video track's header (tkhd) gives no size: " +
                               std::to_string(video->width) + "x" + std::to_string(video->height));
  }
  info.width = video->width;
  info.height = video->height;
  info.frames = 0;
  if (duration_known) {
    info.duration = ToMicroseconds(duration, timescale);
  } else if (fragment_duration && *fragment_duration != 0) {
    info.duration = ToMicroseconds(*fragment_duration, timescale);
  }
  return info;
}

std::string Preview(const Bytes& b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  std::string text;
  for (size_t i = 0; i < std::min<size_t>(b.size(), 12); ++i) {
    const uint8_t c = b.U8(i);
    if (i > 0) hex += ' ';
    hex += kDigits[c >> 4];
    hex += kDigits[c & 15];
    text += (c >= 0x20 && c <= 0x7e && c != '"' && c != '\\') ? static_cast<char>(c) : '.';
  }
  return hex + " (\"" + text + "\")";
}

}  // namespace

std::string_view FormatName(MediaFormat format) {
  return kMediaFormatNames[static_cast<size_t>(format)];
}

std::string_view MimeType(MediaFormat format) {
  static constexpr std::string_view kMime[] = {"image/png",  "image/jpeg", "image/gif",
                                               "image/webp", "video/mp4",  "video/quicktime"};
  return kMime[static_cast<size_t>(format)];
}

std::span<const std::string_view> FileExtensions(MediaFormat format) {
  static constexpr std::string_view kPngExt[] = {"png"};
  static constexpr std::string_view kJpegExt[] = {"jpg", "jpeg"};
  static constexpr std::string_view kGifExt[] = {"gif"};
  static constexpr std::string_view kWebpExt[] = {"webp"};
  static constexpr std::string_view kMp4Ext[] = {"mp4", "m4v", "mov"};
  static constexpr std::string_view kMovExt[] = {"mov", "mp4", "m4v"};
  switch (format) {
    case MediaFormat::kPng:
      return kPngExt;
    case MediaFormat::kJpeg:
      return kJpegExt;
    case MediaFormat::kGif:
      return kGifExt;
    case MediaFormat::kWebp:
      return kWebpExt;
    case MediaFormat::kMp4:
      return kMp4Ext;
    case MediaFormat::kQuickTime:
      return kMovExt;
  }
  return {};
}

bool IsVideo(MediaFormat format) {
  return format == MediaFormat::kMp4 || format == MediaFormat::kQuickTime;
}

Result<MediaInfo> ProbeMedia(std::span<const std::byte> file) {
  const Bytes b(file);
  if (b.size() == 0) {
    return InvalidArgument("the file is empty", std::string(kFileField), "unknown_format");
  }
  if (b.Matches(0, "\x89PNG")) return ProbePng(b);
  if (b.Matches(0, "\xff\xd8\xff")) return ProbeJpeg(b);
  if (b.Matches(0, "GIF8")) return ProbeGif(b);
  if (b.Matches(0, "RIFF") && b.Matches(8, "WEBP")) return ProbeWebp(b);
  if (b.Matches(4, "ftyp") || b.Matches(4, "moov") || b.Matches(4, "mdat") ||
      b.Matches(4, "wide")) {
    return ProbeIsoMedia(b);
  }
  return InvalidArgument(
      "not a PNG, JPEG, GIF, WebP, MP4 or QuickTime file: it starts with " + Preview(b),
      std::string(kFileField), "unknown_format");
}

}  // namespace tutti::assets

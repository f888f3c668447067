#include "tutti/base/tar.h"

#include <algorithm>
#include <cstring>

namespace tutti {
namespace {

// Octal digits right-aligned in a field of `width` bytes, the last of which is NUL (the
// terminator the standard allows and GNU tar writes).
void PutOctal(std::string& header, size_t offset, size_t width, uint64_t value) {
  for (size_t i = width - 1; i-- > 0;) {
    header[offset + i] = static_cast<char>('0' + (value & 7));
    value >>= 3;
  }
  header[offset + width - 1] = '\0';
}

void PutText(std::string& header, size_t offset, std::string_view text) {
  std::copy(text.begin(), text.end(), header.begin() + static_cast<std::ptrdiff_t>(offset));
}

}  // namespace

Status CheckTarName(std::string_view name) {
  auto bad = [&](const std::string& why) {
    return InvalidArgument("tar member name \"" + std::string(name) + "\" " + why, "name",
                           "invalid_tar_name");
  };
  if (name.empty()) return bad("is empty");
  if (name.size() > kTarMaxNameBytes) {
    return bad("is longer than " + std::to_string(kTarMaxNameBytes) + " bytes");
  }
  for (char c : name) {
    if (c < 0x21 || c > 0x7e) return bad("has a byte outside printable ASCII (no spaces)");
  }
  if (name.front() == '/') return bad("is absolute; names are relative");
  if (name.back() == '/') return bad("ends with '/'; only regular files are written");
  size_t start = 0;
  while (start <= name.size()) {
    size_t slash = name.find('/', start);
    if (slash == std::string_view::npos) slash = name.size();
    std::string_view segment = name.substr(start, slash - start);
    if (segment.empty() || segment == "." || segment == "..") {
      return bad("has an empty, \".\" or \"..\" segment");
    }
    start = slash + 1;
  }
  return OkStatus();
}

Result<std::string> UstarHeader(std::string_view name, uint64_t size, int64_t mtime_seconds) {
  TUTTI_RETURN_IF_ERROR(CheckTarName(name));
  if (size > kTarMaxFileBytes) {
    return InvalidArgument("a tar member holds at most " + std::to_string(kTarMaxFileBytes) +
                               " bytes; this one has " + std::to_string(size),
                           "size", "too_large");
  }
  // Eleven octal digits also bound the time (year 2242).
  if (mtime_seconds < 0 || static_cast<uint64_t>(mtime_seconds) > kTarMaxFileBytes) {
    return InvalidArgument("must be a Unix time from 1970 on that fits eleven octal digits",
                           "mtime", "out_of_range");
  }
  std::string header(kTarBlockSize, '\0');
  PutText(header, 0, name);        // name[100]
  PutOctal(header, 100, 8, 0644);  // mode
  PutOctal(header, 108, 8, 0);     // uid
  PutOctal(header, 116, 8, 0);     // gid
  PutOctal(header, 124, 12, size);
  PutOctal(header, 136, 12, static_cast<uint64_t>(mtime_seconds));
  header[156] = '0';  // typeflag: regular file
  PutText(header, 257, std::string_view("ustar\0", 6));
  PutText(header, 263, "00");
  PutText(header, 265, "tutti");  // uname
  PutText(header, 297, "tutti");  // gname
  // The checksum is computed with its own field read as eight spaces.
  std::fill(header.begin() + 148, header.begin() + 156, ' ');
  uint64_t sum = 0;
  for (char c : header) sum += static_cast<unsigned char>(c);
  PutOctal(header, 148, 7, sum);  // six digits and NUL, then the space left in place
  return header;
}

size_t TarPadding(uint64_t size) {
  return static_cast<size_t>((kTarBlockSize - size % kTarBlockSize) % kTarBlockSize);
}

Status TarWriter::Emit(std::string_view bytes) {
  if (!failed_.ok()) return failed_;
  Status s = sink_(bytes);
  if (!s.ok()) {
    failed_ = s;
    return s;
  }
  written_ += bytes.size();
  return OkStatus();
}

Status TarWriter::Add(std::string_view name, std::string_view content) {
  if (!failed_.ok()) return failed_;
  if (finished_) {
    return Status(StatusCode::kFailedPrecondition, "the archive is finished", "name",
                  "archive_finished");
  }
  TUTTI_ASSIGN_OR_RETURN(std::string header, UstarHeader(name, content.size(), mtime_));
  if (!names_.emplace(name).second) {
    return AlreadyExists("the archive already has a member named " + std::string(name), "name");
  }
  TUTTI_RETURN_IF_ERROR(Emit(header));
  TUTTI_RETURN_IF_ERROR(Emit(content));
  static constexpr char kZeros[kTarBlockSize] = {};
  return Emit(std::string_view(kZeros, TarPadding(content.size())));
}

Status TarWriter::Finish() {
  if (finished_) return failed_;
  static constexpr char kZeros[2 * kTarBlockSize] = {};
  TUTTI_RETURN_IF_ERROR(Emit(std::string_view(kZeros, sizeof kZeros)));
  finished_ = true;
  return OkStatus();
}

}  // namespace tutti

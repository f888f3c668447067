// A POSIX ustar archive writer (IEEE Std 1003.1, "pax" interchange format's ustar subset), for
// exports that auditors open with the system `tar`. Pure: it produces bytes and hands them to a
// sink the caller supplies (a string, a file), so the same code fills an HTTP body and a file.
// Regular files only, mode 0644, owner 0:0; names are at most 100 bytes (no prefix field is
// used, so a name reads back exactly as written). Thread-safety: a TarWriter belongs to one
// thread; the free functions are thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>

#include "tutti/base/status.h"

namespace tutti {

inline constexpr size_t kTarBlockSize = 512;
inline constexpr size_t kTarMaxNameBytes = 100;
// The largest size eleven octal digits hold: 8 GiB - 1.
inline constexpr uint64_t kTarMaxFileBytes = (uint64_t{1} << 33) - 1;

// Whether `name` may name a member: 1..100 bytes of printable ASCII, relative (no leading '/'),
// no empty, "." or ".." segment, no trailing '/'. kInvalidArgument (field "name", reason
// "invalid_tar_name") saying which rule it breaks.
Status CheckTarName(std::string_view name);

// The 512-byte ustar header of a regular file `name` of `size` bytes modified at `mtime_seconds`
// (Unix time, >= 0). Errors: CheckTarName's; kInvalidArgument (field "size", reason
// "too_large") above kTarMaxFileBytes; (field "mtime") for a negative or too large time.
Result<std::string> UstarHeader(std::string_view name, uint64_t size, int64_t mtime_seconds);

// The zero bytes that follow a member of `size` bytes to the next block boundary (0..511).
size_t TarPadding(uint64_t size);

// Writes members one after another to `sink`, then the end-of-archive marker (two zero blocks).
// A sink error is returned as is and ends the archive (later calls return it again).
class TarWriter {
 public:
  using Sink = std::function<Status(std::string_view bytes)>;
  TarWriter(Sink sink, int64_t mtime_seconds) : sink_(std::move(sink)), mtime_(mtime_seconds) {}

  // One member with the whole content at hand. Errors: UstarHeader's; kFailedPrecondition after
  // Finish; kAlreadyExists (field "name") for a name written before.
  Status Add(std::string_view name, std::string_view content);
  // Writes the end-of-archive marker; idempotent.
  Status Finish();
  // Bytes handed to the sink so far.
  uint64_t bytes_written() const { return written_; }

 private:
  Status Emit(std::string_view bytes);

  Sink sink_;
  int64_t mtime_;
  uint64_t written_ = 0;
  bool finished_ = false;
  Status failed_;
  std::set<std::string, std::less<>> names_;  // every name written
};

}  // namespace tutti

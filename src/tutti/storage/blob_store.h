// Content-addressed file storage for uploads (assets, docs/assets.md "Storage, HTTP API and
// CLI"): a file lives at ROOT/ab/cdef… named by the hex SHA-256 of its bytes, so one content is
// kept once however often it is uploaded, and a stored file never changes. An upload is staged
// first (streamed into ROOT/tmp while its SHA-256 is computed, size-bounded, fsynced) so that it
// can be inspected (mapped) and refused without ever appearing under its name; Commit renames it
// into place and fsyncs the directory, so a committed blob survives power loss. Reads map the
// file read-only, so parsers get a span without a copy.
//
// Thread-safety: a BlobStore may be shared by threads; two uploads of the same bytes commit to
// the same name (the second finds it and drops its own copy). A StagedBlob or MappedBlob belongs
// to one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>

#include "tutti/base/status.h"

namespace tutti::storage {

// A read-only memory map of one file; unmapped on destruction. Move-only.
class MappedBlob {
 public:
  MappedBlob() = default;
  ~MappedBlob();
  MappedBlob(MappedBlob&& other) noexcept;
  MappedBlob& operator=(MappedBlob&& other) noexcept;
  MappedBlob(const MappedBlob&) = delete;
  MappedBlob& operator=(const MappedBlob&) = delete;

  // The whole file; empty for an empty file. Valid while this object lives.
  std::span<const std::byte> bytes() const { return {data_, size_}; }

  // Maps `path`. kNotFound when it does not exist, kInternal for other I/O failures.
  static Result<MappedBlob> Map(const std::filesystem::path& path);

 private:
  const std::byte* data_ = nullptr;
  size_t size_ = 0;
};

// An open committed blob read in pieces, for sending a file larger than one wants in memory
// (an asset download): memory stays at one buffer whatever the file's size. The descriptor is
// held open, so the bytes stay readable even if a retention sweep removes the file meanwhile.
// Move-only; one thread at a time.
class BlobReader {
 public:
  BlobReader() = default;
  ~BlobReader();
  BlobReader(BlobReader&& other) noexcept;
  BlobReader& operator=(BlobReader&& other) noexcept;
  BlobReader(const BlobReader&) = delete;
  BlobReader& operator=(const BlobReader&) = delete;

  // The file's size when opened.
  uint64_t size() const { return size_; }
  // Copies up to `capacity` bytes from `offset` into `buffer`; returns how many, 0 at or past the
  // end. kInternal when the disk refuses.
  Result<size_t> ReadAt(uint64_t offset, char* buffer, size_t capacity) const;

 private:
  friend class BlobStore;
  int fd_ = -1;
  uint64_t size_ = 0;
};

// An upload written to the staging area, not yet under its content name. Removed on
// destruction unless committed. Move-only.
class StagedBlob {
 public:
  StagedBlob() = default;
  ~StagedBlob();
  StagedBlob(StagedBlob&& other) noexcept;
  StagedBlob& operator=(StagedBlob&& other) noexcept;
  StagedBlob(const StagedBlob&) = delete;
  StagedBlob& operator=(const StagedBlob&) = delete;

  const std::string& sha256_hex() const { return sha256_hex_; }
  uint64_t size() const { return size_; }
  // Maps the staged bytes for inspection before Commit.
  Result<MappedBlob> Map() const { return MappedBlob::Map(temp_path_); }

 private:
  friend class BlobStore;
  std::filesystem::path temp_path_;  // empty once committed or moved from
  std::string sha256_hex_;
  uint64_t size_ = 0;
};

// Where the bytes of an upload come from: copies up to `capacity` bytes into `buffer` and
// returns how many, 0 at the end; an error ends the upload (and is returned by Stage).
using ByteSource = std::function<Result<size_t>(char* buffer, size_t capacity)>;

class BlobStore {
 public:
  // `root` is created on first use (DATA_DIR/blobs for `tutti serve`).
  explicit BlobStore(std::filesystem::path root) : root_(std::move(root)) {}

  // Streams `source` to the staging area, hashing as it goes. Errors: kPayloadTooLarge (reason
  // "payload_too_large", field "file") as soon as more than `max_bytes` arrive; the source's own
  // error; kInternal when the disk refuses (the message names the path).
  Result<StagedBlob> Stage(const ByteSource& source, uint64_t max_bytes) const;
  // Moves the staged file to its content name and makes that durable. Idempotent on content:
  // when the name exists already, the staged copy is dropped. Returns whether the content was
  // new. Leaves `staged` empty.
  Result<bool> Commit(StagedBlob& staged) const;
  // Maps the committed blob `sha256_hex` (64 lower-case hex digits). kNotFound when absent or
  // not a well-formed digest.
  Result<MappedBlob> Open(const std::string& sha256_hex) const;
  // Opens the committed blob `sha256_hex` for reading in pieces; errors as Open.
  Result<BlobReader> OpenReader(const std::string& sha256_hex) const;
  bool Contains(const std::string& sha256_hex) const;
  // ROOT/ab/cdef… for a digest (no check that it exists).
  std::filesystem::path PathOf(const std::string& sha256_hex) const;

 private:
  std::filesystem::path root_;
};

}  // namespace tutti::storage

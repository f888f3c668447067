#include "tutti/storage/blob_store.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>
#include <vector>

#include "tutti/base/crypto.h"
#include "tutti/base/ids.h"

namespace tutti::storage {
namespace {

constexpr size_t kChunkBytes = 1 << 16;

Status IoError(const std::string& what, const std::filesystem::path& path) {
  return Internal(what + " " + path.string() + ": " + std::strerror(errno));
}

// Closes a descriptor on every path out of a function.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

bool IsDigest(const std::string& hex) {
  if (hex.size() != 64) return false;
  for (char c : hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// A rename is durable only once its directory entry is on disk.
Status SyncDirectory(const std::filesystem::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return IoError("cannot open directory", dir);
  if (::fsync(fd.get()) != 0) return IoError("cannot fsync directory", dir);
  return OkStatus();
}

Status WriteAll(int fd, const char* data, size_t size, const std::filesystem::path& path) {
  while (size > 0) {
    ssize_t written = ::write(fd, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      return IoError("cannot write", path);
    }
    data += written;
    size -= static_cast<size_t>(written);
  }
  return OkStatus();
}

}  // namespace

MappedBlob::~MappedBlob() {
  if (data_ != nullptr) {
    ::munmap(const_cast<std::byte*>(data_), size_);
  }
}

MappedBlob::MappedBlob(MappedBlob&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

MappedBlob& MappedBlob::operator=(MappedBlob&& other) noexcept {
  if (this != &other) {
    MappedBlob dropped(std::move(*this));
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

Result<MappedBlob> MappedBlob::Map(const std::filesystem::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return NotFound("no stored file " + path.filename().string());
    return IoError("cannot open", path);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return IoError("cannot stat", path);
  MappedBlob out;
  if (st.st_size == 0) return out;  // mmap refuses a length of 0
  void* data =
      ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd.get(), 0);
  if (data == MAP_FAILED) return IoError("cannot map", path);
  out.data_ = static_cast<const std::byte*>(data);
  out.size_ = static_cast<size_t>(st.st_size);
  return out;
}

BlobReader::~BlobReader() {
  if (fd_ >= 0) ::close(fd_);
}

BlobReader::BlobReader(BlobReader&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), size_(std::exchange(other.size_, 0)) {}

BlobReader& BlobReader::operator=(BlobReader&& other) noexcept {
  if (this != &other) {
    BlobReader dropped(std::move(*this));
    fd_ = std::exchange(other.fd_, -1);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

Result<size_t> BlobReader::ReadAt(uint64_t offset, char* buffer, size_t capacity) const {
  if (offset >= size_ || capacity == 0) return size_t{0};
  while (true) {
    const ssize_t n = ::pread(fd_, buffer, capacity, static_cast<off_t>(offset));
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR)
      return Internal(std::string("cannot read a stored file: ") + std::strerror(errno));
  }
}

StagedBlob::~StagedBlob() {
  if (!temp_path_.empty()) {
    std::error_code ignored;
    std::filesystem::remove(temp_path_, ignored);
  }
}

StagedBlob::StagedBlob(StagedBlob&& other) noexcept
    : temp_path_(std::exchange(other.temp_path_, {})),
      sha256_hex_(std::move(other.sha256_hex_)),
      size_(other.size_) {}

StagedBlob& StagedBlob::operator=(StagedBlob&& other) noexcept {
  if (this != &other) {
    StagedBlob dropped(std::move(*this));
    temp_path_ = std::exchange(other.temp_path_, {});
    sha256_hex_ = std::move(other.sha256_hex_);
    size_ = other.size_;
  }
  return *this;
}

std::filesystem::path BlobStore::PathOf(const std::string& sha256_hex) const {
  return root_ / sha256_hex.substr(0, 2) / sha256_hex.substr(2);
}

Result<StagedBlob> BlobStore::Stage(const ByteSource& source, uint64_t max_bytes) const {
  const std::filesystem::path tmp_dir = root_ / "tmp";
  std::error_code ec;
  std::filesystem::create_directories(tmp_dir, ec);
  if (ec) return Internal("cannot create " + tmp_dir.string() + ": " + ec.message());
  StagedBlob staged;
  // The random name keeps concurrent uploads apart; StagedBlob removes it on every early return.
  staged.temp_path_ = tmp_dir / (NewId("upload") + ".part");
  Fd fd(::open(staged.temp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640));
  if (fd.get() < 0) {
    Status failed = IoError("cannot create", staged.temp_path_);
    staged.temp_path_.clear();
    return failed;
  }
  Sha256Stream hash;
  std::vector<char> buffer(kChunkBytes);
  uint64_t total = 0;
  while (true) {
    TUTTI_ASSIGN_OR_RETURN(size_t read, source(buffer.data(), buffer.size()));
    if (read == 0) break;
    total += read;
    if (total > max_bytes) {
      return Status(
          StatusCode::kPayloadTooLarge,
          "the file is larger than the " + std::to_string(max_bytes) + "-byte limit for uploads",
          "file", "payload_too_large");
    }
    hash.Update(std::string_view(buffer.data(), read));
    TUTTI_RETURN_IF_ERROR(WriteAll(fd.get(), buffer.data(), read, staged.temp_path_));
  }
  if (::fsync(fd.get()) != 0) return IoError("cannot fsync", staged.temp_path_);
  staged.sha256_hex_ = HexEncode(hash.Finish());
  staged.size_ = total;
  return staged;
}

Result<bool> BlobStore::Commit(StagedBlob& staged) const {
  if (staged.temp_path_.empty()) return Internal("commit of a blob that is not staged");
  const std::filesystem::path target = PathOf(staged.sha256_hex_);
  std::error_code ec;
  std::filesystem::create_directories(target.parent_path(), ec);
  if (ec) return Internal("cannot create " + target.parent_path().string() + ": " + ec.message());
  if (std::filesystem::exists(target, ec)) {
    StagedBlob dropped(std::move(staged));
    return false;
  }
  // rename() replaces atomically: a concurrent commit of the same bytes leaves identical content.
  if (::rename(staged.temp_path_.c_str(), target.c_str()) != 0) {
    return IoError("cannot move the upload to", target);
  }
  staged.temp_path_.clear();
  TUTTI_RETURN_IF_ERROR(SyncDirectory(target.parent_path()));
  return true;
}

Result<MappedBlob> BlobStore::Open(const std::string& sha256_hex) const {
  if (!IsDigest(sha256_hex)) return NotFound("no stored file " + sha256_hex);
  return MappedBlob::Map(PathOf(sha256_hex));
}

Result<BlobReader> BlobStore::OpenReader(const std::string& sha256_hex) const {
  if (!IsDigest(sha256_hex)) return NotFound("no stored file " + sha256_hex);
  const std::filesystem::path path = PathOf(sha256_hex);
  BlobReader reader;
  reader.fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (reader.fd_ < 0) {
    if (errno == ENOENT) return NotFound("no stored file " + path.filename().string());
    return IoError("cannot open", path);
  }
  struct stat st {};
  if (::fstat(reader.fd_, &st) != 0) return IoError("cannot stat", path);
  reader.size_ = static_cast<uint64_t>(st.st_size);
  return reader;
}

bool BlobStore::Contains(const std::string& sha256_hex) const {
  std::error_code ec;
  return IsDigest(sha256_hex) && std::filesystem::exists(PathOf(sha256_hex), ec);
}

}  // namespace tutti::storage

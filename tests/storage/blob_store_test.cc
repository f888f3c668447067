// The content-addressed blob store (storage/blob_store.h): files named by their SHA-256, staged
// before they appear, bounded in size, idempotent on content, and mapped for reading.
#include "tutti/storage/blob_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tutti/base/crypto.h"

namespace tutti::storage {
namespace {

class BlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitCrypto().ok());
    std::string pattern = (std::filesystem::temp_directory_path() / "tutti-blobs-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Serves `text` in pieces of at most `piece` bytes, as a network body arrives.
  static ByteSource From(const std::string& text, size_t piece = 3) {
    auto offset = std::make_shared<size_t>(0);
    return [text, piece, offset](char* buffer, size_t capacity) -> Result<size_t> {
      size_t n = std::min({piece, capacity, text.size() - *offset});
      text.copy(buffer, n, *offset);
      *offset += n;
      return n;
    };
  }

  size_t FilesUnder(const std::filesystem::path& p) {
    size_t n = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(p)) n += e.is_regular_file();
    return n;
  }

  std::filesystem::path dir_;
};

// SHA-256("abc") from FIPS 180-2, appendix B.1.
constexpr char kAbcDigest[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

TEST_F(BlobStoreTest, StoresUnderTheSha256OfTheStreamedBytes) {
  BlobStore blobs(dir_ / "blobs");
  Result<StagedBlob> staged = blobs.Stage(From("abc", 1), 100);
  ASSERT_TRUE(staged.ok()) << staged.status().ToString();
  EXPECT_EQ(staged->sha256_hex(), kAbcDigest);
  EXPECT_EQ(staged->size(), 3u);
  EXPECT_FALSE(blobs.Contains(kAbcDigest)) << "not visible before the commit";
  Result<bool> fresh = blobs.Commit(*staged);
  ASSERT_TRUE(fresh.ok());
  EXPECT_TRUE(*fresh);
  EXPECT_EQ(blobs.PathOf(kAbcDigest), dir_ / "blobs" / "ba" / std::string(kAbcDigest).substr(2));
  EXPECT_TRUE(std::filesystem::exists(blobs.PathOf(kAbcDigest)));
  Result<MappedBlob> mapped = blobs.Open(kAbcDigest);
  ASSERT_TRUE(mapped.ok());
  ASSERT_EQ(mapped->bytes().size(), 3u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(mapped->bytes().data()), 3), "abc");
}

TEST_F(BlobStoreTest, StoringTheSameBytesTwiceKeepsOneFile) {
  BlobStore blobs(dir_ / "blobs");
  for (int i = 0; i < 2; ++i) {
    Result<StagedBlob> staged = blobs.Stage(From("abc"), 100);
    ASSERT_TRUE(staged.ok());
    Result<bool> fresh = blobs.Commit(*staged);
    ASSERT_TRUE(fresh.ok());
    EXPECT_EQ(*fresh, i == 0) << "commit " << i;
  }
  EXPECT_EQ(FilesUnder(dir_ / "blobs"), 1u) << "one blob, no staging leftovers";
}

TEST_F(BlobStoreTest, RefusesMoreThanTheLimitAndLeavesNothing) {
  BlobStore blobs(dir_ / "blobs");
  Result<StagedBlob> exact = blobs.Stage(From("abcd"), 4);
  EXPECT_TRUE(exact.ok()) << "the limit itself is allowed";
  Result<StagedBlob> over = blobs.Stage(From("abcde"), 4);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().code(), StatusCode::kPayloadTooLarge);
  EXPECT_EQ(over.status().field(), "file");
  exact = Status(StatusCode::kInternal, "dropped");  // destroys the staged file
  EXPECT_EQ(FilesUnder(dir_ / "blobs"), 0u);
}

TEST_F(BlobStoreTest, AnUncommittedUploadVanishes) {
  BlobStore blobs(dir_ / "blobs");
  {
    Result<StagedBlob> staged = blobs.Stage(From("abc"), 100);
    ASSERT_TRUE(staged.ok());
    Result<MappedBlob> mapped = staged->Map();
    ASSERT_TRUE(mapped.ok());
    EXPECT_EQ(mapped->bytes().size(), 3u) << "inspectable before the commit";
  }
  EXPECT_EQ(FilesUnder(dir_ / "blobs"), 0u);
  EXPECT_FALSE(blobs.Contains(kAbcDigest));
}

TEST_F(BlobStoreTest, ASourceErrorEndsTheUpload) {
  BlobStore blobs(dir_ / "blobs");
  Result<StagedBlob> staged = blobs.Stage(
      [](char*, size_t) -> Result<size_t> {
        return Status(StatusCode::kMalformed, "connection lost", {}, "incomplete_body");
      },
      100);
  ASSERT_FALSE(staged.ok());
  EXPECT_EQ(staged.status().reason(), "incomplete_body");
  EXPECT_EQ(FilesUnder(dir_ / "blobs"), 0u);
}

TEST_F(BlobStoreTest, AnEmptyFileMapsToAnEmptySpan) {
  BlobStore blobs(dir_ / "blobs");
  Result<StagedBlob> staged = blobs.Stage(From(""), 100);
  ASSERT_TRUE(staged.ok());
  // SHA-256 of the empty string (FIPS 180-2).
  EXPECT_EQ(staged->sha256_hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  ASSERT_TRUE(blobs.Commit(*staged).ok());
  Result<MappedBlob> mapped =
      blobs.Open("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  ASSERT_TRUE(mapped.ok());
  EXPECT_TRUE(mapped->bytes().empty());
}

TEST_F(BlobStoreTest, OpeningAnUnknownOrMalformedDigestIsNotFound) {
  BlobStore blobs(dir_ / "blobs");
  EXPECT_EQ(blobs.Open(kAbcDigest).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(blobs.Open("../../etc/passwd").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(blobs.Open(std::string(64, 'G')).status().code(), StatusCode::kNotFound);
}

TEST_F(BlobStoreTest, AReaderReadsAnyPieceAndKeepsReadingAfterTheFileIsRemoved) {
  BlobStore store(dir_);
  const std::string text = "0123456789abcdefghij";
  Result<StagedBlob> staged = store.Stage(From(text), 100);
  ASSERT_TRUE(staged.ok()) << staged.status().ToString();
  const std::string digest = staged->sha256_hex();
  ASSERT_TRUE(store.Commit(*staged).ok());

  Result<BlobReader> reader = store.OpenReader(digest);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ(reader->size(), text.size());
  // A retention sweep may remove the file while a download is under way.
  std::filesystem::remove(store.PathOf(digest));

  std::string out;
  char buffer[7];
  for (uint64_t offset = 0;;) {
    Result<size_t> n = reader->ReadAt(offset, buffer, sizeof buffer);
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    if (*n == 0) break;
    out.append(buffer, *n);
    offset += *n;
  }
  EXPECT_EQ(out, text);
  Result<size_t> middle = reader->ReadAt(15, buffer, 3);
  ASSERT_TRUE(middle.ok());
  EXPECT_EQ(std::string(buffer, *middle), "fgh");
  EXPECT_EQ(*reader->ReadAt(text.size() + 5, buffer, sizeof buffer), 0u) << "past the end";

  EXPECT_EQ(store.OpenReader(digest).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store.OpenReader("../etc/passwd").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace tutti::storage

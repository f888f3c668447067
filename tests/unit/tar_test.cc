// The ustar writer (base/tar.h): header fields at the offsets POSIX gives them, the checksum, the
// padding to 512-byte blocks, the end marker, and the bounds on names, sizes and times. The
// system `tar` reads archives back in tests/cli/export_test.sh.
#include "tutti/base/tar.h"

#include <gtest/gtest.h>

#include <string>

namespace tutti {
namespace {

std::string Field(const std::string& header, size_t offset, size_t width) {
  return header.substr(offset, width);
}

TEST(UstarHeader, PutsNameSizeModeAndTimeWhereTheStandardSays) {
  Result<std::string> header = UstarHeader("files/abc", 1234, 1'073'741'824);
  ASSERT_TRUE(header.ok()) << header.status().ToString();
  ASSERT_EQ(header->size(), 512u);
  EXPECT_EQ(header->substr(0, 9), "files/abc");
  EXPECT_EQ((*header)[9], '\0');
  // 1234 = 2·512 + 3·64 + 2·8 + 2 = 0o2322; 1'073'741'824 = 8^10 = 0o10000000000.
  EXPECT_EQ(Field(*header, 124, 12), std::string("00000002322\0", 12));
  EXPECT_EQ(Field(*header, 136, 12), std::string("10000000000\0", 12));
  EXPECT_EQ(Field(*header, 100, 8), std::string("0000644\0", 8));
  EXPECT_EQ((*header)[156], '0');
  EXPECT_EQ(Field(*header, 257, 6), std::string("ustar\0", 6));
  EXPECT_EQ(Field(*header, 263, 2), "00");
}

TEST(UstarHeader, ChecksumIsTheByteSumWithItsFieldAsSpaces) {
  Result<std::string> header = UstarHeader("a.json", 0, 0);
  ASSERT_TRUE(header.ok());
  std::string blanked = *header;
  for (size_t i = 148; i < 156; ++i) blanked[i] = ' ';
  unsigned sum = 0;
  for (char c : blanked) sum += static_cast<unsigned char>(c);
  const std::string field = Field(*header, 148, 8);
  EXPECT_EQ(field[6], '\0');
  EXPECT_EQ(field[7], ' ');
  EXPECT_EQ(std::stoul(field.substr(0, 6), nullptr, 8), sum);
}

TEST(UstarHeader, TakesAHundredByteNameAndRefusesOneMore) {
  EXPECT_TRUE(UstarHeader(std::string(100, 'n'), 1, 0).ok());
  Result<std::string> long_name = UstarHeader(std::string(101, 'n'), 1, 0);
  EXPECT_EQ(long_name.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(long_name.status().field(), "name");
}

TEST(CheckTarName, RefusesPathsThatCouldEscapeOrAreNotPlainFiles) {
  for (const char* bad :
       {"", "/etc/passwd", "../x", "a/../b", "a//b", "./a", "dir/", "a b", "caf\xc3\xa9"}) {
    EXPECT_EQ(CheckTarName(bad).code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_TRUE(CheckTarName("files/0123abcdef").ok());
}

TEST(UstarHeader, RefusesSizesAndTimesElevenOctalDigitsCannotHold) {
  EXPECT_TRUE(UstarHeader("big", kTarMaxFileBytes, 0).ok());
  EXPECT_EQ(UstarHeader("big", kTarMaxFileBytes + 1, 0).status().field(), "size");
  EXPECT_EQ(UstarHeader("old", 0, -1).status().field(), "mtime");
}

TEST(TarPadding, FillsToTheNextBlockBoundary) {
  EXPECT_EQ(TarPadding(0), 0u);
  EXPECT_EQ(TarPadding(1), 511u);
  EXPECT_EQ(TarPadding(512), 0u);
  EXPECT_EQ(TarPadding(513), 511u);
}

TEST(TarWriter, WritesHeaderContentPaddingAndTwoZeroBlocks) {
  std::string archive;
  TarWriter tar(
      [&archive](std::string_view bytes) {
        archive.append(bytes);
        return OkStatus();
      },
      0);
  ASSERT_TRUE(tar.Add("hello.txt", "hi\n").ok());
  ASSERT_TRUE(tar.Add("empty", "").ok());
  ASSERT_TRUE(tar.Finish().ok());
  // header + one content block, header only, then 1024 zero bytes.
  ASSERT_EQ(archive.size(), 512u + 512u + 512u + 1024u);
  EXPECT_EQ(archive.substr(512, 3), "hi\n");
  EXPECT_EQ(archive.substr(515, 509), std::string(509, '\0'));
  EXPECT_EQ(archive.substr(1024, 5), "empty");
  EXPECT_EQ(archive.substr(1536), std::string(1024, '\0'));
  EXPECT_EQ(tar.bytes_written(), archive.size());
}

TEST(TarWriter, RefusesADuplicateNameAndMembersAfterFinish) {
  std::string archive;
  TarWriter tar(
      [&archive](std::string_view bytes) {
        archive.append(bytes);
        return OkStatus();
      },
      0);
  ASSERT_TRUE(tar.Add("a", "1").ok());
  EXPECT_EQ(tar.Add("a", "2").code(), StatusCode::kAlreadyExists);
  ASSERT_TRUE(tar.Finish().ok());
  EXPECT_EQ(tar.Add("b", "3").code(), StatusCode::kFailedPrecondition);
}

TEST(TarWriter, StopsAtTheFirstSinkErrorAndKeepsReturningIt) {
  int calls = 0;
  TarWriter tar(
      [&calls](std::string_view) {
        ++calls;
        return Internal("disk full");
      },
      0);
  EXPECT_EQ(tar.Add("a", "1").code(), StatusCode::kInternal);
  EXPECT_EQ(tar.Finish().code(), StatusCode::kInternal);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace tutti

// Streaming event readers (issue 4, C5): RFC 4180 CSV and NDJSON, plain or gzip. A malformed
// record is reported with its line and reading goes on; memory stays bounded by the longest
// record; concatenated gzip members are one stream, a truncated one is an error.
#include <gtest/gtest.h>
#include <zlib.h>

#include <sstream>

#include "tutti/ingest/record_reader.h"

namespace tutti::ingest {
namespace {

std::string Gzip(std::string_view data) {
  z_stream zs{};
  EXPECT_EQ(
      deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
      Z_OK);
  std::string out(compressBound(static_cast<uLong>(data.size())) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

struct Read {
  std::vector<ReadRecord> records;
  Status status;
};

Read ReadAll(const std::string& data, FileFormat format, ReaderLimits limits = {}) {
  std::istringstream in(data);
  Read out;
  auto reader = OpenRecordReader(in, format, limits);
  if (!reader.ok()) {
    out.status = reader.status();
    return out;
  }
  ReadRecord record;
  while (true) {
    Result<bool> more = (*reader)->Next(record);
    if (!more.ok()) {
      out.status = more.status();
      return out;
    }
    if (!*more) return out;
    out.records.push_back(record);
  }
}

TEST(CsvReader, FollowsRfc4180QuotingAcrossLines) {
  Read r = ReadAll(
      "id,channel,note\r\n"
      "1,youtube,plain\r\n"
      "2,\"tik,tok\",\"she said \"\"hi\"\"\"\r\n"
      "3,x,\"two\nlines\"\n"
      "4,,\n",
      FileFormat::kCsv);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.records.size(), 4u);
  EXPECT_EQ(r.records[0].line, 2);
  EXPECT_EQ(r.records[0].record.fields,
            Json({{"id", "1"}, {"channel", "youtube"}, {"note", "plain"}}));
  EXPECT_EQ(r.records[1].record.fields["channel"], "tik,tok");
  EXPECT_EQ(r.records[1].record.fields["note"], "she said \"hi\"");
  EXPECT_EQ(r.records[2].record.fields["note"], "two\nlines");
  EXPECT_EQ(r.records[2].line, 4);
  EXPECT_EQ(r.records[3].line, 6) << "line numbers count the newline inside the quotes";
  EXPECT_EQ(r.records[3].record.fields, Json({{"id", "4"}})) << "empty cells are absent";
  EXPECT_TRUE(r.records[3].record.from_text);
}

TEST(CsvReader, ReportsBadRecordsAndGoesOn) {
  Read r = ReadAll(
      "id,channel\n"
      "1,a\n"
      "2,b,extra\n"
      "3,ab\"c\n"
      "4,\"closed\"x\n"
      "5,ok\n"
      "6,\"never closed\n",
      FileFormat::kCsv);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.records.size(), 6u);
  EXPECT_FALSE(r.records[0].error);
  EXPECT_EQ(r.records[1].error->reason, "field_count");
  EXPECT_EQ(r.records[1].line, 3);
  EXPECT_EQ(r.records[2].error->reason, "stray_quote");
  EXPECT_EQ(r.records[3].error->reason, "stray_quote");
  EXPECT_FALSE(r.records[4].error);
  EXPECT_EQ(r.records[4].record.fields["id"], "5");
  EXPECT_EQ(r.records[5].error->reason, "unterminated_quote");
  EXPECT_EQ(r.records[5].line, 7);
}

TEST(CsvReader, HugeRecordsAreRefusedAndReadingResumes) {
  std::string data = "id,channel\n1," + std::string(5000, 'x') + "\n2,ok\n";
  Read r = ReadAll(data, FileFormat::kCsv, ReaderLimits{1000, 100});
  ASSERT_TRUE(r.status.ok());
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[0].error->reason, "too_long");
  EXPECT_EQ(r.records[1].record.fields["id"], "2");
  EXPECT_EQ(r.records[1].line, 3);
}

TEST(CsvReader, AnUnusableHeaderStopsEverything) {
  EXPECT_EQ(ReadAll("", FileFormat::kCsv).status.reason(), "empty");
  EXPECT_EQ(ReadAll("id,,x\n1,2,3\n", FileFormat::kCsv).status.reason(), "invalid_header");
  EXPECT_EQ(ReadAll("id,id\n", FileFormat::kCsv).status.reason(), "invalid_header");
  EXPECT_EQ(ReadAll("i\xff"
                    "d\n",
                    FileFormat::kCsv)
                .status.reason(),
            "invalid_header");
}

TEST(NdjsonReader, ReadsObjectsAndReportsBadLines) {
  Read r = ReadAll(
      "{\"id\": \"1\", \"value\": 2.5}\n"
      "\n"
      "[1, 2]\n"
      "{\"id\": \n"
      "{\"id\": \"\xff\"}\r\n"
      "{\"id\": \"5\"}",
      FileFormat::kNdjson);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.records.size(), 5u);
  EXPECT_EQ(r.records[0].record.fields["value"], 2.5);
  EXPECT_FALSE(r.records[0].record.from_text);
  EXPECT_EQ(r.records[1].line, 3);
  EXPECT_EQ(r.records[1].error->reason, "invalid_type");
  EXPECT_EQ(r.records[2].error->reason, "malformed_json");
  EXPECT_EQ(r.records[3].error->reason, "invalid_utf8");
  EXPECT_EQ(r.records[4].line, 6);
  EXPECT_EQ(r.records[4].record.fields["id"], "5");
}

TEST(GzipInput, IsDetectedFromItsMagicBytesForBothFormats) {
  std::string csv = "id,channel\n1,a\n2,b\n";
  Read plain = ReadAll(csv, FileFormat::kCsv);
  Read zipped = ReadAll(Gzip(csv), FileFormat::kCsv);
  ASSERT_TRUE(zipped.status.ok()) << zipped.status.ToString();
  ASSERT_EQ(zipped.records.size(), 2u);
  EXPECT_EQ(zipped.records[1].record.fields, plain.records[1].record.fields);
  Read ndjson = ReadAll(Gzip("{\"a\":1}\n{\"a\":2}\n"), FileFormat::kNdjson);
  ASSERT_EQ(ndjson.records.size(), 2u);
  EXPECT_EQ(ndjson.records[1].record.fields["a"], 2);
}

TEST(GzipInput, ConcatenatedMembersAreOneStreamAndTruncationIsAnError) {
  Read both = ReadAll(Gzip("id\n1\n") + Gzip("2\n3\n"), FileFormat::kCsv);
  ASSERT_TRUE(both.status.ok()) << both.status.ToString();
  EXPECT_EQ(both.records.size(), 3u);
  std::string big = "id,pad\n";
  for (int i = 0; i < 20000; ++i) big += std::to_string(i) + ",padding-padding-padding\n";
  std::string zipped = Gzip(big);
  Read truncated = ReadAll(zipped.substr(0, zipped.size() / 2), FileFormat::kCsv);
  EXPECT_EQ(truncated.status.reason(), "corrupt_gzip") << truncated.status.ToString();
  std::string corrupt = zipped;
  corrupt[corrupt.size() / 2] ^= 0x55;
  EXPECT_FALSE(ReadAll(corrupt, FileFormat::kCsv).status.ok());
}

TEST(CsvReader, LargeInputsStreamInBoundedMemory) {
  // 50 000 records through a 64 KiB buffer: the reader never holds more than one record.
  std::string data = "id,channel\n";
  for (int i = 0; i < 50000; ++i) data += std::to_string(i) + ",c\n";
  std::istringstream in(data);
  auto reader = OpenRecordReader(in, FileFormat::kCsv);
  ASSERT_TRUE(reader.ok());
  ReadRecord record;
  int64_t count = 0;
  while (*(*reader)->Next(record)) ++count;
  EXPECT_EQ(count, 50000);
  EXPECT_EQ((*reader)->bytes_read(), data.size());
}

}  // namespace
}  // namespace tutti::ingest

// The ChannelAttribution path-file reader: the columns in any order among others, RFC 4180
// quoting (commas, doubled quotes and newlines inside fields), line endings, a BOM, huge lines,
// every block size from 1 byte up giving the same journeys, and each kind of bad row refused
// with its line, column and reason.
#include <gtest/gtest.h>

#include <charconv>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "tutti/attribution/paths.h"

namespace tutti::attribution {
namespace {

constexpr char kHeader[] = "path,total_conversions,total_conversion_value,total_null\n";

Result<Journeys> Read(const std::string& text, PathFileOptions options = {}) {
  std::istringstream in(text);
  return ReadPathFile(in, options);
}

Journeys ReadOk(const std::string& text, PathFileOptions options = {}) {
  Result<Journeys> journeys = Read(text, options);
  EXPECT_TRUE(journeys.ok()) << journeys.status().ToString();
  return journeys.ok() ? *std::move(journeys) : Journeys{};
}

std::vector<std::string> Path(const Journeys& journeys, size_t j) {
  std::vector<std::string> names;
  for (uint64_t t = journeys.offsets[j]; t < journeys.offsets[j + 1]; ++t) {
    names.push_back(journeys.keys.Name(journeys.touch_key[t]));
  }
  return names;
}

using Names = std::vector<std::string>;

// The refusal's message starts "line N: column C:" and names the column as its field.
void ExpectRefusal(const std::string& text, int line, const std::string& column,
                   const std::string& reason, PathFileOptions options = {}) {
  Result<Journeys> journeys = Read(text, options);
  ASSERT_FALSE(journeys.ok()) << text;
  const Status& status = journeys.status();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  std::string prefix = "line " + std::to_string(line) + ": ";
  if (!column.empty()) prefix += "column " + column + ": ";
  EXPECT_EQ(status.message().substr(0, prefix.size()), prefix) << status.message();
  EXPECT_EQ(status.field(), column);
  EXPECT_EQ(status.reason(), reason) << status.message();
}

TEST(PathFile, ReadsChannelAttributionRowsAsJourneys) {
  const Journeys journeys = ReadOk(std::string(kHeader) +
                                   "facebook > google > email,2,120.5,7\n"
                                   "google,0,0,3\n"
                                   "email > email > google,1,19.99,0\n");
  ASSERT_EQ(journeys.size(), 3u);
  EXPECT_EQ(Path(journeys, 0), (Names{"facebook", "google", "email"}));
  EXPECT_EQ(Path(journeys, 1), (Names{"google"}));
  EXPECT_EQ(Path(journeys, 2), (Names{"email", "email", "google"}));  // repeats kept
  EXPECT_EQ(journeys.conversions, (std::vector<double>{2, 0, 1}));
  EXPECT_EQ(journeys.value, (std::vector<double>{120.5, 0, 19.99}));
  EXPECT_EQ(journeys.nulls, (std::vector<double>{7, 3, 0}));
  EXPECT_EQ(journeys.keys.size(), 3u);
  EXPECT_FALSE(journeys.has_times);
  EXPECT_TRUE(journeys.touch_age_seconds.empty());
  EXPECT_EQ(journeys.partner_count, (std::vector<uint32_t>{0, 0, 0}));
  EXPECT_EQ(journeys.offsets, (std::vector<uint64_t>{0, 3, 4, 7}));
}

TEST(PathFile, TakesTheColumnsInAnyOrderAndIgnoresOthers) {
  const Journeys journeys = ReadOk(
      "total_null,campaign,path,total_conversion_value,notes,total_conversions\n"
      "4,spring,a > b,10,\"free, text\",1\n"
      "0,,b,2.5,,3\n");
  ASSERT_EQ(journeys.size(), 2u);
  EXPECT_EQ(Path(journeys, 0), (Names{"a", "b"}));
  EXPECT_EQ(journeys.conversions, (std::vector<double>{1, 3}));
  EXPECT_EQ(journeys.value, (std::vector<double>{10, 2.5}));
  EXPECT_EQ(journeys.nulls, (std::vector<double>{4, 0}));
}

TEST(PathFile, FollowsRfc4180Quoting) {
  const Journeys good = ReadOk(
      "\"path\",\"total_conversions\",total_conversion_value,total_null,note\n"
      "\"Paid, Search > \"\"Brand\"\" Email\",\"1\",\"2.50\",0,\"two\nlines\"\n"
      "display,0,0,2,\"\"\n");
  ASSERT_EQ(good.size(), 2u);
  EXPECT_EQ(Path(good, 0), (Names{"Paid, Search", "\"Brand\" Email"}));
  EXPECT_EQ(good.value[0], 2.5);
  EXPECT_EQ(Path(good, 1), (Names{"display"}));
}

TEST(PathFile, CountsLinesInsideQuotedFieldsForLaterErrors) {
  ExpectRefusal(std::string(kHeader) + "\"a\n>\nb\",1,0,0\nc,1,0,-1\n", 5, "total_null",
                "invalid_number");
}

TEST(PathFile, AcceptsCrlfABomBlankLinesAndNoFinalNewline) {
  const Journeys journeys = ReadOk(
      "\xEF\xBB\xBFpath,total_conversions,total_conversion_value,total_null\r\n"
      "a > b,1,5,0\r\n"
      "\r\n"
      "\"c\",2,0,1\r\n"
      "\n"
      "b,0,0,9");
  ASSERT_EQ(journeys.size(), 3u);
  EXPECT_EQ(Path(journeys, 1), (Names{"c"}));
  EXPECT_EQ(journeys.nulls, (std::vector<double>{0, 1, 9}));
}

TEST(PathFile, TrimsBlanksAroundChannelsAndNumbers) {
  const Journeys journeys = ReadOk(std::string(kHeader) + "a>b >  c\t> d , 1 ,2.5 , 3\n");
  ASSERT_EQ(journeys.size(), 1u);
  EXPECT_EQ(Path(journeys, 0), (Names{"a", "b", "c", "d"}));
  EXPECT_EQ(journeys.conversions[0], 1);
  EXPECT_EQ(journeys.value[0], 2.5);
  EXPECT_EQ(journeys.nulls[0], 3);
}

TEST(PathFile, ParsesNumbersExactly) {
  const Journeys journeys = ReadOk(std::string(kHeader) +
                                   "a,1e3,0.1,0.30000000000000004\n"
                                   "a,1.5,123456789012.345678,-0\n"
                                   "a,007,-12.75,2.\n");
  EXPECT_EQ(journeys.conversions, (std::vector<double>{1000, 1.5, 7}));
  EXPECT_EQ(journeys.value, (std::vector<double>{0.1, 123456789012.345678, -12.75}));
  EXPECT_EQ(journeys.nulls, (std::vector<double>{0.30000000000000004, 0, 2}));
}

// The word-at-a-time parser takes fields of up to 8 bytes; everything must equal from_chars.
TEST(PathFile, NumbersEqualFromChars) {
  std::mt19937_64 rng(17);
  std::uniform_int_distribution<int> digit(0, 9), length(1, 12), style(0, 5);
  std::string text = kHeader;
  std::vector<std::string> values;
  for (int row = 0; row < 3000; ++row) {
    std::string number;
    const int n = length(rng);
    for (int i = 0; i < n; ++i) number += static_cast<char>('0' + digit(rng));
    switch (style(rng)) {
      case 0:  // a decimal point somewhere inside
        number.insert(1 + static_cast<size_t>(rng() % number.size()), ".");
        if (number.back() == '.') number += "5";
        break;
      case 1:
        number += "e" + std::to_string(digit(rng));
        break;
      case 2:
        number = "0." + number;
        break;
      default:
        break;
    }
    values.push_back(number);
    text += "a," + std::to_string(row % 5) + "," + number + ",0\n";
  }
  const Journeys journeys = ReadOk(text);
  ASSERT_EQ(journeys.size(), values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    double expected = 0;
    std::from_chars(values[i].data(), values[i].data() + values[i].size(), expected);
    EXPECT_EQ(journeys.value[i], expected) << values[i];
    EXPECT_EQ(journeys.conversions[i], static_cast<double>(i % 5));
  }
}

TEST(PathFile, InternsEachChannelOnceWhateverItsName) {
  std::string text = kHeader;
  const std::vector<std::string> names = {"x",
                                          "exactly8",
                                          "exactly_sixteen!",
                                          "ünïcödé channel",
                                          std::string(300, 'L'),
                                          "seventeen_chars__"};
  for (int row = 0; row < 50; ++row) {
    text += names[row % names.size()] + " > " + names[(row + 1) % names.size()] + ",1,1,1\n";
  }
  const Journeys journeys = ReadOk(text);
  ASSERT_EQ(journeys.keys.size(), names.size());
  for (const std::string& name : names) EXPECT_TRUE(journeys.keys.Find(name).ok()) << name;
}

TEST(PathFile, HeaderOnlyGivesNoJourneys) {
  const Journeys journeys = ReadOk(kHeader);
  EXPECT_EQ(journeys.size(), 0u);
  EXPECT_EQ(journeys.offsets, (std::vector<uint64_t>{0}));
}

TEST(PathFile, RefusesBadHeaders) {
  ExpectRefusal("", 1, "", "missing_header");
  ExpectRefusal("\n\n", 1, "", "missing_header");
  ExpectRefusal("path,total_conversions,total_conversion_value\n", 1, "total_null",
                "missing_column");
  ExpectRefusal("path,total_null,path,total_conversions,total_conversion_value\n", 1, "path",
                "duplicate_column");
  ExpectRefusal("Path,total_conversions,total_conversion_value,total_null\n", 1, "path",
                "missing_column");
}

TEST(PathFile, RefusesBadRowsNamingLineAndColumn) {
  const std::string header = kHeader;
  const std::string good = "a > b,1,2,3\n";
  ExpectRefusal(header + good + ",1,2,3\n", 3, "path", "empty_path");
  ExpectRefusal(header + good + "  ,1,2,3\n", 3, "path", "empty_path");
  ExpectRefusal(header + "a > > b,1,2,3\n", 2, "path", "empty_channel");
  ExpectRefusal(header + "a >,1,2,3\n", 2, "path", "empty_channel");
  ExpectRefusal(header + good + good + "a,-1,2,3\n", 4, "total_conversions", "invalid_number");
  ExpectRefusal(header + "a,1,2,-0.5\n", 2, "total_null", "invalid_number");
  ExpectRefusal(header + "a,one,2,3\n", 2, "total_conversions", "invalid_number");
  ExpectRefusal(header + "a,,2,3\n", 2, "total_conversions", "invalid_number");
  ExpectRefusal(header + "a,1,2,3x\n", 2, "total_null", "invalid_number");
  ExpectRefusal(header + "a,1,2,nan\n", 2, "total_null", "invalid_number");
  ExpectRefusal(header + "a,1,inf,3\n", 2, "total_conversion_value", "invalid_number");
  ExpectRefusal(header + "a,1,1e999,3\n", 2, "total_conversion_value", "invalid_number");
  ExpectRefusal(header + "a,1,2\n", 2, "total_null", "missing_column");
  ExpectRefusal(header + "a\n", 2, "total_conversions", "missing_column");
  ExpectRefusal(header + "a,1,2,3,4\n", 2, "", "too_many_fields");
}

TEST(PathFile, RefusesBrokenQuoting) {
  const std::string header = kHeader;
  ExpectRefusal(header + "\"a > b,1,2,3\n", 2, "path", "bad_quoting");
  ExpectRefusal(header + "\"a\"b,1,2,3\n", 2, "path", "bad_quoting");
  ExpectRefusal(header + "a\"b,1,2,3\n", 2, "path", "bad_quoting");
  ExpectRefusal(header + "a,1,\"2\"x,3\n", 2, "total_conversion_value", "bad_quoting");
}

TEST(PathFile, RefusesInvalidUtf8InChannelNames) {
  const std::string header = kHeader;
  for (const std::string& bad :
       {std::string("caf\xE9"), std::string("\xC0\xAF"), std::string("\xED\xA0\x80"),
        std::string("ok\xF4\x90\x80\x80"), std::string("\xE2\x82"), std::string("\x80")}) {
    ExpectRefusal(header + "a,1,2,3\nb > " + bad + ",1,2,3\n", 3, "path", "invalid_utf8");
  }
  // The same bytes are fine in a column the reader ignores.
  EXPECT_TRUE(Read("path,total_conversions,total_conversion_value,total_null,x\n"
                   "a,1,2,3,caf\xE9\n")
                  .ok());
}

TEST(PathFile, ReadsAHugeLine) {
  std::string path;
  for (int i = 0; i < 200'000; ++i)
    path += i == 0 ? "c" + std::to_string(i % 7) : " > c" + std::to_string(i % 7);
  const std::string text = std::string(kHeader) + path + ",1,2,3\nz,0,0,1\n";
  for (size_t block : {size_t{4096}, size_t{1} << 23}) {
    const Journeys journeys = ReadOk(text, {.block_bytes = block});
    ASSERT_EQ(journeys.size(), 2u);
    EXPECT_EQ(journeys.offsets[1], 200'000u);
    EXPECT_EQ(journeys.keys.size(), 8u);
  }
}

TEST(PathFile, RefusesARecordLongerThanTheLimit) {
  const std::string text = std::string(kHeader) + "a,1,2,3\n" + std::string(5000, 'x') + ",1,2,3\n";
  ExpectRefusal(text, 3, "", "record_too_long", {.block_bytes = 512, .max_record_bytes = 2048});
  // An unbalanced quote makes the rest of the stream one record: refused once it passes the limit.
  const std::string open_quote =
      std::string(kHeader) + "\"a,1,2,3\n" + std::string(5000, '\n') + "b,1,2,3\n";
  ExpectRefusal(open_quote, 2, "", "record_too_long",
                {.block_bytes = 512, .max_record_bytes = 2048});
}

std::string RandomFile(std::mt19937_64& rng, int rows) {
  const std::vector<std::string> channels = {"facebook", "google", "\"quoted, channel\"",
                                             "email",    "x",      "tiktok ads"};
  std::string text = "total_null,path,notes,total_conversions,total_conversion_value\r\n";
  std::uniform_int_distribution<size_t> channel(0, channels.size() - 1), length(1, 6);
  std::uniform_int_distribution<int> count(0, 20), style(0, 3);
  for (int row = 0; row < rows; ++row) {
    std::string path;
    const size_t n = length(rng);
    for (size_t i = 0; i < n; ++i) {
      std::string name = channels[channel(rng)];
      if (!name.empty() && name.front() == '"') name = "quoted, channel";
      path += (i ? " > " : "") + name;
    }
    const bool quote = path.find(',') != std::string::npos || style(rng) == 0;
    text += std::to_string(count(rng)) + ",";
    text += quote ? "\"" + path + "\"" : path;
    text += style(rng) == 1 ? ",\"note\nwith newline\"," : ",,";
    text += std::to_string(count(rng)) + "," + std::to_string(count(rng)) + ".25";
    text += style(rng) == 2 ? "\r\n" : "\n";
  }
  return text;
}

TEST(PathFile, EveryBlockSizeAndThreadCountGivesTheSameJourneys) {
  std::mt19937_64 rng(11);
  const std::string text = RandomFile(rng, 300);
  const Journeys expected = ReadOk(text, {.threads = 1});
  ASSERT_EQ(expected.size(), 300u);
  for (int threads : {1, 2, 4}) {
    for (size_t block : {1, 2, 3, 5, 16, 17, 64, 1000, 1 << 20}) {
      SCOPED_TRACE("block " + std::to_string(block) + ", threads " + std::to_string(threads));
      const Journeys journeys = ReadOk(text, {.block_bytes = block, .threads = threads});
      EXPECT_EQ(journeys.offsets, expected.offsets);
      EXPECT_EQ(journeys.touch_key, expected.touch_key);
      EXPECT_EQ(journeys.conversions, expected.conversions);
      EXPECT_EQ(journeys.value, expected.value);
      EXPECT_EQ(journeys.nulls, expected.nulls);
      EXPECT_EQ(journeys.partner_count, expected.partner_count);
      ASSERT_EQ(journeys.keys.size(), expected.keys.size());
      for (uint32_t k = 0; k < expected.keys.size(); ++k) {
        EXPECT_EQ(journeys.keys.Name(k), expected.keys.Name(k));
      }
    }
  }
}

TEST(PathFile, ReportsTheFirstBadRowWhateverTheBlockSizeAndThreads) {
  std::mt19937_64 rng(12);
  const std::string text =
      RandomFile(rng, 50) + "1,a,,-2,0\n" + RandomFile(rng, 5).substr(70) + "1,,,1,0\n";
  Result<Journeys> reference = Read(text, {.threads = 1});
  ASSERT_FALSE(reference.ok());
  EXPECT_EQ(reference.status().field(), "total_conversions") << reference.status().message();
  for (int threads : {1, 3}) {
    for (size_t block : {1, 7, 100}) {
      Result<Journeys> journeys = Read(text, {.block_bytes = block, .threads = threads});
      ASSERT_FALSE(journeys.ok());
      EXPECT_EQ(journeys.status().message(), reference.status().message());
    }
  }
}

TEST(PathFile, ReadsFromTheCurrentPositionOfTheStream) {
  std::istringstream in("ignored preamble\n" + std::string(kHeader) + "a,1,0,0\n");
  std::string preamble;
  std::getline(in, preamble);
  Result<Journeys> journeys = ReadPathFile(in);
  ASSERT_TRUE(journeys.ok()) << journeys.status().ToString();
  EXPECT_EQ(journeys->size(), 1u);
}

}  // namespace
}  // namespace tutti::attribution

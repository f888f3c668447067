// The events CSV reader: RFC 4180 quoting, line ends, the timestamp forms, records cut at every
// block boundary, and bad records (broken quoting, wrong types, missing fields, invalid UTF-8,
// huge lines) rejected one by one with their line and column, never a crash.
#include <gtest/gtest.h>

#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "tutti/attribution/events_csv.h"

namespace tutti::attribution {
namespace {

constexpr char kHeader[] = "event_id,user_key,ts,partner,channel,type,value\n";

Result<EventsCsv> Parse(const std::string& text, EventsCsvLimits limits = {}) {
  std::istringstream in(text);
  return ParseEventsCsv(in, limits);
}

EventsCsv ParseOk(const std::string& text, EventsCsvLimits limits = {}) {
  Result<EventsCsv> parsed = Parse(text, limits);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? std::move(parsed).value() : EventsCsv{};
}

// "line:field" of every error, for compact expectations.
std::vector<std::string> Errors(const EventsCsv& parsed) {
  std::vector<std::string> out;
  for (const EventsCsvError& e : parsed.errors)
    out.push_back(std::to_string(e.line) + ":" + e.field);
  return out;
}

TEST(EventsCsv, ReadsEveryColumn) {
  const EventsCsv parsed = ParseOk(std::string(kHeader) +
                                   "e1,u1,2026-06-01T13:00:00Z,acme,search,click,\n"
                                   "e2,u1,2026-06-01T14:00:00.250Z,acme,web,conversion,19.99\n");
  ASSERT_EQ(parsed.events.size(), 2u);
  EXPECT_EQ(parsed.records, 2u);
  EXPECT_EQ(parsed.rejected, 0u);
  const EventTable& t = parsed.events;
  EXPECT_EQ(t.EventId(0), "e1");
  EXPECT_EQ(t.EventId(1), "e2");
  EXPECT_EQ(t.users.Name(t.user[1]), "u1");
  EXPECT_EQ(t.ts_ms[0], 1780318800000);
  EXPECT_EQ(t.ts_ms[1], 1780318800000 + 3600000 + 250);
  EXPECT_EQ(t.partners.Name(t.partner[0]), "acme");
  EXPECT_EQ(t.channels.Name(t.channel[1]), "web");
  EXPECT_EQ(t.type[0], EventType::kClick);
  EXPECT_EQ(t.type[1], EventType::kConversion);
  EXPECT_EQ(t.value[0], 0);
  EXPECT_EQ(t.value[1], 19.99);
}

TEST(EventsCsv, KeepsATouchpointsSpend) {
  const EventsCsv parsed = ParseOk(std::string(kHeader) +
                                   "e1,u,2026-06-01T13:00:00Z,acme,search,click,0.35\n"
                                   "e2,u,2026-06-01T13:00:00Z,acme,search,impression,\n"
                                   "e3,u,2026-06-01T13:00:00Z,acme,search,engagement,-1\n");
  EXPECT_EQ(parsed.events.value, (std::vector<double>{0.35, 0}));
  EXPECT_EQ(Errors(parsed), (std::vector<std::string>{"4:value"}));
}

TEST(EventsCsv, AcceptsEveryTimestampForm) {
  const EventsCsv parsed = ParseOk(std::string(kHeader) +
                                   "a,u,2026-06-01T13:00:00Z,p,c,click,\n"
                                   "b,u,2026-06-01T15:00:00+02:00,p,c,click,\n"
                                   "c,u,2026-06-01T08:30:00-04:30,p,c,click,\n"
                                   "d,u,1780318800000,p,c,click,\n"
                                   "e,u,2026-06-01T13:00:00.5Z,p,c,click,\n"
                                   "f,u,2026-06-01T13:00:00.123456789Z,p,c,click,\n"
                                   "g,u,-1000,p,c,click,\n"
                                   "h,u,2028-02-29T00:00:00Z,p,c,click,\n");
  ASSERT_EQ(parsed.rejected, 0u) << parsed.errors[0].reason;
  const std::vector<int64_t> expected = {1780318800000, 1780318800000, 1780318800000,
                                         1780318800000, 1780318800500, 1780318800123,
                                         -1000,         1835395200000};
  EXPECT_EQ(parsed.events.ts_ms, expected);
}

TEST(EventsCsv, RejectsTimestampsThatAreNotInstants) {
  const std::vector<std::string> bad = {"yesterday",
                                        "2026-06-01",
                                        "2026-06-01T13:00:00",
                                        "2026-06-01 13:00:00Z",
                                        "2026-02-30T00:00:00Z",
                                        "2027-02-29T00:00:00Z",
                                        "2026-06-01T24:00:00Z",
                                        "2026-13-01T00:00:00Z",
                                        "2026-06-01T13:00:60Z",
                                        "2026-06-01T13:00:00.Z",
                                        "2026-06-01T13:00:00+2:00",
                                        "2026-06-01T13:00:00+24:00",
                                        "12-34",
                                        "",
                                        "99999999999999999",
                                        "1e12"};
  std::string text = kHeader;
  for (const std::string& ts : bad) text += "e,u," + ts + ",p,c,click,\n";
  const EventsCsv parsed = ParseOk(text);
  EXPECT_EQ(parsed.events.size(), 0u);
  ASSERT_EQ(parsed.rejected, bad.size());
  for (size_t i = 0; i < bad.size(); ++i) {
    EXPECT_EQ(parsed.errors[i].line, i + 2) << bad[i];
    EXPECT_EQ(parsed.errors[i].field, "ts") << bad[i];
    EXPECT_NE(parsed.errors[i].reason.find("ISO-8601"), std::string::npos);
  }
}

TEST(EventsCsv, FollowsRfc4180Quoting) {
  const EventsCsv parsed = ParseOk(
      "\xef\xbb\xbf"  // a byte-order mark
      "event_id,user_key,ts,partner,channel,type,value\r\n"
      "\"e,1\",\"u \"\"one\"\"\",2026-06-01T13:00:00Z,\"Acme, Inc.\",search,click,\r\n"
      "\r\n"
      "e2,u2,2026-06-01T13:00:00Z,acme,\"\",conversion,\"5\"\r\n"
      "\"e\n3\",u3,2026-06-01T13:00:00Z,acme,search,impression,\n"
      "e4,u4,2026-06-01T13:00:00Z,acme,search,impression,");  // no final line end
  // Ids and names may not hold control characters, so the quoted newline in "e\n3" is refused.
  EXPECT_EQ(Errors(parsed), (std::vector<std::string>{"5:event_id"}));
  ASSERT_EQ(parsed.events.size(), 3u);
  const EventTable& t = parsed.events;
  EXPECT_EQ(t.EventId(0), "e,1");
  EXPECT_EQ(t.users.Name(t.user[0]), "u \"one\"");
  EXPECT_EQ(t.partners.Name(t.partner[0]), "Acme, Inc.");
  EXPECT_EQ(t.channels.Name(t.channel[1]), "");  // allowed on a conversion
  EXPECT_EQ(t.value[1], 5);
  EXPECT_EQ(t.EventId(2), "e4");
}

TEST(EventsCsv, ColumnsMayComeInAnyOrderAmongOthers) {
  const EventsCsv parsed = ParseOk(
      "type,note,value,ts,channel,partner,user_key,event_id\n"
      "click,\"free, text\",,2026-06-01T13:00:00Z,search,acme,u1,e1\n");
  ASSERT_EQ(parsed.events.size(), 1u);
  EXPECT_EQ(parsed.events.EventId(0), "e1");
  EXPECT_EQ(parsed.events.channels.Name(parsed.events.channel[0]), "search");
}

TEST(EventsCsv, RefusesUnusableHeaders) {
  for (const std::string& text :
       {std::string(), std::string("\n\n"),
        std::string("event_id,user_key,ts,partner,channel,type\n"),
        std::string("event_id,user_key,ts,partner,channel,type,value,ts\n"),
        std::string("\"event_id,user_key\n")}) {
    Result<EventsCsv> parsed = Parse(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(parsed.status().field(), "line 1: header");
    EXPECT_NE(parsed.status().message().find(
                  "expected a header like event_id,user_key,ts,partner,channel,type,value"),
              std::string::npos);
  }
  EXPECT_NE(Parse("event_id,user_key,partner,channel,type,value\n")
                .status()
                .message()
                .find("the column ts is missing"),
            std::string::npos);
}

TEST(EventsCsv, RejectsBadRecordsOneByOneAndKeepsTheRest) {
  const std::string text = std::string(kHeader) +
                           "ok1,u,2026-06-01T13:00:00Z,p,c,click,\n"          // 2
                           "bad,u,2026-06-01T13:00:00Z,p,c,view,\n"           // 3 type
                           "bad,u,2026-06-01T13:00:00Z,p,c,conversion,\n"     // 4 value missing
                           "bad,u,2026-06-01T13:00:00Z,p,c,conversion,abc\n"  // 5 value
                           "bad,u,2026-06-01T13:00:00Z,p,c,conversion,-3\n"   // 6 value < 0
                           "bad,u,2026-06-01T13:00:00Z,p,c,conversion,inf\n"  // 7 value
                           "bad,u,2026-06-01T13:00:00Z,p,c\n"                 // 8 missing fields
                           "bad,u,2026-06-01T13:00:00Z,p,c,click,,extra\n"    // 9 extra field
                           ",u,2026-06-01T13:00:00Z,p,c,click,\n"             // 10 empty id
                           "bad,u,2026-06-01T13:00:00Z,,c,click,\n"           // 11 no partner
                           "ok2,u,2026-06-01T13:00:00Z,,,conversion,0\n"      // 12
                           "bad,u,2026-06-01T13:00:00Z,p\"x,c,click,\n"       // 13 stray quote
                           "bad,u,\"2026-06-01T13:00:00Z\"x,p,c,click,\n"     // 14 after quote
                           "bad,u,2026-06-01T13:00:00Z,p,c\tx,click,\n"       // 15 control char
                           "ok3,u,2026-06-01T13:00:00Z,p,c,click,1e3\n";      // 16
  const EventsCsv parsed = ParseOk(text);
  EXPECT_EQ(parsed.records, 15u);
  EXPECT_EQ(parsed.rejected, 12u);
  EXPECT_EQ(parsed.events.size(), 3u);
  EXPECT_EQ(Errors(parsed),
            (std::vector<std::string>{"3:type", "4:value", "5:value", "6:value", "7:value",
                                      "8:type", "9:record", "10:event_id", "11:partner",
                                      "13:partner", "14:ts", "15:channel"}));
  EXPECT_NE(parsed.errors[0].reason.find("got \"view\""), std::string::npos);
  EXPECT_NE(parsed.errors[1].reason.find("needs a value"), std::string::npos);
  EXPECT_NE(parsed.errors[5].reason.find("5 fields and the header 7"), std::string::npos);
  EXPECT_NE(parsed.errors[9].reason.find("quote inside an unquoted field"), std::string::npos);
  EXPECT_NE(parsed.errors[10].reason.find("closing quote is followed"), std::string::npos);
  EXPECT_NE(parsed.errors[11].reason.find("control character"), std::string::npos);
}

TEST(EventsCsv, RejectsInvalidUtf8) {
  const std::vector<std::string> bad = {"\xc0\xaf",          // overlong '/'
                                        "\x80",              // a lone continuation byte
                                        "\xed\xa0\x80",      // a UTF-16 surrogate
                                        "\xf4\x90\x80\x80",  // beyond U+10FFFF
                                        "\xe2\x82",          // cut short
                                        "\xff"};
  std::string text = kHeader;
  for (const std::string& name : bad) text += "e,u,2026-06-01T13:00:00Z,p,c" + name + ",click,\n";
  text += "e,u,2026-06-01T13:00:00Z,p,caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8e\x89,click,\n";
  const EventsCsv parsed = ParseOk(text);
  ASSERT_EQ(parsed.rejected, bad.size());
  for (size_t i = 0; i < bad.size(); ++i) {
    EXPECT_EQ(parsed.errors[i].line, i + 2);
    EXPECT_EQ(parsed.errors[i].field, "channel");
    EXPECT_NE(parsed.errors[i].reason.find("not valid UTF-8"), std::string::npos);
  }
  ASSERT_EQ(parsed.events.size(), 1u);
  EXPECT_EQ(parsed.events.channels.Name(parsed.events.channel[0]),
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8e\x89");
}

TEST(EventsCsv, HugeLinesAreRejectedWithoutLosingTheirNeighbours) {
  EventsCsvLimits limits;
  limits.max_record_bytes = 1000;
  limits.block_bytes = 256;
  const std::string long_name(5000, 'x');
  const std::string text = std::string(kHeader) + "e1,u,2026-06-01T13:00:00Z,p,c,click,\n" +  // 2
                           "e2,u,2026-06-01T13:00:00Z,p," + long_name + ",click,\n" +         // 3
                           "e3,u,2026-06-01T13:00:00Z,p,c,click,\n" +                         // 4
                           "e4,u,2026-06-01T13:00:00Z,p,\"" + long_name + "\n" + long_name +
                           "\",click,\n" +                             // 5-6, quoted newline
                           "e5,u,2026-06-01T13:00:00Z,p,c,click,\n" +  // 7
                           "e6,u,2026-06-01T13:00:00Z,p," + std::string(300, 'y') +
                           ",click,\n";  // 8
  const EventsCsv parsed = ParseOk(text, limits);
  EXPECT_EQ(Errors(parsed), (std::vector<std::string>{"3:record", "5:record", "8:channel"}));
  EXPECT_NE(parsed.errors[0].reason.find("longer than 1000 bytes"), std::string::npos);
  EXPECT_NE(parsed.errors[2].reason.find("at most 256"), std::string::npos);
  ASSERT_EQ(parsed.events.size(), 3u);
  EXPECT_EQ(parsed.events.EventId(2), "e5");
}

TEST(EventsCsv, AnUnclosedQuoteIsReportedAtItsLine) {
  const EventsCsv parsed = ParseOk(std::string(kHeader) +
                                   "e1,u,2026-06-01T13:00:00Z,p,c,click,\n"
                                   "e2,u,2026-06-01T13:00:00Z,\"p,c,click,\n"
                                   "e3,u,2026-06-01T13:00:00Z,p,c,click,\n");
  EXPECT_EQ(Errors(parsed), (std::vector<std::string>{"3:partner"}));
  EXPECT_NE(parsed.errors[0].reason.find("not closed"), std::string::npos);
  EXPECT_EQ(parsed.events.size(), 1u);
}

TEST(EventsCsv, LineNumbersCountQuotedNewlines) {
  const EventsCsv parsed = ParseOk(std::string(kHeader) +
                                   "e1,u,2026-06-01T13:00:00Z,p,c,click,\"1\n2\n3\"\n"  // 2-4
                                   "\n"                                                 // 5
                                   "e2,u,never,p,c,click,\n");                          // 6
  EXPECT_EQ(Errors(parsed), (std::vector<std::string>{"2:value", "6:ts"}));
}

TEST(EventsCsv, KeepsOnlyTheFirstErrorsButCountsThemAll) {
  EventsCsvLimits limits;
  limits.max_errors = 10;
  std::string text = kHeader;
  for (int i = 0; i < 1000; ++i) text += "e,u,bad,p,c,click,\n";
  const EventsCsv parsed = ParseOk(text, limits);
  EXPECT_EQ(parsed.rejected, 1000u);
  EXPECT_EQ(parsed.errors.size(), 10u);
  EXPECT_EQ(parsed.errors.back().line, 11u);
}

TEST(EventsCsv, ReadEventsCsvNamesTheFirstBadRecord) {
  std::istringstream in(std::string(kHeader) +
                        "e1,u,2026-06-01T13:00:00Z,p,c,click,\n"
                        "e2,u,2026-06-01T13:00:00Z,p,c,conversion,x\n"
                        "e3,u,never,p,c,click,\n");
  Result<EventTable> table = ReadEventsCsv(in);
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(table.status().field(), "line 3: value");
  EXPECT_NE(table.status().message().find("2 bad records in all"), std::string::npos);

  std::istringstream good(std::string(kHeader) + "e1,u,2026-06-01T13:00:00Z,p,c,click,\n");
  Result<EventTable> ok = ReadEventsCsv(good);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->size(), 1u);
}

// The same text read in blocks of every small size gives the same table and errors.
TEST(EventsCsv, RecordsCutAtAnyBlockBoundaryReadTheSame) {
  const std::string text =
      "\xef\xbb\xbf" + std::string(kHeader) +
      "\"e,1\",\"u \"\"1\"\"\",2026-06-01T13:00:00Z,\"Acme, Inc.\",search,click,\r\n"
      "e2,u2,2026-06-01T13:00:00.123+01:00,acme,social,conversion,\"12.5\"\r\n"
      "\r\n"
      "e3,u3,bad,acme,search,impression,\n"
      "e4,u4,1780318800000,acme,\"sea\"\"rch\",engagement,\"\"\n"
      "e5,u5,2026-06-01T13:00:00Z,acme,search,click,\"\n\"\n"
      "e6,u6,2026-06-01T13:00:00Z,acme,search,click,\"\"";
  const EventsCsv whole = ParseOk(text);
  ASSERT_EQ(whole.events.size(), 4u);
  EXPECT_EQ(Errors(whole), (std::vector<std::string>{"5:ts", "7:value"}));
  for (size_t block = 1; block <= 40; ++block) {
    EventsCsvLimits limits;
    limits.block_bytes = block;
    const EventsCsv pieces = ParseOk(text, limits);
    EXPECT_EQ(Errors(pieces), Errors(whole)) << block;
    ASSERT_EQ(pieces.events.size(), whole.events.size()) << block;
    for (size_t i = 0; i < whole.events.size(); ++i) {
      EXPECT_EQ(pieces.events.EventId(i), whole.events.EventId(i)) << block;
      EXPECT_EQ(pieces.events.ts_ms[i], whole.events.ts_ms[i]) << block;
      EXPECT_EQ(pieces.events.value[i], whole.events.value[i]) << block;
      EXPECT_EQ(pieces.events.users.Name(pieces.events.user[i]),
                whole.events.users.Name(whole.events.user[i]))
          << block;
      EXPECT_EQ(pieces.events.channels.Name(pieces.events.channel[i]),
                whole.events.channels.Name(whole.events.channel[i]))
          << block;
    }
  }
}

// Good events are added to the table in batches; escaped names must survive the batching.
TEST(EventsCsv, ManyRecordsWithEscapedNamesKeepTheirNames) {
  std::string text = kHeader;
  for (int i = 0; i < 1000; ++i) {
    const std::string n = std::to_string(i);
    text += "\"e\"\"" + n + "\",\"u\"\"" + std::to_string(i % 37) +
            "\",2026-06-01T13:00:00Z,\"p,\"\"" + n + "\",c" + n + ",click,\n";
  }
  const EventsCsv parsed = ParseOk(text);
  ASSERT_EQ(parsed.events.size(), 1000u);
  EXPECT_EQ(parsed.events.users.size(), 37u);
  for (size_t i = 0; i < 1000; ++i) {
    const std::string n = std::to_string(i);
    const EventTable& t = parsed.events;
    EXPECT_EQ(t.EventId(i), "e\"" + n);
    EXPECT_EQ(t.users.Name(t.user[i]), "u\"" + std::to_string(i % 37));
    EXPECT_EQ(t.partners.Name(t.partner[i]), "p,\"" + n);
    EXPECT_EQ(t.channels.Name(t.channel[i]), "c" + n);
  }
}

// Random bytes and mutations of good records: the reader accounts for every record and stops.
TEST(EventsCsv, NeverCrashesOnGarbage) {
  std::mt19937_64 rng(4);
  const std::string alphabet = "ab,\"\n\r\xc3\xa9\x80 0123456789-:TZ.";
  const std::string good = "e1,u,2026-06-01T13:00:00Z,p,c,conversion,1.5\n";
  for (int round = 0; round < 300; ++round) {
    std::string text = kHeader;
    const int records = static_cast<int>(rng() % 20);
    for (int r = 0; r < records; ++r) {
      std::string record = good;
      const int mutations = static_cast<int>(rng() % 4);
      for (int m = 0; m < mutations; ++m) {
        record[rng() % record.size()] = alphabet[rng() % alphabet.size()];
      }
      text += record;
    }
    EventsCsvLimits limits;
    limits.block_bytes = 1 + rng() % 64;
    limits.max_record_bytes = 48 + rng() % 200;  // the header still fits
    Result<EventsCsv> parsed = Parse(text, limits);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(parsed->records, parsed->events.size() + parsed->rejected) << text;
  }
}

}  // namespace
}  // namespace tutti::attribution

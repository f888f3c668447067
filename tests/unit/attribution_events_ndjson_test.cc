// The events NDJSON reader: every key and timestamp form, keys in any order among others, bad
// fields, wrong JSON types, broken JSON, missing keys, invalid UTF-8 and huge lines rejected one
// by one with their line and key, blank lines and CRLF, lines cut at every block boundary, and
// the same EventTable as the CSV reader gives for the same events.
#include <gtest/gtest.h>

#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "tutti/attribution/events_csv.h"
#include "tutti/attribution/events_ndjson.h"

namespace tutti::attribution {
namespace {

Result<EventsNdjson> Parse(const std::string& text, EventsNdjsonLimits limits = {}) {
  std::istringstream in(text);
  return ParseEventsNdjson(in, limits);
}

EventsNdjson ParseOk(const std::string& text, EventsNdjsonLimits limits = {}) {
  Result<EventsNdjson> parsed = Parse(text, limits);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? std::move(parsed).value() : EventsNdjson{};
}

// "line:field" of every error, for compact expectations.
std::vector<std::string> Errors(const EventsNdjson& parsed) {
  std::vector<std::string> out;
  for (const EventsCsvError& e : parsed.errors)
    out.push_back(std::to_string(e.line) + ":" + e.field);
  return out;
}

// A click line with `extra` spliced in after the type, e.g. R"(,"value":1)".
std::string Click(const std::string& id, const std::string& extra = "") {
  return R"({"event_id":")" + id +
         R"(","user_key":"u","ts":"2026-06-01T13:00:00Z","partner":"p","channel":"c","type":"click")" +
         extra + "}\n";
}

// Every column of two tables, names compared through their dictionaries.
void ExpectSameTable(const EventTable& a, const EventTable& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a.EventId(i), b.EventId(i)) << i;
    EXPECT_EQ(a.users.Name(a.user[i]), b.users.Name(b.user[i])) << i;
    EXPECT_EQ(a.ts_ms[i], b.ts_ms[i]) << i;
    EXPECT_EQ(a.partners.Name(a.partner[i]), b.partners.Name(b.partner[i])) << i;
    EXPECT_EQ(a.channels.Name(a.channel[i]), b.channels.Name(b.channel[i])) << i;
    EXPECT_EQ(a.type[i], b.type[i]) << i;
    EXPECT_EQ(a.value[i], b.value[i]) << i;
  }
  EXPECT_EQ(a.user, b.user);
  EXPECT_EQ(a.partner, b.partner);
  EXPECT_EQ(a.channel, b.channel);
  EXPECT_EQ(a.users.size(), b.users.size());
  EXPECT_EQ(a.partners.size(), b.partners.size());
  EXPECT_EQ(a.channels.size(), b.channels.size());
}

TEST(EventsNdjson, ReadsEveryKey) {
  const EventsNdjson parsed = ParseOk(
      R"({"event_id":"e1","user_key":"u1","ts":"2026-06-01T13:00:00Z","partner":"acme","channel":"search","type":"click","value":2.5})"
      "\n"
      R"({"event_id":"e2","user_key":"u1","ts":"2026-06-01T14:00:00.250Z","partner":"acme","channel":"web","type":"conversion","value":19.99})"
      "\n");
  ASSERT_EQ(parsed.events.size(), 2u);
  EXPECT_EQ(parsed.records, 2u);
  EXPECT_EQ(parsed.rejected, 0u);
  const EventTable& t = parsed.events;
  EXPECT_EQ(t.EventId(0), "e1");
  EXPECT_EQ(t.EventId(1), "e2");
  EXPECT_EQ(t.users.Name(t.user[1]), "u1");
  EXPECT_EQ(t.user[0], t.user[1]);
  EXPECT_EQ(t.ts_ms[0], 1780318800000);
  EXPECT_EQ(t.ts_ms[1], 1780318800000 + 3600000 + 250);
  EXPECT_EQ(t.partners.Name(t.partner[0]), "acme");
  EXPECT_EQ(t.channels.Name(t.channel[1]), "web");
  EXPECT_EQ(t.type[0], EventType::kClick);
  EXPECT_EQ(t.type[1], EventType::kConversion);
  EXPECT_EQ(t.value[0], 2.5);  // a touchpoint's spend
  EXPECT_EQ(t.value[1], 19.99);
}

TEST(EventsNdjson, ATouchpointWithoutSpendCostsNothing) {
  const EventsNdjson parsed = ParseOk(Click("a") + Click("b", R"(,"value":null)"));
  ASSERT_EQ(parsed.events.size(), 2u);
  EXPECT_EQ(parsed.events.value, (std::vector<double>{0, 0}));
}

TEST(EventsNdjson, AcceptsEveryTimestampForm) {
  const std::vector<std::string> forms = {R"("2026-06-01T13:00:00Z")",
                                          R"("2026-06-01T15:00:00+02:00")",
                                          R"("2026-06-01T08:30:00-04:30")",
                                          R"("1780318800000")",
                                          "1780318800000",
                                          R"("2026-06-01T13:00:00.5Z")",
                                          "-1000",
                                          R"("2028-02-29T00:00:00Z")"};
  std::string text;
  for (const std::string& ts : forms) {
    text += R"({"event_id":"e","user_key":"u","ts":)" + ts +
            R"(,"partner":"p","channel":"c","type":"click"})"
            "\n";
  }
  const EventsNdjson parsed = ParseOk(text);
  ASSERT_EQ(parsed.rejected, 0u) << parsed.errors[0].reason;
  const std::vector<int64_t> expected = {1780318800000, 1780318800000, 1780318800000,
                                         1780318800000, 1780318800000, 1780318800500,
                                         -1000,         1835395200000};
  EXPECT_EQ(parsed.events.ts_ms, expected);
}

TEST(EventsNdjson, RejectsTimestampsThatAreNotInstants) {
  const std::vector<std::string> bad = {R"("yesterday")",
                                        R"("2026-02-30T00:00:00Z")",
                                        R"("2026-06-01T13:00:00")",
                                        R"("")",
                                        "1780318800000.0",  // a number, but not an integer
                                        "1.7803188e12",
                                        "99999999999999999",  // past 9999-12-31
                                        "18446744073709551615",
                                        "true",
                                        "null",
                                        "[1780318800000]"};
  std::string text;
  for (const std::string& ts : bad) {
    text += R"({"event_id":"e","user_key":"u","ts":)" + ts +
            R"(,"partner":"p","channel":"c","type":"click"})"
            "\n";
  }
  const EventsNdjson parsed = ParseOk(text);
  EXPECT_EQ(parsed.events.size(), 0u);
  ASSERT_EQ(parsed.rejected, bad.size());
  for (size_t i = 0; i < bad.size(); ++i) {
    EXPECT_EQ(parsed.errors[i].line, i + 1) << bad[i];
    EXPECT_EQ(parsed.errors[i].field, "ts") << bad[i];
    EXPECT_NE(parsed.errors[i].reason.find("ISO-8601"), std::string::npos) << bad[i];
  }
  EXPECT_NE(parsed.errors[0].reason.find("got \"yesterday\""), std::string::npos);
  EXPECT_NE(parsed.errors[8].reason.find("got true"), std::string::npos);
  EXPECT_NE(parsed.errors[9].reason.find("got null"), std::string::npos);
  EXPECT_NE(parsed.errors[10].reason.find("got an array"), std::string::npos);
}

TEST(EventsNdjson, KeysMayComeInAnyOrderAmongOthers) {
  const EventsNdjson parsed = ParseOk(
      R"({"note":{"free":["text",1,null,{"x":true}]},"type":"click","value":0,"ts":"2026-06-01T13:00:00Z","channel":"search","partner":"acme","user_key":"u1","event_id":"e1","n":-1.5e3})"
      "\n");
  ASSERT_EQ(parsed.events.size(), 1u) << parsed.errors[0].reason;
  EXPECT_EQ(parsed.events.EventId(0), "e1");
  EXPECT_EQ(parsed.events.channels.Name(parsed.events.channel[0]), "search");
}

TEST(EventsNdjson, DecodesEscapesBeforeCheckingText) {
  const EventsNdjson parsed = ParseOk(
      R"({"event_id":"e\"1","user_key":"caf\u00e9","ts":"2026-06-01T13:00:00Z","partner":"Acme, Inc.","channel":"\ud83c\udf89","type":"click"})"
      "\n"
      R"({"event_id":"e2","user_key":"u","ts":"2026-06-01T13:00:00Z","partner":"p","channel":"a\tb","type":"click"})"
      "\n"
      R"({"event_id":"e3","user_key":"u\u0000","ts":"2026-06-01T13:00:00Z","partner":"p","channel":"c","type":"click"})"
      "\n");
  EXPECT_EQ(Errors(parsed), (std::vector<std::string>{"2:channel", "3:user_key"}));
  EXPECT_NE(parsed.errors[0].reason.find("control character (byte 2)"), std::string::npos);
  ASSERT_EQ(parsed.events.size(), 1u);
  const EventTable& t = parsed.events;
  EXPECT_EQ(t.EventId(0), "e\"1");
  EXPECT_EQ(t.users.Name(t.user[0]), "caf\xc3\xa9");
  EXPECT_EQ(t.partners.Name(t.partner[0]), "Acme, Inc.");
  EXPECT_EQ(t.channels.Name(t.channel[0]), "\xf0\x9f\x8e\x89");
}

TEST(EventsNdjson, RejectsBadFieldsOneByOneAndKeepsTheRest) {
  const std::string base = R"("user_key":"u","ts":"2026-06-01T13:00:00Z")";
  const std::string text =
      Click("ok1") +                       // 1
      Click("bad", R"(,"type":"view")") +  // 2 twice
      R"({"event_id":"bad",)" + base + R"(,"partner":"p","channel":"c","type":"view"})" +
      "\n" +                                                                             // 3 type
      R"({"event_id":"bad",)" + base + R"(,"type":"conversion"})" + "\n" +               // 4 value
      R"({"event_id":"bad",)" + base + R"(,"type":"conversion","value":"12"})" +         //
      "\n" +                                                                             // 5 value
      R"({"event_id":"bad",)" + base + R"(,"type":"conversion","value":-3})" + "\n" +    // 6
      R"({"event_id":"bad",)" + base + R"(,"type":"conversion","value":1e15})" + "\n" +  // 7
      R"({"event_id":"bad",)" + base + R"(,"type":"conversion","value":true})" + "\n" +  // 8
      R"({"user_key":"u","ts":1,"partner":"p","channel":"c","type":"click"})" + "\n" +   // 9
      R"({"event_id":"","user_key":"u","ts":1,"partner":"p","channel":"c","type":"click"})" +
      "\n" +  // 10
      R"({"event_id":"bad","user_key":7,"ts":1,"partner":"p","channel":"c","type":"click"})" +
      "\n" +                                                                         // 11
      R"({"event_id":"bad",)" + base + R"(,"channel":"c","type":"click"})" + "\n" +  // 12
      R"({"event_id":"bad",)" + base + R"(,"partner":"p","channel":null,"type":"impression"})" +
      "\n" +                                                                          // 13
      R"({"event_id":"ok2",)" + base + R"(,"type":"conversion","value":0})" + "\n" +  // 14
      R"({"event_id":")" + std::string(300, 'x') + R"(",)" + base +
      R"(,"partner":"p","channel":"c","type":"click"})" + "\n" +                    // 15
      R"({"event_id":"bad",)" + base + R"(,"partner":"p","channel":"c"})" + "\n" +  // 16 type
      R"({"event_id":"bad",)" + base + R"(,"partner":"p","channel":"c","type":2})" + "\n" +  // 17
      R"({"event_id":"ok3",)" + base +
      R"(,"partner":"","channel":null,"type":"conversion","value":5})" + "\n";  // 18
  const EventsNdjson parsed = ParseOk(text);
  EXPECT_EQ(parsed.records, 18u);
  EXPECT_EQ(parsed.rejected, 15u);
  EXPECT_EQ(parsed.events.size(), 3u);
  EXPECT_EQ(Errors(parsed), (std::vector<std::string>{
                                "2:type", "3:type", "4:value", "5:value", "6:value", "7:value",
                                "8:value", "9:event_id", "10:event_id", "11:user_key", "12:partner",
                                "13:channel", "15:event_id", "16:type", "17:type"}));
  EXPECT_NE(parsed.errors[0].reason.find("appears twice"), std::string::npos);
  EXPECT_NE(parsed.errors[1].reason.find("got \"view\""), std::string::npos);
  EXPECT_NE(parsed.errors[2].reason.find("needs a value"), std::string::npos);
  EXPECT_NE(parsed.errors[3].reason.find("expected a JSON number like 19.99, got the string "
                                         "\"12\""),
            std::string::npos);
  EXPECT_NE(parsed.errors[4].reason.find("between 0 and 1e14, got \"-3\""), std::string::npos);
  EXPECT_NE(parsed.errors[5].reason.find("between 0 and 1e14"), std::string::npos);
  EXPECT_NE(parsed.errors[6].reason.find("got true"), std::string::npos);
  EXPECT_NE(parsed.errors[7].reason.find("is missing"), std::string::npos);
  EXPECT_NE(parsed.errors[8].reason.find("must not be empty"), std::string::npos);
  EXPECT_NE(parsed.errors[9].reason.find("expected a JSON string, got the number 7"),
            std::string::npos);
  EXPECT_NE(parsed.errors[10].reason.find("is missing on a touchpoint"), std::string::npos);
  EXPECT_NE(parsed.errors[11].reason.find("must not be null on a touchpoint"), std::string::npos);
  EXPECT_NE(parsed.errors[12].reason.find("at most 256"), std::string::npos);
  EXPECT_NE(parsed.errors[13].reason.find("is missing"), std::string::npos);
  EXPECT_NE(parsed.errors[14].reason.find("expected a JSON string"), std::string::npos);
  EXPECT_EQ(parsed.events.EventId(2), "ok3");
  EXPECT_EQ(parsed.events.partners.Name(parsed.events.partner[2]), "");
  EXPECT_EQ(parsed.events.channels.Name(parsed.events.channel[2]), "");
}

TEST(EventsNdjson, NamesTheFirstBadFieldInTheOrderOfTheFormat) {
  // ts comes before type in the format, whatever the order of the keys in the object.
  const EventsNdjson parsed = ParseOk(
      R"({"type":"view","ts":"never","event_id":"e","user_key":"u","partner":"p","channel":"c"})"
      "\n");
  EXPECT_EQ(Errors(parsed), (std::vector<std::string>{"1:ts"}));
}

TEST(EventsNdjson, RejectsLinesThatAreNotOneJsonObject) {
  const std::vector<std::string> bad = {
      R"({"event_id":"e","user_key":"u")",                 // not closed
      R"({"event_id":"e",})",                              // trailing comma
      R"({"event_id" "e"})",                               // no colon
      R"({"event_id":"e})",                                // string not closed
      R"({"event_id":'e'})",                               // single quotes
      R"({"event_id":"e","note":tru})",                    // broken literal under an ignored key
      R"({"event_id":"e","note":[1,,2]})",                 // broken array under an ignored key
      R"({"event_id":"e","note":01})",                     // leading zero
      Click("e").substr(0, Click("e").size() - 1) + " x",  // text after the object
      Click("e").substr(0, Click("e").size() - 1) + Click("f").substr(0, Click("f").size() - 1),
      R"(["e","u"])",
      R"("e")",
      "42"};
  std::string text = Click("first");
  for (const std::string& line : bad) text += line + "\n";
  text += Click("last");
  const EventsNdjson parsed = ParseOk(text);
  ASSERT_EQ(parsed.rejected, bad.size());
  for (size_t i = 0; i < bad.size(); ++i) {
    EXPECT_EQ(parsed.errors[i].line, i + 2) << bad[i];
    EXPECT_EQ(parsed.errors[i].field, "record") << bad[i];
    EXPECT_NE(parsed.errors[i].reason.find("expected one JSON object per line"), std::string::npos)
        << bad[i];
  }
  EXPECT_NE(parsed.errors[0].reason.find("not valid JSON"), std::string::npos);
  EXPECT_NE(parsed.errors[10].reason.find("got an array"), std::string::npos);
  ASSERT_EQ(parsed.events.size(), 2u);
  EXPECT_EQ(parsed.events.EventId(1), "last");
}

TEST(EventsNdjson, RejectsInvalidUtf8) {
  const std::vector<std::string> bad = {"\xc0\xaf",          // overlong '/'
                                        "\x80",              // a lone continuation byte
                                        "\xed\xa0\x80",      // a UTF-16 surrogate
                                        "\xf4\x90\x80\x80",  // beyond U+10FFFF
                                        "\xe2\x82",          // cut short
                                        "\xff"};
  // The bad bytes start at byte 86 of the line: {"event_id":"e",… "channel":"c
  const std::string before =
      R"({"event_id":"e","user_key":"u","ts":"2026-06-01T13:00:00Z","partner":"p","channel":"c)";
  ASSERT_EQ(before.size(), 85u);
  std::string text;
  for (const std::string& bytes : bad) text += before + bytes + R"(","type":"click"})" + "\n";
  text += before + "af\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8e\x89" + R"(","type":"click"})" + "\n";
  const EventsNdjson parsed = ParseOk(text);
  ASSERT_EQ(parsed.rejected, bad.size());
  for (size_t i = 0; i < bad.size(); ++i) {
    EXPECT_EQ(parsed.errors[i].line, i + 1);
    EXPECT_EQ(parsed.errors[i].field, "record");
    EXPECT_NE(parsed.errors[i].reason.find("not valid UTF-8 (byte 86)"), std::string::npos)
        << parsed.errors[i].reason;
  }
  ASSERT_EQ(parsed.events.size(), 1u);
  EXPECT_EQ(parsed.events.channels.Name(parsed.events.channel[0]),
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8e\x89");
}

TEST(EventsNdjson, RejectsAnEscapedLoneSurrogate) {
  const EventsNdjson parsed = ParseOk(Click(R"(e\ud800)") + Click("ok"));
  EXPECT_EQ(Errors(parsed), (std::vector<std::string>{"1:record"}));
  EXPECT_EQ(parsed.events.size(), 1u);
}

TEST(EventsNdjson, HugeLinesAreRejectedWithoutLosingTheirNeighbours) {
  EventsNdjsonLimits limits;
  limits.max_record_bytes = 1000;
  limits.block_bytes = 256;
  const std::string long_name(5000, 'x');
  const std::string text = Click("e1") +                                     // 1
                           Click("e2", R"(,"note":")" + long_name + "\"") +  // 2
                           Click("e3") +                                     // 3
                           Click("e4", R"(,"note":")" + long_name + "\"").substr(0, 1001) +
                           "\r\n" +                                                      // 4
                           Click("e5") +                                                 // 5
                           Click("e6", R"(,"note":")" + std::string(880, 'y') + "\"") +  // 6
                           Click("e7", R"(,"note":")" + long_name + "\"");  // 7, at the end
  const EventsNdjson parsed = ParseOk(text, limits);
  EXPECT_EQ(Errors(parsed), (std::vector<std::string>{"2:record", "4:record", "7:record"}));
  EXPECT_NE(parsed.errors[0].reason.find("longer than 1000 bytes"), std::string::npos);
  ASSERT_EQ(parsed.events.size(), 4u);
  EXPECT_EQ(parsed.events.EventId(2), "e5");
  EXPECT_EQ(parsed.events.EventId(3), "e6");  // 993 bytes: kept
}

// Whether a line is too long must not depend on where the blocks end, even for a blank line.
TEST(EventsNdjson, ALongBlankLineIsTooLongWhateverTheBlockSize) {
  const std::string text = Click("e1") + std::string(300, ' ') + "\n" + Click("e2");
  for (size_t block : {size_t{16}, size_t{1} << 20}) {
    EventsNdjsonLimits limits;
    limits.max_record_bytes = 200;
    limits.block_bytes = block;
    const EventsNdjson parsed = ParseOk(text, limits);
    EXPECT_EQ(Errors(parsed), (std::vector<std::string>{"2:record"})) << block;
    EXPECT_EQ(parsed.events.size(), 2u) << block;
  }
}

TEST(EventsNdjson, ALineOfExactlyTheLimitIsKeptWithItsCrlf) {
  const std::string line = Click("e1");
  EventsNdjsonLimits limits;
  limits.max_record_bytes = line.size() - 1;  // without its '\n'
  limits.block_bytes = 16;
  const std::string crlf = line.substr(0, line.size() - 1) + "\r\n";
  EXPECT_EQ(ParseOk(crlf + crlf, limits).events.size(), 2u);
  limits.max_record_bytes = line.size() - 2;
  EXPECT_EQ(Errors(ParseOk(crlf + crlf, limits)),
            (std::vector<std::string>{"1:record", "2:record"}));
}

TEST(EventsNdjson, SkipsBlankLinesAndReadsCrlf) {
  const std::string crlf_click = Click("e2").substr(0, Click("e2").size() - 1) + "\r\n";
  const EventsNdjson parsed = ParseOk("\xef\xbb\xbf" + Click("e1") +  // 1, after a byte-order mark
                                      "\n" +                          // 2
                                      "   \n" +                       // 3
                                      "\r\n" +                        // 4
                                      crlf_click +                    // 5
                                      "\t \r\n" +                     // 6
                                      R"({"event_id":"e3","ts":"never"})"
                                      "\r\n" +                                         // 7
                                      Click("e4").substr(0, Click("e4").size() - 1));  // 8, no end
  EXPECT_EQ(parsed.records, 4u);
  EXPECT_EQ(Errors(parsed), (std::vector<std::string>{"7:user_key"}));
  ASSERT_EQ(parsed.events.size(), 3u);
  EXPECT_EQ(parsed.events.EventId(0), "e1");
  EXPECT_EQ(parsed.events.EventId(1), "e2");
  EXPECT_EQ(parsed.events.EventId(2), "e4");
}

TEST(EventsNdjson, AnEmptyInputIsAnEmptyTable) {
  for (const std::string text : {"", "\n\n", "  \r\n"}) {
    const EventsNdjson parsed = ParseOk(text);
    EXPECT_EQ(parsed.records, 0u);
    EXPECT_EQ(parsed.events.size(), 0u);
  }
}

TEST(EventsNdjson, KeepsOnlyTheFirstErrorsButCountsThemAll) {
  EventsNdjsonLimits limits;
  limits.max_errors = 10;
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "{\n";
  const EventsNdjson parsed = ParseOk(text, limits);
  EXPECT_EQ(parsed.rejected, 1000u);
  EXPECT_EQ(parsed.errors.size(), 10u);
  EXPECT_EQ(parsed.errors.back().line, 10u);
}

TEST(EventsNdjson, ReadEventsNdjsonNamesTheFirstBadLine) {
  std::istringstream in(Click("e1") + Click("e2", R"(,"value":"x")") + "[]\n");
  Result<EventTable> table = ReadEventsNdjson(in);
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(table.status().field(), "line 2: value");
  EXPECT_EQ(table.status().reason(), "invalid_record");
  EXPECT_NE(table.status().message().find("2 bad records in all"), std::string::npos);

  std::istringstream good(Click("e1"));
  Result<EventTable> ok = ReadEventsNdjson(good);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->size(), 1u);
}

// The same text read in blocks of every small size gives the same table and errors.
TEST(EventsNdjson, LinesCutAtAnyBlockBoundaryReadTheSame) {
  const std::string text =
      "\xef\xbb\xbf" + Click("e1", R"(,"value":1.25)") +
      R"({"event_id":"e2","user_key":"u\"2","ts":1780318800000,"partner":"a","channel":"s","type":"conversion","value":12.5})"
      "\r\n"
      "\n" +
      R"({"event_id":"e3","user_key":"u","ts":"bad","partner":"p","channel":"c","type":"click"})"
      "\n" +
      Click("e4") + "{\n" + Click("e5").substr(0, Click("e5").size() - 1);
  const EventsNdjson whole = ParseOk(text);
  ASSERT_EQ(whole.events.size(), 4u);
  EXPECT_EQ(Errors(whole), (std::vector<std::string>{"4:ts", "6:record"}));
  for (size_t block = 1; block <= 40; ++block) {
    EventsNdjsonLimits limits;
    limits.block_bytes = block;
    const EventsNdjson pieces = ParseOk(text, limits);
    EXPECT_EQ(Errors(pieces), Errors(whole)) << block;
    ExpectSameTable(pieces.events, whole.events);
  }
}

// Events written by hand as CSV and as NDJSON, with every rule that differs between the two
// syntaxes: quoting and escapes, empty names on conversions, a spend, epoch milliseconds.
TEST(EventsNdjson, ReadsTheSameTableAsTheCsvOfTheSameEvents) {
  const std::string csv =
      "event_id,user_key,ts,partner,channel,type,value\n"
      "\"e,1\",\"u \"\"one\"\"\",2026-06-01T13:00:00Z,\"Acme, Inc.\",search,click,0.75\n"
      "e2,u2,1780318800000,acme,caf\xc3\xa9,impression,\n"
      "e3,\"u \"\"one\"\"\",2026-06-01T14:00:00.125+01:00,,,conversion,19.99\n"
      "e4,u2,2026-06-01T15:00:00Z,streamco,search,engagement,1e3\n";
  const std::string ndjson =
      R"({"event_id":"e,1","user_key":"u \"one\"","ts":"2026-06-01T13:00:00Z","partner":"Acme, Inc.","channel":"search","type":"click","value":0.75})"
      "\n"
      R"({"event_id":"e2","user_key":"u2","ts":1780318800000,"partner":"acme","channel":"caf\u00e9","type":"impression"})"
      "\n"
      R"({"type":"conversion","value":19.99,"event_id":"e3","user_key":"u \"one\"","ts":"2026-06-01T14:00:00.125+01:00"})"
      "\n"
      R"({"event_id":"e4","user_key":"u2","ts":"2026-06-01T15:00:00Z","partner":"streamco","channel":"search","type":"engagement","value":1000})"
      "\n";
  std::istringstream csv_in(csv), ndjson_in(ndjson);
  Result<EventTable> from_csv = ReadEventsCsv(csv_in);
  Result<EventTable> from_ndjson = ReadEventsNdjson(ndjson_in);
  ASSERT_TRUE(from_csv.ok()) << from_csv.status().ToString();
  ASSERT_TRUE(from_ndjson.ok()) << from_ndjson.status().ToString();
  ASSERT_EQ(from_csv->size(), 4u);
  ExpectSameTable(*from_ndjson, *from_csv);
  EXPECT_EQ(from_ndjson->value, (std::vector<double>{0.75, 0, 19.99, 1000}));
  EXPECT_EQ(from_ndjson->ts_ms[2], 1780318800000 + 125);
}

// Generated events with names that need quoting in CSV and escaping in JSON: both readers give
// the same table, in batches of many events.
TEST(EventsNdjson, ReadsTheSameTableAsTheCsvOfManyGeneratedEvents) {
  std::mt19937_64 rng(11);
  const std::vector<std::string> names = {"search",      "Acme, Inc.",  "say \"hi\"",
                                          "caf\xc3\xa9", "back\\slash", "x"};
  auto csv_field = [](const std::string& s) {
    if (s.find_first_of(",\"") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
  };
  auto json_string = [](const std::string& s) {
    std::string out = "\"";
    for (char c : s) out += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
    return out + "\"";
  };
  const char* types[] = {"impression", "click", "engagement", "conversion"};
  std::string csv = "event_id,user_key,ts,partner,channel,type,value\n", ndjson;
  for (int i = 0; i < 3000; ++i) {
    const std::string id = "ev" + std::to_string(i);
    const std::string user = names[rng() % names.size()] + std::to_string(rng() % 50);
    const std::string partner = names[rng() % names.size()];
    const std::string channel = names[rng() % names.size()];
    const long long ts = 1780318800000LL + static_cast<long long>(rng() % 100000000);
    const char* type = types[rng() % 4];
    const std::string value = std::to_string(rng() % 100000) + "." + std::to_string(rng() % 100);
    csv += id + "," + csv_field(user) + "," + std::to_string(ts) + "," + csv_field(partner) + "," +
           csv_field(channel) + "," + type + "," + value + "\n";
    ndjson += "{\"event_id\":\"" + id + "\",\"user_key\":" + json_string(user) +
              ",\"ts\":" + std::to_string(ts) + ",\"partner\":" + json_string(partner) +
              ",\"channel\":" + json_string(channel) + ",\"type\":\"" + type +
              "\",\"value\":" + value + "}\n";
  }
  EventsCsvLimits limits;
  limits.block_bytes = 4096;
  std::istringstream csv_in(csv), ndjson_in(ndjson);
  Result<EventTable> from_csv = ReadEventsCsv(csv_in, limits);
  Result<EventTable> from_ndjson = ReadEventsNdjson(ndjson_in, limits);
  ASSERT_TRUE(from_csv.ok()) << from_csv.status().ToString();
  ASSERT_TRUE(from_ndjson.ok()) << from_ndjson.status().ToString();
  ASSERT_EQ(from_csv->size(), 3000u);
  ExpectSameTable(*from_ndjson, *from_csv);
}

// Random bytes and mutations of good lines: the reader accounts for every line and stops.
TEST(EventsNdjson, NeverCrashesOnGarbage) {
  std::mt19937_64 rng(4);
  const std::string alphabet = "{}[]:,\"\\ab\n\r\xc3\xa9\x80 0123456789-.eTZnulltrue";
  const std::string good = Click("e1", R"(,"value":1.5)");
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const int lines = static_cast<int>(rng() % 20);
    for (int r = 0; r < lines; ++r) {
      std::string line = good;
      const int mutations = static_cast<int>(rng() % 4);
      for (int m = 0; m < mutations; ++m)
        line[rng() % line.size()] = alphabet[rng() % alphabet.size()];
      text += line;
    }
    EventsNdjsonLimits limits;
    limits.block_bytes = 1 + rng() % 64;
    limits.max_record_bytes = 48 + rng() % 200;
    Result<EventsNdjson> parsed = Parse(text, limits);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(parsed->records, parsed->events.size() + parsed->rejected) << text;
  }
}

}  // namespace
}  // namespace tutti::attribution

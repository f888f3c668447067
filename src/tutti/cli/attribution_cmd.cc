#include "tutti/cli/attribution_cmd.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <streambuf>
#include <string>
#include <vector>

#include "tutti/attribution/attribution.h"
#include "tutti/attribution/events_csv.h"
#include "tutti/attribution/events_ndjson.h"
#include "tutti/attribution/paths.h"
#include "tutti/base/csv.h"
#include "tutti/scheduling/duration.h"

namespace tutti::cli {
namespace {

namespace attribution = tutti::attribution;

struct AttributionArgs {
  std::string events_path, paths_path;
  std::string model;
  std::string by = "channel";
  std::string click_lookback = "30d", view_lookback = "1d", half_life = "7d";
  int order = 1;
  int threads = 0;
};

constexpr char kFormatsHelp[] =
    "--events FILE is CSV with the header event_id,user_key,ts,partner,channel,type,value,\n"
    "  or NDJSON: one JSON object per line with those keys, ts a string or an integer of epoch\n"
    "  milliseconds, value a number (input starting with '{' is NDJSON, so - works for both).\n"
    "  ts is ISO-8601 (2026-06-01T13:00:00Z, optional milliseconds or ±HH:MM offset) or epoch\n"
    "  milliseconds; type is impression, click, engagement or conversion; value is a\n"
    "  conversion's revenue (required) or a touchpoint's spend (optional, 0 when empty).\n"
    "  A conversion's path is the user's touchpoints since the previous conversion within the\n"
    "  click window (clicks, engagements) or view window (impressions); ties in time are\n"
    "  ordered by event id; a conversion without touchpoints is credited to (direct).\n"
    "--paths FILE is a ChannelAttribution path file: path (channels joined by \" > \"),\n"
    "  total_conversions, total_conversion_value, total_null; only --by channel, and no\n"
    "  time_decay (it has no timestamps).\n"
    "FILE - reads standard input. Output: CSV, header channel,conversions,revenue (or\n"
    "partner,… / partner,channel,…), one row per key sorted by key, 6 decimals.\n"
    "A bad record exits 1 with one line naming its line and column (or NDJSON key).\n"
    "Durations: an integer with s, m, h, d or w (30d, 12h). See docs/attribution.md.\n";

// Calendar durations only: working days mean nothing to a lookback window.
Result<std::chrono::seconds> ParseWindow(const std::string& text) {
  TUTTI_ASSIGN_OR_RETURN(scheduling::PlanDuration duration, scheduling::ParseDuration(text));
  if (duration.IsWorkingTime()) {
    return InvalidArgument("expected calendar time like 30d or 12h, not working days", "duration",
                           "invalid_duration");
  }
  return duration.CalendarSeconds();
}

CLI::Validator WindowValidator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        Result<std::chrono::seconds> parsed = ParseWindow(text);
        return parsed.ok() ? std::string() : parsed.status().message();
      },
      "DURATION", "duration");
}

// RFC 4180 quoting for names in the output.

// A "partner,channel" key (each part CSV-quoted when needed) back into its two names.
std::pair<std::string, std::string> SplitPartnerChannel(std::string_view key) {
  if (key == attribution::kDirect) return {std::string(key), std::string(key)};
  std::vector<std::string> parts(1);
  bool quoted = false;
  for (size_t i = 0; i < key.size(); ++i) {
    const char c = key[i];
    if (quoted) {
      if (c == '"' && i + 1 < key.size() && key[i + 1] == '"') {
        parts.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        parts.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  if (parts.size() != 2) return {std::string(key), std::string()};
  return {parts[0], parts[1]};
}

// Opens FILE, or standard input for "-".
class Input {
 public:
  static Result<std::unique_ptr<Input>> Open(const std::string& path, const char* option) {
    auto input = std::make_unique<Input>();
    if (path == "-") return input;
    input->file_.open(path, std::ios::binary);
    if (!input->file_) {
      return Status(StatusCode::kNotFound, "cannot open " + path + ": " + std::strerror(errno),
                    option, "cannot_open");
    }
    input->stream_ = &input->file_;
    return input;
  }
  std::istream& stream() { return *stream_; }

 private:
  std::ifstream file_;
  std::istream* stream_ = &std::cin;
};

// Standard input cannot be rewound, so the bytes read to tell NDJSON from CSV are handed out
// again before the rest of the stream.
class ReplayingStreambuf : public std::streambuf {
 public:
  ReplayingStreambuf(std::string replay, std::streambuf* rest)
      : replay_(std::move(replay)), rest_(rest) {
    setg(replay_.data(), replay_.data(), replay_.data() + replay_.size());
  }

 protected:
  int_type underflow() override {
    if (gptr() == egptr()) {
      const std::streamsize got = rest_->sgetn(block_, sizeof block_);
      if (got <= 0) return traits_type::eof();
      setg(block_, block_, block_ + got);
    }
    return traits_type::to_int_type(*gptr());
  }
  // The readers ask for large blocks: past the replayed bytes they go straight to the source.
  std::streamsize xsgetn(char* out, std::streamsize count) override {
    const std::streamsize buffered = std::min<std::streamsize>(count, egptr() - gptr());
    std::memcpy(out, gptr(), static_cast<size_t>(buffered));
    setg(eback(), gptr() + buffered, egptr());
    if (buffered == count) return count;
    return buffered + std::max<std::streamsize>(rest_->sgetn(out + buffered, count - buffered), 0);
  }

 private:
  std::string replay_;
  std::streambuf* rest_;
  char block_[4096];
};

// The events input and its format: NDJSON when the first byte after white space (and a UTF-8
// byte-order mark) is '{', otherwise CSV, whose header starts with a column name.
class EventsInput {
 public:
  explicit EventsInput(std::istream& in) : buffer_(Sniff(in), in.rdbuf()), stream_(&buffer_) {}
  bool ndjson() const { return ndjson_; }
  std::istream& stream() { return stream_; }

 private:
  std::string Sniff(std::istream& in) {
    // Enough white space to decide that the input holds nothing else; the reader says so.
    constexpr size_t kMaxSniffBytes = size_t{64} << 10;
    constexpr std::string_view kByteOrderMark = "\xef\xbb\xbf";
    std::string seen;
    // Through the istream, which turns a failing read into badbit rather than an exception.
    while (seen.size() < kMaxSniffBytes) {
      const int c = in.get();
      if (c == std::istream::traits_type::eof()) break;
      seen += static_cast<char>(c);
      if (seen.size() <= kByteOrderMark.size() && kByteOrderMark.starts_with(seen)) continue;
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
      ndjson_ = c == '{';
      break;
    }
    return seen;
  }

  bool ndjson_ = false;
  ReplayingStreambuf buffer_;
  std::istream stream_;
};

Result<attribution::Journeys> LoadJourneys(const AttributionArgs& args) {
  if (!args.paths_path.empty()) {
    TUTTI_ASSIGN_OR_RETURN(std::unique_ptr<Input> input, Input::Open(args.paths_path, "paths"));
    attribution::PathFileOptions options;
    options.threads = args.threads;
    return attribution::ReadPathFile(input->stream(), options);
  }
  TUTTI_ASSIGN_OR_RETURN(std::unique_ptr<Input> input, Input::Open(args.events_path, "events"));
  EventsInput events_input(input->stream());
  if (input->stream().bad()) return Unavailable("reading the events failed");
  TUTTI_ASSIGN_OR_RETURN(attribution::EventTable events,
                         events_input.ndjson()
                             ? attribution::ReadEventsNdjson(events_input.stream())
                             : attribution::ReadEventsCsv(events_input.stream()));
  attribution::JourneyOptions options;
  options.by = args.by == "partner"   ? attribution::CreditKey::kPartner
               : args.by == "channel" ? attribution::CreditKey::kChannel
                                      : attribution::CreditKey::kPartnerChannel;
  TUTTI_ASSIGN_OR_RETURN(options.click_lookback, ParseWindow(args.click_lookback));
  TUTTI_ASSIGN_OR_RETURN(options.view_lookback, ParseWindow(args.view_lookback));
  options.threads = args.threads;
  return attribution::BuildJourneys(events, options);
}

// The whole CSV, built before anything is written so that a failure prints no partial table.
Result<std::string> RunAttribution(const AttributionArgs& args) {
  TUTTI_ASSIGN_OR_RETURN(attribution::Journeys journeys, LoadJourneys(args));
  attribution::ModelOptions options;
  TUTTI_ASSIGN_OR_RETURN(options.model, attribution::ParseModel(args.model));
  TUTTI_ASSIGN_OR_RETURN(options.half_life, ParseWindow(args.half_life));
  options.markov_order = args.order;
  options.threads = args.threads;
  TUTTI_ASSIGN_OR_RETURN(attribution::Credit credit, attribution::Attribute(journeys, options));

  const bool pairs = args.by == "partner,channel";
  struct Row {
    std::string first, second;
    double conversions, revenue;
  };
  std::vector<Row> rows;
  rows.reserve(journeys.keys.size());
  for (uint32_t k = 0; k < journeys.keys.size(); ++k) {
    Row row{journeys.keys.Name(k), "", credit.conversions[k], credit.revenue[k]};
    if (pairs) std::tie(row.first, row.second) = SplitPartnerChannel(row.first);
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(a.first, a.second) < std::tie(b.first, b.second);
  });
  std::string out = args.by + ",conversions,revenue\n";
  char number[64];
  // Rounding noise must not print as -0.000000.
  auto append_number = [&](double x) {
    std::snprintf(number, sizeof number, "%.6f", std::fabs(x) < 5e-7 ? 0.0 : x);
    out += number;
  };
  for (const Row& row : rows) {
    out += CsvField(row.first);
    if (pairs) out += "," + CsvField(row.second);
    out += ',';
    append_number(row.conversions);
    out += ',';
    append_number(row.revenue);
    out += '\n';
  }
  return out;
}

}  // namespace

void AddAttributionCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<AttributionArgs>();
  auto* cmd = app.add_subcommand(
      "attribution",
      "Share each conversion and its revenue among channels or partners by a model, as CSV");
  cmd->footer(kFormatsHelp);
  auto* input = cmd->add_option_group("input", "Exactly one of --events and --paths");
  input->add_option("--events", args->events_path, "Events CSV or NDJSON, or - for standard input");
  auto* paths = input->add_option("--paths", args->paths_path,
                                  "ChannelAttribution path file, or - for standard input");
  input->require_option(1);
  cmd->add_option("--model", args->model,
                  "first, last, linear, time_decay, position, markov or shapley")
      ->required()
      ->check(CLI::IsMember(
          {"first", "last", "linear", "time_decay", "position", "markov", "shapley"}));
  cmd->add_option("--by", args->by, "What credit is per: channel, partner or partner,channel")
      ->check(CLI::IsMember({"channel", "partner", "partner,channel"}))
      ->capture_default_str();
  cmd->add_option("--click-lookback", args->click_lookback,
                  "How far back clicks and engagements count (--events)")
      ->check(WindowValidator())
      ->excludes(paths)
      ->capture_default_str();
  cmd->add_option("--view-lookback", args->view_lookback,
                  "How far back impressions count (--events)")
      ->check(WindowValidator())
      ->excludes(paths)
      ->capture_default_str();
  cmd->add_option("--half-life", args->half_life,
                  "time_decay: the age at which a touch weighs half")
      ->check(WindowValidator())
      ->capture_default_str();
  cmd->add_option("--order", args->order, "markov: the chain's order")
      ->check(CLI::Range(1, 4))
      ->capture_default_str();
  cmd->add_option("--threads", args->threads, "Threads to use (0: one per core)")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  cmd->callback([args, exit_code] {
    if (!args->paths_path.empty() && args->by != "channel") {
      throw CLI::ValidationError("--by", "a path file knows only channels; use --by channel");
    }
    Result<std::string> table = RunAttribution(*args);
    if (!table.ok()) {
      std::cerr << "tutti: error: " << table.status().ToString() << "\n";
      *exit_code = 1;
      return;
    }
    std::cout << *table << std::flush;
  });
}

}  // namespace tutti::cli

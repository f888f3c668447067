// The attribution engine (issue 4, C7; docs/attribution.md): who gets credit for each conversion.
// Pure: no I/O. Events (touchpoints and conversions per pseudonymous user key) become journeys,
// the paths that led to each conversion or to nothing, and a model shares each journey's
// conversions and revenue among the keys (channels, partners or partner × channel) on its path.
// The same journeys come from the aggregated path format analysts keep for ChannelAttribution
// (paths.h). Thread-safe: every function is re-entrant; Attribute may use several threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tutti/base/status.h"

namespace tutti::attribution {

// Names interned to dense ids (user keys, partners, channels, credit keys). Ingest interns
// three names per event, so lookups take a string_view and probe a flat table.
class Dictionary {
 public:
  uint32_t Intern(std::string_view name);
  // The same as ids[i] = Intern(names[i]) in order, but the batch's memory accesses overlap:
  // ingest interns user keys from a table far larger than the caches.
  void InternMany(std::span<const std::string_view> names, std::span<uint32_t> ids);
  const std::string& Name(uint32_t id) const { return names_[id]; }
  size_t size() const { return names_.size(); }
  // kNotFound when absent.
  Result<uint32_t> Find(std::string_view name) const;

 private:
  // Open addressing with linear probing, at most half full. A slot holds 32 bits of the name's
  // hash above its id + 1 (0: empty), so that most mismatches are settled without reading the
  // name, and growing needs no rehashing of the names.
  static uint32_t Hash(std::string_view name);
  size_t SlotOf(std::string_view name, uint32_t hash) const;
  uint32_t InternHashed(std::string_view name, uint32_t hash);
  void Grow();
  std::vector<std::string> names_;
  std::vector<uint64_t> slots_;
};

enum class EventType : uint8_t { kImpression, kClick, kEngagement, kConversion };
// "impression", "click", "engagement", "conversion"; kInvalidArgument otherwise.
Result<EventType> ParseEventType(std::string_view name);

// Events in columnar form: row i is (event_id[i], user[i], ts_ms[i], partner[i], channel[i],
// type[i], value[i]). Event ids are kept as strings only to break timestamp ties (ordered by
// byte-wise comparison); they live in one arena (event_id_offsets has size()+1 entries).
struct EventTable {
  Dictionary users, partners, channels;
  std::vector<uint32_t> user, partner, channel;
  std::vector<int64_t> ts_ms;
  std::vector<EventType> type;
  std::vector<double> value;  // a conversion's revenue, a touchpoint's spend (its media cost)
  std::string event_id_arena;
  std::vector<uint64_t> event_id_offsets{0};

  size_t size() const { return ts_ms.size(); }
  std::string_view EventId(size_t row) const {
    return std::string_view(event_id_arena)
        .substr(event_id_offsets[row], event_id_offsets[row + 1] - event_id_offsets[row]);
  }
  void Add(std::string_view event_id, std::string_view user_key, int64_t ts_ms,
           std::string_view partner, std::string_view channel, EventType type, double value);
};

// What a credit is keyed by.
enum class CreditKey {
  kChannel,
  kPartner,
  kPartnerChannel
};  // "channel", "partner", "partner,channel"

struct JourneyOptions {
  CreditKey by = CreditKey::kChannel;
  // Clicks and engagements count within the click window before the conversion, impressions
  // within the view window; both also only after the same user's previous conversion.
  std::chrono::seconds click_lookback = std::chrono::days(30);
  std::chrono::seconds view_lookback = std::chrono::days(1);
  int threads = 0;  // 0: hardware concurrency
  // Also sum the touchpoints' spend per key and per journey (Journeys::key_spend, ::spend), for
  // CPA and ROAS. Off by default: it reads every touchpoint's value, which the models never need.
  bool with_spend = false;
};

// The key of conversions whose path holds no touchpoint.
inline constexpr std::string_view kDirect = "(direct)";
// Partner × channel keys are written "partner,channel" (CSV-ready: two columns, each quoted as
// RFC 4180 asks when it holds a comma, a quote or a line break).

// Paths in columnar form, the input of every model. Journey j's touches are
// [offsets[j], offsets[j+1]) in time order (timestamp, then event id); each has a key and, when
// built from events, its age (conversion time − touch time, for time-decay). A converting
// journey has conversions > 0 (1 per conversion from events; total_conversions from a path
// file) and its value; a non-converting one (the touches after a user's last conversion, or a
// path file's total_null) has nulls > 0 and feeds only Markov and Shapley.
struct Journeys {
  Dictionary keys;
  std::vector<uint64_t> offsets{0};
  std::vector<uint32_t> touch_key;
  std::vector<int64_t> touch_age_seconds;  // empty when has_times is false
  std::vector<double> conversions, value, nulls;
  bool has_times = false;
  // For solo vs co-branded: per journey, the number of distinct partners on the path (0 when
  // unknown, as in path files).
  std::vector<uint32_t> partner_count;
  // Per journey, its user (an id of the events' users dictionary); empty from path files. For
  // counting the people behind an aggregate (ContributingUsers).
  std::vector<uint32_t> user;
  // With JourneyOptions::with_spend, otherwise empty: per key, the spend of every touchpoint of
  // that key (on a path or not: it was paid for either way); per journey, the spend of the
  // touchpoints on its path.
  std::vector<double> key_spend;
  std::vector<double> spend;

  size_t size() const { return conversions.size(); }
};

// Sorts by (user, ts, event id) internally; `events` is not modified. A conversion's path is
// its user's touchpoints after the previous conversion (in that order) whose age is at most the
// window of their type (inclusive); touchpoints tied in time with the conversion are on its path
// when their event id sorts before the conversion's. A conversion without touchpoints gets the
// single touch kDirect; a user's touchpoints after the last conversion form one non-converting
// journey (nulls = 1, ages from its last touch). Journeys come in user order (the users
// dictionary), then time; keys are interned in name order (partner × channel by the pair of
// names, each CSV-quoted when needed), kDirect last, and only touchpoints make keys. The result
// does not depend on options.threads. kInvalidArgument for negative lookbacks and for a table
// whose columns disagree or whose ids fall outside its dictionaries. docs/attribution.md,
// "Events and journeys".
Result<Journeys> BuildJourneys(const EventTable& events, const JourneyOptions& options);

enum class Model { kFirst, kLast, kLinear, kTimeDecay, kPosition, kMarkov, kShapley };
// "first", "last", "linear", "time_decay", "position", "markov", "shapley".
Result<Model> ParseModel(std::string_view name);
const char* ModelName(Model model);

struct ModelOptions {
  Model model = Model::kLast;
  std::chrono::seconds half_life = std::chrono::days(7);  // time_decay
  int markov_order = 1;                                   // 1..4
  int threads = 0;                                        // 0: hardware concurrency
};

// Credit per key id of `journeys.keys`: conversions and revenue. Every model shares each
// conversion (and its value) completely, so the conversions sum to the journeys' conversions.
struct Credit {
  std::vector<double> conversions;
  std::vector<double> revenue;
};

// kInvalidArgument: time_decay without timestamps, a Markov order outside 1..4, Shapley over
// more than 20 keys (field "model"), non-positive half-life.
Result<Credit> Attribute(const Journeys& journeys, const ModelOptions& options);

// The people behind each key's credit, for suppressing small aggregates (k-anonymity): per key id,
// the number of distinct users with a converting journey that gives the key credit under `model`
// (first and last: the key of that touch; every other model credits every key on the path).
// Journeys without users (path files) count nothing. Journeys of one user must be adjacent, as
// BuildJourneys makes them.
std::vector<uint64_t> ContributingUsers(const Journeys& journeys, Model model);

// Solo versus co-branded (C7): conversions whose path holds one partner against those whose path
// holds several, with what their paths cost. Spend counts every journey of the group, converting
// or not, so that CPA is what the group's conversions cost.
struct JourneyGroup {
  uint64_t journeys = 0;  // converting or not
  uint64_t users = 0;     // distinct users with a converting journey in the group
  double conversions = 0, revenue = 0, spend = 0;
};
struct PartnerMix {
  JourneyGroup solo;        // paths with touchpoints of exactly one partner
  JourneyGroup co_branded;  // paths with touchpoints of two or more partners
  JourneyGroup direct;      // conversions without a touchpoint
  // Spend of touchpoints on no path (outside every lookback window), with JourneyOptions::
  // with_spend; 0 otherwise.
  double unassigned_spend = 0;
};
// kFailedPrecondition (field "paths") when the journeys do not know their partners (path files).
Result<PartnerMix> ComparePartnerMix(const Journeys& journeys);

}  // namespace tutti::attribution

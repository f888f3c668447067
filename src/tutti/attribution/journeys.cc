// BuildJourneys (attribution.h): events become the paths that led to each conversion, or to
// nothing. Thread-safe: re-entrant; runs up to options.threads threads of its own, and its result
// is the same whatever their number.
//
// The rules (docs/attribution.md, "Events and journeys"):
//   * A user's events are ordered by timestamp, then by event id (byte-wise), then by their row
//     in the table, so that every tie has one answer. A touchpoint with the same timestamp as a
//     conversion belongs to that conversion's path when its event id sorts before the
//     conversion's, and to the next path otherwise.
//   * A conversion's path is the user's touchpoints after the user's previous conversion and
//     before this one whose age (conversion time − touch time) is at most the lookback: the
//     click window for clicks and engagements, the view window for impressions. The boundary is
//     inclusive: a click exactly 30 days old counts. Older touchpoints are credited to nothing.
//   * A conversion whose path is empty gets the single touch kDirect (partner_count 0).
//   * The touchpoints after a user's last conversion (all of them, no window: there is no
//     conversion to measure from) form one non-converting journey (nulls = 1); their ages are
//     measured from the last of them.
//   * Keys are interned in order of their names (partner × channel by the pair of names), then
//     kDirect when some conversion needs it; only touchpoints make keys.
//
// How, for speed (100 M events in a few seconds on two cores):
//   1. Count events per user, in parallel over slices of rows, and note which (partner, channel)
//      pairs touchpoints use.
//   2. Scatter each event, packed into 16 bytes with everything the later passes read, into a
//      user-grouped array (a stable counting sort by user). This is the one pass with random
//      memory access; every later pass reads memory in order.
//   3. In parallel over slices of users: sort each user's events by (timestamp, event id, row),
//      usually already in order, and count the journeys and touches each slice makes.
//   4. From those counts every slice knows where its output goes, and fills it in parallel.
#include <sys/mman.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "tutti/attribution/attribution.h"
#include "tutti/attribution/models.h"
#include "tutti/base/csv.h"

namespace tutti::attribution {
namespace {

// Timestamps are stored as ts + 2^61 in 62 bits (UserEvent), which bounds them.
constexpr int64_t kMaxAbsTimestampMs = (int64_t{1} << 61) - 1;
// (partner, channel) pairs are numbered through a dense table up to this many combinations, a
// hash map above.
constexpr uint64_t kMaxDensePairs = uint64_t{1} << 22;

// One event as passes 3 and 4 read it, gathered by the scatter. 16 bytes, so that the scatter
// moves as little as possible.
struct UserEvent {
  uint64_t time_and_type;  // (ts_ms + 2^61) << 2 | EventType: ordering by it orders by time first
  uint32_t row;
  uint32_t pair;  // the (partner, channel) pair of a touchpoint; unused on conversions

  static UserEvent Make(int64_t ts_ms, EventType type, uint32_t row, uint32_t pair) {
    return {
        (static_cast<uint64_t>(ts_ms + kMaxAbsTimestampMs + 1) << 2) | static_cast<uint64_t>(type),
        row, pair};
  }
  uint64_t time() const { return time_and_type >> 2; }
  EventType type() const { return static_cast<EventType>(time_and_type & 3); }
};
static_assert(sizeof(UserEvent) == 16);

// Runs task(i) for every i in [0, tasks) on up to `threads` threads, the caller's included.
template <typename Task>
void RunParallel(size_t tasks, int threads, const Task& task) {
  const size_t workers = std::min(tasks, static_cast<size_t>(std::max(threads, 1)));
  if (workers <= 1) {
    for (size_t i = 0; i < tasks; ++i) task(i);
    return;
  }
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next.fetch_add(1); i < tasks; i = next.fetch_add(1)) task(i);
  };
  std::vector<std::jthread> pool;
  pool.reserve(workers - 1);
  for (size_t w = 1; w < workers; ++w) pool.emplace_back(work);
  work();
}

// Memory. The first touch of fresh memory faults once per 4 KiB page, which costs microseconds
// on a virtual machine: at 100 M events that was half of BuildJourneys, and all of it on
// whichever thread touched first. So large arrays are populated up front by the kernel
// (MADV_POPULATE_WRITE, Linux 5.14 and later) in slices on every thread; the scatter's array,
// written at random, also asks for 2 MiB pages (MADV_HUGEPAGE), so that its writes miss the TLB
// far less. Hints only: where the kernel does not take them, memory faults in on first touch.
constexpr size_t kHugePage = size_t{2} << 20;

struct MemorySlice {
  uintptr_t begin, end;
};

// Adds the 2 MiB-aligned slices of [data, data + bytes), none for a small array.
void AddMemorySlices(const void* data, size_t bytes, std::vector<MemorySlice>& slices) {
  const auto begin = (reinterpret_cast<uintptr_t>(data) + kHugePage - 1) & ~(kHugePage - 1);
  const auto end = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(kHugePage - 1);
  constexpr size_t kSliceBytes = 8 * kHugePage;
  for (uintptr_t b = begin; b < end; b += kSliceBytes) {
    slices.push_back({b, std::min<uintptr_t>(end, b + kSliceBytes)});
  }
}

void Advise([[maybe_unused]] const MemorySlice& slice, [[maybe_unused]] int advice) {
#if defined(__linux__)
  madvise(reinterpret_cast<void*>(slice.begin), slice.end - slice.begin, advice);
#endif
}

void Populate([[maybe_unused]] const std::vector<MemorySlice>& slices,
              [[maybe_unused]] int threads) {
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
  RunParallel(slices.size(), threads, [&](size_t i) { Advise(slices[i], MADV_POPULATE_WRITE); });
#endif
}

// An uninitialised array of trivial T, populated, on 2 MiB pages where the kernel offers them.
template <typename T>
class HugeArray {
 public:
  HugeArray(size_t size, int threads)
      : alignment_(size * sizeof(T) >= 2 * kHugePage ? kHugePage : 64),
        bytes_((size * sizeof(T) / alignment_ + 1) * alignment_),
        data_(static_cast<T*>(std::aligned_alloc(alignment_, bytes_))) {
    if (data_ == nullptr) throw std::bad_alloc();
    std::vector<MemorySlice> slices;
    AddMemorySlices(data_, bytes_, slices);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    for (const MemorySlice& slice : slices) Advise(slice, MADV_HUGEPAGE);
#endif
    Populate(slices, threads);
  }
  ~HugeArray() { std::free(data_); }
  HugeArray(const HugeArray&) = delete;
  HugeArray& operator=(const HugeArray&) = delete;
  T* data() const { return data_; }
  T& operator[](size_t i) const { return data_[i]; }

 private:
  size_t alignment_, bytes_;
  T* data_;
};

// A window longer than any two timestamps can be apart means "everything"; clamping keeps the
// arithmetic in range.
int64_t LookbackMs(std::chrono::seconds lookback) {
  constexpr int64_t kEverythingSeconds = 2 * (kMaxAbsTimestampMs / 1000 + 1);
  return std::min<int64_t>(lookback.count(), kEverythingSeconds) * 1000;
}

bool IsTouch(EventType type) { return type != EventType::kConversion; }

// RFC 4180 quoting, so that a "partner,channel" key stays two CSV columns whatever the names.

// The (partner, channel) pairs that touchpoints use, numbered densely, with the credit key and
// the partner of each.
class Pairs {
 public:
  explicit Pairs(const EventTable& events)
      : channels_(events.channels.size()),
        dense_(uint64_t{events.partners.size()} * events.channels.size() <= kMaxDensePairs) {}

  bool dense() const { return dense_; }
  size_t DenseSlots(const EventTable& events) const {
    return events.partners.size() * events.channels.size();
  }
  uint64_t Slot(uint32_t partner, uint32_t channel) const {
    return dense_ ? uint64_t{partner} * channels_ + channel : (uint64_t{partner} << 32) | channel;
  }

  // Numbers the used slots and interns their keys in order of the keys' names, so that key ids
  // do not depend on the order of the rows.
  void Assign(std::vector<uint64_t> used_slots, const EventTable& events, CreditKey by,
              Dictionary& keys) {
    std::sort(used_slots.begin(), used_slots.end());
    if (dense_) id_of_dense_slot_.assign(DenseSlots(events), 0);
    std::vector<std::pair<std::string_view, std::string_view>> key_names;
    for (uint64_t slot : used_slots) {
      const auto id = static_cast<uint32_t>(partner_.size());
      const auto partner = static_cast<uint32_t>(dense_ ? slot / channels_ : slot >> 32);
      const auto channel = static_cast<uint32_t>(dense_ ? slot % channels_ : slot & 0xffffffffu);
      partner_.push_back(partner);
      if (dense_) {
        id_of_dense_slot_[slot] = id;
      } else {
        id_of_sparse_slot_.emplace(slot, id);
      }
      const std::string_view partner_name = events.partners.Name(partner);
      const std::string_view channel_name = events.channels.Name(channel);
      key_names.emplace_back(by == CreditKey::kChannel ? std::string_view() : partner_name,
                             by == CreditKey::kPartner ? std::string_view() : channel_name);
    }
    std::vector<std::pair<std::string_view, std::string_view>> sorted = key_names;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    auto name_of = [by](const std::pair<std::string_view, std::string_view>& names) {
      switch (by) {
        case CreditKey::kChannel:
          return std::string(names.second);
        case CreditKey::kPartner:
          return std::string(names.first);
        case CreditKey::kPartnerChannel:
          return CsvField(names.first) + "," + CsvField(names.second);
      }
      return std::string();
    };
    for (const auto& names : sorted) keys.Intern(name_of(names));
    key_.reserve(key_names.size());
    for (const auto& names : key_names) key_.push_back(*keys.Find(name_of(names)));
  }

  uint32_t Id(uint32_t partner, uint32_t channel) const {
    const uint64_t slot = Slot(partner, channel);
    return dense_ ? id_of_dense_slot_[slot] : id_of_sparse_slot_.at(slot);
  }
  uint32_t Key(uint32_t pair) const { return key_[pair]; }
  uint32_t Partner(uint32_t pair) const { return partner_[pair]; }

 private:
  size_t channels_;
  bool dense_;
  std::vector<uint32_t> id_of_dense_slot_;
  std::unordered_map<uint64_t, uint32_t> id_of_sparse_slot_;
  std::vector<uint32_t> key_, partner_;
};

Status CheckColumns(const EventTable& events) {
  const size_t n = events.size();
  if (events.user.size() != n || events.partner.size() != n || events.channel.size() != n ||
      events.type.size() != n || events.value.size() != n ||
      events.event_id_offsets.size() != n + 1 ||
      events.event_id_offsets.back() != events.event_id_arena.size()) {
    return InvalidArgument("the event table's columns differ in length", "events");
  }
  // Rows are numbered with 32 bits in the scatter; 4 billion events is far beyond one process.
  if (n >= std::numeric_limits<uint32_t>::max()) {
    return InvalidArgument("more than 4294967294 events in one table; split it", "events");
  }
  return OkStatus();
}

// Per slice of rows: the events of each user, the pairs its touchpoints use, and the first row
// that breaks the table's invariants.
struct RowSlice {
  size_t begin = 0, end = 0;
  std::vector<uint32_t> user_counts;  // becomes the slice's scatter cursor per user
  std::vector<uint8_t> dense_slot_used;
  std::unordered_set<uint64_t> sparse_slots_used;
  size_t first_bad_row = std::numeric_limits<size_t>::max();
};

// A slice of users for passes 3 and 4, and what it produces.
struct UserSlice {
  uint32_t first_user = 0, end_user = 0;
  uint64_t journeys = 0, touches = 0;
  bool direct = false;
  uint64_t journey_offset = 0, touch_offset = 0;
};

bool EventLess(const EventTable& events, const UserEvent& a, const UserEvent& b) {
  if (a.time() != b.time()) return a.time() < b.time();
  const std::string_view id_a = events.EventId(a.row), id_b = events.EventId(b.row);
  if (id_a != id_b) return id_a < id_b;
  return a.row < b.row;
}

void SortUserEvents(const EventTable& events, UserEvent* begin, UserEvent* end) {
  // Logs usually arrive in time order and the scatter is stable, so most users are sorted
  // already; insertion sort is linear then and beats std::sort on the few events of a user.
  if (end - begin <= 32) {
    for (UserEvent* i = begin + 1; i < end; ++i) {
      if (!EventLess(events, *i, *(i - 1))) continue;
      const UserEvent moving = *i;
      UserEvent* j = i;
      for (; j > begin && EventLess(events, moving, *(j - 1)); --j) *j = *(j - 1);
      *j = moving;
    }
    return;
  }
  auto less = [&](const UserEvent& a, const UserEvent& b) { return EventLess(events, a, b); };
  if (!std::is_sorted(begin, end, less)) std::sort(begin, end, less);
}

// Calls on_journey(first, last, conversion) for each journey of one user's sorted events:
// [first, last) are the touchpoints since the previous conversion and `conversion` ends them,
// or is null for the touchpoints after the last conversion.
template <typename OnJourney>
void ForEachJourney(const UserEvent* begin, const UserEvent* end, const OnJourney& on_journey) {
  const UserEvent* segment = begin;
  for (const UserEvent* e = begin; e < end; ++e) {
    if (e->type() != EventType::kConversion) continue;
    on_journey(segment, e, e);
    segment = e + 1;
  }
  if (segment < end) on_journey(segment, end, static_cast<const UserEvent*>(nullptr));
}

// Every touchpoint's value summed per key, exactly (ExactSum), so that the result does not
// depend on how rows are split among threads. kInvalidArgument for a spend that is negative, not
// finite or above kMaxJourneyCount.
Result<std::vector<double>> SpendPerKey(const EventTable& events, const Pairs& pairs,
                                        const Dictionary& keys, int threads) {
  const size_t n = events.size();
  const size_t parts = n < (1 << 16) ? 1 : static_cast<size_t>(threads);
  std::vector<std::vector<ExactSum>> sums(parts, std::vector<ExactSum>(keys.size()));
  std::vector<size_t> first_bad_row(parts, std::numeric_limits<size_t>::max());
  RunParallel(parts, threads, [&](size_t p) {
    for (size_t r = n * p / parts; r < n * (p + 1) / parts; ++r) {
      if (!IsTouch(events.type[r])) continue;
      const double spend = events.value[r];
      if (!(spend >= 0 && spend <= kMaxJourneyCount)) {
        first_bad_row[p] = r;
        return;
      }
      sums[p][pairs.Key(pairs.Id(events.partner[r], events.channel[r]))].Add(spend);
    }
  });
  for (size_t row : first_bad_row) {
    if (row != std::numeric_limits<size_t>::max()) {
      return InvalidArgument("event table row " + std::to_string(row) +
                                 " has a spend that is negative, not finite or above 1e14",
                             "events");
    }
  }
  std::vector<double> spend(keys.size());
  for (size_t k = 0; k < keys.size(); ++k) {
    ExactSum total;
    for (const auto& part : sums) total.Add(part[k]);
    spend[k] = total.Value();
  }
  return spend;
}

}  // namespace

Result<Journeys> BuildJourneys(const EventTable& events, const JourneyOptions& options) {
  if (options.click_lookback.count() < 0 || options.view_lookback.count() < 0) {
    return InvalidArgument("lookback windows must not be negative",
                           options.click_lookback.count() < 0 ? "click_lookback" : "view_lookback");
  }
  TUTTI_RETURN_IF_ERROR(CheckColumns(events));
  const size_t n = events.size();
  const size_t users = events.users.size();
  const int threads = ResolveThreads(options.threads);
  const int64_t click_ms = LookbackMs(options.click_lookback);
  const int64_t view_ms = LookbackMs(options.view_lookback);

  Pairs pairs(events);
  Journeys journeys;
  journeys.has_times = true;

  // Pass 1. Each row slice keeps a count per user, so the slices cost users × 4 bytes each:
  // bounded to about twice the rows, since a slice only pays off with several rows per user.
  const size_t row_slice_count = std::clamp<size_t>(
      users == 0 ? 1 : 2 * n / users, 1, static_cast<size_t>(n < (1 << 16) ? 1 : threads));
  std::vector<RowSlice> row_slices(row_slice_count);
  for (size_t s = 0; s < row_slice_count; ++s) {
    row_slices[s].begin = n * s / row_slice_count;
    row_slices[s].end = n * (s + 1) / row_slice_count;
  }
  RunParallel(row_slice_count, threads, [&](size_t s) {
    RowSlice& slice = row_slices[s];
    slice.user_counts.assign(users, 0);
    if (pairs.dense()) slice.dense_slot_used.assign(pairs.DenseSlots(events), 0);
    const size_t partners = events.partners.size(), channels = events.channels.size();
    for (size_t r = slice.begin; r < slice.end; ++r) {
      // The count is a random access; prefetching it ahead keeps many misses in flight.
      if (r + 32 < slice.end) __builtin_prefetch(&slice.user_counts[events.user[r + 32]], 1);
      const uint32_t user = events.user[r], partner = events.partner[r],
                     channel = events.channel[r];
      const EventType type = events.type[r];
      if (user >= users || partner >= partners || channel >= channels ||
          type > EventType::kConversion ||
          events.event_id_offsets[r] > events.event_id_offsets[r + 1]) {
        slice.first_bad_row = r;
        return;
      }
      ++slice.user_counts[user];
      if (!IsTouch(type)) continue;
      if (pairs.dense()) {
        slice.dense_slot_used[pairs.Slot(partner, channel)] = 1;
      } else {
        slice.sparse_slots_used.insert(pairs.Slot(partner, channel));
      }
    }
  });
  for (const RowSlice& slice : row_slices) {
    if (slice.first_bad_row != std::numeric_limits<size_t>::max()) {
      return InvalidArgument("event table row " + std::to_string(slice.first_bad_row) +
                                 " has an id outside its dictionary, an unknown type or "
                                 "event id offsets out of order",
                             "events");
    }
  }
  {
    std::vector<uint64_t> used_slots;
    if (pairs.dense()) {
      for (size_t slot = 0; slot < pairs.DenseSlots(events); ++slot) {
        for (const RowSlice& slice : row_slices) {
          if (slice.dense_slot_used[slot]) {
            used_slots.push_back(slot);
            break;
          }
        }
      }
    } else {
      std::unordered_set<uint64_t> all;
      for (const RowSlice& slice : row_slices) {
        all.insert(slice.sparse_slots_used.begin(), slice.sparse_slots_used.end());
      }
      used_slots.assign(all.begin(), all.end());
    }
    pairs.Assign(std::move(used_slots), events, options.by, journeys.keys);
  }

  // Where each user's events start, and each slice's cursor per user: the stable order is
  // slice 0's rows of the user, then slice 1's, and so on.
  std::vector<uint32_t> user_start(users + 1);
  {
    uint32_t position = 0;
    for (size_t u = 0; u < users; ++u) {
      user_start[u] = position;
      for (RowSlice& slice : row_slices) {
        const uint32_t count = slice.user_counts[u];
        slice.user_counts[u] = position;
        position += count;
      }
    }
    user_start[users] = position;
  }

  // Pass 2: the scatter.
  HugeArray<UserEvent> by_user(n, threads);
  RunParallel(row_slice_count, threads, [&](size_t s) {
    RowSlice& slice = row_slices[s];
    uint32_t* cursor = slice.user_counts.data();
    const uint32_t* user = events.user.data();
    // The two random accesses per event (the user's cursor, then where it points) are
    // prefetched ahead, so that many misses are in flight at once.
    constexpr size_t kCursorAhead = 32, kTargetAhead = 16;
    for (size_t r = slice.begin; r < slice.end; ++r) {
      if (r + kCursorAhead < slice.end) __builtin_prefetch(&cursor[user[r + kCursorAhead]], 1);
      if (r + kTargetAhead < slice.end) {
        __builtin_prefetch(&by_user[cursor[user[r + kTargetAhead]]], 1);
      }
      const EventType type = events.type[r];
      const int64_t ts = events.ts_ms[r];
      // Checked here rather than in pass 1, which then need not read the timestamps at all.
      if (ts > kMaxAbsTimestampMs || ts < -kMaxAbsTimestampMs) {
        slice.first_bad_row = std::min(slice.first_bad_row, r);
        continue;
      }
      const uint32_t pair = IsTouch(type) ? pairs.Id(events.partner[r], events.channel[r]) : 0;
      by_user[cursor[user[r]]++] = UserEvent::Make(ts, type, static_cast<uint32_t>(r), pair);
    }
    slice.user_counts = {};
  });
  for (const RowSlice& slice : row_slices) {
    if (slice.first_bad_row != std::numeric_limits<size_t>::max()) {
      return InvalidArgument("event table row " + std::to_string(slice.first_bad_row) +
                                 " has a timestamp beyond ±2^61 ms",
                             "events");
    }
  }
  row_slices.clear();

  // Slices of users with about the same number of events, several per thread for balance.
  std::vector<UserSlice> user_slices;
  {
    const size_t target = std::max<size_t>(n / (static_cast<size_t>(threads) * 8 + 1), 1 << 14);
    uint32_t first = 0;
    for (size_t u = 0; u < users; ++u) {
      if (user_start[u + 1] - user_start[first] >= target || u + 1 == users) {
        user_slices.push_back({first, static_cast<uint32_t>(u + 1)});
        first = static_cast<uint32_t>(u + 1);
      }
    }
  }

  // Whether a touch is on the path of a conversion at `conversion_time` (UserEvent::time()).
  auto on_path = [&](const UserEvent& touch, uint64_t conversion_time) {
    const int64_t lookback = touch.type() == EventType::kImpression ? view_ms : click_ms;
    return static_cast<int64_t>(conversion_time - touch.time()) <= lookback;
  };

  // Pass 3: sort each user's events and count what each slice will write.
  RunParallel(user_slices.size(), threads, [&](size_t s) {
    UserSlice& slice = user_slices[s];
    for (uint32_t u = slice.first_user; u < slice.end_user; ++u) {
      UserEvent* begin = by_user.data() + user_start[u];
      UserEvent* end = by_user.data() + user_start[u + 1];
      SortUserEvents(events, begin, end);
      ForEachJourney(
          begin, end,
          [&](const UserEvent* first, const UserEvent* last, const UserEvent* conversion) {
            uint64_t touches = 0;
            if (conversion == nullptr) {
              touches = static_cast<uint64_t>(last - first);
            } else {
              for (const UserEvent* t = first; t < last; ++t) {
                touches += on_path(*t, conversion->time()) ? 1 : 0;
              }
              if (touches == 0) {
                touches = 1;
                slice.direct = true;
              }
            }
            ++slice.journeys;
            slice.touches += touches;
          });
    }
  });

  uint64_t journey_count = 0, touch_count = 0;
  bool any_direct = false;
  for (UserSlice& slice : user_slices) {
    slice.journey_offset = journey_count;
    slice.touch_offset = touch_count;
    journey_count += slice.journeys;
    touch_count += slice.touches;
    any_direct = any_direct || slice.direct;
  }
  const uint32_t direct_key = any_direct ? journeys.keys.Intern(kDirect) : 0;

  // The output columns are populated before they are sized (see Populate), and sized on several
  // threads at once.
  {
    std::vector<MemorySlice> slices;
    auto reserve = [&slices](auto& column, size_t size) {
      column.reserve(size);
      AddMemorySlices(column.data(), size * sizeof(column[0]), slices);
    };
    reserve(journeys.touch_age_seconds, touch_count);
    reserve(journeys.touch_key, touch_count);
    reserve(journeys.offsets, journey_count + 1);
    reserve(journeys.conversions, journey_count);
    reserve(journeys.value, journey_count);
    reserve(journeys.nulls, journey_count);
    reserve(journeys.partner_count, journey_count);
    reserve(journeys.user, journey_count);
    if (options.with_spend) reserve(journeys.spend, journey_count);
    Populate(slices, threads);
  }
  RunParallel(9, threads, [&](size_t column) {
    switch (column) {
      case 0:
        journeys.touch_age_seconds.resize(touch_count);
        break;
      case 1:
        journeys.touch_key.resize(touch_count);
        break;
      case 2:
        journeys.offsets.resize(journey_count + 1);
        journeys.offsets[journey_count] = touch_count;
        break;
      case 3:
        journeys.conversions.resize(journey_count);
        break;
      case 4:
        journeys.value.resize(journey_count);
        break;
      case 5:
        journeys.nulls.resize(journey_count);
        break;
      case 6:
        journeys.partner_count.resize(journey_count);
        break;
      case 7:
        journeys.user.resize(journey_count);
        break;
      case 8:
        if (options.with_spend) journeys.spend.resize(journey_count);
        break;
    }
  });

  // Pass 4: fill. Distinct partners are counted with a stamp per partner, renewed per journey.
  const size_t partners = events.partners.size();
  RunParallel(user_slices.size(), threads, [&](size_t s) {
    const UserSlice& slice = user_slices[s];
    std::vector<uint64_t> partner_stamp(partners, 0);
    uint64_t stamp = 0;
    uint64_t j = slice.journey_offset;
    uint64_t t = slice.touch_offset;
    // Conversions' values are read at random; they are prefetched some events ahead.
    constexpr size_t kValuesAhead = 256;
    size_t ahead = user_start[slice.first_user];
    const size_t slice_end = user_start[slice.end_user];
    for (uint32_t u = slice.first_user; u < slice.end_user; ++u) {
      const UserEvent* begin = by_user.data() + user_start[u];
      const UserEvent* end = by_user.data() + user_start[u + 1];
      for (const size_t horizon = std::min(user_start[u + 1] + kValuesAhead, slice_end);
           ahead < horizon; ++ahead) {
        if (by_user[ahead].type() == EventType::kConversion) {
          __builtin_prefetch(&events.value[by_user[ahead].row]);
        }
      }
      ForEachJourney(
          begin, end,
          [&](const UserEvent* first, const UserEvent* last, const UserEvent* conversion) {
            // Ages are measured from the conversion, or from the last touch of a
            // journey that converts nowhere.
            const uint64_t reference =
                conversion != nullptr ? conversion->time() : (last - 1)->time();
            ++stamp;
            uint32_t distinct_partners = 0;
            double spend = 0;
            journeys.offsets[j] = t;
            for (const UserEvent* e = first; e < last; ++e) {
              if (conversion != nullptr && !on_path(*e, reference)) continue;
              if (options.with_spend) spend += events.value[e->row];
              journeys.touch_key[t] = pairs.Key(e->pair);
              journeys.touch_age_seconds[t] = static_cast<int64_t>(reference - e->time()) / 1000;
              ++t;
              const uint32_t partner = pairs.Partner(e->pair);
              if (partner_stamp[partner] != stamp) {
                partner_stamp[partner] = stamp;
                ++distinct_partners;
              }
            }
            if (conversion != nullptr && journeys.offsets[j] == t) {
              journeys.touch_key[t] = direct_key;
              journeys.touch_age_seconds[t] = 0;
              ++t;
            }
            journeys.partner_count[j] = distinct_partners;
            journeys.user[j] = u;
            if (options.with_spend) journeys.spend[j] = spend;
            if (conversion != nullptr) {
              journeys.conversions[j] = 1;
              journeys.value[j] = events.value[conversion->row];
            } else {
              journeys.nulls[j] = 1;
            }
            ++j;
          });
    }
  });
  if (options.with_spend) {
    TUTTI_ASSIGN_OR_RETURN(journeys.key_spend, SpendPerKey(events, pairs, journeys.keys, threads));
  }
  return journeys;
}

}  // namespace tutti::attribution

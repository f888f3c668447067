// GET /api/v1/activations/{id}/attribution (docs/attribution.md, "HTTP API"): the activation's
// stored events, minus every user key opted out of measurement or sharing (credit is shared
// across partners), through the attribution engine with one or several models side by side.
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "tutti/attribution/attribution.h"
#include "tutti/base/csv.h"
#include "tutti/http/api_support.h"
#include "tutti/scheduling/duration.h"

namespace tutti::http {
namespace {

constexpr size_t kMaxModelsPerRequest = 7;

Result<std::chrono::seconds> DurationParam(const ApiRequest& r, const char* name,
                                           std::chrono::seconds fallback) {
  std::string text = r.Query(name);
  if (text.empty()) return fallback;
  Result<scheduling::PlanDuration> d = scheduling::ParseDuration(text);
  if (!d.ok() || d->IsWorkingTime()) {
    return InvalidArgument("must be a duration such as 30d, 12h or 90m", name, "invalid_duration");
  }
  return d->CalendarSeconds();
}

const std::string kNoChannel = "(none)";

// One aggregate the caller is about to see: a key's credit under one model, or a group of
// journeys. `own` when only the caller's organisation's events are behind it.
struct Cell {
  std::string key;
  bool own = false;
  uint64_t users = 0;  // distinct users behind it
  double conversions = 0, revenue = 0;
  std::optional<double> spend;  // nullopt when the caller may not see every spend in it
  std::optional<uint64_t> journeys;
  bool withhold = false;  // suppressed whatever its count
};

// What one caller may see of the activation's aggregates (C6): their own organisation's cells in
// full, others' only when at least k distinct users stand behind them, and spend only of the
// organisations that share it with them (the partner agreement's data_sharing.scope "spend"; the
// host sees every partner's, as it sees their agreements).
class Disclosure {
 public:
  Disclosure(const storage::ActivationRecord& activation, const governance::Principal& caller,
             attribution::CreditKey by, size_t min_users)
      : activation_(activation), caller_(caller), by_(by), min_users_(min_users) {}

  void NoteEvent(const storage::EventRow& e, const std::string& channel, bool touch) {
    if (!touch) return;
    const std::string key = KeyName(e.org_name, channel);
    orgs_of_key_[key].insert(e.org_id);
    if (e.value_micros != 0) {
      spenders_of_key_[key].insert(e.org_id);
      spenders_.insert(e.org_id);
    }
  }

  Cell KeyCell(const std::string& key, uint64_t users, double conversions, double revenue,
               double spend) const {
    Cell cell{key, false, users, conversions, revenue, spend, std::nullopt};
    auto orgs = orgs_of_key_.find(key);
    cell.own = orgs != orgs_of_key_.end() && orgs->second == std::set<std::string>{caller_.org_id};
    if (auto spenders = spenders_of_key_.find(key); spenders != spenders_of_key_.end()) {
      for (const std::string& org : spenders->second) {
        if (!MaySeeSpendOf(org)) cell.spend.reset();
      }
    }
    return cell;
  }

  // Whether some table published so far had a lone suppressed cell that only the total and the
  // caller's own cells surround.
  bool TotalExposesACell() const { return total_exposes_a_cell_; }

  Cell GroupCell(std::string name, const attribution::JourneyGroup& group) const {
    Cell cell{std::move(name), false,       group.users,   group.conversions,
              group.revenue,   group.spend, group.journeys};
    for (const std::string& org : spenders_) {
      if (!MaySeeSpendOf(org)) cell.spend.reset();
    }
    return cell;
  }

  // The cells as JSON rows, shared cells behind fewer than k users suppressed. When exactly one
  // is, the smallest other shared cell goes too, so that no suppressed cell is a difference of
  // the ones shown and a total; when there is no other, the total must go (TotalExposesACell).
  Json Publish(std::vector<Cell> cells) {
    std::vector<bool> suppressed(cells.size(), false);
    size_t count = 0;
    for (size_t i = 0; i < cells.size(); ++i) {
      // Zero people is no one to single out: an empty cell is shown.
      const bool small = cells[i].users > 0 && cells[i].users < min_users_;
      if (cells[i].withhold || (!cells[i].own && small)) {
        suppressed[i] = true;
        ++count;
      }
    }
    if (count == 1) {
      std::optional<size_t> smallest;
      for (size_t i = 0; i < cells.size(); ++i) {
        if (cells[i].own || suppressed[i] || cells[i].users == 0) continue;
        if (!smallest || cells[i].users < cells[*smallest].users) smallest = i;
      }
      if (smallest) {
        suppressed[*smallest] = true;
      } else {
        // The caller's own cells and the total would give the suppressed one away.
        total_exposes_a_cell_ = true;
      }
    }
    Json rows = Json::array();
    for (size_t i = 0; i < cells.size(); ++i) {
      const Cell& c = cells[i];
      Json row{{"key", c.key}, {"own", c.own}};
      if (suppressed[i]) {
        row["suppressed"] = true;
        rows.push_back(std::move(row));
        continue;
      }
      row["users"] = c.users;
      if (c.journeys) row["journeys"] = *c.journeys;
      row["conversions"] = c.conversions;
      row["revenue"] = c.revenue;
      // CPA and ROAS only where spend is known: visible and not zero.
      const bool known = c.spend && *c.spend > 0;
      row["spend"] = c.spend ? Json(*c.spend) : Json(nullptr);
      row["cpa"] = known && c.conversions > 0 ? Json(*c.spend / c.conversions) : Json(nullptr);
      row["roas"] = known ? Json(c.revenue / *c.spend) : Json(nullptr);
      rows.push_back(std::move(row));
    }
    return rows;
  }

 private:
  std::string KeyName(const std::string& partner, const std::string& channel) const {
    switch (by_) {
      case attribution::CreditKey::kChannel:
        return channel;
      case attribution::CreditKey::kPartner:
        return partner;
      case attribution::CreditKey::kPartnerChannel:
        return CsvField(partner) + "," + CsvField(channel);
    }
    return {};
  }

  bool MaySeeSpendOf(const std::string& org_id) const {
    if (org_id == caller_.org_id || caller_.org_id == activation_.host_org_id) return true;
    const storage::ParticipationRecord* p = activation_.FindParticipant(org_id);
    if (p == nullptr || !p->agreement) return false;
    const Json scope = p->agreement->value("/data_sharing/scope"_json_pointer, Json::array());
    return scope.is_array() && std::find(scope.begin(), scope.end(), Json("spend")) != scope.end();
  }

  bool total_exposes_a_cell_ = false;
  const storage::ActivationRecord& activation_;
  const governance::Principal& caller_;
  attribution::CreditKey by_;
  size_t min_users_;
  std::map<std::string, std::set<std::string>> orgs_of_key_, spenders_of_key_;
  std::set<std::string> spenders_;
};

// Distinct users with a converting journey (journeys of one user are adjacent).
uint64_t ConvertingUsers(const attribution::Journeys& journeys) {
  uint64_t users = 0;
  std::optional<uint32_t> last;
  for (size_t j = 0; j < journeys.size(); ++j) {
    if (!(journeys.conversions[j] > 0) || last == journeys.user[j]) continue;
    last = journeys.user[j];
    ++users;
  }
  return users;
}

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, separator)) parts.push_back(part);
  return parts;
}

}  // namespace

std::vector<Route> AttributionRoutes(storage::Store& store, size_t min_aggregate_users) {
  std::vector<Route> routes;
  routes.push_back(Route{
      "GET", "/api/v1/activations/{activation_id}/attribution", true,
      [&store, min_aggregate_users](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto a, VisibleActivation(store, r));
        std::vector<attribution::Model> models;
        std::string model_text = r.Query("model").empty() ? "last" : r.Query("model");
        for (const std::string& name : Split(model_text, ',')) {
          Result<attribution::Model> m = attribution::ParseModel(name);
          if (!m.ok()) return std::move(Status(m.status())).WithField("model");
          models.push_back(*m);
        }
        if (models.empty() || models.size() > kMaxModelsPerRequest) {
          return InvalidArgument("name 1 to 7 models separated by commas", "model", "invalid_enum");
        }
        attribution::JourneyOptions journey;
        const std::string by = r.Query("by").empty() ? "channel" : r.Query("by");
        if (by == "channel") {
          journey.by = attribution::CreditKey::kChannel;
        } else if (by == "partner") {
          journey.by = attribution::CreditKey::kPartner;
        } else if (by == "partner,channel") {
          journey.by = attribution::CreditKey::kPartnerChannel;
        } else {
          return InvalidArgument("must be channel, partner or partner,channel", "by",
                                 "invalid_enum");
        }
        TUTTI_ASSIGN_OR_RETURN(journey.click_lookback,
                               DurationParam(r, "click_lookback", journey.click_lookback));
        TUTTI_ASSIGN_OR_RETURN(journey.view_lookback,
                               DurationParam(r, "view_lookback", journey.view_lookback));
        attribution::ModelOptions options;
        TUTTI_ASSIGN_OR_RETURN(options.half_life, DurationParam(r, "half_life", options.half_life));
        if (options.half_life.count() <= 0) {
          return InvalidArgument("must be positive, e.g. 7d", "half_life", "out_of_range");
        }
        if (!r.Query("order").empty()) {
          const std::string order = r.Query("order");
          if (order.size() != 1 || order[0] < '1' || order[0] > '4') {
            return InvalidArgument("must be 1, 2, 3 or 4", "order", "out_of_range");
          }
          options.markov_order = order[0] - '0';
        }

        attribution::EventTable events;
        Disclosure disclosure(a, Caller(r), journey.by, min_aggregate_users);
        TUTTI_RETURN_IF_ERROR(
            store.ForEachEvent(a.id, {"measurement", "sharing"}, [&](const storage::EventRow& e) {
              Result<attribution::EventType> type = attribution::ParseEventType(e.event_type);
              if (!type.ok()) return;
              const std::string& channel = e.channel.empty() ? kNoChannel : e.channel;
              disclosure.NoteEvent(e, channel, *type != attribution::EventType::kConversion);
              events.Add(e.event_id, e.user_key, e.ts_ms, e.org_name, channel, *type,
                         static_cast<double>(e.value_micros) / 1e6);
            }));
        journey.with_spend = true;
        TUTTI_ASSIGN_OR_RETURN(attribution::Journeys journeys,
                               attribution::BuildJourneys(events, journey));
        Json results = Json::object();
        for (attribution::Model model : models) {
          options.model = model;
          Result<attribution::Credit> credit = attribution::Attribute(journeys, options);
          if (!credit.ok()) {
            // Name the model in the message: several may have been asked for at once.
            const Status& e = credit.status();
            return Status(e.code(), std::string(attribution::ModelName(model)) + ": " + e.message(),
                          e.field().empty() ? "model" : e.field(), e.reason());
          }
          const std::vector<uint64_t> users = attribution::ContributingUsers(journeys, model);
          std::vector<Cell> cells;
          for (uint32_t k = 0; k < journeys.keys.size(); ++k) {
            cells.push_back(disclosure.KeyCell(journeys.keys.Name(k), users[k],
                                               credit->conversions[k], credit->revenue[k],
                                               journeys.key_spend[k]));
          }
          std::sort(cells.begin(), cells.end(),
                    [](const Cell& x, const Cell& y) { return x.key < y.key; });
          results[attribution::ModelName(model)] = disclosure.Publish(std::move(cells));
        }
        TUTTI_ASSIGN_OR_RETURN(attribution::PartnerMix mix,
                               attribution::ComparePartnerMix(journeys));
        attribution::JourneyGroup all{
            mix.solo.journeys + mix.co_branded.journeys + mix.direct.journeys,
            ConvertingUsers(journeys),
            mix.solo.conversions + mix.co_branded.conversions + mix.direct.conversions,
            mix.solo.revenue + mix.co_branded.revenue + mix.direct.revenue,
            mix.solo.spend + mix.co_branded.spend + mix.direct.spend + mix.unassigned_spend};
        Json partner_mix = disclosure.Publish({disclosure.GroupCell("solo", mix.solo),
                                               disclosure.GroupCell("co_branded", mix.co_branded),
                                               disclosure.GroupCell("direct", mix.direct)});
        Cell total_cell = disclosure.GroupCell("total", all);
        total_cell.withhold = disclosure.TotalExposesACell();
        Json total = disclosure.Publish({std::move(total_cell)})[0];
        total.erase("key");
        total.erase("own");
        return Ok(Json{{"by", by},
                       {"events", events.size()},
                       {"journeys", journeys.size()},
                       {"min_aggregate_users", min_aggregate_users},
                       {"total", std::move(total)},
                       {"partner_mix", std::move(partner_mix)},
                       {"results", std::move(results)}});
      }});
  return routes;
}

}  // namespace tutti::http

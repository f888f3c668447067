// GET /api/v1/activations/{id}/attribution (docs/attribution.md, "HTTP API"): the activation's
// stored events, minus every user key opted out of measurement or sharing (credit is shared
// across partners), through the attribution engine with one or several models side by side.
#include <algorithm>
#include <sstream>

#include "tutti/attribution/attribution.h"
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

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, separator)) parts.push_back(part);
  return parts;
}

}  // namespace

std::vector<Route> AttributionRoutes(storage::Store& store) {
  std::vector<Route> routes;
  routes.push_back(Route{
      "GET", "/api/v1/activations/{activation_id}/attribution", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
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
        int64_t excluded_types = 0;
        TUTTI_RETURN_IF_ERROR(
            store.ForEachEvent(a.id, {"measurement", "sharing"}, [&](const storage::EventRow& e) {
              Result<attribution::EventType> type = attribution::ParseEventType(e.event_type);
              if (!type.ok()) {
                ++excluded_types;
                return;
              }
              events.Add(e.event_id, e.user_key, e.ts_ms, e.org_name,
                         e.channel.empty() ? "(none)" : e.channel, *type,
                         static_cast<double>(e.value_micros) / 1e6);
            }));
        TUTTI_ASSIGN_OR_RETURN(attribution::Journeys journeys,
                               attribution::BuildJourneys(events, journey));
        double total_conversions = 0, total_revenue = 0;
        for (size_t j = 0; j < journeys.size(); ++j) {
          total_conversions += journeys.conversions[j];
          total_revenue += journeys.value[j];
        }
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
          Json rows = Json::array();
          for (uint32_t k = 0; k < journeys.keys.size(); ++k) {
            rows.push_back(Json{{"key", journeys.keys.Name(k)},
                                {"conversions", credit->conversions[k]},
                                {"revenue", credit->revenue[k]}});
          }
          std::sort(rows.begin(), rows.end(), [](const Json& x, const Json& y) {
            return x["key"].get<std::string>() < y["key"].get<std::string>();
          });
          results[attribution::ModelName(model)] = std::move(rows);
        }
        return Ok(Json{{"by", by},
                       {"events", events.size()},
                       {"journeys", journeys.size()},
                       {"conversions", total_conversions},
                       {"revenue", total_revenue},
                       {"results", results}});
      }});
  return routes;
}

}  // namespace tutti::http

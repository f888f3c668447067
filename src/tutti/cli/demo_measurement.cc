// The demo's measurement data (issue 4): a data contract per partner feed and the host's shop
// feed, and three weeks of events for 4 000 pseudonymous people, so that the Measurement tab opens
// on models to compare, CPA and ROAS, solo against co-branded paths, and cells large enough to
// pass the k-anonymity threshold. Deterministic: a fixed seed, times relative to the seeding.
// Not thread-safe (run once, by `tutti demo`).
#include <random>
#include <sstream>

#include "tutti/cli/cli.h"
#include "tutti/service/ingest.h"

namespace tutti::cli {
namespace {

// Where each partner's touchpoints appear, and what an impression and a click cost there.
struct DemoChannel {
  const char* channel;
  double impression_cost, click_cost;
};
struct DemoFeed {
  const char* org;
  const char* owner_email;
  const char* feed;
  std::vector<DemoChannel> channels;
};

// Costs are per demo event, each of which stands for a slice of a panel rather than one view, so
// that CPA and ROAS land where campaigns do (CPA in tens, ROAS of a few).
const DemoFeed kPartnerFeeds[] = {
    {"StreamCo",
     "sam@streamco.example",
     "streamco-adserver",
     {{"ctv", 2.40, 0}, {"display", 0.90, 2.10}}},
    {"Nova Sports",
     "nina@novasports.example",
     "novasports-social",
     {{"instagram", 1.10, 2.60}, {"youtube", 1.30, 3.20}}},
    {"Lumen Creators",
     "leo@lumen.example",
     "lumen-creators",
     {{"tiktok", 0.80, 1.90}, {"instagram", 1.00, 2.40}}},
};
constexpr const char* kShopFeed = "acme-shop";
constexpr int kPeople = 4000;

Json ContractFor(bool shop) {
  Json fields = Json::array({
      Json{{"name", "event_id"},
           {"type", "string"},
           {"privacy", "pseudonymous"},
           {"role", "event_id"}},
      Json{{"name", "user"}, {"type", "string"}, {"privacy", "pseudonymous"}, {"role", "user_key"}},
      Json{{"name", "ts"}, {"type", "timestamp"}, {"privacy", "aggregate"}, {"role", "timestamp"}},
      Json{{"name", "type"}, {"type", "string"}, {"privacy", "aggregate"}, {"role", "event_type"}},
  });
  if (shop) {
    fields.push_back(Json{{"name", "revenue"},
                          {"type", "number"},
                          {"privacy", "aggregate"},
                          {"role", "value"},
                          {"metric", "revenue"}});
  } else {
    fields.push_back(Json{
        {"name", "channel"}, {"type", "string"}, {"privacy", "aggregate"}, {"role", "channel"}});
    fields.push_back(Json{{"name", "cost"},
                          {"type", "number"},
                          {"privacy", "aggregate"},
                          {"role", "value"},
                          {"metric", "spend"}});
  }
  return Json{
      {"feed", shop ? kShopFeed : ""}, {"cadence", "24h"}, {"max_delay", "6h"}, {"fields", fields}};
}

}  // namespace

Status SeedDemoMeasurement(storage::Store& store, std::ostream& out) {
  TUTTI_ASSIGN_OR_RETURN(storage::OrgRecord host, store.FindOrgByName("Acme Beverages"));
  if (store.FindDataContract(host.id, kShopFeed).ok()) return OkStatus();
  TUTTI_ASSIGN_OR_RETURN(std::vector<storage::ActivationRecord> activations,
                         store.ListActivationsVisibleTo(host.id));
  if (activations.empty()) return NotFound("the demo activation is missing", "activation");
  const storage::ActivationRecord& activation = activations.front();
  const storage::Authorize allow = [](const storage::ActivationRecord&) { return OkStatus(); };

  // One CSV per feed, built from one pass over the people so that paths cross partners.
  std::vector<std::ostringstream> partner_csv(std::size(kPartnerFeeds));
  for (auto& csv : partner_csv) csv << "event_id,user,ts,type,channel,cost\n";
  std::ostringstream shop_csv;
  shop_csv << "event_id,user,ts,type,revenue\n";
  std::mt19937_64 random(20260601);
  std::uniform_real_distribution<double> unit(0, 1);
  const int64_t now_ms = store.clock().Now().time_since_epoch().count();
  constexpr int64_t kHourMs = 3600 * 1000;
  int64_t events = 0;
  for (int person = 0; person < kPeople; ++person) {
    const std::string user = "demo-user-" + std::to_string(person);
    // Start somewhere in the last three weeks; one to five touches a few hours apart.
    int64_t ts =
        now_ms - static_cast<int64_t>((21 * 24 - 6) * unit(random)) * kHourMs - 6 * kHourMs;
    const int touches = 1 + static_cast<int>(unit(random) * unit(random) * 5);
    std::vector<bool> partners_seen(std::size(kPartnerFeeds), false);
    bool clicked = false;
    for (int t = 0; t < touches; ++t) {
      // StreamCo reaches most people; the co-brand and the creators fewer.
      const double pick = unit(random);
      const size_t p = pick < 0.5 ? 0 : pick < 0.8 ? 1 : 2;
      const DemoFeed& feed = kPartnerFeeds[p];
      const DemoChannel& ch = feed.channels[unit(random) < 0.6 ? 0 : 1];
      const bool click = ch.click_cost > 0 && unit(random) < 0.3;
      clicked = clicked || click;
      partners_seen[p] = true;
      partner_csv[p] << "ev-" << person << "-" << t << "," << user << ","
                     << FormatInstant(Instant(std::chrono::milliseconds(ts))) << ","
                     << (click ? "click" : "impression") << "," << ch.channel << ","
                     << (click ? ch.click_cost : ch.impression_cost) << "\n";
      ++events;
      ts += static_cast<int64_t>(1 + 10 * unit(random)) * kHourMs;
    }
    int partners = 0;
    for (bool seen : partners_seen) partners += seen ? 1 : 0;
    // Co-branded paths convert better, clicks more than views: the story the demo tells.
    const double chance = 0.06 + (clicked ? 0.12 : 0) + (partners > 1 ? 0.10 : 0);
    if (unit(random) < chance) {
      shop_csv << "order-" << person << "," << user << ","
               << FormatInstant(Instant(std::chrono::milliseconds(ts))) << ",conversion,"
               << static_cast<double>(static_cast<int64_t>(2000 + 10000 * unit(random))) / 100
               << "\n";
      ++events;
    }
  }
  // A few people buy without any partner touch (direct).
  for (int person = kPeople; person < kPeople + 60; ++person) {
    shop_csv << "order-" << person << ",demo-user-" << person << ","
             << FormatInstant(Instant(std::chrono::milliseconds(now_ms - (person % 300) * kHourMs)))
             << ",conversion,35.00\n";
    ++events;
  }

  auto seed_feed = [&](const std::string& org_id, const std::string& actor_email,
                       const std::string& feed, const Json& contract,
                       const std::string& csv) -> Status {
    TUTTI_ASSIGN_OR_RETURN(storage::UserRecord owner, store.FindUserByEmail(actor_email));
    const storage::Actor actor{owner.id, org_id};
    Json document = contract;
    document["feed"] = feed;
    TUTTI_ASSIGN_OR_RETURN(
        storage::DataContractRecord record,
        store.PutDataContract(activation.id, org_id, feed, document, actor, allow));
    std::istringstream body(csv);
    service::IngestRequest request;
    request.request_hash = "demo-seed-" + feed;
    // The demo's keys are pseudonymous already: nothing is hashed with this.
    TUTTI_ASSIGN_OR_RETURN(
        storage::IngestOutcome outcome,
        service::RunIngest(store, record, body, request,
                           "demo-seed-holds-no-raw-identifiers-0123456789", actor));
    if (outcome.report.value("rejected", 0) != 0) {
      return Internal("the demo feed " + feed + " had rejected records: " + outcome.report.dump());
    }
    return OkStatus();
  };
  for (size_t p = 0; p < std::size(kPartnerFeeds); ++p) {
    TUTTI_ASSIGN_OR_RETURN(storage::OrgRecord org, store.FindOrgByName(kPartnerFeeds[p].org));
    TUTTI_RETURN_IF_ERROR(seed_feed(org.id, kPartnerFeeds[p].owner_email, kPartnerFeeds[p].feed,
                                    ContractFor(false), partner_csv[p].str()));
  }
  TUTTI_RETURN_IF_ERROR(
      seed_feed(host.id, "olivia@acme.example", kShopFeed, ContractFor(true), shop_csv.str()));
  out << "Demo measurement seeded: " << events << " events from " << kPeople
      << " people in four feeds (StreamCo, Nova Sports, Lumen Creators, Acme's shop).\n";
  return OkStatus();
}

}  // namespace tutti::cli

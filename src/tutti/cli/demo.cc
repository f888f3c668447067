// The demo seed: a believable multi-partner activation to explore the product with. Goes through
// the Store like any other change, so the demo's history is in the audit trail too.
#include <iostream>
#include <map>

#include "tutti/base/crypto.h"
#include "tutti/cli/cli.h"
#include "tutti/core/agreement.h"
#include "tutti/core/brief.h"
#include "tutti/scheduling/plan.h"

namespace tutti::cli {
namespace {

constexpr char kHostName[] = "Acme Beverages";
constexpr char kOwnerPassword[] = "tutti-demo-owner";
constexpr char kHostPassword[] = "tutti-demo-host";
constexpr char kPartnerPassword[] = "tutti-demo-partner";

struct DemoUser {
  const char* org;
  const char* email;
  const char* name;
  const char* role;
  const char* password;
};

constexpr DemoUser kUsers[] = {
    {kHostName, "olivia@acme.example", "Olivia Okafor", "owner", kOwnerPassword},
    {kHostName, "felix@acme.example", "Felix Hart", "facilitator", kHostPassword},
    {kHostName, "wanda@acme.example", "Wanda Lee", "workstream_owner", kHostPassword},
    {kHostName, "victor@acme.example", "Victor Sousa", "viewer", kHostPassword},
    {"StreamCo", "sam@streamco.example", "Sam Rivera", "partner_admin", kPartnerPassword},
    {"StreamCo", "sofia@streamco.example", "Sofia Brandt", "contributor", kPartnerPassword},
    {"Nova Sports", "nina@novasports.example", "Nina Petrova", "partner_admin", kPartnerPassword},
    {"Lumen Creators", "leo@lumen.example", "Leo Tanaka", "partner_admin", kPartnerPassword},
    {"Orbit Media", "una@orbit.example", "Una Byrne", "partner_admin", kPartnerPassword},
};

Json Money(int64_t units, const char* currency) {
  return Json{{"amount_micros", units * 1'000'000}, {"currency", currency}};
}

std::string At(Instant instant) { return FormatInstantSeconds(instant); }

// Nine milestones across four organisations, three markets and four working calendars, launching
// at 09:00 local six weeks after the demo is seeded: a plan with a visible critical path and a
// few days of slack, so that a what-if delay of the hero film shows the launch at risk.
Json DemoPlan(Instant seeded_at) {
  using std::chrono::days;
  using std::chrono::hours;
  const Instant now = std::chrono::floor<hours>(seeded_at);
  // The first Tuesday six weeks out: launches avoid weekends.
  std::chrono::sys_days launch_day = std::chrono::floor<days>(now + days(42));
  while (std::chrono::weekday(launch_day) != std::chrono::Tuesday) launch_day += days(1);
  const std::string launch_date = At(Instant(launch_day)).substr(0, 10);
  const std::string fallback_day = At(Instant(launch_day + days(7))).substr(0, 10);
  Json plan = Json::parse(R"json({
    "milestones": [
      {"id": "brief_signoff", "duration": "2d", "owner": "olivia@acme.example"},
      {"id": "hero_film", "duration": "20wd", "owner": "wanda@acme.example", "after": ["brief_signoff"]},
      {"id": "key_visuals", "duration": "10wd", "owner": "leo@lumen.example", "after": ["brief_signoff"]},
      {"id": "media_booking", "duration": "10d", "owner": "sam@streamco.example", "after": ["brief_signoff"]},
      {"id": "legal_review", "duration": "5wd", "owner": "nina@novasports.example", "buffer": "1d",
       "after": ["hero_film", "key_visuals"]},
      {"id": "tracking_setup", "duration": "4wd", "owner": "olivia@acme.example", "after": ["media_booking"]},
      {"id": "localisation_jp", "duration": "3wd", "owner": "leo@lumen.example", "market": "JP",
       "after": ["legal_review"]},
      {"id": "trafficking", "duration": "2d", "owner": "felix@acme.example", "buffer": "1d",
       "after": [{"id": "legal_review", "lag": "4h"}, "localisation_jp", "tracking_setup"]},
      {"id": "qa", "duration": "1d", "owner": "felix@acme.example", "buffer": "12h", "after": ["trafficking"]}
    ],
    "calendars": {
      "olivia@acme.example": {"tz": "America/New_York", "holidays": ["2026-11-26", "2026-12-25", "2027-01-01"]},
      "wanda@acme.example": {"tz": "America/New_York", "holidays": ["2026-11-26", "2026-12-25", "2027-01-01"]},
      "felix@acme.example": {"tz": "America/New_York", "holidays": ["2026-11-26", "2026-12-25", "2027-01-01"]},
      "leo@lumen.example": {"tz": "Asia/Tokyo", "hours": ["10:00", "19:00"], "holidays": ["2027-01-01", "2027-01-11"]},
      "nina@novasports.example": {"tz": "Europe/London", "holidays": ["2026-12-25", "2026-12-28", "2027-01-01"]},
      "sam@streamco.example": {"tz": "Europe/London", "holidays": ["2026-12-25", "2026-12-28", "2027-01-01"]}
    }})json");
  plan["launch"] = Json{{"local", launch_date + "T09:00"},
                        {"markets", Json::array({Json{{"name", "US"}, {"tz", "America/New_York"}},
                                                 Json{{"name", "GB"}, {"tz", "Europe/London"}},
                                                 Json{{"name", "JP"}, {"tz", "Asia/Tokyo"}}})},
                        {"on_gap", "shift_forward"},
                        {"on_overlap", "earliest"}};
  plan["fallback"] = Json{{"at", fallback_day + "T13:00:00Z"}};
  Json& milestones = plan["milestones"];
  milestones[0]["actual_start"] = At(now - days(12));
  milestones[0]["actual_finish"] = At(now - days(10));
  milestones[1]["actual_start"] = At(now - days(8));
  milestones[3]["actual_start"] = At(now - days(9) + hours(3));
  return plan;
}

// Posts by the three partners around each market's launch, with one creator post scheduled
// before its asset is due and two creator posts closer than the TikTok spacing: the demo shows
// findings in place. Launches are not listed: they come from the stored plan.
Json DemoContentCalendar(const scheduling::Schedule& schedule,
                         const std::map<std::string, std::string>& org_ids) {
  using std::chrono::days;
  using std::chrono::hours;
  using std::chrono::minutes;
  std::map<std::string, Instant> launch(schedule.launch.begin(), schedule.launch.end());
  Instant first = launch["JP"];
  for (const auto& [market, at] : launch) first = std::min(first, at);
  const std::string streamco = org_ids.at("StreamCo");
  const std::string nova = org_ids.at("Nova Sports");
  const std::string lumen = org_ids.at("Lumen Creators");
  auto post = [](const char* id, const std::string& partner, const char* platform,
                 const char* market, Instant at, const char* content_hash) {
    return Json{{"id", id},         {"partner", partner}, {"platform", platform},
                {"market", market}, {"at", At(at)},       {"content_hash", content_hash}};
  };
  Json posts = Json::array({
      post("sc-trailer-us", streamco, "youtube", "US", launch["US"], "5e1f0a11c0ffee01"),
      post("sc-trailer-gb", streamco, "youtube", "GB", launch["GB"], "5e1f0a11c0ffee02"),
      post("sc-x-us", streamco, "x", "US", launch["US"] + hours(1), "5e1f0a11c0ffee03"),
      post("nova-kit-jp", nova, "instagram", "JP", launch["JP"], "0a7a5b0c00000001"),
      post("nova-kit-us", nova, "instagram", "US", launch["US"] + minutes(30), "0a7a5b0c00000002"),
      post("nova-athlete-gb", nova, "instagram", "GB", launch["GB"] + hours(3), "0a7a5b0c00000003"),
      post("lumen-tiktok-1", lumen, "tiktok", "US", launch["US"] + hours(2), "1e0c0de000000001"),
      post("lumen-tiktok-2", lumen, "tiktok", "US", launch["US"] + hours(3), "1e0c0de000000002"),
      post("lumen-ig-jp", lumen, "instagram", "JP", launch["JP"] + hours(10), "1e0c0de000000003"),
  });
  posts[3]["assets"] = Json::array({Json{{"ref", "kit-photos"}, {"due", At(first - days(2))}}});
  posts[8]["assets"] =
      Json::array({Json{{"ref", "creator-cut-jp"}, {"due", At(launch["JP"] + hours(12))}}});
  Json windows = Json::array();
  for (const char* platform : {"youtube", "x", "instagram", "tiktok"}) {
    for (const auto& [market, at] : launch) {
      windows.push_back(Json{{"platform", platform},
                             {"market", market},
                             {"start", At(at)},
                             {"end", At(at + days(14))}});
    }
  }
  return Json{
      {"posts", posts},
      {"release_windows", windows},
      {"peak_windows", Json::array({Json{{"partner", lumen},
                                         {"platform", "tiktok"},
                                         {"start", At(launch["US"] + hours(1))},
                                         {"end", At(launch["US"] + hours(5))}}})},
      {"blackouts",
       Json::array(
           {Json{{"name", "press embargo"}, {"start", At(first - days(3))}, {"end", At(first)}}})},
      {"rules",
       Json{{"spacing", Json{{"default", "4h"}, {"platforms", Json{{"tiktok", "2h"}}}}},
            {"duplicates", "platform"},
            {"rate_limits",
             Json::array({Json{{"platform", "instagram"}, {"max_posts", 5}, {"window", "1h"}}})},
            {"refresh", Json::array({Json{{"name", "audience list"},
                                          {"period", "24h"},
                                          {"anchor", At(first - days(7) - hours(6))},
                                          {"min_lead", "6h"}}})}}}};
}

}  // namespace

Status SeedDemo(storage::Store& store, std::ostream& out) {
  const storage::Actor cli{"cli", ""};
  if (store.FindOrgByName(kHostName).ok()) {
    out << "Demo data already present.\n";
  } else {
    std::map<std::string, std::string> org_ids;
    TUTTI_ASSIGN_OR_RETURN(auto host, store.CreateOrg(kHostName, "host", cli));
    org_ids[kHostName] = host.id;
    for (const char* name : {"StreamCo", "Nova Sports", "Lumen Creators", "Orbit Media"}) {
      TUTTI_ASSIGN_OR_RETURN(auto org, store.CreateOrg(name, "partner", cli));
      org_ids[name] = org.id;
    }
    std::map<std::string, std::string> user_ids;
    for (const DemoUser& u : kUsers) {
      TUTTI_ASSIGN_OR_RETURN(std::string hash, HashPassword(u.password, PasswordHashParams{}));
      TUTTI_ASSIGN_OR_RETURN(auto user,
                             store.CreateUser(org_ids[u.org], u.email, u.name, u.role, hash, cli));
      user_ids[u.email] = user.id;
    }
    const storage::Actor olivia{user_ids["olivia@acme.example"], host.id};
    Json patch = Json::parse(R"json({
      "name": "Summer Splash 2026",
      "objective": "lead_generation",
      "status": "planning",
      "description": "A synchronized summer launch of Acme Splash with a streaming partner, a sports co-brand and a creator collective: one launch hour across three markets, shared lead metrics.",
      "audiences": [
        {"name": "Active urban 18-34", "description": "Sport and streaming enthusiasts in capital cities"},
        {"name": "Health-conscious parents", "description": "Low-sugar drink buyers"}
      ],
      "markets": [
        {"name": "US", "tz": "America/New_York"},
        {"name": "GB", "tz": "Europe/London"},
        {"name": "JP", "tz": "Asia/Tokyo"}
      ],
      "primary_metric": {"name": "Qualified leads", "unit": "leads", "target": 120000, "forecast": 96000},
      "supporting_metrics": [
        {"name": "CTR", "unit": "%", "target": 0.8, "forecast": 0.72},
        {"name": "CPA", "unit": "EUR", "target": 40, "forecast": 43.5},
        {"name": "Reach", "unit": "people", "target": 25000000, "forecast": null}
      ],
      "budget": {"amount_micros": 2500000000000, "currency": "EUR"}
    })json");
    TUTTI_ASSIGN_OR_RETURN(Json valid, core::ValidateActivationPatch(patch, true));
    TUTTI_ASSIGN_OR_RETURN(
        auto activation,
        store.CreateActivation(host.id,
                               core::ApplyActivationPatch(core::EmptyActivationDocument(), valid),
                               std::nullopt, olivia));
    auto allow = [](const storage::ActivationRecord&) { return OkStatus(); };
    struct DemoPartner {
      const char* org;
      const char* role;
      int64_t contribution;
      const char* notes;
      int64_t turnaround_hours;
    };
    const DemoPartner partners[] = {
        {"StreamCo", "media", 900000, "Prime-time inventory held until 15 May; make-goods agreed.",
         48},
        {"Nova Sports", "co_brand", 600000,
         "Co-branded kit reveal; athlete approvals go through their legal.", 72},
        {"Lumen Creators", "influencer", 150000, "Twelve creators; #ad disclosure on every post.",
         24},
    };
    for (const DemoPartner& p : partners) {
      TUTTI_ASSIGN_OR_RETURN(
          Json agreement,
          core::ValidateAgreement(
              Json{{"content_ownership", std::string(p.role) == "co_brand" ? "joint" : "host"},
                   {"approval_turnaround_hours", p.turnaround_hours},
                   {"escalation_path", Json::array({Json{{"after_hours", p.turnaround_hours},
                                                         {"contact", "Felix Hart"},
                                                         {"role", "facilitator"}},
                                                    Json{{"after_hours", p.turnaround_hours * 2},
                                                         {"contact", "Olivia Okafor"},
                                                         {"role", "owner"}}})},
                   {"exit_clause_notice_days", 30},
                   {"data_sharing",
                    Json{{"scope", std::string(p.org) == "StreamCo"
                                       ? Json::array({"aggregates", "conversions", "spend"})
                                       : Json::array({"aggregates", "conversions"})},
                         {"cadence", "daily"}}}}));
      TUTTI_RETURN_IF_ERROR(
          store.AddParticipant(activation.id, org_ids[p.org], p.role, agreement, olivia, allow)
              .status());
      TUTTI_RETURN_IF_ERROR(
          store
              .UpdateParticipant(
                  activation.id, org_ids[p.org],
                  Json{{"contribution", Money(p.contribution, "EUR")}, {"notes", p.notes}}, olivia,
                  allow)
              .status());
    }
    struct DemoWorkstream {
      const char* kind;
      const char* name;
      const char* owner;
      std::vector<std::pair<const char*, const char*>> raci;
    };
    const DemoWorkstream streams[] = {
        {"creative",
         "Hero film and key visuals",
         "wanda@acme.example",
         {{"sofia@streamco.example", "C"},
          {"leo@lumen.example", "R"},
          {"victor@acme.example", "I"}}},
        {"media",
         "Paid media and streaming placements",
         "felix@acme.example",
         {{"sam@streamco.example", "R"}, {"nina@novasports.example", "I"}}},
        {"data",
         "Lead tracking and shared metrics",
         "olivia@acme.example",
         {{"sam@streamco.example", "C"}, {"nina@novasports.example", "C"}}},
        {"legal",
         "Disclosures and co-branding rights",
         "olivia@acme.example",
         {{"nina@novasports.example", "R"}}},
    };
    for (const DemoWorkstream& w : streams) {
      Json raci = Json::array({Json{{"user_id", user_ids[w.owner]}, {"responsibility", "A"}}});
      for (const auto& [email, letter] : w.raci) {
        raci.push_back(Json{{"user_id", user_ids[email]}, {"responsibility", letter}});
      }
      TUTTI_RETURN_IF_ERROR(store
                                .CreateWorkstream(activation.id,
                                                  Json{{"kind", w.kind},
                                                       {"name", w.name},
                                                       {"primary_owner_id", user_ids[w.owner]},
                                                       {"raci", raci}},
                                                  olivia, allow)
                                .status());
    }
    const Instant now = store.clock().Now();
    Json plan = DemoPlan(now);
    TUTTI_ASSIGN_OR_RETURN(scheduling::Plan parsed, scheduling::ParsePlan(plan));
    TUTTI_ASSIGN_OR_RETURN(scheduling::Schedule schedule, scheduling::ComputeSchedule(parsed, now));
    TUTTI_RETURN_IF_ERROR(
        store
            .EditPlanDocument(activation.id, "plan", 0, olivia,
                              [&](const storage::ActivationRecord&, const storage::PlanDocuments&) {
                                return Result<storage::PlanDocumentUpdate>(
                                    storage::PlanDocumentUpdate{
                                        plan, scheduling::LaunchToJson(schedule.launch)});
                              })
            .status());
    TUTTI_RETURN_IF_ERROR(store
                              .PutPlanDocument(activation.id, "content_calendar",
                                               DemoContentCalendar(schedule, org_ids), 1, olivia,
                                               allow)
                              .status());
    TUTTI_RETURN_IF_ERROR(SeedDemoGates(store, activation.id, user_ids));
    out << "Demo seeded: " << kHostName << " with StreamCo, Nova Sports and Lumen Creators in "
        << "\"Summer Splash 2026\" (US, GB, JP); Orbit Media takes part in nothing.\n";
  }
  out << "Demo log-ins (email / password):\n";
  for (const DemoUser& u : kUsers) {
    out << "  " << u.email << " / " << u.password << "   (" << u.role << ", " << u.org << ")\n";
  }
  return OkStatus();
}

}  // namespace tutti::cli

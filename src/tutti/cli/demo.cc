// The demo seed: a believable multi-partner activation to explore the product with. Goes through
// the Store like any other change, so the demo's history is in the audit trail too.
#include <iostream>
#include <map>

#include "tutti/base/crypto.h"
#include "tutti/cli/cli.h"
#include "tutti/core/agreement.h"
#include "tutti/core/brief.h"

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
                   {"data_sharing", Json{{"scope", Json::array({"aggregates", "conversions"})},
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

// The demo's publishing and crisis rules (docs/assets.md, docs/publishing.md, docs/archive.md):
// the naming template and brand every upload is held to, the UTM taxonomy links on posts are
// tagged from, the crisis-response templates and the incident roster, so that the demo is set up
// the way a real activation is. Through the
// Store like any other change, so both are versioned and audited. Not thread-safe (run once, by
// `tutti demo`).
#include <ostream>

#include "tutti/cli/cli.h"
#include "tutti/publishing/utm.h"

namespace tutti::cli {

Status SeedDemoPublishing(storage::Store& store, std::ostream& out) {
  TUTTI_ASSIGN_OR_RETURN(storage::OrgRecord host, store.FindOrgByName("Acme Beverages"));
  TUTTI_ASSIGN_OR_RETURN(std::vector<storage::ActivationRecord> activations,
                         store.ListActivationsVisibleTo(host.id));
  if (activations.empty()) return NotFound("the demo activation is missing", "activation");
  const std::string activation_id = activations.front().id;
  TUTTI_ASSIGN_OR_RETURN(storage::UtmTaxonomyRecord stored, store.GetUtmTaxonomy(activation_id));
  if (stored.version > 0) return OkStatus();
  TUTTI_ASSIGN_OR_RETURN(storage::UserRecord olivia, store.FindUserByEmail("olivia@acme.example"));
  const storage::Actor actor{olivia.id, host.id};
  const storage::Authorize allow = [](const storage::ActivationRecord&) { return OkStatus(); };

  storage::AssetSettingsRecord settings;
  settings.activation_id = activation_id;
  settings.naming_template = "{brand}_{partner}_{platform}_{locale}_{yyyymmdd}_v{version}";
  settings.brand = "acme";
  TUTTI_RETURN_IF_ERROR(store.PutAssetSettings(settings, 0, actor, allow).status());

  const Json taxonomy = {
      {"version", "2026-06"},
      {"required", Json::array({"utm_content"})},
      {"values",
       {{"utm_source", Json::array({"instagram", "tiktok", "youtube", "newsletter", "streamco"})},
        {"utm_medium", Json::array({"paid_social", "social", "email", "ctv"})}}},
      {"campaign_naming",
       {{"separator", "_"},
        {"segments", Json::array({Json{{"name", "brand"}, {"values", Json::array({"acme"})}},
                                  Json{{"name", "campaign"},
                                       {"values", Json::array({"summer-splash-2026"})}}})}}},
      {"medium_channels",
       {{"paid_social", "Paid Social"},
        {"social", "Organic Social"},
        {"email", "Email"},
        {"ctv", "Display"}}},
      {"internal_hosts", Json::array({"acme.example"})}};
  // The same parser the API runs, so the demo can never store what a user could not.
  TUTTI_RETURN_IF_ERROR(publishing::ParseTaxonomy(taxonomy).status());
  TUTTI_RETURN_IF_ERROR(store.PutUtmTaxonomy(activation_id, taxonomy, 0, actor, allow).status());

  // The crisis playbook: two pre-approved templates and one draft still waiting for sign-off.
  TUTTI_ASSIGN_OR_RETURN(storage::UserRecord felix, store.FindUserByEmail("felix@acme.example"));
  const storage::Actor approver{felix.id, host.id};
  const struct {
    storage::CrisisTemplateContent content;
    bool approved;
  } templates[] = {
      {{"Pause statement: product recall",
        "product recall",
        "We have paused all Summer Splash posts while we look into reports about {product}. "
        "Your safety comes first; details at acme.example/recall.",
        {"instagram", "tiktok", "press"}},
       true},
      {{"Athlete controversy holding line",
        "partner controversy",
        "We are aware of the reports about {name} and are talking with Nova Sports. Summer "
        "Splash content featuring {name} is paused until we know more.",
        {"instagram", "tiktok", "x"}},
       true},
      {{"Launch-night outage apology",
        "platform outage",
        "The Summer Splash stream is down for some of you; StreamCo is on it. We will post here "
        "the moment it is back.",
        {"instagram", "x"}},
       false},
  };
  for (const auto& t : templates) {
    TUTTI_ASSIGN_OR_RETURN(storage::CrisisTemplateRecord created,
                           store.CreateCrisisTemplate(activation_id, t.content, actor, allow));
    if (t.approved) {
      TUTTI_RETURN_IF_ERROR(
          store.ApproveCrisisTemplate(activation_id, created.id, 1, approver, allow).status());
    }
  }

  // Who acts when something goes wrong, in the order they are called.
  auto user = [&](const char* email) -> Result<std::string> {
    TUTTI_ASSIGN_OR_RETURN(storage::UserRecord u, store.FindUserByEmail(email));
    return u.id;
  };
  TUTTI_ASSIGN_OR_RETURN(std::string sam, user("sam@streamco.example"));
  TUTTI_ASSIGN_OR_RETURN(std::string nina, user("nina@novasports.example"));
  TUTTI_ASSIGN_OR_RETURN(std::string wanda, user("wanda@acme.example"));
  const std::vector<storage::IncidentRosterEntry> roster = {
      {"incident lead", felix.id, olivia.id, "+1 555 0100", 1},
      {"brand owner", olivia.id, "", "+1 555 0101", 2},
      {"social desk", wanda, felix.id, "+1 555 0102", 3},
      {"media partner", sam, "", "+44 20 7946 0018", 4},
      {"athlete relations", nina, "", "+1 555 0147", 5},
  };
  TUTTI_RETURN_IF_ERROR(store.PutIncidentRoster(activation_id, roster, 0, actor, allow).status());
  out << "Demo publishing and crisis rules: the asset naming template, the UTM taxonomy, three "
         "crisis templates (two pre-approved) and the incident roster.\n";
  return OkStatus();
}

}  // namespace tutti::cli

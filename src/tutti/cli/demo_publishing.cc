// The demo's publishing and crisis rules (docs/assets.md, docs/publishing.md, docs/archive.md):
// the naming template and brand every upload is held to, the UTM taxonomy links on posts are
// tagged from, the crisis-response templates and the incident roster, so that the demo is set up
// the way a real activation is; and the content of two calendar posts, so that the post dialog
// shows both disclosure states: Nova Sports' kit reveal, disclosed, with a tagged link, and
// StreamCo's paid launch post on X, which does not disclose (and keeps its agency's link as
// written, with the findings). Through the Store like any other change, so everything is
// versioned and audited. Not thread-safe (run once, by `tutti demo`).
#include <optional>
#include <ostream>
#include <utility>

#include "tutti/cli/cli.h"
#include "tutti/publishing/utm.h"
#include "tutti/service/post_content.h"

namespace tutti::cli {
namespace {

const storage::Authorize kAllow = [](const storage::ActivationRecord&) { return OkStatus(); };

Status SeedRules(storage::Store& store, const std::string& activation_id,
                 const storage::OrgRecord& host, std::ostream& out) {
  TUTTI_ASSIGN_OR_RETURN(storage::UserRecord olivia, store.FindUserByEmail("olivia@acme.example"));
  const storage::Actor actor{olivia.id, host.id};

  storage::AssetSettingsRecord settings;
  settings.activation_id = activation_id;
  settings.naming_template = "{brand}_{partner}_{platform}_{locale}_{yyyymmdd}_v{version}";
  settings.brand = "acme";
  TUTTI_RETURN_IF_ERROR(store.PutAssetSettings(settings, 0, actor, kAllow).status());

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
  TUTTI_RETURN_IF_ERROR(store.PutUtmTaxonomy(activation_id, taxonomy, 0, actor, kAllow).status());

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
                           store.CreateCrisisTemplate(activation_id, t.content, actor, kAllow));
    if (t.approved) {
      TUTTI_RETURN_IF_ERROR(
          store.ApproveCrisisTemplate(activation_id, created.id, 1, approver, kAllow).status());
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
  TUTTI_RETURN_IF_ERROR(store.PutIncidentRoster(activation_id, roster, 0, actor, kAllow).status());
  out << "Demo publishing and crisis rules: the asset naming template, the UTM taxonomy, three "
         "crisis templates (two pre-approved) and the incident roster.\n";
  return OkStatus();
}

struct DemoContent {
  const char* post_id;
  const char* author_email;
  const char* copy;
  const char* format;
  bool paid;
  bool platform_flag;
  const char* media_disclosure;
  std::vector<service::PostLinkInput> links;
};

// Each post gets its first version once: a post that already has content (an earlier
// `tutti demo`, or a user's edit) is left as it is.
Status SeedPostContent(storage::Store& store, const std::string& activation_id,
                       const storage::UtmTaxonomyRecord& stored, std::ostream& out) {
  TUTTI_ASSIGN_OR_RETURN(publishing::UtmTaxonomy parsed,
                         publishing::ParseTaxonomy(stored.document));
  const std::optional<publishing::UtmTaxonomy> taxonomy = std::move(parsed);
  const std::vector<DemoContent> contents = {
      {"nova-kit-us",
       "nina@novasports.example",
       "#ad Meet the Summer Splash kit: Nova Sports athletes in Acme's three new flavours.\n"
       "Shop the drop before launch night. #summersplash",
       "image",
       false,
       true,
       "shown",
       // utm_source (instagram) and utm_medium (social) are derived from the post.
       {{"https://novasports.example/summer-splash",
         false,
         {{"utm_campaign", "acme_summer-splash-2026"}, {"utm_content", "kit_reveal"}}}}},
      {"sc-x-us",
       "sam@streamco.example",
       "Summer Splash starts tonight on StreamCo. Stream the launch first, thanks Acme!",
       "text",
       true,
       false,
       "none",
       {{"https://streamco.example/summer-splash?utm_source=X&utm_medium=paid_social", true, {}}}},
  };
  int added = 0;
  for (const DemoContent& c : contents) {
    TUTTI_ASSIGN_OR_RETURN(std::vector<storage::PostContentRecord> existing,
                           store.ListPostContents(activation_id, c.post_id));
    if (!existing.empty()) continue;
    TUTTI_ASSIGN_OR_RETURN(storage::UserRecord author, store.FindUserByEmail(c.author_email));
    TUTTI_RETURN_IF_ERROR(
        store
            .AddPostContent(
                activation_id, c.post_id, {}, 0, storage::Actor{author.id, author.org_id},
                [&](const storage::ActivationRecord& a, const storage::PostContentContext& context)
                    -> Result<storage::PostContentDraft> {
                  const std::string post_org = context.post.value("partner", a.host_org_id);
                  storage::PostContentDraft draft;
                  draft.content = Json{{"copy", c.copy},
                                       {"format", c.format},
                                       {"paid", c.paid},
                                       {"partner", post_org != a.host_org_id},
                                       {"platform_flag", c.platform_flag},
                                       {"media_disclosure", c.media_disclosure},
                                       {"asset_ids", Json::array()},
                                       {"platform", context.post.value("platform", "")}};
                  for (size_t i = 0; i < c.links.size(); ++i) {
                    TUTTI_ASSIGN_OR_RETURN(
                        Json link,
                        service::TagOrValidatePostLink(c.links[i], i, taxonomy,
                                                       context.post.value("platform", ""), c.paid));
                    draft.links.push_back(std::move(link));
                  }
                  draft.disclosure = service::PostDisclosureJson(draft.content);
                  draft.taxonomy_version = context.taxonomy.version;
                  return draft;
                })
            .status());
    ++added;
  }
  if (added > 0) {
    out << "Demo post content: " << added
        << " posts with copy and links (one disclosed, one paid post that does not disclose).\n";
  }
  return OkStatus();
}

}  // namespace

Status SeedDemoPublishing(storage::Store& store, std::ostream& out) {
  TUTTI_ASSIGN_OR_RETURN(storage::OrgRecord host, store.FindOrgByName("Acme Beverages"));
  TUTTI_ASSIGN_OR_RETURN(std::vector<storage::ActivationRecord> activations,
                         store.ListActivationsVisibleTo(host.id));
  if (activations.empty()) return NotFound("the demo activation is missing", "activation");
  const std::string activation_id = activations.front().id;
  TUTTI_ASSIGN_OR_RETURN(storage::UtmTaxonomyRecord stored, store.GetUtmTaxonomy(activation_id));
  if (stored.version == 0) {
    TUTTI_RETURN_IF_ERROR(SeedRules(store, activation_id, host, out));
    TUTTI_ASSIGN_OR_RETURN(stored, store.GetUtmTaxonomy(activation_id));
  }
  return SeedPostContent(store, activation_id, stored, out);
}

}  // namespace tutti::cli

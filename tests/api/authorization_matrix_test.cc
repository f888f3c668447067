// The authorization matrix (OWASP Authorization Testing Automation): every route the server
// serves × every kind of caller → the exact status expected, written as data and run against the
// real server. Callers are anonymous, a user of an unrelated organisation (Orbit), partner users
// with and without the right (StreamCo's contributor and partner admin), another partner (Nova),
// the host's viewer, facilitator and owner, and a StreamCo API key that may only read.
//
// Rules the table encodes: an activation and everything in it exists only for its host and its
// partners (404 for anyone else, never 403, so ids leak nothing); a partner's agreement,
// contribution and notes exist only for the host and that partner; being able to see something
// but not change it is 403. Every denied request must also change nothing (the audit chain does
// not grow), and every allowed mutation must append to it.
//
// A route the server serves that has no row here fails CoversEveryServedRoute, so a new route
// cannot skip the matrix.
#include <gtest/gtest.h>

#include <array>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "support/media_samples.h"
#include "support/test_server.h"
#include "tutti/base/crypto.h"
#include "tutti/service/asset_uploads.h"

namespace tutti::testing {
namespace {

enum Principal : size_t {
  kAnonymous,
  kUna,     // Orbit Media partner_admin: takes part in nothing
  kSofia,   // StreamCo contributor
  kSam,     // StreamCo partner_admin
  kNina,    // Nova Sports partner_admin: another partner of the same activation
  kVictor,  // host viewer
  kFelix,   // host facilitator
  kOlivia,  // host owner
  kKey,     // a StreamCo API key with the single scope activations:read
  kPrincipalCount,
};

constexpr std::array<const char*, kPrincipalCount> kPrincipalNames = {"anonymous",
                                                                      "una(orbit)",
                                                                      "sofia(streamco contributor)",
                                                                      "sam(streamco admin)",
                                                                      "nina(nova admin)",
                                                                      "victor(host viewer)",
                                                                      "felix(host facilitator)",
                                                                      "olivia(host owner)",
                                                                      "streamco read-only API key"};

// Objects the matrix needs beyond the demo seed, created in every fixture.
struct Prepared {
  std::string read_key_token;     // kKey's credential
  std::string revocable_key;      // a StreamCo key the DELETE row revokes
  std::string host_playbook;      // a playbook saved from the demo activation
  std::string sam_feed;           // Sam's own calendar feed
  std::string sam_feed_token;     // its secret
  std::string streamco_feed;      // StreamCo's organisation feed, created by Sam
  std::string streamco_approval;  // StreamCo's post up for the host's review (pending)
  std::string returned_approval;  // another, sent back by Felix with changes requested
  std::string streamco_asset;     // StreamCo's draft (not shared), uploaded by Sam
  std::string host_master;        // the host's shared master asset
  std::string streamco_variant;   // StreamCo's draft German variant of it
  std::string crisis_template;    // the host's recall template, drafted by Felix, unapproved
  std::string legal_hold;         // an active hold Olivia placed on the demo
  std::string nova_freeze;        // an active freeze of Nova's posts, by Nina
};

struct Context {
  const DemoWorld& demo;
  const Prepared& prepared;
};

using BodyFn = Json (*)(const Context&);

struct MatrixRow {
  const char* method;
  const char* path;     // exactly the route's template in api.cc
  const char* touches;  // what object the row aims at, for humans
  // Path parameter -> symbolic target (see Resolve).
  std::vector<std::pair<const char*, const char*>> params;
  const char* query;  // appended after '?', or nullptr
  BodyFn body;        // nullptr: no body
  //         anon  una  sofia sam  nina victor felix olivia key
  std::array<int, kPrincipalCount> expected;
  // Callers whose 2xx is by design a no-op that appends nothing (bit per Principal).
  unsigned no_op_callers = 0;
  // A body in another format than JSON (event uploads): its media type and content.
  const char* raw_type = nullptr;
  const char* raw_body = nullptr;
  // A body with NUL bytes (asset uploads), sent with raw_type instead of raw_body.
  std::string (*raw_bytes)() = nullptr;
};

std::string SmallPng() { return media_samples::Png(4, 4); }

// The plan of issue 3 and a small content calendar, for the scheduling rows (and stored on the
// demo activation by Prepare, so that the what-if row has a plan to delay).
Json ExamplePlan() {
  return Json::parse(R"({"launch": {"local": "2026-06-01T09:00",
      "markets": [{"name": "US", "tz": "America/New_York"}, {"name": "JP", "tz": "Asia/Tokyo"}],
      "on_gap": "shift_forward", "on_overlap": "earliest"},
    "milestones": [{"id": "brief", "duration": "3d", "buffer": "1d", "owner": "ana"},
                   {"id": "qa", "duration": "36h", "after": ["brief", {"id": "legal", "lag": "4h"}]},
                   {"id": "legal", "duration": "90m"}]})");
}

Json ExampleCalendar(const Context& c) {
  Json calendar = Json::parse(R"({"posts": [
      {"id": "p1", "platform": "instagram", "market": "US", "at": "2026-06-01T13:00:00Z"}],
    "blackouts": [{"name": "Memorial Day", "start": "2026-05-25T00:00:00Z",
                   "end": "2026-05-26T00:00:00Z"}]})");
  calendar["posts"][0]["partner"] = c.demo.streamco;
  return calendar;
}

// StreamCo's trailer post in the demo calendar, moved.
Json ExamplePost(const Context&) {
  return Json{{"platform", "youtube"}, {"market", "US"}, {"at", "2027-01-05T15:00:00Z"}};
}

Json ExampleContract() {
  return Json::parse(R"({"feed": "streamco-events", "fields": [
      {"name": "event_id", "type": "string", "privacy": "pseudonymous", "role": "event_id"},
      {"name": "email", "type": "string", "privacy": "raw_identifier", "identifier": "email",
       "role": "user_key"},
      {"name": "ts", "type": "timestamp", "privacy": "aggregate", "role": "timestamp"},
      {"name": "type", "type": "string", "privacy": "aggregate", "role": "event_type"}]})");
}

Json CrisisTemplate(const Context&) {
  return Json{{"title", "Product recall"},
              {"situation", "product recall"},
              {"body", "We are recalling batch 42."},
              {"channels", {"instagram"}}};
}

Json ExampleWindows(const Context&) {
  return Json::parse(R"({"blackouts": [{"name": "Memorial Day",
      "start": "2026-05-25T00:00:00Z", "end": "2026-05-26T00:00:00Z"}]})");
}

std::string Resolve(const Context& c, const std::string& target) {
  const DemoWorld& d = c.demo;
  if (target == "demo_activation") return d.activation;
  if (target == "host") return d.host_org;
  if (target == "streamco") return d.streamco;
  if (target == "nova") return d.nova;
  if (target == "orbit") return d.orbit;
  if (target == "sofia") return d.User(demo::kSofia);
  if (target == "wanda") return d.User(demo::kWanda);
  if (target == "hero_workstream") return d.workstreams.at("creative");  // owned by Wanda
  if (target == "revocable_key") return c.prepared.revocable_key;
  if (target == "host_playbook") return c.prepared.host_playbook;
  if (target == "streamco_post") return "sc-trailer-us";         // in the demo's content calendar
  if (target == "streamco_feed_name") return "streamco-events";  // stored by Prepare
  if (target == "sam_feed") return c.prepared.sam_feed;
  if (target == "sam_feed_token") return c.prepared.sam_feed_token;
  if (target == "streamco_feed") return c.prepared.streamco_feed;
  if (target == "pilot_phase") return "pilot";  // the demo's current phase
  if (target == "full_deployment_phase") return "full_deployment";
  if (target == "tracking_qa_item") return "tracking_qa";  // unticked in the demo
  if (target == "streamco_approval") return c.prepared.streamco_approval;
  if (target == "returned_approval") return c.prepared.returned_approval;
  if (target == "streamco_asset") return c.prepared.streamco_asset;
  if (target == "first_version") return "1";
  if (target == "host_master") return c.prepared.host_master;
  if (target == "streamco_variant") return c.prepared.streamco_variant;
  if (target == "crisis_template") return c.prepared.crisis_template;
  if (target == "legal_hold") return c.prepared.legal_hold;
  if (target == "streamco_x_post") return "sc-x-us";  // approved content, ready to publish
  if (target == "nova_freeze") return c.prepared.nova_freeze;
  ADD_FAILURE() << "unknown matrix target " << target;
  return target;
}

// Columns of `expected`: anonymous, una, sofia, sam, nina, victor, felix, olivia, key.
// clang-format off
const std::vector<MatrixRow>& Matrix() {
  static const std::vector<MatrixRow> rows = {
      // ---- public ----
      {"GET", "/healthz", "nothing", {}, nullptr, nullptr,
       {200, 200, 200, 200, 200, 200, 200, 200, 200}},
      {"GET", "/api/v1/openapi.json", "the API description", {}, nullptr, nullptr,
       {200, 200, 200, 200, 200, 200, 200, 200, 200}},
      {"POST", "/api/v1/auth/login", "Victor's account", {}, nullptr,
       [](const Context&) {
         return Json{{"email", demo::kVictor}, {"password", demo::kHostPassword}};
       },
       {200, 200, 200, 200, 200, 200, 200, 200, 200}},
      // ---- the caller itself ----
      // An API key has no session to end: its logout is an accepted no-op.
      {"POST", "/api/v1/auth/logout", "the caller's session", {}, nullptr, nullptr,
       {401, 204, 204, 204, 204, 204, 204, 204, 204}, 1u << kKey},
      {"GET", "/api/v1/me", "the caller", {}, nullptr, nullptr,
       {401, 200, 200, 200, 200, 200, 200, 200, 200}},
      // ---- organisations, users, API keys ----
      {"GET", "/api/v1/orgs", "organisation list (filtered)", {}, nullptr, nullptr,
       {401, 200, 200, 200, 200, 200, 200, 200, 200}},
      {"POST", "/api/v1/orgs", "a new partner organisation", {}, nullptr,
       [](const Context&) { return Json{{"name", "Pixel Agency"}, {"kind", "partner"}}; },
       {401, 403, 403, 403, 403, 403, 403, 201, 403}},
      {"GET", "/api/v1/orgs/{org_id}", "StreamCo", {{"org_id", "streamco"}}, nullptr, nullptr,
       {401, 404, 200, 200, 404, 200, 200, 200, 200}},
      {"GET", "/api/v1/orgs/{org_id}", "the host organisation", {{"org_id", "host"}}, nullptr,
       nullptr,
       {401, 404, 404, 404, 404, 200, 200, 200, 404}},
      {"GET", "/api/v1/orgs/{org_id}/users", "StreamCo's users", {{"org_id", "streamco"}},
       nullptr, nullptr,
       {401, 404, 200, 200, 404, 200, 200, 200, 403}},
      {"POST", "/api/v1/orgs/{org_id}/users", "a new StreamCo user", {{"org_id", "streamco"}},
       nullptr,
       [](const Context&) {
         return Json{{"email", "new.hire@streamco.example"}, {"name", "New Hire"},
                     {"role", "contributor"}, {"password", "correct horse battery"}};
       },
       {401, 404, 403, 201, 404, 403, 403, 403, 403}},
      {"PATCH", "/api/v1/users/{user_id}", "Sofia (StreamCo)", {{"user_id", "sofia"}}, nullptr,
       [](const Context&) { return Json{{"name", "Sofia B."}}; },
       {401, 404, 403, 200, 404, 403, 403, 403, 403}},
      {"GET", "/api/v1/orgs/{org_id}/api-keys", "StreamCo's API keys", {{"org_id", "streamco"}},
       nullptr, nullptr,
       {401, 404, 403, 200, 404, 403, 403, 403, 403}},
      {"POST", "/api/v1/orgs/{org_id}/api-keys", "a new StreamCo API key",
       {{"org_id", "streamco"}}, nullptr,
       [](const Context&) {
         return Json{{"name", "metrics feed"}, {"scopes", Json::array({"activations:read"})}};
       },
       {401, 404, 403, 201, 404, 403, 403, 403, 403}},
      {"DELETE", "/api/v1/orgs/{org_id}/api-keys/{key_id}", "a StreamCo API key",
       {{"org_id", "streamco"}, {"key_id", "revocable_key"}}, nullptr, nullptr,
       {401, 404, 403, 204, 404, 403, 403, 403, 403}},
      // ---- activations ----
      {"GET", "/api/v1/activations", "activation list (filtered)", {}, nullptr, nullptr,
       {401, 200, 200, 200, 200, 200, 200, 200, 200}},
      {"POST", "/api/v1/activations", "a new activation", {}, nullptr,
       [](const Context&) { return Json{{"name", "Autumn Push"}, {"objective", "visibility"}}; },
       {401, 403, 403, 403, 403, 403, 201, 201, 403}},
      {"GET", "/api/v1/activations/{activation_id}", "the demo activation",
       {{"activation_id", "demo_activation"}}, nullptr, nullptr,
       {401, 404, 200, 200, 200, 200, 200, 200, 200}},
      {"PATCH", "/api/v1/activations/{activation_id}", "the demo activation's brief",
       {{"activation_id", "demo_activation"}}, nullptr,
       [](const Context&) { return Json{{"description", "Rewritten by the matrix"}}; },
       {401, 404, 403, 403, 403, 403, 200, 200, 403}},
      // ---- partners and agreements ----
      {"GET", "/api/v1/activations/{activation_id}/partners", "the demo's partner list",
       {{"activation_id", "demo_activation"}}, nullptr, nullptr,
       {401, 404, 200, 200, 200, 200, 200, 200, 200}},
      {"POST", "/api/v1/activations/{activation_id}/partners", "adding Orbit to the demo",
       {{"activation_id", "demo_activation"}}, nullptr,
       [](const Context& c) { return Json{{"org_id", c.demo.orbit}, {"role", "media"}}; },
       {401, 404, 403, 403, 403, 403, 201, 201, 403}},
      {"PATCH", "/api/v1/activations/{activation_id}/partners/{org_id}",
       "StreamCo's private notes",
       {{"activation_id", "demo_activation"}, {"org_id", "streamco"}}, nullptr,
       [](const Context&) { return Json{{"notes", "Renegotiated make-goods."}}; },
       {401, 404, 403, 200, 404, 403, 200, 200, 403}},
      {"PATCH", "/api/v1/activations/{activation_id}/partners/{org_id}",
       "StreamCo's facilitator seat (structural)",
       {{"activation_id", "demo_activation"}, {"org_id", "streamco"}}, nullptr,
       [](const Context&) { return Json{{"facilitator", true}}; },
       {401, 404, 403, 403, 404, 403, 200, 200, 403}},
      {"GET", "/api/v1/activations/{activation_id}/partners/{org_id}/agreement",
       "StreamCo's agreement",
       {{"activation_id", "demo_activation"}, {"org_id", "streamco"}}, nullptr, nullptr,
       {401, 404, 200, 200, 404, 200, 200, 200, 200}},
      {"GET", "/api/v1/activations/{activation_id}/partners/{org_id}/agreement",
       "Nova's agreement",
       {{"activation_id", "demo_activation"}, {"org_id", "nova"}}, nullptr, nullptr,
       {401, 404, 404, 404, 200, 200, 200, 200, 404}},
      {"PUT", "/api/v1/activations/{activation_id}/partners/{org_id}/agreement",
       "StreamCo's agreement",
       {{"activation_id", "demo_activation"}, {"org_id", "streamco"}}, nullptr,
       [](const Context&) {
         return Json{{"content_ownership", "host"}, {"approval_turnaround_hours", 36}};
       },
       {401, 404, 403, 200, 404, 403, 200, 200, 403}},
      // ---- workstreams ----
      {"GET", "/api/v1/activations/{activation_id}/workstreams", "the demo's workstreams",
       {{"activation_id", "demo_activation"}}, nullptr, nullptr,
       {401, 404, 200, 200, 200, 200, 200, 200, 200}},
      {"POST", "/api/v1/activations/{activation_id}/workstreams", "a new workstream",
       {{"activation_id", "demo_activation"}}, nullptr,
       [](const Context& c) {
         return Json{{"kind", "community"}, {"name", "Fan community"},
                     {"primary_owner_id", c.demo.User(demo::kWanda)}};
       },
       {401, 404, 403, 403, 403, 403, 201, 201, 403}},
      {"GET", "/api/v1/activations/{activation_id}/workstreams/{workstream_id}",
       "Wanda's creative workstream",
       {{"activation_id", "demo_activation"}, {"workstream_id", "hero_workstream"}}, nullptr,
       nullptr,
       {401, 404, 200, 200, 200, 200, 200, 200, 200}},
      {"PATCH", "/api/v1/activations/{activation_id}/workstreams/{workstream_id}",
       "Wanda's creative workstream",
       {{"activation_id", "demo_activation"}, {"workstream_id", "hero_workstream"}}, nullptr,
       [](const Context&) { return Json{{"name", "Hero film, second cut"}}; },
       {401, 404, 403, 403, 403, 403, 200, 200, 403}},
      // ---- scheduling ----
      {"GET", "/api/v1/activations/{activation_id}/milestones", "the demo's plan and schedule",
       {{"activation_id", "demo_activation"}}, nullptr, nullptr,
       {401, 404, 200, 200, 200, 200, 200, 200, 200}},
      {"PUT", "/api/v1/activations/{activation_id}/milestones", "the demo's plan",
       {{"activation_id", "demo_activation"}}, nullptr,
       [](const Context&) { return ExamplePlan(); },
       {401, 404, 403, 403, 403, 403, 200, 200, 403}},
      // A what-if changes nothing, so every allowed caller's 200 appends nothing.
      {"POST", "/api/v1/activations/{activation_id}/milestones/what-if",
       "delaying the demo's QA (hypothetically)",
       {{"activation_id", "demo_activation"}}, nullptr,
       [](const Context&) { return Json{{"delay", {{"id", "qa"}, {"by", "2d"}}}}; },
       {401, 404, 200, 200, 200, 200, 200, 200, 200},
       (1u << kSofia) | (1u << kSam) | (1u << kNina) | (1u << kVictor) | (1u << kFelix) |
           (1u << kOlivia) | (1u << kKey)},
      {"GET", "/api/v1/activations/{activation_id}/posts", "the demo's content calendar",
       {{"activation_id", "demo_activation"}}, nullptr, nullptr,
       {401, 404, 200, 200, 200, 200, 200, 200, 200}},
      {"PUT", "/api/v1/activations/{activation_id}/posts", "the demo's content calendar",
       {{"activation_id", "demo_activation"}}, nullptr,
       &ExampleCalendar,
       {401, 404, 403, 403, 403, 403, 200, 200, 403}},
      // A partner's people schedule its own posts; another partner may not touch them.
      {"PUT", "/api/v1/activations/{activation_id}/posts/{post_id}", "StreamCo's demo post",
       {{"activation_id", "demo_activation"}, {"post_id", "streamco_post"}}, nullptr,
       &ExamplePost,
       {401, 404, 200, 200, 403, 403, 200, 200, 403}},
      {"DELETE", "/api/v1/activations/{activation_id}/posts/{post_id}", "StreamCo's demo post",
       {{"activation_id", "demo_activation"}, {"post_id", "streamco_post"}}, nullptr, nullptr,
       {401, 404, 200, 200, 403, 403, 200, 200, 403}},
      {"GET", "/api/v1/activations/{activation_id}/windows", "the demo's windows and blackouts",
       {{"activation_id", "demo_activation"}}, nullptr, nullptr,
       {401, 404, 200, 200, 200, 200, 200, 200, 200}},
      {"PUT", "/api/v1/activations/{activation_id}/windows", "the demo's windows and blackouts",
       {{"activation_id", "demo_activation"}}, nullptr, &ExampleWindows,
       {401, 404, 403, 403, 403, 403, 200, 200, 403}},
      // ---- measurement: contracts, uploads, consent, erasure ----
      {"GET", "/api/v1/activations/{activation_id}/contracts", "the demo's data contracts",
       {{"activation_id", "demo_activation"}}, nullptr, nullptr,
       {401, 404, 200, 200, 200, 200, 200, 200, 200}},
      {"PUT", "/api/v1/activations/{activation_id}/contracts/{feed}", "StreamCo's feed contract",
       {{"activation_id", "demo_activation"}, {"feed", "streamco_feed_name"}}, nullptr,
       [](const Context& c) { return Json{{"org_id", c.demo.streamco}, {"contract", ExampleContract()}}; },
       {401, 404, 403, 200, 403, 403, 200, 200, 403}},
      // A feed exists only for its own organisation: everyone else's organisation has none.
      {"POST", "/api/v1/feeds/{feed}/events", "events into StreamCo's feed",
       {{"feed", "streamco_feed_name"}}, nullptr, nullptr,
       {401, 404, 200, 200, 404, 404, 404, 404, 403}, 0, "text/csv",
       "event_id,email,ts,type\nm1,ana@example.com,2026-05-04T08:00:00Z,click\n"},
      {"GET", "/api/v1/activations/{activation_id}/attribution", "credit in the demo",
       {{"activation_id", "demo_activation"}}, "model=last,linear", nullptr,
       {401, 404, 200, 200, 200, 200, 200, 200, 200}},
      {"POST", "/api/v1/consents", "an opt-out", {}, nullptr,
       [](const Context&) {
         return Json{{"user_key", "matrix-key"}, {"purpose", "measurement"}, {"granted", false}};
       },
       {401, 200, 403, 200, 200, 403, 200, 200, 403}},
      {"POST", "/api/v1/erasures", "a user key", {}, nullptr,
       [](const Context&) { return Json{{"user_key", "matrix-key"}}; },
       {401, 200, 403, 200, 200, 403, 403, 200, 403}},
      // ---- phase gates: the demo activation is in its pilot phase ----
      {"GET", "/api/v1/activations/{activation_id}/gates", "the demo's gates and decisions",
       {{"activation_id", "demo_activation"}}, nullptr, nullptr,
       {401, 404, 200, 200, 200, 200, 200, 200, 200}},
      {"PUT", "/api/v1/activations/{activation_id}/gates/{phase}",
       "the demo's full-deployment criteria",
       {{"activation_id", "demo_activation"}, {"phase", "full_deployment_phase"}}, nullptr,
       [](const Context&) {
         return Json{{"metrics", {{{"metric", "roas"}, {"op", ">="}, {"value", 3}}}}};
       },
       {401, 404, 403, 403, 403, 403, 200, 200, 403}},
      {"PUT", "/api/v1/activations/{activation_id}/gates/{phase}/checklist/{item_id}",
       "the pilot's tracking QA item",
       {{"activation_id", "demo_activation"}, {"phase", "pilot_phase"},
        {"item_id", "tracking_qa_item"}}, nullptr,
       [](const Context&) { return Json{{"checked", true}}; },
       {401, 404, 403, 403, 403, 403, 200, 200, 403}},
      // A sign-off is a person's: any of the host's or partners' people but viewers.
      {"POST", "/api/v1/activations/{activation_id}/gates/{phase}/sign-offs",
       "signing the pilot gate",
       {{"activation_id", "demo_activation"}, {"phase", "pilot_phase"}}, nullptr,
       [](const Context&) { return Json{{"comment", "Ready from our side"}}; },
       {401, 404, 201, 201, 201, 403, 201, 201, 403}},
      {"POST", "/api/v1/activations/{activation_id}/gates/{phase}/decisions",
       "a no-go on the pilot gate",
       {{"activation_id", "demo_activation"}, {"phase", "pilot_phase"}}, nullptr,
       [](const Context&) { return Json{{"verdict", "no_go"}, {"reason", "Tracking QA first"}}; },
       {401, 404, 403, 403, 403, 403, 201, 201, 403}},
      // ---- approval workflows: a partner sees its own requests, never another partner's ----
      {"GET", "/api/v1/activations/{activation_id}/approvals", "the demo's requests (filtered)",
       {{"activation_id", "demo_activation"}}, nullptr, nullptr,
       {401, 404, 200, 200, 200, 200, 200, 200, 200}},
      {"POST", "/api/v1/activations/{activation_id}/approvals",
       "putting one's own organisation's post up for approval",
       {{"activation_id", "demo_activation"}}, nullptr,
       [](const Context&) {
         return Json{{"subject", {{"kind", "post"}, {"id", "p-9"}}}, {"title", "Teaser"},
                     {"workflow", "default"}};
       },
       {401, 404, 201, 201, 201, 403, 201, 201, 403}},
      {"GET", "/api/v1/activations/{activation_id}/approvals/breaches",
       "the demo's SLA breaches (filtered)",
       {{"activation_id", "demo_activation"}}, nullptr, nullptr,
       {401, 404, 200, 200, 200, 200, 200, 200, 200}},
      {"GET", "/api/v1/activations/{activation_id}/approvals/{approval_id}",
       "StreamCo's post up for review",
       {{"activation_id", "demo_activation"}, {"approval_id", "streamco_approval"}}, nullptr,
       nullptr,
       {401, 404, 200, 200, 404, 200, 200, 200, 200}},
      // The workflow says who decides (the host's owners or facilitators): seeing is not deciding.
      {"POST", "/api/v1/activations/{activation_id}/approvals/{approval_id}/decisions",
       "approving StreamCo's post",
       {{"activation_id", "demo_activation"}, {"approval_id", "streamco_approval"}}, nullptr,
       [](const Context&) { return Json{{"step", "host review"}, {"decision", "approve"}}; },
       {401, 404, 403, 403, 404, 403, 201, 201, 403}},
      {"POST", "/api/v1/activations/{activation_id}/approvals/{approval_id}/resubmit",
       "StreamCo's post, sent back for changes",
       {{"activation_id", "demo_activation"}, {"approval_id", "returned_approval"}}, nullptr,
       [](const Context&) { return Json{{"comment", "Cut to 15 seconds"}}; },
       {401, 404, 200, 200, 404, 403, 403, 403, 403}},
      {"GET", "/api/v1/approvals/inbox", "the caller's pending approvals", {}, nullptr, nullptr,
       {401, 200, 200, 200, 200, 200, 200, 200, 403}},
      // ---- asset library: a partner sees its own drafts and what was shared ----
      {"GET", "/api/v1/activations/{activation_id}/assets", "the demo's assets (filtered)",
       {{"activation_id", "demo_activation"}}, nullptr, nullptr,
       {401, 404, 200, 200, 200, 200, 200, 200, 200}},
      {"POST", "/api/v1/activations/{activation_id}/assets", "uploading a new asset",
       {{"activation_id", "demo_activation"}}, "name=matrix_v1.png", nullptr,
       {401, 404, 201, 201, 201, 403, 201, 201, 403}, 0, "image/png", nullptr, &SmallPng},
      {"GET", "/api/v1/activations/{activation_id}/assets/{asset_id}", "StreamCo's draft",
       {{"activation_id", "demo_activation"}, {"asset_id", "streamco_asset"}}, nullptr, nullptr,
       {401, 404, 200, 200, 404, 200, 200, 200, 200}},
      {"GET", "/api/v1/activations/{activation_id}/assets/{asset_id}/versions/{version}/content",
       "the bytes of StreamCo's draft",
       {{"activation_id", "demo_activation"}, {"asset_id", "streamco_asset"},
        {"version", "first_version"}}, nullptr, nullptr,
       {401, 404, 200, 200, 404, 200, 200, 200, 200}},
      // Translating is the variant owner's; Nova does not see StreamCo's draft variant.
      {"PUT", "/api/v1/activations/{activation_id}/assets/{asset_id}/variants/{variant_id}/state",
       "starting StreamCo's translation of the host's master",
       {{"activation_id", "demo_activation"}, {"asset_id", "host_master"},
        {"variant_id", "streamco_variant"}}, nullptr,
       [](const Context&) { return Json{{"action", "start_translation"}}; },
       {401, 404, 200, 200, 404, 403, 403, 403, 403}},
      {"GET", "/api/v1/activations/{activation_id}/asset-settings",
       "the demo's naming template and specs", {{"activation_id", "demo_activation"}}, nullptr,
       nullptr, {401, 404, 200, 200, 200, 200, 200, 200, 200}},
      {"PUT", "/api/v1/activations/{activation_id}/asset-settings",
       "the demo's naming template and specs", {{"activation_id", "demo_activation"}}, nullptr,
       [](const Context&) {
         return Json{{"naming_template", "{brand}_{partner}_v{version}"}, {"brand", "acme"}};
       },
       {401, 404, 403, 403, 403, 403, 200, 200, 403}},
      // ---- compliant publishing: a partner's draft copy is its own until approved ----
      {"GET", "/api/v1/activations/{activation_id}/utm-taxonomy", "the demo's UTM taxonomy",
       {{"activation_id", "demo_activation"}}, nullptr, nullptr,
       {401, 404, 200, 200, 200, 200, 200, 200, 200}},
      {"PUT", "/api/v1/activations/{activation_id}/utm-taxonomy", "the demo's UTM taxonomy",
       {{"activation_id", "demo_activation"}}, nullptr,
       [](const Context&) {
         return Json{{"taxonomy", {{"version", "2026-07"}}}, {"version", 1}};
       },
       {401, 404, 403, 403, 403, 403, 200, 200, 403}},
      {"GET", "/api/v1/activations/{activation_id}/posts/{post_id}/content",
       "StreamCo's draft copy",
       {{"activation_id", "demo_activation"}, {"post_id", "streamco_post"}}, nullptr, nullptr,
       {401, 404, 200, 200, 404, 200, 200, 200, 200}},
      {"GET", "/api/v1/activations/{activation_id}/posts/{post_id}/content/versions",
       "StreamCo's draft copy, every version",
       {{"activation_id", "demo_activation"}, {"post_id", "streamco_post"}}, nullptr, nullptr,
       {401, 404, 200, 200, 404, 200, 200, 200, 200}},
      {"PUT", "/api/v1/activations/{activation_id}/posts/{post_id}/content",
       "StreamCo's draft copy",
       {{"activation_id", "demo_activation"}, {"post_id", "streamco_post"}}, nullptr,
       [](const Context&) { return Json{{"copy", "#ad Trailer, second cut"}, {"version", 1}}; },
       {401, 404, 200, 200, 403, 403, 200, 200, 403}},
      {"GET", "/api/v1/activations/{activation_id}/posts/{post_id}/publications",
       "StreamCo's approved X post's publications",
       {{"activation_id", "demo_activation"}, {"post_id", "streamco_x_post"}}, nullptr, nullptr,
       {401, 404, 200, 200, 200, 200, 200, 200, 200}},
      {"POST", "/api/v1/activations/{activation_id}/posts/{post_id}/publications",
       "StreamCo's approved X post going live",
       {{"activation_id", "demo_activation"}, {"post_id", "streamco_x_post"}}, nullptr,
       [](const Context&) { return Json{{"live_url", "https://x.example/streamco/status/1"}}; },
       {401, 404, 201, 201, 403, 403, 201, 201, 403}},
      {"GET", "/api/v1/activations/{activation_id}/freezes", "the demo's freezes",
       {{"activation_id", "demo_activation"}}, nullptr, nullptr,
       {401, 404, 200, 200, 200, 200, 200, 200, 200}},
      // A partner's owners and admins freeze their own posts only; the host's editors any.
      {"POST", "/api/v1/activations/{activation_id}/freezes", "freezing StreamCo's posts",
       {{"activation_id", "demo_activation"}}, nullptr,
       [](const Context& c) {
         return Json{{"scope", "partner"}, {"org_id", c.demo.streamco}, {"reason", "crisis"}};
       },
       {401, 404, 403, 201, 403, 403, 201, 201, 403}},
      {"POST", "/api/v1/activations/{activation_id}/freezes/{freeze_id}/lift",
       "Nova's freeze",
       {{"activation_id", "demo_activation"}, {"freeze_id", "nova_freeze"}}, nullptr,
       [](const Context&) { return Json{{"reason", "all clear"}}; },
       {401, 404, 403, 403, 200, 403, 200, 200, 403}},
      // ---- archive: the crisis playbook is everyone's; holds the host's; export audits ----
      {"GET", "/api/v1/activations/{activation_id}/crisis-templates", "the demo's crisis templates",
       {{"activation_id", "demo_activation"}}, nullptr, nullptr,
       {401, 404, 200, 200, 200, 200, 200, 200, 200}},
      {"POST", "/api/v1/activations/{activation_id}/crisis-templates", "a new crisis template",
       {{"activation_id", "demo_activation"}}, nullptr, &CrisisTemplate,
       {401, 404, 403, 403, 403, 403, 201, 201, 403}},
      {"GET", "/api/v1/activations/{activation_id}/crisis-templates/{template_id}",
       "the demo's recall template",
       {{"activation_id", "demo_activation"}, {"template_id", "crisis_template"}}, nullptr, nullptr,
       {401, 404, 200, 200, 200, 200, 200, 200, 200}},
      {"PUT", "/api/v1/activations/{activation_id}/crisis-templates/{template_id}",
       "revising the recall template",
       {{"activation_id", "demo_activation"}, {"template_id", "crisis_template"}}, nullptr,
       &CrisisTemplate,
       {401, 404, 403, 403, 403, 403, 200, 200, 403}},
      // Pre-approval is a person's word on the host's side.
      {"POST", "/api/v1/activations/{activation_id}/crisis-templates/{template_id}/approve",
       "pre-approving the recall template",
       {{"activation_id", "demo_activation"}, {"template_id", "crisis_template"}}, nullptr, nullptr,
       {401, 404, 403, 403, 403, 403, 200, 200, 403}},
      {"GET", "/api/v1/activations/{activation_id}/incident-roster", "the demo's incident roster",
       {{"activation_id", "demo_activation"}}, nullptr, nullptr,
       {401, 404, 200, 200, 200, 200, 200, 200, 200}},
      {"PUT", "/api/v1/activations/{activation_id}/incident-roster", "the demo's incident roster",
       {{"activation_id", "demo_activation"}}, nullptr,
       [](const Context&) { return Json{{"entries", Json::array()}}; },
       {401, 404, 403, 403, 403, 403, 200, 200, 403}},
      {"GET", "/api/v1/activations/{activation_id}/retention", "the demo's retention policy",
       {{"activation_id", "demo_activation"}}, nullptr, nullptr,
       {401, 404, 200, 200, 200, 200, 200, 200, 200}},
      {"PUT", "/api/v1/activations/{activation_id}/retention", "the demo's retention policy",
       {{"activation_id", "demo_activation"}}, nullptr,
       [](const Context&) { return Json{{"default_months", 36}}; },
       {401, 404, 403, 403, 403, 403, 200, 200, 403}},
      // Holds may reveal pending litigation: the host's people see them, its owners act.
      {"GET", "/api/v1/activations/{activation_id}/legal-holds", "the demo's legal holds",
       {{"activation_id", "demo_activation"}}, nullptr, nullptr,
       {401, 404, 403, 403, 403, 200, 200, 200, 403}},
      {"POST", "/api/v1/activations/{activation_id}/legal-holds", "a legal hold on the demo",
       {{"activation_id", "demo_activation"}}, nullptr,
       [](const Context&) { return Json{{"reason", "Litigation hold"}}; },
       {401, 404, 403, 403, 403, 403, 403, 201, 403}},
      {"POST", "/api/v1/activations/{activation_id}/legal-holds/{hold_id}/release",
       "releasing the demo's legal hold",
       {{"activation_id", "demo_activation"}, {"hold_id", "legal_hold"}}, nullptr,
       [](const Context&) { return Json{{"reason", "Settled"}}; },
       {401, 404, 404, 404, 404, 403, 403, 200, 404}},
      // The archive holds every partner's agreement: the host's owners and facilitators only.
      {"GET", "/api/v1/activations/{activation_id}/export", "the demo as an audit archive",
       {{"activation_id", "demo_activation"}}, nullptr, nullptr,
       {401, 404, 403, 403, 403, 403, 200, 200, 403}},
      // ---- calendar feeds: people only, never API keys ----
      {"GET", "/api/v1/calendar-feeds", "the caller's feeds", {}, nullptr, nullptr,
       {401, 200, 200, 200, 200, 200, 200, 200, 403}},
      {"POST", "/api/v1/calendar-feeds", "a feed of one's own", {}, nullptr,
       [](const Context&) { return Json{{"kind", "user"}}; },
       {401, 201, 201, 201, 201, 201, 201, 201, 403}},
      {"DELETE", "/api/v1/calendar-feeds/{feed_id}", "Sam's own feed",
       {{"feed_id", "sam_feed"}}, nullptr, nullptr,
       {401, 404, 404, 200, 404, 404, 404, 404, 403}},
      {"DELETE", "/api/v1/calendar-feeds/{feed_id}", "StreamCo's organisation feed",
       {{"feed_id", "streamco_feed"}}, nullptr, nullptr,
       {401, 404, 404, 200, 404, 404, 404, 404, 403}},
      // The secret in the URL is the credential; whoever holds it reads the feed.
      {"GET", "/feeds/{feed_token}.ics", "Sam's feed, by its secret URL",
       {{"feed_token", "sam_feed_token"}}, nullptr, nullptr,
       {200, 200, 200, 200, 200, 200, 200, 200, 200}},
      // ---- playbooks ----
      {"POST", "/api/v1/activations/{activation_id}/playbooks", "a playbook of the demo",
       {{"activation_id", "demo_activation"}}, nullptr,
       [](const Context&) { return Json{{"name", "Summer template"}}; },
       {401, 404, 403, 403, 403, 403, 201, 201, 403}},
      {"GET", "/api/v1/playbooks", "playbook list (the caller's org)", {}, nullptr, nullptr,
       {401, 200, 200, 200, 200, 200, 200, 200, 200}},
      {"GET", "/api/v1/playbooks/{playbook_id}", "the host's playbook",
       {{"playbook_id", "host_playbook"}}, nullptr, nullptr,
       {401, 404, 404, 404, 404, 200, 200, 200, 404}},
      {"POST", "/api/v1/playbooks/{playbook_id}/activations", "instantiating the host's playbook",
       {{"playbook_id", "host_playbook"}}, nullptr,
       [](const Context&) { return Json{{"name", "Winter Warmer"}}; },
       {401, 404, 404, 404, 404, 403, 201, 201, 404}},
      // ---- audit ----
      {"GET", "/api/v1/audit", "the demo's audit trail (filtered)", {},
       "activation_id={demo_activation}", nullptr,
       {401, 200, 200, 200, 200, 200, 200, 200, 200}},
      {"GET", "/api/v1/audit/verify", "the whole chain's verdict", {}, nullptr, nullptr,
       {401, 200, 200, 200, 200, 200, 200, 200, 403}},
  };
  return rows;
}
// clang-format on

// StreamCo's trailer post with disclosed draft copy; its X post approved and ready to publish;
// an active freeze of Nova's posts.
void PreparePublishing(TestServer& server, Prepared& out) {
  const DemoWorld& d = server.demo();
  const storage::Actor sam{d.User(demo::kSam), d.streamco};
  auto write = [&](const std::string& post_id) {
    auto content = server.store().AddPostContent(
        d.activation, post_id, {}, 0, sam,
        [](const storage::ActivationRecord&,
           const storage::PostContentContext&) -> Result<storage::PostContentDraft> {
          storage::PostContentDraft draft;
          draft.content =
              Json{{"copy", "#ad The trailer drops today"}, {"paid", true}, {"partner", true}};
          draft.disclosure = Json{{"ok", true}};
          return draft;
        });
    EXPECT_TRUE(content.ok()) << content.status().ToString();
  };
  write("sc-trailer-us");
  write("sc-x-us");
  auto allow = [](const storage::ActivationRecord&) { return OkStatus(); };
  auto request = server.store().CreateApproval(
      d.activation, {d.streamco, "post", "sc-x-us", "X post", std::nullopt}, sam, allow);
  EXPECT_TRUE(request.ok()) << request.status().ToString();
  if (request.ok()) {
    const governance::Actor felix{d.User(demo::kFelix), core::Role::kFacilitator,
                                  governance::Party::kHost};
    auto approved = server.store().DecideApproval(
        d.activation, request->id, {"host review", governance::DecisionKind::kApprove, ""},
        std::nullopt, storage::Actor{felix.user_id, d.host_org},
        [&felix](const storage::ActivationRecord&, const storage::ApprovalRecord&) {
          return Result<governance::Actor>(felix);
        });
    EXPECT_TRUE(approved.ok()) << approved.status().ToString();
  }
  auto freeze = server.store().CreateFreeze(
      d.activation, "partner", d.nova, "athlete injury",
      storage::Actor{d.User(demo::kNina), d.nova},
      [](const storage::ActivationRecord&, const storage::FreezeRecord&) { return OkStatus(); });
  EXPECT_TRUE(freeze.ok()) << freeze.status().ToString();
  if (freeze.ok()) out.nova_freeze = freeze->id;
  auto taxonomy =
      server.store().PutUtmTaxonomy(d.activation, Json{{"version", "2026-06"}}, 0,
                                    storage::Actor{d.User(demo::kOlivia), d.host_org}, allow);
  EXPECT_TRUE(taxonomy.ok()) << taxonomy.status().ToString();
}

Prepared Prepare(TestServer& server) {
  Prepared out;
  PreparePublishing(server, out);
  const DemoWorld& d = server.demo();
  const storage::Actor sam{d.User(demo::kSam), d.streamco};
  out.read_key_token = NewSecretToken("tak_");
  auto read_key = server.store().CreateApiKey(d.streamco, "matrix reader", {"activations:read"},
                                              TokenDigest(out.read_key_token),
                                              out.read_key_token.substr(0, 10), std::nullopt, sam);
  EXPECT_TRUE(read_key.ok()) << read_key.status().ToString();
  std::string revocable_token = NewSecretToken("tak_");
  auto revocable = server.store().CreateApiKey(d.streamco, "to revoke", {"activations:read"},
                                               TokenDigest(revocable_token),
                                               revocable_token.substr(0, 10), std::nullopt, sam);
  EXPECT_TRUE(revocable.ok()) << revocable.status().ToString();
  if (revocable.ok()) out.revocable_key = revocable->id;
  const storage::Actor olivia{d.User(demo::kOlivia), d.host_org};
  auto playbook =
      server.store().SavePlaybook(d.activation, "Matrix playbook", olivia,
                                  [](const storage::ActivationRecord&) { return OkStatus(); });
  EXPECT_TRUE(playbook.ok()) << playbook.status().ToString();
  if (playbook.ok()) out.host_playbook = playbook->id;
  auto plan =
      server.store().PutPlanDocument(d.activation, "plan", ExamplePlan(), std::nullopt, olivia,
                                     [](const storage::ActivationRecord&) { return OkStatus(); });
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  auto contract = server.store().PutDataContract(
      d.activation, d.streamco, "streamco-events", ExampleContract(), sam,
      [](const storage::ActivationRecord&) { return OkStatus(); });
  EXPECT_TRUE(contract.ok()) << contract.status().ToString();
  out.sam_feed_token = NewSecretToken("tcf_");
  auto feed = server.store().CreateCalendarFeed("user", d.streamco, d.User(demo::kSam), "Sam",
                                                TokenDigest(out.sam_feed_token), sam);
  EXPECT_TRUE(feed.ok()) << feed.status().ToString();
  if (feed.ok()) out.sam_feed = feed->id;
  auto org_feed = server.store().CreateCalendarFeed(
      "org", d.streamco, d.User(demo::kSam), "StreamCo", TokenDigest(NewSecretToken("tcf_")), sam);
  EXPECT_TRUE(org_feed.ok()) << org_feed.status().ToString();
  if (org_feed.ok()) out.streamco_feed = org_feed->id;
  const storage::NewApprovalRequest post{d.streamco, "post", "sc-trailer-us", "Trailer post",
                                         std::nullopt};
  auto allow = [](const storage::ActivationRecord&) { return OkStatus(); };
  auto approval = server.store().CreateApproval(d.activation, post, sam, allow);
  EXPECT_TRUE(approval.ok()) << approval.status().ToString();
  if (approval.ok()) out.streamco_approval = approval->id;
  auto returned = server.store().CreateApproval(d.activation, post, sam, allow);
  EXPECT_TRUE(returned.ok()) << returned.status().ToString();
  if (returned.ok()) {
    out.returned_approval = returned->id;
    const governance::Actor felix{d.User(demo::kFelix), core::Role::kFacilitator,
                                  governance::Party::kHost};
    auto sent_back = server.store().DecideApproval(
        d.activation, returned->id,
        {"host review", governance::DecisionKind::kRequestChanges, "A shorter cut, please"},
        std::nullopt, storage::Actor{felix.user_id, d.host_org},
        [&felix](const storage::ActivationRecord&, const storage::ApprovalRecord&) {
          return Result<governance::Actor>(felix);
        });
    EXPECT_TRUE(sent_back.ok()) << sent_back.status().ToString();
  }
  // Assets go through the upload pipeline, so that their files are in the server's blob store.
  const storage::BlobStore blobs(server.data_dir() / "blobs");
  // A variant's locale comes from the upload (`locale`), not from a template (the demo sets none).
  auto add_asset = [&](const std::string& org, const std::string& name, const std::string& master,
                       const std::string& locale, bool share,
                       const storage::Actor& actor) -> std::string {
    service::AssetUpload upload;
    upload.activation_id = d.activation;
    upload.owner_org_id = org;
    upload.file_name = name;
    upload.master_asset_id = master;
    upload.locale = locale;
    upload.share = share;
    auto prepared = service::PrepareAssetUpload(server.store(), upload);
    EXPECT_TRUE(prepared.ok()) << prepared.status().ToString();
    if (!prepared.ok()) return {};
    const std::string png = SmallPng();
    size_t offset = 0;
    auto asset = service::AddAsset(
        server.store(), blobs, *prepared,
        [&](char* buffer, size_t capacity) -> Result<size_t> {
          size_t n = std::min(capacity, png.size() - offset);
          png.copy(buffer, n, offset);
          offset += n;
          return n;
        },
        1 << 20, actor,
        [](const storage::ActivationRecord&, const storage::AssetRecord*,
           const storage::AssetRecord*) { return OkStatus(); });
    EXPECT_TRUE(asset.ok()) << asset.status().ToString();
    return asset.ok() ? asset->id : std::string();
  };
  out.streamco_asset = add_asset(d.streamco, "streamco_draft_v1.png", "", "", false, sam);
  out.host_master = add_asset(d.host_org, "hero_en-gb_v1.png", "", "", true, olivia);
  out.streamco_variant =
      add_asset(d.streamco, "hero_de-de_v1.png", out.host_master, "de-de", false, sam);
  {
    const storage::Actor felix{d.User(demo::kFelix), d.host_org};
    storage::CrisisTemplateContent recall{
        "Product recall", "product recall", "We are recalling.", {"instagram"}};
    auto crisis = server.store().CreateCrisisTemplate(d.activation, recall, felix, allow);
    EXPECT_TRUE(crisis.ok()) << crisis.status().ToString();
    if (crisis.ok()) out.crisis_template = crisis->id;
    auto hold = server.store().PlaceLegalHold(d.activation, "Matrix hold", olivia, allow);
    EXPECT_TRUE(hold.ok()) << hold.status().ToString();
    if (hold.ok()) out.legal_hold = hold->id;
  }
  return out;
}

std::string Credential(TestServer& server, const Prepared& prepared, Principal who) {
  switch (who) {
    case kAnonymous:
      return {};
    case kUna:
      return server.Token(demo::kUna);
    case kSofia:
      return server.Token(demo::kSofia);
    case kSam:
      return server.Token(demo::kSam);
    case kNina:
      return server.Token(demo::kNina);
    case kVictor:
      return server.Token(demo::kVictor);
    case kFelix:
      return server.Token(demo::kFelix);
    case kOlivia:
      return server.Token(demo::kOlivia);
    case kKey:
      return prepared.read_key_token;
    case kPrincipalCount:
      break;
  }
  return {};
}

std::string RequestPath(const MatrixRow& row, const Context& c) {
  std::map<std::string, std::string> params;
  for (const auto& [name, target] : row.params) params[name] = Resolve(c, target);
  std::string path = ExpandPath(row.path, params);
  if (row.query != nullptr) {
    std::map<std::string, std::string> query_params{{"demo_activation", c.demo.activation}};
    path += "?" + ExpandPath(row.query, query_params);
  }
  return path;
}

Reply SendCell(TestServer& server, const Prepared& prepared, const MatrixRow& row, Principal who) {
  Context c{server.demo(), prepared};
  const std::string credential = Credential(server, prepared, who);
  if (row.raw_body != nullptr || row.raw_bytes != nullptr) {
    httplib::Headers headers;
    if (!credential.empty()) headers.emplace("Authorization", "Bearer " + credential);
    return server.client().SendRaw(row.method, RequestPath(row, c), headers,
                                   row.raw_bytes != nullptr ? row.raw_bytes() : row.raw_body,
                                   row.raw_type);
  }
  std::optional<Json> body;
  if (row.body != nullptr) body = row.body(c);
  return server.client().Send(row.method, RequestPath(row, c), credential, body);
}

bool IsMutation(const MatrixRow& row) { return std::string(row.method) != "GET"; }

std::string RowLabel(const MatrixRow& row) {
  return std::string(row.method) + " " + row.path + " [" + row.touches + "]";
}

void ExpectCell(const MatrixRow& row, Principal who, const Reply& reply) {
  int want = row.expected[who];
  SCOPED_TRACE(RowLabel(row) + " as " + kPrincipalNames[who]);
  EXPECT_EQ(reply.status, want) << reply;
  if (want >= 400) {
    EXPECT_TRUE(reply.HasErrorEnvelope()) << reply;
  } else if (want == 204) {
    EXPECT_TRUE(reply.body.empty()) << reply;
  } else if (reply.Header("Content-Type").starts_with("text/calendar")) {
    EXPECT_TRUE(reply.body.starts_with("BEGIN:VCALENDAR\r\n")) << reply;
  } else if (reply.Header("Content-Type") == "application/x-tar") {
    EXPECT_NE(reply.body.find("manifest.json"), std::string::npos) << "an archive";
  } else if (reply.Header("Content-Type").starts_with("image/")) {
    EXPECT_TRUE(reply.body.starts_with("\x89PNG")) << "asset bytes";
  } else {
    EXPECT_TRUE(reply.json.is_object()) << reply;
  }
}

class AuthorizationMatrix : public ::testing::TestWithParam<size_t> {};

// Denied cells share one fresh fixture per row and must leave the audit chain untouched; each
// allowed mutation runs in a fixture of its own (so that, e.g., one logout cannot turn the next
// caller's request into a 401) and must append to the chain.
TEST_P(AuthorizationMatrix, EachCallerGetsExactlyTheExpectedStatus) {
  const MatrixRow& row = Matrix()[GetParam()];
  TestServer server;
  ASSERT_TRUE(server.Start().ok());
  Prepared prepared = Prepare(server);
  for (size_t i = 0; i < kPrincipalCount; ++i) {
    Principal who = static_cast<Principal>(i);
    if (row.expected[who] < 400 && IsMutation(row)) continue;
    int64_t audit_before = server.AuditCount();
    Reply reply = SendCell(server, prepared, row, who);
    ExpectCell(row, who, reply);
    if (row.expected[who] >= 400 || !IsMutation(row)) {
      EXPECT_EQ(server.AuditCount(), audit_before)
          << RowLabel(row) << " as " << kPrincipalNames[who] << " changed the audit chain";
    }
  }
  for (size_t i = 0; i < kPrincipalCount; ++i) {
    Principal who = static_cast<Principal>(i);
    if (row.expected[who] >= 400 || !IsMutation(row)) continue;
    TestServer own;
    ASSERT_TRUE(own.Start().ok());
    Prepared own_prepared = Prepare(own);
    int64_t audit_before = own.AuditCount();
    Reply reply = SendCell(own, own_prepared, row, who);
    ExpectCell(row, who, reply);
    if ((row.no_op_callers & (1u << who)) != 0) {
      EXPECT_EQ(own.AuditCount(), audit_before) << RowLabel(row) << " should be a no-op";
    } else {
      EXPECT_GT(own.AuditCount(), audit_before)
          << RowLabel(row) << " as " << kPrincipalNames[who] << " changed state without an entry";
    }
  }
}

class AuthorizationMatrixIds : public ::testing::TestWithParam<size_t> {};

// The object-level check must not depend on the object existing: an unknown but well-formed id,
// and a malformed one, are 404 even for the caller who may act on the real object.
TEST_P(AuthorizationMatrixIds, UnknownAndMalformedIdsAreNotFound) {
  const MatrixRow& row = Matrix()[GetParam()];
  size_t allowed = kPrincipalCount;
  for (size_t i = 0; i < kPrincipalCount; ++i) {
    if (row.expected[i] < 400 && i != kAnonymous) {
      allowed = i;
      break;
    }
  }
  ASSERT_NE(allowed, kPrincipalCount) << RowLabel(row) << " allows nobody";
  Principal who = static_cast<Principal>(allowed);
  TestServer server;
  ASSERT_TRUE(server.Start().ok());
  Prepared prepared = Prepare(server);
  Context c{server.demo(), prepared};
  const std::map<std::string, std::string> kPrefixes = {
      {"activation_id", "act"}, {"org_id", "org"},       {"user_id", "usr"},
      {"key_id", "key"},        {"workstream_id", "ws"}, {"playbook_id", "pb"},
      {"feed_id", "feed"},      {"feed_token", "tcf"},   {"approval_id", "apr"},
      {"asset_id", "ast"},      {"variant_id", "ast"},   {"template_id", "ctp"},
      {"hold_id", "hold"}};
  for (const auto& [name, target] : row.params) {
    // Post ids are chosen by clients and a PUT to an unknown one creates it.
    if (!kPrefixes.contains(name)) continue;
    for (const std::string& bad :
         {kPrefixes.at(name) + "_aaaaaaaaaaaaaaaaaaaa", std::string("nope")}) {
      std::map<std::string, std::string> params;
      for (const auto& [n, t] : row.params) params[n] = Resolve(c, t);
      params[name] = bad;
      std::optional<Json> body;
      if (row.body != nullptr) body = row.body(c);
      int64_t audit_before = server.AuditCount();
      Reply reply = server.client().Send(row.method, ExpandPath(row.path, params),
                                         Credential(server, prepared, who), body);
      SCOPED_TRACE(RowLabel(row) + " as " + kPrincipalNames[who] + " with " + name + "=" + bad);
      EXPECT_EQ(reply.status, 404) << reply;
      EXPECT_TRUE(reply.HasErrorEnvelope()) << reply;
      EXPECT_EQ(server.AuditCount(), audit_before);
    }
  }
}

std::string RowName(const ::testing::TestParamInfo<size_t>& info) {
  const MatrixRow& row = Matrix()[info.param];
  std::string name = std::string(row.method) + "_";
  for (char ch : std::string(row.path)) {
    name += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  }
  return name + "_" + std::to_string(info.param);
}

std::vector<size_t> RowsWithIds() {
  std::vector<size_t> out;
  for (size_t i = 0; i < Matrix().size(); ++i) {
    if (!Matrix()[i].params.empty()) out.push_back(i);
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(Routes, AuthorizationMatrix, ::testing::Range<size_t>(0, Matrix().size()),
                         RowName);
INSTANTIATE_TEST_SUITE_P(Routes, AuthorizationMatrixIds, ::testing::ValuesIn(RowsWithIds()),
                         RowName);

// A new route must come with its row; a row for a route that no longer exists is stale.
TEST(AuthorizationMatrixCoverage, CoversEveryServedRoute) {
  TestServer server(TestServerOptions{.backend = Backend::kSqlite, .seed_demo = false});
  ASSERT_TRUE(server.Start().ok());
  std::set<std::string> served;
  for (const http::Route& route : server.routes()) served.insert(route.method + " " + route.path);
  std::set<std::string> covered;
  for (const MatrixRow& row : Matrix()) covered.insert(std::string(row.method) + " " + row.path);
  for (const std::string& route : served) {
    EXPECT_TRUE(covered.contains(route)) << "route without an authorization-matrix row: " << route;
  }
  for (const std::string& route : covered) {
    EXPECT_TRUE(served.contains(route)) << "matrix row for a route the server lacks: " << route;
  }
  EXPECT_GE(served.size(), 33u);
}

TEST(AuthorizationMatrixCoverage, EveryRowHasAnAllowedAndADeniedCaller) {
  for (const MatrixRow& row : Matrix()) {
    bool allowed = false;
    for (int status : row.expected) allowed = allowed || status < 400;
    EXPECT_TRUE(allowed) << RowLabel(row) << ": a row nobody passes proves nothing";
    bool public_route = row.expected[kAnonymous] < 400;
    bool denied = public_route;
    for (int status : row.expected) denied = denied || status >= 400;
    EXPECT_TRUE(denied) << RowLabel(row);
  }
}

}  // namespace
}  // namespace tutti::testing

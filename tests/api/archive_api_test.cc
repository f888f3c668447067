// The archive routes (docs/archive.md) against the real server and demo world: crisis templates
// whose revision voids the pre-approval, the incident roster's membership rule, the retention
// policy's floor, legal holds keeping a sweep on the server's clock from deleting anything until
// released, the export read back member by member against its manifest, and every archive route
// tried by callers who must not see it (404) or may see but not act (403).
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "support/media_samples.h"
#include "support/test_server.h"
#include "tutti/base/crypto.h"
#include "tutti/service/retention.h"

namespace tutti::testing {
namespace {

using std::chrono::days;

// The members of a ustar archive by name (regular files only), read per POSIX: name at 0, size
// in octal at 124, content from the next block, padded to 512.
std::map<std::string, std::string> ReadTar(const std::string& archive) {
  std::map<std::string, std::string> out;
  size_t at = 0;
  while (at + 512 <= archive.size()) {
    const std::string header = archive.substr(at, 512);
    if (header == std::string(512, '\0')) break;
    const std::string name = header.substr(0, header.find('\0'));
    const size_t size = std::stoul(header.substr(124, 11), nullptr, 8);
    out[name] = archive.substr(at + 512, size);
    at += 512 + (size + 511) / 512 * 512;
  }
  return out;
}

class ArchiveApi : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.Start().ok()); }

  std::string Base() const { return "/api/v1/activations/" + server_.demo().activation; }
  HttpClient& client() { return server_.client(); }
  const std::string& Token(const char* email) { return server_.Token(email); }

  Json Template() {
    return Json{{"title", "Product recall"},
                {"situation", "product recall"},
                {"body", "We are recalling batch 42. Details: acme.example/recall"},
                {"channels", {"instagram", "x"}}};
  }

  TestServer server_;
};

TEST_F(ArchiveApi, ARevisedTemplateIsNoLongerPreApproved) {
  Reply created = client().Post(Base() + "/crisis-templates", Token(demo::kFelix), Template());
  ASSERT_EQ(created.status, 201) << created;
  const std::string id = created.json["id"];
  EXPECT_FALSE(created.json["pre_approved"].get<bool>());

  Reply approved = client().Post(Base() + "/crisis-templates/" + id + "/approve",
                                 Token(demo::kOlivia), Json{{"version", 1}});
  ASSERT_EQ(approved.status, 200) << approved;
  EXPECT_TRUE(approved.json["pre_approved"].get<bool>());
  EXPECT_EQ(approved.json["approved_by"], server_.demo().User(demo::kOlivia));

  Json revised = Template();
  revised["body"] = "We are voluntarily recalling batch 42.";
  revised["version"] = 1;
  Reply put = client().Put(Base() + "/crisis-templates/" + id, Token(demo::kFelix), revised);
  ASSERT_EQ(put.status, 200) << put;
  EXPECT_EQ(put.json["version"], 2);
  EXPECT_FALSE(put.json["pre_approved"].get<bool>());
  EXPECT_EQ(put.json["last_approved_version"], 1);

  Reply stale = client().Put(Base() + "/crisis-templates/" + id, Token(demo::kFelix), revised);
  EXPECT_EQ(stale.status, 409) << stale;
  Reply old_approval = client().Post(Base() + "/crisis-templates/" + id + "/approve",
                                     Token(demo::kOlivia), Json{{"version", 1}});
  EXPECT_EQ(old_approval.status, 409) << "version 1 is not what the template says now";

  // The playbook is everyone's to read, partners included.
  Reply read = client().Get(Base() + "/crisis-templates/" + id, Token(demo::kSofia));
  ASSERT_EQ(read.status, 200) << read;
  EXPECT_EQ(read.json["versions"].size(), 2u);
}

TEST_F(ArchiveApi, TemplateFieldsAreBoundedAndNamedInRefusals) {
  Json missing = Template();
  missing.erase("title");
  Reply r = client().Post(Base() + "/crisis-templates", Token(demo::kFelix), missing);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.ErrorField(), "title");
  Json long_body = Template();
  long_body["body"] = std::string(20'001, 'a');
  r = client().Post(Base() + "/crisis-templates", Token(demo::kFelix), long_body);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.ErrorField(), "body");
  Json twice = Template();
  twice["channels"] = {"x", "x"};
  r = client().Post(Base() + "/crisis-templates", Token(demo::kFelix), twice);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.ErrorField(), "channels[1]");
}

TEST_F(ArchiveApi, TheRosterNamesOnlyPeopleOfTheActivation) {
  const DemoWorld& d = server_.demo();
  Json roster{{"entries",
               {{{"duty", "incident lead"},
                 {"user_id", d.User(demo::kOlivia)},
                 {"backup_user_id", d.User(demo::kFelix)},
                 {"phone", "+44 20 7946 0000"},
                 {"order", 1}},
                {{"duty", "social desk"}, {"user_id", d.User(demo::kUna)}, {"order", 2}}}},
              {"version", 0}};
  Reply outsider = client().Put(Base() + "/incident-roster", Token(demo::kFelix), roster);
  EXPECT_EQ(outsider.status, 422) << outsider;
  EXPECT_EQ(outsider.ErrorField(), "entries[1].user_id");

  roster["entries"][1]["user_id"] = d.User(demo::kSam);
  Reply stored = client().Put(Base() + "/incident-roster", Token(demo::kFelix), roster);
  ASSERT_EQ(stored.status, 200) << stored;
  EXPECT_EQ(stored.json["version"], 1);
  Reply read = client().Get(Base() + "/incident-roster", Token(demo::kSam));
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.json["entries"][1]["user_id"], d.User(demo::kSam));

  roster["entries"][0]["phone"] = "call me";
  Reply bad_phone = client().Put(Base() + "/incident-roster", Token(demo::kFelix), roster);
  EXPECT_EQ(bad_phone.status, 422);
  EXPECT_EQ(bad_phone.ErrorField(), "entries[0].phone");
}

TEST_F(ArchiveApi, APolicyBelowTwentyFourMonthsIsRefused) {
  Reply r = client().Put(Base() + "/retention", Token(demo::kFelix), Json{{"default_months", 12}});
  EXPECT_EQ(r.status, 422) << r;
  EXPECT_EQ(r.ErrorField(), "default_months");
  EXPECT_EQ(r.ErrorCode(), "below_minimum");
  Reply ok = client().Put(Base() + "/retention", Token(demo::kFelix),
                          Json{{"by_kind", {{"post", 36}}}, {"version", 0}});
  ASSERT_EQ(ok.status, 200) << ok;
  EXPECT_EQ(ok.json["by_kind"]["post"], 36);
  EXPECT_EQ(ok.json["default_months"], 24);
  // Whether a hold is in force is the host's to know.
  EXPECT_FALSE(
      client().Get(Base() + "/retention", Token(demo::kSam)).json.contains("on_legal_hold"));
  EXPECT_TRUE(
      client().Get(Base() + "/retention", Token(demo::kOlivia)).json.contains("on_legal_hold"));
}

// Retention with legal hold, end to end: an approval decision made now is past its 24 months two
// years on; while the owner's hold stands the sweep keeps it, after the release it goes.
TEST_F(ArchiveApi, ALegalHoldKeepsTheSweepFromDeletingUntilReleased) {
  const DemoWorld& d = server_.demo();
  Reply request = client().Post(Base() + "/approvals", Token(demo::kSam),
                                Json{{"subject", {{"kind", "post"}, {"id", "p-7"}}},
                                     {"title", "Teaser"},
                                     {"workflow", "default"}});
  ASSERT_EQ(request.status, 201) << request;
  const std::string approval = request.json["id"];
  Reply decided =
      client().Post(Base() + "/approvals/" + approval + "/decisions", Token(demo::kFelix),
                    Json{{"step", "host review"}, {"decision", "approve"}});
  ASSERT_EQ(decided.status, 201) << decided;

  Reply felix_hold =
      client().Post(Base() + "/legal-holds", Token(demo::kFelix), Json{{"reason", "Litigation"}});
  EXPECT_EQ(felix_hold.status, 403) << "only the host's owner places holds";
  Reply hold =
      client().Post(Base() + "/legal-holds", Token(demo::kOlivia), Json{{"reason", "Litigation"}});
  ASSERT_EQ(hold.status, 201) << hold;

  server_.clock().Advance(days(2 * 366));
  auto sweep = [&] {
    return service::RunRetention(server_.store(), nullptr, false, storage::Actor{"system", ""});
  };
  auto decisions_of = [&] {
    auto stored = server_.store().GetApproval(d.activation, approval);
    EXPECT_TRUE(stored.ok()) << stored.status().ToString();
    return stored.ok() ? stored->decisions.size() : size_t{0};
  };
  auto held = sweep();
  ASSERT_TRUE(held.ok()) << held.status().ToString();
  EXPECT_GE(held->totals["decision"].hold, 1) << "this decision and the demo's are past 24 months";
  for (const auto& [kind, counts] : held->totals) EXPECT_EQ(counts.remove, 0) << kind;
  EXPECT_EQ(decisions_of(), 1u);

  // Two years on, the sessions of the morning have expired: the owner logs in again.
  const std::string olivia = client().Login(demo::kOlivia, demo::PasswordFor(demo::kOlivia));
  const std::string hold_id = hold.json["id"];
  Reply released = client().Post(Base() + "/legal-holds/" + hold_id + "/release", olivia,
                                 Json{{"reason", "Settled"}});
  ASSERT_EQ(released.status, 200) << released;
  EXPECT_FALSE(released.json["active"].get<bool>());
  Reply twice = client().Post(Base() + "/legal-holds/" + hold_id + "/release", olivia,
                              Json{{"reason", "Settled"}});
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(twice.ErrorCode(), "already_released");

  auto swept = sweep();
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(swept->totals["decision"].remove, held->totals["decision"].hold)
      << "what the hold kept goes once it is released";
  EXPECT_EQ(decisions_of(), 0u);
}

TEST_F(ArchiveApi, TheExportHoldsEveryDocumentAndFileWithMatchingDigests) {
  const std::string png = media_samples::Png(4, 4);
  Reply upload =
      client().SendRaw("POST", Base() + "/assets?name=hero_v1.png",
                       {{"Authorization", "Bearer " + Token(demo::kSam)}}, png, "image/png");
  ASSERT_EQ(upload.status, 201) << upload;
  ASSERT_EQ(client().Post(Base() + "/crisis-templates", Token(demo::kFelix), Template()).status,
            201);

  Reply exported = client().Get(Base() + "/export", Token(demo::kOlivia));
  ASSERT_EQ(exported.status, 200) << exported.status;
  EXPECT_EQ(exported.Header("Content-Type"), "application/x-tar");
  auto members = ReadTar(exported.body);
  const std::string sha = HexEncode(Sha256(png));
  for (const char* name :
       {"activation.json", "assets.json", "approvals.json", "gates.json", "audit.json",
        "crisis.json", "retention.json", "posts.json", "publications.json", "manifest.json"}) {
    EXPECT_TRUE(members.contains(name)) << name;
  }
  ASSERT_TRUE(members.contains("files/" + sha));
  EXPECT_EQ(members["files/" + sha], png);

  Json manifest = Json::parse(members["manifest.json"]);
  EXPECT_EQ(manifest["activation_id"], server_.demo().activation);
  EXPECT_EQ(manifest["entries"].size(), members.size() - 1) << "every member but itself";
  for (const Json& entry : manifest["entries"]) {
    const std::string name = entry["name"];
    ASSERT_TRUE(members.contains(name)) << name;
    EXPECT_EQ(entry["sha256"], HexEncode(Sha256(members[name]))) << name;
    EXPECT_EQ(entry["bytes"], members[name].size()) << name;
  }
  Json activation = Json::parse(members["activation.json"]);
  EXPECT_EQ(activation["id"], server_.demo().activation);
  EXPECT_EQ(Json::parse(members["crisis.json"])["crisis_templates"].size(), 1u);
  Json audit = Json::parse(members["audit.json"]);
  ASSERT_FALSE(audit["entries"].empty());
  for (const Json& e : audit["entries"]) EXPECT_TRUE(e.contains("hash"));

  EXPECT_EQ(client().Get(Base() + "/export", Token(demo::kSam)).status, 403)
      << "partners never export: the archive holds every partner's agreement";
}

// Every archive route, as someone outside the activation (404) and anonymously (401).
TEST_F(ArchiveApi, EveryRouteIsNotFoundForAnOutsider) {
  Reply created = client().Post(Base() + "/crisis-templates", Token(demo::kFelix), Template());
  ASSERT_EQ(created.status, 201);
  const std::string tpl = created.json["id"];
  Reply hold =
      client().Post(Base() + "/legal-holds", Token(demo::kOlivia), Json{{"reason", "Audit"}});
  ASSERT_EQ(hold.status, 201);
  const std::string hold_id = hold.json["id"];
  const Json reason{{"reason", "x"}};
  const std::vector<std::tuple<std::string, std::string, std::optional<Json>>> routes = {
      {"GET", "/crisis-templates", std::nullopt},
      {"POST", "/crisis-templates", Template()},
      {"GET", "/crisis-templates/" + tpl, std::nullopt},
      {"PUT", "/crisis-templates/" + tpl, Template()},
      {"POST", "/crisis-templates/" + tpl + "/approve", Json::object()},
      {"GET", "/incident-roster", std::nullopt},
      {"PUT", "/incident-roster", Json{{"entries", Json::array()}}},
      {"GET", "/retention", std::nullopt},
      {"PUT", "/retention", Json{{"default_months", 24}}},
      {"GET", "/legal-holds", std::nullopt},
      {"POST", "/legal-holds", reason},
      {"POST", "/legal-holds/" + hold_id + "/release", reason},
      {"GET", "/export", std::nullopt}};
  const int64_t audit_before = server_.AuditCount();
  for (const auto& [method, path, body] : routes) {
    Reply una = client().Send(method, Base() + path, Token(demo::kUna), body);
    EXPECT_EQ(una.status, 404) << method << " " << path << ": " << una;
    EXPECT_TRUE(una.HasErrorEnvelope()) << una;
    Reply anonymous = client().Send(method, Base() + path, "", body);
    EXPECT_EQ(anonymous.status, 401) << method << " " << path;
  }
  EXPECT_EQ(server_.AuditCount(), audit_before);
  // Partners see the activation but not its holds: the hold is not there for them either.
  Reply sam_release =
      client().Post(Base() + "/legal-holds/" + hold_id + "/release", Token(demo::kSam), reason);
  EXPECT_EQ(sam_release.status, 404) << sam_release;
}

}  // namespace
}  // namespace tutti::testing

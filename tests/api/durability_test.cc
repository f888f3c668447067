// What the server acknowledged is on disk: after a 2xx the server is stopped (as on SIGTERM) and
// the database file is reopened in a fresh Database and Store, which must see every acknowledged
// write and an intact audit chain.
#include <gtest/gtest.h>

#include <string>

#include "support/test_server.h"
#include "tutti/governance/audit_chain.h"

namespace tutti::testing {
namespace {

TEST(ShutdownDurability, AcknowledgedWritesSurviveStopAndReopen) {
  TestServer server;
  ASSERT_TRUE(server.Start().ok());
  HttpClient& http = server.client();
  const DemoWorld& d = server.demo();

  Reply created = http.Post("/api/v1/activations", server.Token(demo::kOlivia),
                            Json{{"name", "Durable"}, {"objective", "lead_generation"}});
  ASSERT_EQ(created.status, 201) << created;
  const std::string id = created.json["id"];
  Reply patched = http.Patch("/api/v1/activations/" + id, server.Token(demo::kOlivia),
                             Json{{"markets", {{{"name", "JP"}, {"tz", "Asia/Tokyo"}}}}});
  ASSERT_EQ(patched.status, 200) << patched;
  Reply joined = http.Post("/api/v1/activations/" + id + "/partners", server.Token(demo::kOlivia),
                           Json{{"org_id", d.nova}, {"role", "co_brand"}});
  ASSERT_EQ(joined.status, 201) << joined;
  Reply contributed =
      http.Patch("/api/v1/activations/" + id + "/partners/" + d.nova, server.Token(demo::kNina),
                 Json{{"contribution", {{"amount_micros", 5000000}, {"currency", "JPY"}}}});
  ASSERT_EQ(contributed.status, 200) << contributed;
  Reply verify = http.Get("/api/v1/audit/verify", server.Token(demo::kOlivia));
  ASSERT_EQ(verify.status, 200) << verify;
  const int64_t entries = verify.json["entries"];
  const std::string head = verify.json["head"];

  server.Stop();
  EXPECT_NE(http.Get("/healthz").status, 200) << "the server should be down";
  server.Close();

  auto reopened = storage::OpenDatabase(server.database_url());
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  ManualClock clock(TestEpoch());
  storage::Store store(**reopened, clock);
  auto activation = store.GetActivation(id);
  ASSERT_TRUE(activation.ok()) << activation.status().ToString();
  EXPECT_EQ(activation->document["name"], "Durable");
  EXPECT_EQ(activation->document["markets"][0]["tz"], "Asia/Tokyo");
  EXPECT_EQ(activation->version, 2);
  const storage::ParticipationRecord* nova = activation->FindParticipant(d.nova);
  ASSERT_NE(nova, nullptr);
  ASSERT_TRUE(nova->contribution.has_value());
  EXPECT_EQ((*nova->contribution)["currency"], "JPY");

  governance::AuditChainVerifier verifier;
  ASSERT_TRUE(store.ForEachAuditEntry([&](const auto& e) { verifier.Add(e); }).ok());
  EXPECT_TRUE(verifier.Finish().ok());
  EXPECT_EQ(verifier.entries(), entries);
  EXPECT_EQ(verifier.head(), head);
}

}  // namespace
}  // namespace tutti::testing

// Raising the Argon2id cost later must upgrade each account at its next log-in, without locking
// anyone out: the hash carries its own parameters, and AuthService rehashes when they are weaker
// than the configured ones.
#include <gtest/gtest.h>

#include <filesystem>

#include "tutti/base/crypto.h"
#include "tutti/http/auth.h"
#include "tutti/storage/migrations.h"

namespace tutti::http {
namespace {

TEST(PasswordUpgrade, LogInRehashesWithRaisedParametersAndKeepsWorking) {
  std::string dir = (std::filesystem::temp_directory_path() / "tutti-rehash-XXXXXX").string();
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  {
    auto db = storage::OpenDatabase("sqlite:" + dir + "/t.db");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    ASSERT_TRUE(storage::ApplyMigrations(**db).ok());
    storage::Store store(**db, SystemClock::Get());
    storage::Actor cli{"cli", ""};
    auto org = store.CreateOrg("Acme", "host", cli);
    ASSERT_TRUE(org.ok());
    auto old_hash = HashPassword("correct horse battery", PasswordHashParams{});
    ASSERT_TRUE(old_hash.ok());
    ASSERT_NE(old_hash->find("m=19456,t=2"), std::string::npos) << *old_hash;
    auto user = store.CreateUser(org->id, "ana@acme.example", "Ana", "owner", *old_hash, cli);
    ASSERT_TRUE(user.ok());

    AuthConfig raised;
    raised.password_params = PasswordHashParams{24ull * 1024 * 1024, 3};
    AuthService auth(store, raised);
    auto login = auth.Login("ana@acme.example", "correct horse battery", "127.0.0.1");
    ASSERT_TRUE(login.ok()) << login.status().ToString();
    auto stored = store.GetUser(user->id);
    ASSERT_TRUE(stored.ok());
    EXPECT_NE(stored->password_hash.find("m=24576,t=3"), std::string::npos)
        << stored->password_hash;
    EXPECT_FALSE(PasswordNeedsRehash(stored->password_hash, raised.password_params));

    auto entries = store.ListAudit({"user", user->id, "", 0, 100});
    ASSERT_TRUE(entries.ok());
    int rehashed = 0;
    for (const auto& e : *entries) rehashed += e.action == "password_rehashed" ? 1 : 0;
    EXPECT_EQ(rehashed, 1);
    EXPECT_TRUE(auth.Login("ana@acme.example", "correct horse battery", "127.0.0.1").ok())
        << "the upgraded hash still verifies";
    EXPECT_FALSE(auth.Login("ana@acme.example", "wrong horse battery", "127.0.0.1").ok());
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tutti::http

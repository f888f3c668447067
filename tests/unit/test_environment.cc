// Process-wide set-up for tutti_tests: libsodium is initialised once before any test runs, as
// main() does in the real binary (InitCrypto picks the fastest Argon2 and SHA-256 code paths and
// seeds the random generator used by ids and tokens).
#include <gtest/gtest.h>

#include "tutti/base/crypto.h"

namespace tutti {
namespace {

class CryptoEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    Status status = InitCrypto();
    ASSERT_TRUE(status.ok()) << status.ToString();
  }
};

[[maybe_unused]] ::testing::Environment* const kCryptoEnvironment =
    ::testing::AddGlobalTestEnvironment(new CryptoEnvironment);

}  // namespace
}  // namespace tutti

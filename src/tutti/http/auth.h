// Authentication: log-in with Argon2id-hashed passwords, sessions (cookie or bearer), API keys,
// CSRF tokens for cookie sessions, and log-in throttling. Tokens are stored only as SHA-256
// digests; a CSRF token is derived from the session token (HMAC), so it needs no storage.
// Thread-safe: all state is in the Store.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "tutti/base/crypto.h"
#include "tutti/governance/access.h"
#include "tutti/storage/store.h"

namespace tutti::http {

struct AuthConfig {
  PasswordHashParams password_params;
  std::chrono::minutes session_lifetime{12 * 60};  // ASVS 3.3.2: re-authenticate after 12 h
  std::chrono::minutes session_idle{30};           // … or after 30 min of inactivity
  std::chrono::minutes failure_window{15};
  int max_failures_per_account = 10;  // per window: 40/h, under ASVS 2.2.1's 100/h
  int max_failures_per_address = 50;
};

struct LoginResult {
  std::string token;
  std::string csrf_token;
  std::string expires_at;
  storage::UserRecord user;
};

enum class CredentialSource { kBearer, kCookie };

struct Authenticated {
  governance::Principal principal;
  CredentialSource source = CredentialSource::kBearer;
  std::string token_digest;  // sessions only
  std::string csrf_token;    // sessions only
  std::optional<storage::UserRecord> user;
};

class AuthService {
 public:
  AuthService(storage::Store& store, AuthConfig config) : store_(store), config_(config) {}

  // kUnauthenticated for any wrong part (without saying which); kResourceExhausted with
  // retry-after when the account or address has failed too often recently.
  Result<LoginResult> Login(const std::string& email, const std::string& password,
                            const std::string& address);
  // Resolves a bearer token ("tts_…" session or "tak_…" API key) or a session cookie value.
  Result<Authenticated> Authenticate(const std::string& token, CredentialSource source);
  Status Logout(const Authenticated& who);

  static std::string CsrfTokenFor(const std::string& session_token);
  static governance::Principal PrincipalFor(const storage::UserRecord& user);
  const AuthConfig& config() const { return config_; }

 private:
  Status CheckThrottle(const std::string& subject, int limit);

  storage::Store& store_;
  AuthConfig config_;
};

}  // namespace tutti::http

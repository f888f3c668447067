#include "tutti/http/auth.h"

#include <algorithm>

namespace tutti::http {
namespace {

constexpr char kSessionPrefix[] = "tts_";
constexpr char kApiKeyPrefix[] = "tak_";

// A valid hash verified against when the email is unknown, so that a wrong email and a wrong
// password take the same time.
const std::string& DecoyHash(const PasswordHashParams& params) {
  static const std::string hash = HashPassword("decoy-password-never-valid", params).value();
  return hash;
}

}  // namespace

std::string AuthService::CsrfTokenFor(const std::string& session_token) {
  return Base64UrlEncode(HmacSha256(session_token, "tutti-csrf-v1")).substr(0, 32);
}

governance::Principal AuthService::PrincipalFor(const storage::UserRecord& user) {
  governance::Principal p;
  p.user_id = user.id;
  p.org_id = user.org_id;
  core::ParseOrgKind(user.org_kind, &p.org_kind);
  core::ParseRole(user.role, &p.role);
  p.display_name = user.name;
  return p;
}

Status AuthService::CheckThrottle(const std::string& subject, int limit) {
  Instant now = store_.clock().Now();
  TUTTI_ASSIGN_OR_RETURN(auto failures,
                         store_.LoginFailuresSince(subject, now - config_.failure_window));
  if (static_cast<int>(failures.size()) < limit) return OkStatus();
  // The window frees a slot when the oldest counted failure ages out.
  auto oldest = ParseInstant(failures[failures.size() - static_cast<size_t>(limit)]);
  int64_t wait = std::chrono::duration_cast<std::chrono::seconds>(config_.failure_window).count();
  if (oldest.ok()) {
    wait = std::chrono::duration_cast<std::chrono::seconds>(*oldest + config_.failure_window - now)
               .count();
  }
  return Status(StatusCode::kResourceExhausted, "too many failed log-ins; try again later", {},
                "too_many_attempts")
      .WithRetryAfter(static_cast<int>(std::max<int64_t>(1, wait)));
}

Result<LoginResult> AuthService::Login(const std::string& email, const std::string& password,
                                       const std::string& address) {
  const std::string account_subject = "email:" + storage::NormaliseEmail(email);
  const std::string address_subject = "ip:" + address;
  TUTTI_RETURN_IF_ERROR(CheckThrottle(account_subject, config_.max_failures_per_account));
  TUTTI_RETURN_IF_ERROR(CheckThrottle(address_subject, config_.max_failures_per_address));

  Result<storage::UserRecord> user = store_.FindUserByEmail(email);
  if (!user.ok() && user.status().code() != StatusCode::kNotFound) return user.status();
  bool password_ok = VerifyPassword(
      password, user.ok() ? user->password_hash : DecoyHash(config_.password_params));
  if (!user.ok() || !password_ok || user->disabled) {
    std::optional<storage::UserRecord> known;
    if (user.ok()) known = *user;
    TUTTI_RETURN_IF_ERROR(
        store_.RecordLoginFailure({account_subject, address_subject}, known, address));
    return Unauthenticated("email or password is incorrect");
  }
  if (PasswordNeedsRehash(user->password_hash, config_.password_params)) {
    TUTTI_ASSIGN_OR_RETURN(std::string upgraded, HashPassword(password, config_.password_params));
    TUTTI_RETURN_IF_ERROR(store_.ReplacePasswordHash(user->id, upgraded));
  }
  TUTTI_RETURN_IF_ERROR(store_.ClearLoginFailures(account_subject));

  Instant now = store_.clock().Now();
  LoginResult out;
  out.token = NewSecretToken(kSessionPrefix);
  out.csrf_token = CsrfTokenFor(out.token);
  Instant expires = now + config_.session_lifetime;
  out.expires_at = FormatInstant(expires);
  out.user = *user;
  TUTTI_RETURN_IF_ERROR(store_.RecordLogin(*user, TokenDigest(out.token), expires,
                                           std::min(expires, now + config_.session_idle), address));
  return out;
}

Result<Authenticated> AuthService::Authenticate(const std::string& token, CredentialSource source) {
  if (token.empty() || token.size() > 200)
    return Unauthenticated("missing or malformed credential");
  Authenticated out;
  out.source = source;
  std::string digest = TokenDigest(token);
  if (token.starts_with(kApiKeyPrefix)) {
    if (source == CredentialSource::kCookie) return Unauthenticated("API keys are bearer tokens");
    Result<storage::ApiKeyRecord> key = store_.UseApiKey(digest);
    if (!key.ok()) return Unauthenticated("invalid, revoked or expired API key");
    out.principal.api_key_id = key->id;
    out.principal.org_id = key->org_id;
    core::ParseOrgKind(key->org_kind, &out.principal.org_kind);
    out.principal.scopes = std::set<std::string>(key->scopes.begin(), key->scopes.end());
    out.principal.role = governance::ApiKeyRole(*out.principal.scopes);
    out.principal.display_name = "API key " + key->name;
    return out;
  }
  if (!token.starts_with(kSessionPrefix)) return Unauthenticated("missing or malformed credential");
  Result<storage::SessionRecord> session = store_.FindSession(digest);
  if (!session.ok()) return Unauthenticated("session expired or signed out; log in again");
  Instant now = store_.clock().Now();
  auto expires = ParseInstant(session->expires_at);
  auto idle = ParseInstant(session->idle_expires_at);
  if (!expires.ok() || !idle.ok() || *expires <= now || *idle <= now || session->user.disabled) {
    return Unauthenticated("session expired or signed out; log in again");
  }
  // Slide the idle deadline, but write at most once a minute per session.
  Instant next_idle = std::min(*expires, now + config_.session_idle);
  if (next_idle - *idle > std::chrono::minutes(1)) {
    TUTTI_RETURN_IF_ERROR(store_.TouchSession(digest, next_idle));
  }
  out.principal = PrincipalFor(session->user);
  out.token_digest = digest;
  out.csrf_token = CsrfTokenFor(token);
  out.user = session->user;
  return out;
}

Status AuthService::Logout(const Authenticated& who) {
  if (who.token_digest.empty()) return OkStatus();
  return store_.DeleteSession(who.token_digest,
                              storage::Actor{who.principal.user_id, who.principal.org_id});
}

}  // namespace tutti::http

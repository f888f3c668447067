// Cryptographic primitives, all from libsodium: SHA-256, HMAC-SHA256, random bytes, Argon2id
// password hashing in PHC string form, and the encodings that go with them. Thread-safe once
// InitCrypto() has returned (call it once at start-up; it is idempotent).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "tutti/base/status.h"

namespace tutti {

Status InitCrypto();

std::string Sha256(std::string_view data);  // 32 raw bytes
// SHA-256 of data that arrives in pieces (a streamed upload): after Update(a) and Update(b),
// Finish() returns Sha256(a + b). Finish() ends its use; call it once.
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;
  void Update(std::string_view data);
  std::string Finish();  // 32 raw bytes

 private:
  struct State;  // libsodium's, kept out of this header
  std::unique_ptr<State> state_;
};
std::string HmacSha256(std::string_view key, std::string_view data);  // 32 raw bytes
std::string RandomBytes(size_t count);
std::string HexEncode(std::string_view bytes);
Result<std::string> HexDecode(std::string_view hex);
std::string Base64UrlEncode(std::string_view bytes);  // no padding
// Compares in time independent of where the inputs differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Argon2id cost. The defaults are the OWASP minimum (19 MiB, 2 passes); stored hashes carry their
// own parameters, so raising these later rehashes each account at its next log-in.
struct PasswordHashParams {
  uint64_t memory_bytes = 19ull * 1024 * 1024;
  uint64_t passes = 2;
};

// Returns a PHC string "$argon2id$v=19$m=19456,t=2,p=1$salt$hash".
Result<std::string> HashPassword(std::string_view password, const PasswordHashParams& params);
bool VerifyPassword(std::string_view password, const std::string& phc_hash);
bool PasswordNeedsRehash(const std::string& phc_hash, const PasswordHashParams& params);

// A fresh secret token: `prefix` + 32 random bytes in base64url + a 6-character checksum, so that
// secret scanners can recognise leaked Tutti tokens ("tts_…", "tak_…").
std::string NewSecretToken(std::string_view prefix);
// How tokens are stored: hex SHA-256. Tokens are 256-bit random, so a fast hash suffices.
std::string TokenDigest(std::string_view token);

}  // namespace tutti

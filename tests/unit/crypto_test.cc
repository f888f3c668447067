// Cryptographic primitives against published vectors, and the shapes Tutti relies on: PHC strings
// that carry their Argon2id parameters, and self-checking secret tokens.
#include "tutti/base/crypto.h"

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>

namespace tutti {
namespace {

std::string Hex(std::string_view bytes) { return HexEncode(bytes); }

TEST(Sha256, MatchesFips180Vectors) {
  EXPECT_EQ(Hex(Sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hex(Sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex(Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256("abc").size(), 32u);
}

TEST(Sha256Stream, PiecesGiveTheFips180DigestOfTheWhole) {
  Sha256Stream abc;
  abc.Update("a");
  abc.Update("");
  abc.Update("bc");
  EXPECT_EQ(Hex(abc.Finish()), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256Stream two_blocks;  // the 56-byte vector (two blocks once padded), in uneven pieces
  two_blocks.Update("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmno");
  two_blocks.Update("mnopnopq");
  EXPECT_EQ(Hex(two_blocks.Finish()),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Hex(Sha256Stream().Finish()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(HmacSha256, MatchesRfc4231TestCase1) {
  EXPECT_EQ(Hex(HmacSha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(HmacSha256, MatchesRfc4231TestCase2) {
  EXPECT_EQ(Hex(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HmacSha256, MatchesRfc4231TestCase6WithAKeyLongerThanOneBlock) {
  EXPECT_EQ(Hex(HmacSha256(std::string(131, '\xaa'),
                           "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HexEncoding, RoundTripsEveryByte) {
  std::string bytes;
  for (int b = 0; b < 256; ++b) bytes.push_back(static_cast<char>(b));
  std::string hex = HexEncode(bytes);
  EXPECT_EQ(hex.substr(0, 8), "00010203");
  EXPECT_EQ(hex.substr(hex.size() - 4), "feff");
  Result<std::string> decoded = HexDecode(hex);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, bytes);
  Result<std::string> upper = HexDecode("ABcd");
  ASSERT_TRUE(upper.ok());
  EXPECT_EQ(*upper, "\xab\xcd");
}

TEST(HexEncoding, RejectsOddLengthAndNonHexDigits) {
  EXPECT_FALSE(HexDecode("abc").ok());
  EXPECT_FALSE(HexDecode("zz").ok());
  EXPECT_FALSE(HexDecode("0x").ok());
  EXPECT_TRUE(HexDecode("").ok());
}

TEST(Base64UrlEncode, UsesTheUrlAlphabetWithoutPadding) {
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
}

TEST(ConstantTimeEquals, ComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("token", "token"));
  EXPECT_FALSE(ConstantTimeEquals("token", "tokem"));
  EXPECT_FALSE(ConstantTimeEquals("token", "token2"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

TEST(RandomBytes, ReturnsTheRequestedLengthAndDiffers) {
  EXPECT_EQ(RandomBytes(0).size(), 0u);
  EXPECT_EQ(RandomBytes(32).size(), 32u);
  EXPECT_NE(RandomBytes(32), RandomBytes(32));
}

TEST(HashPassword, ProducesAnArgon2idPhcStringWithTheOwaspMinimum) {
  Result<std::string> hash = HashPassword("correct horse battery", PasswordHashParams{});
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_TRUE(hash->starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << *hash;
}

TEST(HashPassword, SaltsEachHash) {
  Result<std::string> first = HashPassword("correct horse battery", PasswordHashParams{});
  Result<std::string> second = HashPassword("correct horse battery", PasswordHashParams{});
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(*first, *second);
}

TEST(HashPassword, WritesRaisedParametersIntoTheHash) {
  Result<std::string> hash =
      HashPassword("correct horse battery", PasswordHashParams{32ull * 1024 * 1024, 3});
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_TRUE(hash->starts_with("$argon2id$v=19$m=32768,t=3,p=1$")) << *hash;
}

TEST(VerifyPassword, AcceptsTheRightPasswordOnly) {
  Result<std::string> hash = HashPassword("correct horse battery", PasswordHashParams{});
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(VerifyPassword("correct horse battery", *hash));
  EXPECT_FALSE(VerifyPassword("correct horse batterY", *hash));
  EXPECT_FALSE(VerifyPassword("", *hash));
  EXPECT_FALSE(VerifyPassword("correct horse battery", ""));
  EXPECT_FALSE(VerifyPassword("correct horse battery", "$argon2id$v=19$garbage"));
}

TEST(VerifyPassword, VerifiesAHashMadeWithOtherParameters) {
  Result<std::string> hash =
      HashPassword("correct horse battery", PasswordHashParams{32ull * 1024 * 1024, 3});
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(VerifyPassword("correct horse battery", *hash));
}

TEST(PasswordNeedsRehash, FalseForCurrentParametersTrueWhenRaised) {
  PasswordHashParams current;
  Result<std::string> hash = HashPassword("correct horse battery", current);
  ASSERT_TRUE(hash.ok());
  EXPECT_FALSE(PasswordNeedsRehash(*hash, current));
  EXPECT_TRUE(PasswordNeedsRehash(*hash, PasswordHashParams{64ull * 1024 * 1024, 2}));
  EXPECT_TRUE(PasswordNeedsRehash(*hash, PasswordHashParams{current.memory_bytes, 3}));
}

TEST(PasswordNeedsRehash, TrueForAHashItCannotRead) {
  EXPECT_TRUE(PasswordNeedsRehash("", PasswordHashParams{}));
  EXPECT_TRUE(PasswordNeedsRehash("$2y$10$bcrypt-style", PasswordHashParams{}));
}

TEST(NewSecretToken, HasPrefixBodyAndChecksumOfTheBody) {
  std::string token = NewSecretToken("tts_");
  ASSERT_EQ(token.size(), 4u + 43u + 6u) << token;  // 32 bytes are 43 base64url characters
  EXPECT_TRUE(token.starts_with("tts_"));
  std::string body = token.substr(4, 43);
  std::string checksum = token.substr(47);
  for (char c : body) {
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << token;
  }
  EXPECT_EQ(checksum, HexEncode(Sha256(body)).substr(0, 6));
}

TEST(NewSecretToken, IsUniqueEachTime) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) EXPECT_TRUE(seen.insert(NewSecretToken("tak_")).second);
}

TEST(TokenDigest, IsTheHexSha256OfTheToken) {
  EXPECT_EQ(TokenDigest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace tutti

// Object ids: prefixed, random, from an unambiguous alphabet, and recognisable before any lookup.
#include "tutti/base/ids.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace tutti {
namespace {

TEST(NewId, IsThePrefixAnUnderscoreAndTwentyCharacters) {
  std::string id = NewId("act");
  ASSERT_EQ(id.size(), 24u) << id;
  EXPECT_TRUE(id.starts_with("act_")) << id;
  for (char c : id.substr(4)) {
    EXPECT_NE(std::string_view("abcdefghijkmnpqrstuvwxyz23456789").find(c), std::string::npos)
        << "unexpected character '" << c << "' in " << id;
  }
}

TEST(NewId, NeverRepeats) {
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) EXPECT_TRUE(seen.insert(NewId("usr")).second);
}

TEST(LooksLikeId, AcceptsWhatNewIdProduces) {
  for (const char* prefix : {"act", "usr", "org", "ws", "pb", "key"}) {
    EXPECT_TRUE(LooksLikeId(NewId(prefix), prefix)) << prefix;
  }
}

TEST(LooksLikeId, RejectsOtherPrefixesLengthsAndCharacters) {
  std::string id = NewId("usr");
  EXPECT_FALSE(LooksLikeId(id, "act"));
  EXPECT_FALSE(LooksLikeId(id, "us"));
  EXPECT_FALSE(LooksLikeId(id.substr(0, 23), "usr"));
  EXPECT_FALSE(LooksLikeId(id + "a", "usr"));
  EXPECT_FALSE(LooksLikeId("usr-" + id.substr(4), "usr"));
  EXPECT_FALSE(LooksLikeId("", "usr"));
  for (char bad : {'l', 'o', '0', '1', 'A', '_', '/', '\0'}) {
    std::string tampered = id;
    tampered[10] = bad;
    EXPECT_FALSE(LooksLikeId(tampered, "usr")) << "accepted character code " << int{bad};
  }
}

}  // namespace
}  // namespace tutti

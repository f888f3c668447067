// The audit trail's tamper evidence: a chain built with ComputeAuditHash verifies, and every kind
// of tampering (edit, removal, reordering, re-chaining, truncation) is caught at the right entry.
#include "tutti/governance/audit_chain.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace tutti::governance {
namespace {

using Chain = std::vector<AuditEntry>;

// Re-chains entries from `from` (0-based) onwards: what an attacker with write access does to
// make an edit consistent.
void Rechain(Chain& chain, size_t from = 0) {
  for (size_t i = from; i < chain.size(); ++i) {
    chain[i].prev_hash = i == 0 ? kGenesisHash : chain[i - 1].hash;
    chain[i].hash = ComputeAuditHash(chain[i]);
  }
}

Chain BuildChain(int length) {
  Chain chain;
  for (int i = 1; i <= length; ++i) {
    AuditEntry e;
    e.seq = i;
    e.at = "2026-06-01T13:00:0" + std::to_string(i % 10) + ".000Z";
    e.actor_id = i % 2 == 0 ? "usr_olivia" : "usr_felix";
    e.actor_org_id = "org_host";
    e.entity_type = "activation";
    e.entity_id = "act_1";
    e.action = i == 1 ? "created" : "updated";
    e.activation_id = "act_1";
    if (i > 1) e.before = R"({"version":)" + std::to_string(i - 1) + "}";
    e.after = R"({"version":)" + std::to_string(i) + "}";
    chain.push_back(e);
  }
  Rechain(chain);
  return chain;
}

struct Verdict {
  Status status;
  int64_t first_bad_seq;
  int64_t entries;
};

Verdict Verify(const Chain& chain, std::optional<AuditCheckpoint> checkpoint = std::nullopt) {
  AuditChainVerifier verifier(std::move(checkpoint));
  for (const AuditEntry& e : chain) verifier.Add(e);
  return {verifier.Finish(), verifier.first_bad_seq(), verifier.entries()};
}

void ExpectBrokenAt(const Verdict& verdict, int64_t seq) {
  EXPECT_EQ(verdict.status.code(), StatusCode::kFailedPrecondition) << verdict.status.ToString();
  EXPECT_EQ(verdict.status.reason(), "audit_chain_broken");
  EXPECT_EQ(verdict.first_bad_seq, seq) << verdict.status.ToString();
  EXPECT_NE(verdict.status.message().find("broken at entry " + std::to_string(seq)),
            std::string::npos)
      << verdict.status.message();
}

constexpr int kLength = 6;

TEST(CanonicalAuditEntry, IsSortedCompactJsonKeepingStateTextVerbatim) {
  AuditEntry e;
  e.seq = 1;
  e.at = "2026-06-01T13:00:00.000Z";
  e.actor_id = "usr_a";
  e.actor_org_id = "org_h";
  e.entity_type = "activation";
  e.entity_id = "act_1";
  e.action = "updated";
  e.activation_id = "act_1";
  e.before = R"({"name": "Old"})";
  e.after = R"({"name":"New"})";
  e.prev_hash = kGenesisHash;
  e.hash = "not part of the canonical form";
  EXPECT_EQ(CanonicalAuditEntry(e),
            R"({"action":"updated","activation_id":"act_1","actor_id":"usr_a",)"
            R"("actor_org_id":"org_h","after":"{\"name\":\"New\"}",)"
            R"("at":"2026-06-01T13:00:00.000Z","before":"{\"name\": \"Old\"}",)"
            R"("entity_id":"act_1","entity_type":"activation",)"
            R"("prev_hash":"0000000000000000000000000000000000000000000000000000000000000000",)"
            R"("seq":1,"visible_org_id":""})");
  // Computed independently (Python hashlib over prev_hash ‖ canonical form). A change here
  // would orphan every chain already stored.
  EXPECT_EQ(ComputeAuditHash(e),
            "9bf06129614ab2f4a304ed23c0b58a6e7cae56aa46e7aa9149f676f85d4d74ca");

  e.before.reset();
  EXPECT_NE(CanonicalAuditEntry(e).find(R"("before":null)"), std::string::npos);
}

TEST(AuditChainVerifier, AcceptsAnIntactChainAndReportsItsHead) {
  Chain chain = BuildChain(kLength);
  Verdict verdict = Verify(chain);
  EXPECT_TRUE(verdict.status.ok()) << verdict.status.ToString();
  EXPECT_EQ(verdict.first_bad_seq, 0);
  EXPECT_EQ(verdict.entries, kLength);
  AuditChainVerifier verifier;
  for (const AuditEntry& e : chain) verifier.Add(e);
  EXPECT_EQ(verifier.head(), chain.back().hash);
}

TEST(AuditChainVerifier, AcceptsAnEmptyLog) {
  AuditChainVerifier verifier;
  EXPECT_TRUE(verifier.Finish().ok());
  EXPECT_EQ(verifier.entries(), 0);
  EXPECT_EQ(verifier.head(), kGenesisHash);
}

TEST(AuditChainVerifier, EditedFieldIsCaughtAtThatEntry) {
  Chain chain = BuildChain(kLength);
  chain[2].actor_id = "usr_mallory";
  ExpectBrokenAt(Verify(chain), 3);

  chain = BuildChain(kLength);
  chain[4].action = "deleted";
  ExpectBrokenAt(Verify(chain), 5);

  chain = BuildChain(kLength);
  chain[0].at = "2020-01-01T00:00:00.000Z";
  ExpectBrokenAt(Verify(chain), 1);
}

TEST(AuditChainVerifier, EditedAfterStateIsCaughtAtThatEntry) {
  Chain chain = BuildChain(kLength);
  chain[3].after = R"({"version":999})";
  ExpectBrokenAt(Verify(chain), 4);
}

TEST(AuditChainVerifier, EditedBeforeStateIsCaughtAtThatEntry) {
  Chain chain = BuildChain(kLength);
  chain[1].before = std::nullopt;
  ExpectBrokenAt(Verify(chain), 2);
}

TEST(AuditChainVerifier, ReformattedStateTextCountsAsAnEdit) {
  Chain chain = BuildChain(kLength);
  chain[3].after = R"({ "version": 4 })";  // the same JSON value, different text
  ExpectBrokenAt(Verify(chain), 4);
}

TEST(AuditChainVerifier, EditWithItsOwnHashRecomputedBreaksTheNextEntry) {
  Chain chain = BuildChain(kLength);
  chain[2].after = R"({"version":999})";
  chain[2].hash = ComputeAuditHash(chain[2]);
  ExpectBrokenAt(Verify(chain), 4);
}

TEST(AuditChainVerifier, DeletedEntryIsNamedAsMissing) {
  Chain chain = BuildChain(kLength);
  chain.erase(chain.begin() + 2);
  Verdict verdict = Verify(chain);
  ExpectBrokenAt(verdict, 3);
  EXPECT_NE(verdict.status.message().find("missing"), std::string::npos)
      << verdict.status.message();
}

TEST(AuditChainVerifier, DeletedEntryWithTheRestRenumberedIsCaught) {
  Chain chain = BuildChain(kLength);
  chain.erase(chain.begin() + 2);
  for (size_t i = 2; i < chain.size(); ++i) chain[i].seq = static_cast<int64_t>(i) + 1;
  ExpectBrokenAt(Verify(chain), 3);
}

TEST(AuditChainVerifier, DeletedFirstEntryIsCaught) {
  Chain chain = BuildChain(kLength);
  chain.erase(chain.begin());
  ExpectBrokenAt(Verify(chain), 1);
}

TEST(AuditChainVerifier, SwappedEntriesAreCaughtAtTheFirstSwappedPosition) {
  Chain chain = BuildChain(kLength);
  std::swap(chain[1], chain[2]);  // stored order 1, 3, 2, 4, …
  ExpectBrokenAt(Verify(chain), 2);
}

TEST(AuditChainVerifier, SwappedContentsUnderTheOriginalNumbersAreCaught) {
  Chain chain = BuildChain(kLength);
  std::swap(chain[1], chain[2]);
  std::swap(chain[1].seq, chain[2].seq);  // seq 1, 2, 3… but entries 2 and 3 exchanged
  ExpectBrokenAt(Verify(chain), 2);
}

TEST(AuditChainVerifier, WrongPrevHashIsCaught) {
  Chain chain = BuildChain(kLength);
  chain[3].prev_hash = std::string(64, 'a');
  chain[3].hash = ComputeAuditHash(chain[3]);
  ExpectBrokenAt(Verify(chain), 4);

  chain = BuildChain(kLength);
  chain[0].prev_hash = std::string(64, 'f');
  chain[0].hash = ComputeAuditHash(chain[0]);
  ExpectBrokenAt(Verify(chain), 1);
}

TEST(AuditChainVerifier, KeepsTheFirstFailureAndIgnoresLaterEntries) {
  Chain chain = BuildChain(kLength);
  chain[1].actor_id = "usr_mallory";
  chain[4].actor_id = "usr_mallory";
  ExpectBrokenAt(Verify(chain), 2);
}

TEST(AuditChainVerifier, TruncatedTailPassesWithoutACheckpoint) {
  // Nothing inside a chain says how long it was: removing the newest entries leaves a shorter,
  // perfectly valid chain. Only a head kept from earlier (a checkpoint) can tell.
  Chain chain = BuildChain(kLength);
  chain.resize(kLength - 2);
  Verdict verdict = Verify(chain);
  EXPECT_TRUE(verdict.status.ok()) << verdict.status.ToString();
  EXPECT_EQ(verdict.entries, kLength - 2);
}

TEST(AuditChainVerifier, TruncatedTailFailsAgainstAnEarlierCheckpoint) {
  Chain chain = BuildChain(kLength);
  AuditCheckpoint head{kLength, chain.back().hash};
  chain.resize(kLength - 2);
  Verdict verdict = Verify(chain, head);
  ExpectBrokenAt(verdict, kLength - 1);
  EXPECT_NE(verdict.status.message().find("truncated"), std::string::npos)
      << verdict.status.message();
}

TEST(AuditChainVerifier, CheckpointStillInTheLogPasses) {
  Chain chain = BuildChain(kLength);
  Verdict at_head = Verify(chain, AuditCheckpoint{kLength, chain.back().hash});
  EXPECT_TRUE(at_head.status.ok()) << at_head.status.ToString();
  Verdict earlier = Verify(chain, AuditCheckpoint{3, chain[2].hash});
  EXPECT_TRUE(earlier.status.ok()) << earlier.status.ToString();
}

TEST(AuditChainVerifier, ConsistentlyRewrittenChainFailsAgainstACheckpoint) {
  Chain chain = BuildChain(kLength);
  AuditCheckpoint kept{5, chain[4].hash};
  chain[1].after = R"({"version":"rewritten"})";
  Rechain(chain, 1);
  EXPECT_TRUE(Verify(chain).status.ok()) << "a full re-chain is self-consistent";
  Verdict verdict = Verify(chain, kept);
  ExpectBrokenAt(verdict, 5);
  EXPECT_NE(verdict.status.message().find("checkpoint"), std::string::npos)
      << verdict.status.message();
}

TEST(AuditChainVerifier, EmptyLogFailsAgainstACheckpoint) {
  AuditChainVerifier verifier(AuditCheckpoint{1, std::string(64, 'a')});
  EXPECT_FALSE(verifier.Finish().ok());
  EXPECT_EQ(verifier.first_bad_seq(), 1);
}

TEST(ParseAuditCheckpoint, ReadsSeqColonHash) {
  std::string hash = BuildChain(1)[0].hash;
  Result<AuditCheckpoint> parsed = ParseAuditCheckpoint("42:" + hash);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->seq, 42);
  EXPECT_EQ(parsed->hash, hash);
}

TEST(ParseAuditCheckpoint, AcceptsUpperCaseHexAsTheSameHash) {
  std::string hash = BuildChain(1)[0].hash;
  std::string upper = hash;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](char c) {
    return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  });
  Result<AuditCheckpoint> parsed = ParseAuditCheckpoint("1:" + upper);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->hash, hash);
}

TEST(ParseAuditCheckpoint, RejectsMalformedText) {
  const std::string hash(64, 'a');
  for (const std::string& text :
       {std::string(""), std::string("abc"), hash, ":" + hash, "0:" + hash, "-1:" + hash,
        "x1:" + hash, "1x:" + hash, " 1:" + hash, "1:" + hash.substr(1), "1:" + hash + "a",
        "1:" + std::string(64, 'g'), "1:" + std::string(63, 'a') + " ",
        "99999999999999999999:" + hash}) {
    Result<AuditCheckpoint> parsed = ParseAuditCheckpoint(text);
    EXPECT_FALSE(parsed.ok()) << "accepted '" << text << "'";
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
      EXPECT_EQ(parsed.status().field(), "checkpoint");
    }
  }
}

}  // namespace
}  // namespace tutti::governance

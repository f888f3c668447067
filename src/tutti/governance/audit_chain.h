// The audit trail's tamper evidence: each entry's hash is SHA-256 over the previous entry's hash
// and the entry's canonical form, so editing, removing or reordering any entry breaks every hash
// after it. Canonical form: a JSON object with sorted keys and no whitespace holding every field
// but `hash`, with before/after kept as the exact text stored (so no re-serialisation can drift).
// Silent truncation of the tail is caught only against a head the verifier kept from before
// (`expected_head`): partners keep heads as checkpoints. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "tutti/base/status.h"

namespace tutti::governance {

inline constexpr char kGenesisHash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct AuditEntry {
  int64_t seq = 0;  // 1, 2, 3… without gaps
  std::string at;   // FormatInstant
  std::string actor_id;
  std::string actor_org_id;
  std::string entity_type;
  std::string entity_id;
  std::string action;
  std::string activation_id;          // empty when not about an activation
  std::string visible_org_id;         // empty: everyone who sees the activation
  std::optional<std::string> before;  // JSON text
  std::optional<std::string> after;   // JSON text
  std::string prev_hash;              // hex
  std::string hash;                   // hex
};

std::string CanonicalAuditEntry(const AuditEntry& entry);
// hex(SHA-256(prev_hash_hex ‖ canonical(entry)))
std::string ComputeAuditHash(const AuditEntry& entry);

// A head a verifier kept from an earlier look at the log: "the entry SEQ had hash HASH".
struct AuditCheckpoint {
  int64_t seq = 0;
  std::string hash;
};
// Parses "SEQ:HASH" as printed by `tutti audit verify`.
Result<AuditCheckpoint> ParseAuditCheckpoint(const std::string& text);

// Feeds entries in seq order; the first inconsistency is kept and later entries are ignored.
// Memory is constant, so logs of any length verify in one pass.
class AuditChainVerifier {
 public:
  explicit AuditChainVerifier(std::optional<AuditCheckpoint> checkpoint = std::nullopt)
      : checkpoint_(std::move(checkpoint)) {}
  void Add(const AuditEntry& entry);
  // OK when every entry chained correctly and the checkpoint (if any) is still in the log.
  // Otherwise kFailedPrecondition whose message names the first bad seq.
  Status Finish() const;
  int64_t entries() const { return count_; }
  const std::string& head() const { return head_; }
  // After the last Add: the seq Finish names (an entry that failed, or the first one missing
  // before the checkpoint), 0 when the chain is intact.
  int64_t first_bad_seq() const;

 private:
  void Fail(int64_t seq, std::string reason);

  std::optional<AuditCheckpoint> checkpoint_;
  int64_t count_ = 0;
  std::string head_ = kGenesisHash;
  int64_t first_bad_seq_ = 0;
  std::string reason_;
};

}  // namespace tutti::governance

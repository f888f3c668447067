#include "tutti/governance/audit_chain.h"

#include <charconv>

#include "tutti/base/crypto.h"
#include "tutti/base/json.h"

namespace tutti::governance {

std::string CanonicalAuditEntry(const AuditEntry& e) {
  // nlohmann's default object keeps keys sorted, which is the canonical order.
  Json j{{"seq", e.seq},
         {"at", e.at},
         {"actor_id", e.actor_id},
         {"actor_org_id", e.actor_org_id},
         {"entity_type", e.entity_type},
         {"entity_id", e.entity_id},
         {"action", e.action},
         {"activation_id", e.activation_id},
         {"visible_org_id", e.visible_org_id},
         {"before", e.before ? Json(*e.before) : Json(nullptr)},
         {"after", e.after ? Json(*e.after) : Json(nullptr)},
         {"prev_hash", e.prev_hash}};
  return j.dump();
}

std::string ComputeAuditHash(const AuditEntry& entry) {
  return HexEncode(Sha256(entry.prev_hash + CanonicalAuditEntry(entry)));
}

Result<AuditCheckpoint> ParseAuditCheckpoint(const std::string& text) {
  auto colon = text.find(':');
  AuditCheckpoint out;
  if (colon == std::string::npos || colon == 0 || text.size() - colon - 1 != 64) {
    return InvalidArgument("checkpoint must look like SEQ:HASH (64 hex digits)", "checkpoint");
  }
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + colon, out.seq);
  if (ec != std::errc() || ptr != text.data() + colon || out.seq <= 0) {
    return InvalidArgument("checkpoint sequence number must be a positive integer", "checkpoint");
  }
  // Hashes are printed in lower case; a typo must read as a bad checkpoint, not a rewritten log.
  out.hash = text.substr(colon + 1);
  for (char& c : out.hash) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
      return InvalidArgument("checkpoint hash must be 64 hex digits", "checkpoint");
    }
  }
  return out;
}

void AuditChainVerifier::Fail(int64_t seq, std::string reason) {
  first_bad_seq_ = seq;
  reason_ = std::move(reason);
}

void AuditChainVerifier::Add(const AuditEntry& entry) {
  if (first_bad_seq_ != 0) return;
  int64_t expected_seq = count_ + 1;
  if (entry.seq != expected_seq) {
    Fail(expected_seq, entry.seq > expected_seq
                           ? "entry " + std::to_string(expected_seq) + " is missing"
                           : "entry " + std::to_string(entry.seq) + " is out of order");
    return;
  }
  if (entry.prev_hash != head_) {
    Fail(entry.seq, "prev_hash does not match the hash of entry " + std::to_string(count_) +
                        " (entries removed, reordered or edited)");
    return;
  }
  if (ComputeAuditHash(entry) != entry.hash) {
    Fail(entry.seq, "hash does not match the entry's content (entry edited)");
    return;
  }
  if (checkpoint_ && checkpoint_->seq == entry.seq && checkpoint_->hash != entry.hash) {
    Fail(entry.seq, "hash differs from the checkpoint (log rewritten)");
    return;
  }
  ++count_;
  head_ = entry.hash;
}

int64_t AuditChainVerifier::first_bad_seq() const {
  if (first_bad_seq_ != 0) return first_bad_seq_;
  if (checkpoint_ && checkpoint_->seq > count_) return count_ + 1;
  return 0;
}

Status AuditChainVerifier::Finish() const {
  if (first_bad_seq_ != 0) {
    return Status(StatusCode::kFailedPrecondition,
                  "audit chain broken at entry " + std::to_string(first_bad_seq_) + ": " + reason_,
                  {}, "audit_chain_broken");
  }
  if (checkpoint_ && checkpoint_->seq > count_) {
    return Status(StatusCode::kFailedPrecondition,
                  "audit chain broken at entry " + std::to_string(count_ + 1) +
                      ": the log ends before checkpoint entry " + std::to_string(checkpoint_->seq) +
                      " (truncated)",
                  {}, "audit_chain_broken");
  }
  return OkStatus();
}

}  // namespace tutti::governance

// Fuzz target for what arrives in request bodies and query strings: strict JSON parsing and
// every body validator, plus instant and checkpoint parsing. Invariants: no crash, no sanitizer
// report, and every rejection names a reason. Built as a libFuzzer target with clang
// (-DTUTTI_FUZZ=ON) or, with any compiler, as a replay of the checked-in corpus (a CTest test).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tutti/base/clock.h"
#include "tutti/base/json.h"
#include "tutti/core/agreement.h"
#include "tutti/core/brief.h"
#include "tutti/core/workstream.h"
#include "tutti/governance/audit_chain.h"

namespace {

void RequireReason(const tutti::Status& status) {
  if (!status.ok() && status.reason().empty()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  RequireReason(tutti::ParseInstant(text).status());
  RequireReason(tutti::governance::ParseAuditCheckpoint(std::string(text)).status());
  auto parsed = tutti::ParseJsonObject(text);
  RequireReason(parsed.status());
  if (!parsed.ok()) return 0;
  const tutti::Json& body = *parsed;
  RequireReason(tutti::core::ValidateActivationPatch(body, true).status());
  auto patch = tutti::core::ValidateActivationPatch(body, false);
  RequireReason(patch.status());
  if (patch.ok()) {
    tutti::Json merged =
        tutti::core::ApplyActivationPatch(tutti::core::EmptyActivationDocument(), *patch);
    if (!merged.is_object()) std::abort();
  }
  RequireReason(tutti::core::ValidateAgreement(body).status());
  RequireReason(tutti::core::ValidateWorkstreamPatch(body, true, "").status());
  RequireReason(
      tutti::core::ValidateWorkstreamPatch(body, false, "usr_abcdefghijkmnpqrstuv").status());
  return 0;
}

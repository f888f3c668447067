// Data contracts (issue 4, C5; docs/ingest.md): what a partner feed promises to send, and the
// check of every record against it. Pure: no I/O. A record is validated field by field (type,
// required, enum values), mapped onto the shared metric dictionary (event type, value, channel)
// and stripped of raw identifiers, which are replaced by HMAC-SHA256 under the deployment's
// secret before anything is kept. Thread-safe.
#pragma once

#include <array>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tutti/base/clock.h"
#include "tutti/base/json.h"
#include "tutti/base/status.h"

namespace tutti::ingest {

enum class FieldType { kString, kInteger, kNumber, kBoolean, kTimestamp, kEnum };
inline constexpr auto kFieldTypeNames = std::to_array<std::string_view>(
    {"string", "integer", "number", "boolean", "timestamp", "enum"});

// How sensitive a field's values are. Raw identifiers never reach storage (hashed on arrival);
// free text is dropped (it can carry anything); pseudonymous and aggregate values are kept.
enum class PrivacyClass { kRawIdentifier, kPseudonymous, kAggregate, kFreeText };
inline constexpr auto kPrivacyClassNames =
    std::to_array<std::string_view>({"raw_identifier", "pseudonymous", "aggregate", "free_text"});

// What kind of raw identifier, for normalisation before hashing.
enum class IdentifierKind { kEmail, kPhone, kDeviceId, kOther };
inline constexpr auto kIdentifierKindNames =
    std::to_array<std::string_view>({"email", "phone", "device_id", "other"});

// The part a field plays in a Tutti event. Every contract names exactly one event_id, user_key,
// timestamp and event_type field; channel, value and consent are optional.
enum class FieldRole {
  kNone,
  kEventId,
  kUserKey,
  kTimestamp,
  kEventType,
  kChannel,
  kValue,
  kConsent
};
inline constexpr auto kFieldRoleNames = std::to_array<std::string_view>(
    {"none", "event_id", "user_key", "timestamp", "event_type", "channel", "value", "consent"});

// The shared metric dictionary: what event types mean across partners.
inline constexpr auto kEventTypeNames =
    std::to_array<std::string_view>({"impression", "click", "engagement", "conversion"});
// Numeric metrics a field may carry.
inline constexpr auto kValueMetricNames = std::to_array<std::string_view>({"revenue", "spend"});

struct FieldSpec {
  std::string name;
  FieldType type = FieldType::kString;
  bool required = false;
  PrivacyClass privacy = PrivacyClass::kAggregate;
  IdentifierKind identifier = IdentifierKind::kOther;  // raw identifiers only
  FieldRole role = FieldRole::kNone;
  std::vector<std::string> values;  // enum values
  // event_type fields: a partner's own names onto the dictionary ("view" -> "impression");
  // values not listed must already be dictionary names.
  std::map<std::string, std::string> event_types;
  // Value fields: "revenue" (read on conversions) or "spend" (the media cost of a touchpoint); a
  // contract has at most one field per metric.
  std::string metric;
  size_t max_length = 1024;
};

struct DataContract {
  std::string feed;  // "streamco-events": 1..64 of [a-z0-9-]
  std::vector<FieldSpec> fields;
  std::chrono::seconds cadence{std::chrono::hours(24)};   // a delivery is expected this often
  std::chrono::seconds max_delay{std::chrono::hours(6)};  // tolerated lateness after cadence
  // Keeps fields not in the contract (false: they are an error, "unknown_field").
  bool allow_extra_fields = false;

  const FieldSpec* Field(std::string_view name) const;
  const FieldSpec* FieldWithRole(FieldRole role) const;
};

// Reads a contract document (docs/ingest.md); errors name the JSON path ("fields[2].type").
Result<DataContract> ParseContract(const Json& document);
Json ContractToJson(const DataContract& contract);

// One record as read: field name -> value. CSV gives strings (an empty cell is absent), NDJSON
// gives JSON values; `from_text` says which, so that "12" is an integer in CSV but not in JSON.
struct RawRecord {
  Json fields = Json::object();
  bool from_text = false;
};

// A record that passed: the Tutti event and the attributes kept with it.
struct ValidEvent {
  std::string event_id;
  std::string user_key;  // HMAC-SHA256 hex of the raw identifier, or the pseudonymous key
  Instant ts;
  std::string event_type;            // a kEventTypeNames entry
  std::string channel;               // "" when the contract has none
  double value = 0;                  // a conversion's revenue or a touchpoint's spend; 0 if absent
  std::optional<bool> consent;       // the record's consent flag when the contract has one
  Json attributes = Json::object();  // pseudonymous and aggregate fields not playing a role
};

struct FieldError {
  std::string field;   // "" for record-level errors
  std::string reason;  // "required", "invalid_type", "invalid_enum", "too_long", …
  std::string message;
};

// Validates and normalises; all errors of the record are reported, not only the first.
// `identifier_secret` is the deployment's HMAC key (at least 32 bytes).
std::variant<ValidEvent, std::vector<FieldError>> ValidateRecord(
    const DataContract& contract, const RawRecord& record, std::string_view identifier_secret);

// Whether a feed delivers on time: the next delivery is due `cadence` after the last one (or
// after the contract was stored, before any), and the feed is late once `max_delay` more has
// passed.
struct DeliveryStatus {
  const char* state;  // "on_time", "late" or "awaiting_first_delivery" (not yet late)
  Instant due_by;     // when it becomes late
};
DeliveryStatus FeedDeliveryStatus(const DataContract& contract,
                                  std::optional<Instant> last_delivery, Instant contract_created,
                                  Instant now);

// The keyed hash of a raw identifier after normalisation: e-mail trimmed and lower-cased, phone
// reduced to '+' and digits, others trimmed. Lower-case hex, 64 characters.
std::string PseudonymizeIdentifier(IdentifierKind kind, std::string_view raw,
                                   std::string_view identifier_secret);

}  // namespace tutti::ingest

#include "tutti/ingest/contract.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "tutti/base/crypto.h"
#include "tutti/base/text.h"

namespace tutti::ingest {
namespace {

constexpr size_t kMaxFields = 200;
constexpr size_t kMaxEnumValues = 1000;
constexpr size_t kMaxFieldNameLength = 64;
constexpr size_t kMaxValueLength = 100'000;

template <typename Enum, size_t N>
Result<Enum> ReadEnumOf(const Json& value, const std::string& path,
                        const std::array<std::string_view, N>& names) {
  TUTTI_ASSIGN_OR_RETURN(std::string text, ReadEnum(value, path, names));
  return static_cast<Enum>(std::find(names.begin(), names.end(), text) - names.begin());
}

template <typename Enum, size_t N>
std::string NameOf(Enum value, const std::array<std::string_view, N>& names) {
  return std::string(names[static_cast<size_t>(value)]);
}

bool IsFeedName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// "24h", "30m", "2d": wall-clock durations for cadences; at most a year.
Result<std::chrono::seconds> ReadDuration(const Json& value, const std::string& path) {
  TUTTI_ASSIGN_OR_RETURN(std::string text, ReadString(value, path, 2, 16));
  int64_t amount = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, amount);
  const char unit = text.back();
  int64_t scale = unit == 's' ? 1 : unit == 'm' ? 60 : unit == 'h' ? 3600 : unit == 'd' ? 86400 : 0;
  if (ec != std::errc() || end != text.data() + text.size() - 1 || scale == 0 || amount < 0 ||
      amount > 366 * 86400 / scale) {
    return InvalidArgument("must be a whole number of s, m, h or d, at most a year (\"24h\")", path,
                           "invalid_duration");
  }
  return std::chrono::seconds(amount * scale);
}

std::string FormatDuration(std::chrono::seconds d) {
  int64_t s = d.count();
  if (s % 86400 == 0) return std::to_string(s / 86400) + "d";
  if (s % 3600 == 0) return std::to_string(s / 3600) + "h";
  if (s % 60 == 0) return std::to_string(s / 60) + "m";
  return std::to_string(s) + "s";
}

Result<FieldSpec> ReadField(const Json& item, const std::string& path) {
  TUTTI_RETURN_IF_ERROR(RequireObject(item, path));
  TUTTI_RETURN_IF_ERROR(
      RejectUnknownFields(item,
                          {"name", "type", "required", "privacy", "identifier", "role", "values",
                           "event_types", "metric", "max_length"},
                          path));
  FieldSpec f;
  for (const char* key : {"name", "type", "privacy"}) {
    if (!item.contains(key)) return InvalidArgument("is required", JoinPath(path, key), "required");
  }
  TUTTI_ASSIGN_OR_RETURN(f.name,
                         ReadString(item["name"], JoinPath(path, "name"), 1, kMaxFieldNameLength));
  TUTTI_ASSIGN_OR_RETURN(
      f.type, ReadEnumOf<FieldType>(item["type"], JoinPath(path, "type"), kFieldTypeNames));
  TUTTI_ASSIGN_OR_RETURN(
      f.privacy,
      ReadEnumOf<PrivacyClass>(item["privacy"], JoinPath(path, "privacy"), kPrivacyClassNames));
  if (item.contains("required")) {
    TUTTI_ASSIGN_OR_RETURN(f.required, ReadBool(item["required"], JoinPath(path, "required")));
  }
  if (item.contains("identifier")) {
    TUTTI_ASSIGN_OR_RETURN(
        f.identifier, ReadEnumOf<IdentifierKind>(item["identifier"], JoinPath(path, "identifier"),
                                                 kIdentifierKindNames));
    if (f.privacy != PrivacyClass::kRawIdentifier) {
      return InvalidArgument("only raw identifiers have an identifier kind",
                             JoinPath(path, "identifier"), "not_applicable");
    }
  }
  if (item.contains("role")) {
    TUTTI_ASSIGN_OR_RETURN(
        f.role, ReadEnumOf<FieldRole>(item["role"], JoinPath(path, "role"), kFieldRoleNames));
  }
  if (item.contains("max_length")) {
    TUTTI_ASSIGN_OR_RETURN(int64_t max,
                           ReadInteger(item["max_length"], JoinPath(path, "max_length"), 1,
                                       static_cast<int64_t>(kMaxValueLength)));
    f.max_length = static_cast<size_t>(max);
  }
  if (f.type == FieldType::kEnum) {
    if (!item.contains("values")) {
      return InvalidArgument("an enum field lists its values", JoinPath(path, "values"),
                             "required");
    }
    const std::string values_path = JoinPath(path, "values");
    TUTTI_RETURN_IF_ERROR(RequireArray(item["values"], values_path, kMaxEnumValues));
    for (size_t i = 0; i < item["values"].size(); ++i) {
      TUTTI_ASSIGN_OR_RETURN(std::string v,
                             ReadString(item["values"][i], JoinPath(values_path, i), 1, 200));
      f.values.push_back(std::move(v));
    }
    if (f.values.empty()) return InvalidArgument("must not be empty", values_path, "too_short");
  } else if (item.contains("values")) {
    return InvalidArgument("only enum fields list values", JoinPath(path, "values"),
                           "not_applicable");
  }
  if (item.contains("event_types")) {
    const std::string map_path = JoinPath(path, "event_types");
    if (f.role != FieldRole::kEventType) {
      return InvalidArgument("only the event_type field maps event types", map_path,
                             "not_applicable");
    }
    TUTTI_RETURN_IF_ERROR(RequireObject(item["event_types"], map_path));
    for (const auto& [name, target] : item["event_types"].items()) {
      TUTTI_ASSIGN_OR_RETURN(std::string t,
                             ReadEnum(target, JoinPath(map_path, name), kEventTypeNames));
      f.event_types[name] = std::move(t);
    }
  }
  if (item.contains("metric")) {
    TUTTI_ASSIGN_OR_RETURN(f.metric,
                           ReadEnum(item["metric"], JoinPath(path, "metric"), kValueMetricNames));
    if (f.role != FieldRole::kValue) {
      return InvalidArgument("only the value field names a metric", JoinPath(path, "metric"),
                             "not_applicable");
    }
  }
  // A role fixes what the field must be.
  const std::string role_path = JoinPath(path, "role");
  switch (f.role) {
    case FieldRole::kTimestamp:
      if (f.type != FieldType::kTimestamp) {
        return InvalidArgument("the timestamp field has type timestamp", role_path, "invalid_role");
      }
      break;
    case FieldRole::kValue:
      if (f.type != FieldType::kNumber && f.type != FieldType::kInteger) {
        return InvalidArgument("the value field is a number", role_path, "invalid_role");
      }
      if (f.metric.empty()) f.metric = "revenue";
      break;
    case FieldRole::kConsent:
      if (f.type != FieldType::kBoolean) {
        return InvalidArgument("the consent field is a boolean", role_path, "invalid_role");
      }
      break;
    case FieldRole::kUserKey:
      if (f.privacy != PrivacyClass::kRawIdentifier && f.privacy != PrivacyClass::kPseudonymous) {
        return InvalidArgument(
            "the user key is a raw identifier (hashed on arrival) or already "
            "pseudonymous",
            role_path, "invalid_role");
      }
      break;
    case FieldRole::kEventId:
    case FieldRole::kEventType:
    case FieldRole::kChannel:
      if (f.type != FieldType::kString && f.type != FieldType::kEnum) {
        return InvalidArgument("this role needs a string or enum field", role_path, "invalid_role");
      }
      break;
    case FieldRole::kNone:
      break;
  }
  if (f.privacy == PrivacyClass::kFreeText &&
      (f.role != FieldRole::kNone && f.role != FieldRole::kConsent)) {
    return InvalidArgument("free text cannot play a role: it is not kept", role_path,
                           "invalid_role");
  }
  if (f.privacy == PrivacyClass::kRawIdentifier && f.role != FieldRole::kNone &&
      f.role != FieldRole::kUserKey) {
    return InvalidArgument("a raw identifier can only be the user key", role_path, "invalid_role");
  }
  if (f.role == FieldRole::kEventId || f.role == FieldRole::kUserKey ||
      f.role == FieldRole::kTimestamp || f.role == FieldRole::kEventType) {
    f.required = true;  // an event cannot exist without them
  }
  return f;
}

FieldError Error(const std::string& field, const std::string& reason, std::string message) {
  return FieldError{field, reason, std::move(message)};
}

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

// The value of one field converted to its type, or an error. Text (CSV) is parsed; JSON must
// already have the type (a JSON string is not a number).
std::variant<Json, FieldError> Convert(const FieldSpec& f, const Json& raw, bool from_text) {
  auto type_error = [&](const char* want) {
    return Error(f.name, "invalid_type", std::string("must be ") + want);
  };
  const bool is_text = raw.is_string();
  const std::string text = is_text ? raw.get<std::string>() : std::string();
  if (is_text && !IsValidUtf8(text)) return Error(f.name, "invalid_utf8", "is not valid UTF-8");
  switch (f.type) {
    case FieldType::kString:
    case FieldType::kEnum: {
      if (!is_text) return type_error("a string");
      if (text.size() > f.max_length) {
        return Error(f.name, "too_long",
                     "is longer than " + std::to_string(f.max_length) + " bytes");
      }
      if (f.type == FieldType::kEnum &&
          std::find(f.values.begin(), f.values.end(), text) == f.values.end()) {
        std::string list;
        for (const std::string& v : f.values) list += (list.empty() ? "" : ", ") + v;
        return Error(f.name, "invalid_enum", "must be one of: " + list);
      }
      return Json(text);
    }
    case FieldType::kInteger: {
      if (raw.is_number_integer()) return raw;
      if (!from_text || !is_text) return type_error("an integer");
      int64_t v = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || end != text.data() + text.size()) return type_error("an integer");
      return Json(v);
    }
    case FieldType::kNumber: {
      double v = 0;
      if (raw.is_number()) {
        v = raw.get<double>();
      } else if (from_text && is_text) {
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc() || end != text.data() + text.size()) return type_error("a number");
      } else {
        return type_error("a number");
      }
      if (!std::isfinite(v)) return type_error("a finite number");
      return Json(v);
    }
    case FieldType::kBoolean: {
      if (raw.is_boolean()) return raw;
      if (from_text && (text == "true" || text == "1")) return Json(true);
      if (from_text && (text == "false" || text == "0")) return Json(false);
      return type_error("a boolean (true or false)");
    }
    case FieldType::kTimestamp: {
      if (!is_text) return type_error("an ISO-8601 instant (\"2026-06-01T13:00:00Z\")");
      Result<Instant> at = ParseInstant(text);
      if (!at.ok()) {
        return Error(f.name, "invalid_instant",
                     "must be an ISO-8601 instant with Z or an offset (\"2026-06-01T13:00:00Z\")");
      }
      return Json(FormatInstant(*at));
    }
  }
  return type_error("valid");
}

}  // namespace

const FieldSpec* DataContract::Field(std::string_view name) const {
  for (const FieldSpec& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const FieldSpec* DataContract::FieldWithRole(FieldRole role) const {
  for (const FieldSpec& f : fields) {
    if (f.role == role) return &f;
  }
  return nullptr;
}

Result<DataContract> ParseContract(const Json& document) {
  TUTTI_RETURN_IF_ERROR(RequireObject(document, ""));
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(
      document, {"feed", "fields", "cadence", "max_delay", "allow_extra_fields"}));
  DataContract c;
  for (const char* key : {"feed", "fields"}) {
    if (!document.contains(key)) return InvalidArgument("is required", key, "required");
  }
  TUTTI_ASSIGN_OR_RETURN(c.feed, ReadString(document["feed"], "feed", 1, 64));
  if (!IsFeedName(c.feed)) {
    return InvalidArgument("must be 1 to 64 of a-z, 0-9 and '-' (it appears in URLs)", "feed",
                           "invalid_name");
  }
  TUTTI_RETURN_IF_ERROR(RequireArray(document["fields"], "fields", kMaxFields));
  std::set<std::string> names;
  std::map<FieldRole, std::string> roles;
  std::map<std::string, std::string> value_metrics;
  for (size_t i = 0; i < document["fields"].size(); ++i) {
    const std::string path = JoinPath("fields", i);
    TUTTI_ASSIGN_OR_RETURN(FieldSpec f, ReadField(document["fields"][i], path));
    if (!names.insert(f.name).second) {
      return InvalidArgument("duplicate field \"" + f.name + "\"", JoinPath(path, "name"),
                             "duplicate_name");
    }
    if (f.role == FieldRole::kValue) {
      // One value field per metric: revenue rides on conversions, spend on touchpoints.
      if (auto [it, inserted] = value_metrics.emplace(f.metric, f.name); !inserted) {
        return InvalidArgument(
            "metric " + f.metric + " is already carried by \"" + it->second + "\"",
            JoinPath(path, "metric"), "duplicate_role");
      }
      roles.emplace(f.role, f.name);
    } else if (f.role != FieldRole::kNone) {
      auto [it, inserted] = roles.emplace(f.role, f.name);
      if (!inserted) {
        return InvalidArgument("role " + NameOf(f.role, kFieldRoleNames) +
                                   " is already played by \"" + it->second + "\"",
                               JoinPath(path, "role"), "duplicate_role");
      }
    }
    c.fields.push_back(std::move(f));
  }
  for (FieldRole needed :
       {FieldRole::kEventId, FieldRole::kUserKey, FieldRole::kTimestamp, FieldRole::kEventType}) {
    if (!roles.contains(needed)) {
      return InvalidArgument(
          "the contract needs a field with role " + NameOf(needed, kFieldRoleNames), "fields",
          "missing_role");
    }
  }
  if (document.contains("cadence")) {
    TUTTI_ASSIGN_OR_RETURN(c.cadence, ReadDuration(document["cadence"], "cadence"));
    if (c.cadence.count() <= 0) {
      return InvalidArgument("must be positive", "cadence", "invalid_duration");
    }
  }
  if (document.contains("max_delay")) {
    TUTTI_ASSIGN_OR_RETURN(c.max_delay, ReadDuration(document["max_delay"], "max_delay"));
  }
  if (document.contains("allow_extra_fields")) {
    TUTTI_ASSIGN_OR_RETURN(c.allow_extra_fields,
                           ReadBool(document["allow_extra_fields"], "allow_extra_fields"));
  }
  return c;
}

Json ContractToJson(const DataContract& c) {
  Json fields = Json::array();
  for (const FieldSpec& f : c.fields) {
    Json out{{"name", f.name},
             {"type", NameOf(f.type, kFieldTypeNames)},
             {"required", f.required},
             {"privacy", NameOf(f.privacy, kPrivacyClassNames)},
             {"max_length", f.max_length}};
    if (f.privacy == PrivacyClass::kRawIdentifier) {
      out["identifier"] = NameOf(f.identifier, kIdentifierKindNames);
    }
    if (f.role != FieldRole::kNone) out["role"] = NameOf(f.role, kFieldRoleNames);
    if (!f.values.empty()) out["values"] = f.values;
    if (!f.event_types.empty()) out["event_types"] = f.event_types;
    if (!f.metric.empty()) out["metric"] = f.metric;
    fields.push_back(std::move(out));
  }
  return Json{{"feed", c.feed},
              {"fields", fields},
              {"cadence", FormatDuration(c.cadence)},
              {"max_delay", FormatDuration(c.max_delay)},
              {"allow_extra_fields", c.allow_extra_fields}};
}

DeliveryStatus FeedDeliveryStatus(const DataContract& contract,
                                  std::optional<Instant> last_delivery, Instant contract_created,
                                  Instant now) {
  const Instant from = last_delivery.value_or(contract_created);
  const Instant due_by = from + contract.cadence + contract.max_delay;
  if (now > due_by) return DeliveryStatus{"late", due_by};
  return DeliveryStatus{last_delivery ? "on_time" : "awaiting_first_delivery", due_by};
}

std::string PseudonymizeIdentifier(IdentifierKind kind, std::string_view raw,
                                   std::string_view identifier_secret) {
  std::string normal = Trim(raw);
  if (kind == IdentifierKind::kEmail) {
    std::transform(normal.begin(), normal.end(), normal.begin(), [](char c) {
      return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
  } else if (kind == IdentifierKind::kPhone) {
    std::string digits;
    for (char c : normal) {
      if ((c >= '0' && c <= '9') || (c == '+' && digits.empty())) digits += c;
    }
    normal = std::move(digits);
  }
  // The kind is part of the message: the same string as an e-mail and as a device id must not
  // collide across feeds.
  return HexEncode(
      HmacSha256(identifier_secret,
                 std::string(kIdentifierKindNames[static_cast<size_t>(kind)]) + ":" + normal));
}

std::variant<ValidEvent, std::vector<FieldError>> ValidateRecord(
    const DataContract& contract, const RawRecord& record, std::string_view identifier_secret) {
  std::vector<FieldError> errors;
  std::map<std::string, Json> values;
  if (!record.fields.is_object()) {
    return std::vector<FieldError>{Error("", "invalid_type", "a record is a JSON object")};
  }
  for (const auto& [name, raw] : record.fields.items()) {
    const FieldSpec* f = contract.Field(name);
    if (f == nullptr) {
      if (!contract.allow_extra_fields) {
        errors.push_back(Error(name, "unknown_field", "is not in the contract"));
      }
      continue;
    }
    if (raw.is_null()) continue;
    auto converted = Convert(*f, raw, record.from_text);
    if (auto* e = std::get_if<FieldError>(&converted)) {
      errors.push_back(std::move(*e));
    } else {
      values[name] = std::move(std::get<Json>(converted));
    }
  }
  for (const FieldSpec& f : contract.fields) {
    bool present = record.fields.contains(f.name) && !record.fields[f.name].is_null();
    if (f.required && !present) errors.push_back(Error(f.name, "required", "is required"));
  }
  if (!errors.empty()) return errors;

  ValidEvent event;
  // The event type first: which value field counts depends on it.
  if (const FieldSpec* type = contract.FieldWithRole(FieldRole::kEventType)) {
    if (auto it = values.find(type->name); it != values.end() && it->second.is_string()) {
      event.event_type = it->second.get<std::string>();
      if (auto mapped = type->event_types.find(event.event_type);
          mapped != type->event_types.end()) {
        event.event_type = mapped->second;
      }
    }
  }
  std::vector<const FieldSpec*> valued;  // value fields holding a number other than 0
  for (const FieldSpec& f : contract.fields) {
    auto it = values.find(f.name);
    if (it == values.end()) continue;
    const Json& v = it->second;
    switch (f.role) {
      case FieldRole::kEventId:
        event.event_id = v.get<std::string>();
        if (event.event_id.empty() || event.event_id.size() > 200) {
          errors.push_back(Error(f.name, "invalid_id", "event ids are 1 to 200 bytes"));
        }
        break;
      case FieldRole::kUserKey:
        event.user_key =
            f.privacy == PrivacyClass::kRawIdentifier
                ? PseudonymizeIdentifier(f.identifier, v.get<std::string>(), identifier_secret)
                : v.get<std::string>();
        if (event.user_key.empty()) errors.push_back(Error(f.name, "required", "is empty"));
        break;
      case FieldRole::kTimestamp:
        event.ts = *ParseInstant(v.get<std::string>());
        break;
      case FieldRole::kEventType: {
        std::string name = v.get<std::string>();
        auto mapped = f.event_types.find(name);
        if (mapped != f.event_types.end()) name = mapped->second;
        if (std::find(kEventTypeNames.begin(), kEventTypeNames.end(), name) ==
            kEventTypeNames.end()) {
          errors.push_back(Error(f.name, "unknown_event_type",
                                 "\"" + name +
                                     "\" is neither impression, click, engagement, conversion "
                                     "nor mapped to one in the contract's event_types"));
        }
        event.event_type = std::move(name);
        break;
      }
      case FieldRole::kChannel:
        event.channel = v.get<std::string>();
        break;
      case FieldRole::kValue:
        if (v.get<double>() != 0) valued.push_back(&f);
        if ((f.metric == "revenue") == (event.event_type == "conversion")) {
          event.value = v.get<double>();
        }
        break;
      case FieldRole::kConsent:
        event.consent = v.get<bool>();
        break;
      case FieldRole::kNone:
        // Raw identifiers and free text are never kept; the rest travels with the event.
        if (f.privacy == PrivacyClass::kAggregate || f.privacy == PrivacyClass::kPseudonymous) {
          event.attributes[f.name] = v;
        }
        break;
    }
  }
  // A conversion's value is revenue and a touchpoint's is its spend (media cost); a number in
  // the other metric's field would be counted as neither, so it is refused rather than lost.
  for (const FieldSpec* f : valued) {
    const bool conversion = event.event_type == "conversion";
    if ((f->metric == "revenue") != conversion) {
      errors.push_back(Error(f->name, "metric_mismatch",
                             conversion ? "a conversion carries revenue, not spend"
                                        : "only conversions carry revenue; a " + event.event_type +
                                              "'s value is its spend (a field with metric spend)"));
    }
  }
  if (!errors.empty()) return errors;
  return event;
}

}  // namespace tutti::ingest

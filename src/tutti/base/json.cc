#include "tutti/base/json.h"

#include <cmath>

namespace tutti {

Result<Json> ParseJsonObject(std::string_view text) {
  Json parsed = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return Status(StatusCode::kMalformed, "request body is not valid JSON", {}, "malformed_json");
  }
  if (!parsed.is_object())
    return InvalidArgument("request body must be a JSON object", {}, "invalid_type");
  return parsed;
}

std::string JoinPath(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return std::string(parent) + "." + std::string(key);
}

std::string JoinPath(std::string_view parent, size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

Status RejectUnknownFields(const Json& object, std::initializer_list<std::string_view> allowed,
                           std::string_view path) {
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (std::string_view a : allowed) known = known || a == key;
    if (!known) {
      std::string list;
      for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return InvalidArgument("unknown field; expected one of: " + list, JoinPath(path, key),
                             "unknown_field");
    }
  }
  return OkStatus();
}

Result<std::string> ReadString(const Json& value, const std::string& path, size_t min_length,
                               size_t max_length) {
  if (!value.is_string()) return InvalidArgument("must be a string", path, "invalid_type");
  const auto& s = value.get_ref<const std::string&>();
  if (s.size() > max_length) {
    return InvalidArgument("must be at most " + std::to_string(max_length) + " bytes", path,
                           "too_long");
  }
  if (s.size() < min_length) {
    return InvalidArgument(min_length == 1
                               ? "must not be empty"
                               : "must be at least " + std::to_string(min_length) + " bytes",
                           path, "too_short");
  }
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 && c != '\n' && c != '\t') {
      return InvalidArgument("must not contain control characters", path, "invalid_characters");
    }
  }
  return s;
}

Result<int64_t> ReadInteger(const Json& value, const std::string& path, int64_t min, int64_t max) {
  if (!value.is_number_integer())
    return InvalidArgument("must be an integer", path, "invalid_type");
  if (value.is_number_unsigned() && value.get<uint64_t>() > static_cast<uint64_t>(max)) {
    return InvalidArgument("must be at most " + std::to_string(max), path, "out_of_range");
  }
  int64_t n = value.get<int64_t>();
  if (n < min || n > max) {
    return InvalidArgument("must be between " + std::to_string(min) + " and " + std::to_string(max),
                           path, "out_of_range");
  }
  return n;
}

Result<double> ReadNumber(const Json& value, const std::string& path) {
  if (!value.is_number()) return InvalidArgument("must be a number", path, "invalid_type");
  double d = value.get<double>();
  if (!std::isfinite(d)) return InvalidArgument("must be a finite number", path, "out_of_range");
  return d;
}

Result<bool> ReadBool(const Json& value, const std::string& path) {
  if (!value.is_boolean()) return InvalidArgument("must be true or false", path, "invalid_type");
  return value.get<bool>();
}

Result<std::string> ReadEnum(const Json& value, const std::string& path,
                             std::span<const std::string_view> allowed) {
  if (!value.is_string()) return InvalidArgument("must be a string", path, "invalid_type");
  const auto& s = value.get_ref<const std::string&>();
  std::string list;
  for (std::string_view a : allowed) {
    if (a == s) return s;
    list += (list.empty() ? "" : ", ") + std::string(a);
  }
  return InvalidArgument("must be one of: " + list, path, "invalid_enum");
}

Status RequireArray(const Json& value, const std::string& path, size_t max_items) {
  if (!value.is_array()) return InvalidArgument("must be an array", path, "invalid_type");
  if (value.size() > max_items) {
    return InvalidArgument("must have at most " + std::to_string(max_items) + " items", path,
                           "too_many_items");
  }
  return OkStatus();
}

Status RequireObject(const Json& value, const std::string& path) {
  if (!value.is_object()) return InvalidArgument("must be an object", path, "invalid_type");
  return OkStatus();
}

}  // namespace tutti

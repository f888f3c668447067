// Strict reading of JSON request bodies: parse errors become kMalformed, and typed field access
// checks type, bounds and unknown keys, naming the field at fault as a dotted path
// ("markets[2].tz"). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "tutti/base/status.h"

namespace tutti {

using Json = nlohmann::json;

// Parses `text` (bounded by the caller); a non-object top level is kInvalidArgument.
Result<Json> ParseJsonObject(std::string_view text);

std::string JoinPath(std::string_view parent, std::string_view key);
std::string JoinPath(std::string_view parent, size_t index);

// Fails with reason "unknown_field" naming the first key of `object` not in `allowed`.
Status RejectUnknownFields(const Json& object, std::initializer_list<std::string_view> allowed,
                           std::string_view path = {});

// Field readers. `path` is the full path of the field for error messages. Strings are checked
// for valid UTF-8 (nlohmann guarantees it) and length in bytes.
Result<std::string> ReadString(const Json& value, const std::string& path, size_t min_length,
                               size_t max_length);
Result<int64_t> ReadInteger(const Json& value, const std::string& path, int64_t min, int64_t max);
Result<double> ReadNumber(const Json& value, const std::string& path);
Result<bool> ReadBool(const Json& value, const std::string& path);
// A string that must be one of `allowed`; the error lists them.
Result<std::string> ReadEnum(const Json& value, const std::string& path,
                             std::span<const std::string_view> allowed);
Status RequireArray(const Json& value, const std::string& path, size_t max_items);
Status RequireObject(const Json& value, const std::string& path);

}  // namespace tutti

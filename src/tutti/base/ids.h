// Object identifiers: a type prefix and 20 random base32 characters (100 bits), e.g.
// "act_k3v9q…". Random rather than sequential so that ids leak nothing about other tenants'
// objects and cannot be enumerated (OWASP API1). Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace tutti {

std::string NewId(std::string_view prefix);
// True for strings NewId(prefix) could have produced; used to reject junk before any lookup.
bool LooksLikeId(std::string_view id, std::string_view prefix);

}  // namespace tutti

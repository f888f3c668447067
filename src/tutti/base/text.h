// Text checks shared by every reader of outside input.
#pragma once

#include <string_view>

namespace tutti {

// Strict UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF (what nlohmann::json
// accepts when it writes a string, so validated text can always be serialised).
bool IsValidUtf8(std::string_view text);

}  // namespace tutti

#include "tutti/base/ids.h"

#include "tutti/base/crypto.h"

namespace tutti {
namespace {
constexpr std::string_view kAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";  // 32, no l/o/0/1
constexpr size_t kIdChars = 20;
}  // namespace

std::string NewId(std::string_view prefix) {
  std::string random = RandomBytes(kIdChars);
  std::string out(prefix);
  out.push_back('_');
  for (char ch : random)
    out.push_back(kAlphabet[static_cast<unsigned char>(ch) % kAlphabet.size()]);
  return out;
}

bool LooksLikeId(std::string_view id, std::string_view prefix) {
  if (id.size() != prefix.size() + 1 + kIdChars) return false;
  if (id.substr(0, prefix.size()) != prefix || id[prefix.size()] != '_') return false;
  for (char c : id.substr(prefix.size() + 1)) {
    if (kAlphabet.find(c) == std::string_view::npos) return false;
  }
  return true;
}

}  // namespace tutti

#include "tutti/publishing/disclosure.h"

#include <algorithm>

#include "tutti/base/text.h"

namespace tutti::publishing {
namespace {

constexpr char32_t kInvalid = 0xFFFD;

// The code point at `i` and its length in bytes; an invalid byte reads as U+FFFD of length 1.
char32_t DecodeAt(std::string_view s, size_t i, size_t* length) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  size_t n = b0 < 0x80           ? 1
             : (b0 >> 5) == 0x6  ? 2
             : (b0 >> 4) == 0xE  ? 3
             : (b0 >> 3) == 0x1E ? 4
                                 : 0;
  if (n == 0 || i + n > s.size()) {
    *length = 1;
    return kInvalid;
  }
  char32_t cp = n == 1 ? b0 : n == 2 ? (b0 & 0x1Fu) : n == 3 ? (b0 & 0x0Fu) : (b0 & 0x07u);
  for (size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b >> 6) != 0x2) {
      *length = 1;
      return kInvalid;
    }
    cp = (cp << 6) | (b & 0x3Fu);
  }
  *length = n;
  return cp;
}

bool IsSpace(char32_t cp) {
  return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

bool IsApostrophe(char32_t cp) { return cp == '\'' || cp == 0x2019; }

// Letters and digits of any script, and '_': what a hashtag or word is made of. Outside ASCII
// everything is a letter except the punctuation, symbol and emoji blocks people put right after
// a tag ("#ad—", "#ad🎉"), which must end it.
bool IsWordChar(char32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
           cp == '_';
  }
  if (cp == kInvalid) return false;
  if (cp <= 0xBF) return cp == 0xAA || cp == 0xB5 || cp == 0xBA;  // Latin-1 punctuation, NBSP
  if (cp == 0xD7 || cp == 0xF7) return false;                     // × ÷
  if (cp >= 0x2000 && cp <= 0x2BFF) return false;  // punctuation, symbols, arrows, dingbats
  if (cp >= 0x3000 && cp <= 0x303F) return false;  // CJK punctuation
  if (cp >= 0xFE00 && cp <= 0xFE0F) return false;  // variation selectors (emoji presentation)
  if (cp >= 0xFE30 && cp <= 0xFE4F) return false;
  if (cp >= 0xFF00 && cp <= 0xFF0F) return false;    // full-width punctuation
  if (cp >= 0x1F000 && cp <= 0x1FAFF) return false;  // emoji and pictographs
  if (cp >= 0xE0000 && cp <= 0xE007F) return false;  // emoji tag characters
  return true;
}

struct Token {
  bool hashtag = false;
  std::string_view word;  // as written, without '#' and trailing apostrophes
  size_t byte = 0, end = 0, character = 0, line = 0;
  bool spaces_before = false;  // only whitespace since the previous token
  bool joined_before = false;  // only whitespace and at most one '-' since the previous token
};

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// `word` equals the lower-case ASCII `lower` but for letter case.
bool Is(std::string_view word, std::string_view lower) {
  if (word.size() != lower.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (LowerAscii(word[i]) != lower[i]) return false;
  }
  return true;
}

bool EndsWith(std::string_view word, std::string_view lower) {
  return word.size() >= lower.size() && Is(word.substr(word.size() - lower.size()), lower);
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = LowerAscii(c);
  return out;
}

std::vector<Token> Tokenize(std::string_view copy) {
  std::vector<Token> tokens;
  size_t i = 0, character = 0, line = 0;
  char32_t previous = ' ';
  bool gap_spaces_only = true;
  int gap_hyphens = 0;
  auto start_token = [&](Token& t) {
    t.byte = i;
    t.character = character;
    t.line = line;
    t.spaces_before = !tokens.empty() && gap_spaces_only && gap_hyphens == 0;
    t.joined_before = !tokens.empty() && gap_spaces_only && gap_hyphens <= 1;
  };
  while (i < copy.size()) {
    size_t length = 0;
    const char32_t cp = DecodeAt(copy, i, &length);
    if (cp == '#' && !IsWordChar(previous) && previous != '#' && i + length < copy.size()) {
      size_t next_length = 0;
      if (IsWordChar(DecodeAt(copy, i + length, &next_length))) {
        Token t;
        t.hashtag = true;
        start_token(t);
        size_t j = i + length;
        ++character;
        char32_t last = cp;
        while (j < copy.size()) {
          size_t n = 0;
          const char32_t c = DecodeAt(copy, j, &n);
          if (!IsWordChar(c)) break;
          last = c;
          j += n;
          ++character;
        }
        t.end = j;
        t.word = copy.substr(i + length, j - i - length);
        tokens.push_back(std::move(t));
        previous = last;
        i = j;
        gap_spaces_only = true;
        gap_hyphens = 0;
        continue;
      }
    }
    if (IsWordChar(cp)) {
      Token t;
      start_token(t);
      size_t j = i;
      char32_t last = cp;
      while (j < copy.size()) {
        size_t n = 0;
        const char32_t c = DecodeAt(copy, j, &n);
        if (!IsWordChar(c) && !IsApostrophe(c)) break;
        last = c;
        j += n;
        ++character;
      }
      std::string_view word = copy.substr(i, j - i);
      // Trailing apostrophes close a quotation, they are not part of the word.
      while (!word.empty() && (word.back() == '\'' || word.ends_with("\xE2\x80\x99"))) {
        word.remove_suffix(word.back() == '\'' ? 1 : 3);
      }
      t.end = j;
      t.word = word;
      tokens.push_back(std::move(t));
      previous = last;
      i = j;
      gap_spaces_only = true;
      gap_hyphens = 0;
      continue;
    }
    if (cp == '\n') ++line;
    if (cp == '-') {
      ++gap_hyphens;
    } else if (!IsSpace(cp)) {
      gap_spaces_only = false;
    }
    previous = cp;
    i += length;
    ++character;
  }
  return tokens;
}

bool IsMarkerHashtag(std::string_view tag) {
  return Is(tag, "ad") || Is(tag, "sponsored") || Is(tag, "advertisement");
}

bool IsNegation(const Token& t) {
  return !t.hashtag &&
         (Is(t.word, "not") || Is(t.word, "no") || Is(t.word, "never") || Is(t.word, "non") ||
          Is(t.word, "without") || EndsWith(t.word, "n't") || EndsWith(t.word, "n\xE2\x80\x99t"));
}

bool RequiresMediaDisclosure(PostFormat format) { return format != PostFormat::kText; }

template <size_t N>
bool ParseName(const std::array<std::string_view, N>& names, std::string_view name, size_t* out) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == name) {
      *out = i;
      return true;
    }
  }
  return false;
}

}  // namespace

bool ParsePostFormat(std::string_view name, PostFormat* out) {
  size_t i = 0;
  if (!ParseName(kPostFormatNames, name, &i)) return false;
  *out = static_cast<PostFormat>(i);
  return true;
}

bool ParseMediaDisclosure(std::string_view name, MediaDisclosure* out) {
  size_t i = 0;
  if (!ParseName(kMediaDisclosureNames, name, &i)) return false;
  *out = static_cast<MediaDisclosure>(i);
  return true;
}

std::vector<DisclosureMarker> FindDisclosureMarkers(std::string_view copy,
                                                    const DisclosureRules& rules) {
  const std::vector<Token> tokens = Tokenize(copy);
  // Hashtags hidden inside a run of rules.cluster_size or more, other than the run's first.
  std::vector<bool> buried(tokens.size(), false);
  for (size_t start = 0; start < tokens.size();) {
    size_t end = start + 1;
    if (tokens[start].hashtag) {
      while (end < tokens.size() && tokens[end].hashtag && tokens[end].spaces_before) ++end;
      if (end - start >= rules.cluster_size) {
        for (size_t k = start + 1; k < end; ++k) buried[k] = true;
      }
    }
    start = end;
  }
  std::vector<DisclosureMarker> markers;
  for (size_t k = 0; k < tokens.size(); ++k) {
    const Token& t = tokens[k];
    size_t end = t.end;
    bool marker = false;
    if (t.hashtag) {
      marker = IsMarkerHashtag(t.word);
    } else if (Is(t.word, "advertisement") || Is(t.word, "sponsored")) {
      marker = k == 0 || !t.joined_before || !IsNegation(tokens[k - 1]);
    } else if (Is(t.word, "paid") && k + 1 < tokens.size() && !tokens[k + 1].hashtag &&
               Is(tokens[k + 1].word, "partnership") && tokens[k + 1].joined_before) {
      marker = true;
      end = tokens[k + 1].end;
    }
    if (!marker) continue;
    markers.push_back(DisclosureMarker{
        .text = std::string(copy.substr(t.byte, end - t.byte)),
        .byte = t.byte,
        .character = t.character,
        .line = t.line,
        .up_front = t.character < rules.fold_characters && t.line < rules.fold_lines,
        .buried = buried[k]});
  }
  return markers;
}

Status CheckDisclosure(const DisclosurePost& post, const DisclosureRules& rules) {
  if (!IsValidUtf8(post.copy)) {
    return InvalidArgument("must be valid UTF-8", "copy", "invalid_characters");
  }
  if (!post.is_paid && !post.is_partner) return OkStatus();
  const std::vector<DisclosureMarker> markers = FindDisclosureMarkers(post.copy, rules);
  const bool disclosed = std::any_of(markers.begin(), markers.end(), [](const DisclosureMarker& m) {
    return m.up_front && !m.buried;
  });
  const std::string kind = post.is_paid ? "a paid post" : "a partner post";
  if (!disclosed) {
    const std::string what_satisfies =
        "put \"#ad\", \"#sponsored\", \"Advertisement\", \"Sponsored\" or \"Paid partnership\" in "
        "the first " +
        std::to_string(rules.fold_characters) + " characters and " +
        std::to_string(rules.fold_lines) + " lines of the copy, not inside a cluster of " +
        std::to_string(rules.cluster_size) + " or more hashtags";
    std::string reason = "missing_disclosure";
    std::string message = kind + " must disclose the connection";
    auto up_front = std::find_if(markers.begin(), markers.end(),
                                 [](const DisclosureMarker& m) { return m.up_front; });
    if (up_front != markers.end()) {
      reason = "disclosure_buried";
      message =
          kind + " hides its disclosure (\"" + up_front->text + "\") inside a cluster of hashtags";
    } else if (!markers.empty()) {
      reason = "disclosure_not_up_front";
      message = kind + " discloses only after what a feed shows before \"more\" (\"" +
                markers.front().text + "\" at character " +
                std::to_string(markers.front().character + 1) + ")";
    } else {
      std::vector<std::string> weak;
      for (const Token& t : Tokenize(post.copy)) {
        std::string seen = (t.hashtag ? "#" : "") + Lower(t.word);
        if ((seen == "#sp" || seen == "#partner" || seen == "thanks" || seen == "thank") &&
            std::find(weak.begin(), weak.end(), seen) == weak.end()) {
          weak.push_back(seen);
        }
      }
      for (const std::string& w : weak) {
        message += "; \"" + w + "\" is not a clear disclosure";
      }
      if (post.platform_flag) {
        message += "; the platform's paid-partnership label is on, but it is not enough alone";
      }
    }
    return Status(StatusCode::kFailedPrecondition, message + ": " + what_satisfies, "copy", reason);
  }
  if (RequiresMediaDisclosure(post.format)) {
    const bool live = post.format == PostFormat::kLive;
    const MediaDisclosure needed = live ? MediaDisclosure::kRepeated : MediaDisclosure::kShown;
    if (post.media_disclosure < needed) {
      const std::string format(kPostFormatNames[static_cast<size_t>(post.format)]);
      return Status(StatusCode::kFailedPrecondition,
                    kind + " in " + format + " must disclose in the media too: " +
                        (live ? "repeat it periodically through the stream (\"repeated\")"
                         : post.format == PostFormat::kAudio
                             ? "say it in the audio (\"shown\")"
                             : "superimpose it on the " + format + " (\"shown\")"),
                    "media_disclosure", "media_disclosure_missing");
    }
  }
  return OkStatus();
}

}  // namespace tutti::publishing

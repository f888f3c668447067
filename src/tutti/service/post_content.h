// What a post's content version stores beside the copy, computed the same way wherever content
// is written (PUT …/posts/{post_id}/content and the demo, docs/publishing.md "Links" and
// "Content"): each link tagged from the activation's UTM taxonomy, with the values Tutti derived
// from the post marked as such, or kept as written with its findings; and the disclosure check
// as it stood. Pure functions over the publishing engines; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "tutti/base/json.h"
#include "tutti/base/status.h"
#include "tutti/publishing/utm.h"

namespace tutti::service {

// A link as its writer gave it.
struct PostLinkInput {
  std::string url;
  bool validate_only = false;               // keep as written; store the findings
  std::vector<publishing::UtmField> given;  // typed UTM values, in the order given
};

// The stored form of links[`index`] of a post on `platform` (paid or not):
//   tagged:    {url, mode: "tagged", tagged_url, utm: [{parameter, typed, value, derived}],
//               channel}; values not given are derived where the taxonomy allows (source from
//               the platform, medium paid_social or social, a required parameter's only value);
//   validated: {url, mode: "validated", compliant, violations} (never refused for findings).
// Errors name the link: a URL that does not parse (links[i].url), a value outside the taxonomy
// (links[i].utm.utm_source, the engine's reason), no taxonomy at all (kFailedPrecondition,
// no_utm_taxonomy).
Result<Json> TagOrValidatePostLink(const PostLinkInput& link, size_t index,
                                   const std::optional<publishing::UtmTaxonomy>& taxonomy,
                                   const std::string& platform, bool paid);

// The disclosure check of a content document ({copy, paid, partner, platform_flag,
// media_disclosure, …}) as stored with its version: {ok, markers: [{text, character, line,
// up_front, buried}]} and, when it fails, {field, reason, message}.
Json PostDisclosureJson(const Json& content);

}  // namespace tutti::service

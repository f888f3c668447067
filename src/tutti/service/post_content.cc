#include "tutti/service/post_content.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

#include "tutti/publishing/disclosure.h"
#include "tutti/storage/store.h"

namespace tutti::service {
namespace {

size_t Index(publishing::UtmParameter p) { return static_cast<size_t>(p); }

bool Allowed(const publishing::UtmTaxonomy& t, publishing::UtmParameter p,
             const std::string& value) {
  const std::vector<std::string>& list = t.values[Index(p)];
  return list.empty() || std::binary_search(list.begin(), list.end(), value);
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// The values a link is tagged with: what the writer typed, then what the post implies where the
// taxonomy allows it (source: the post's platform; medium: paid_social or social), then, for a
// required parameter still missing, the single value of a one-entry list. Each is marked derived
// or not, so the response shows what Tutti filled in.
std::vector<std::pair<publishing::UtmField, bool>> LinkFields(
    const PostLinkInput& link, const publishing::UtmTaxonomy& taxonomy, const std::string& platform,
    bool paid) {
  std::vector<std::pair<publishing::UtmField, bool>> out;
  std::set<std::string> given;
  for (const publishing::UtmField& f : link.given) {
    out.emplace_back(f, false);
    given.insert(f.parameter);
  }
  auto derive = [&](publishing::UtmParameter p, const std::string& value) {
    const std::string name(publishing::UtmParameterName(p));
    if (given.contains(name) || value.empty() || !Allowed(taxonomy, p, value)) return;
    out.emplace_back(publishing::UtmField{name, value}, true);
    given.insert(name);
  };
  derive(publishing::UtmParameter::kSource, Lower(platform));
  derive(publishing::UtmParameter::kMedium, paid ? "paid_social" : "social");
  for (size_t i = 0; i < publishing::kUtmParameterCount; ++i) {
    if (taxonomy.required[i] && taxonomy.values[i].size() == 1) {
      derive(static_cast<publishing::UtmParameter>(i), taxonomy.values[i].front());
    }
  }
  return out;
}

// An engine's field ("values.utm_source", "url") as a field of the request's links[i].
Status AtLink(const Status& status, size_t i) {
  std::string field = status.field();
  const std::string link = JoinPath("links", i);
  if (field.starts_with("values.")) {
    field = JoinPath(link, "utm") + field.substr(std::string("values").size());
  } else {
    field = field.empty() ? link : JoinPath(link, field);
  }
  return Status(status.code(), status.message(), field, status.reason());
}

}  // namespace

Result<Json> TagOrValidatePostLink(const PostLinkInput& link, size_t i,
                                   const std::optional<publishing::UtmTaxonomy>& taxonomy,
                                   const std::string& platform, bool paid) {
  Result<publishing::Url> parsed = publishing::ParseUrl(link.url);
  if (!parsed.ok()) return AtLink(parsed.status(), i);
  if (!taxonomy) {
    return Status(StatusCode::kFailedPrecondition,
                  "links are tagged and validated against the activation's UTM taxonomy, and it "
                  "has none yet; those who edit the brief PUT it to …/utm-taxonomy",
                  JoinPath("links", i), "no_utm_taxonomy");
  }
  if (link.validate_only) {
    const std::vector<publishing::LinkViolation> violations =
        publishing::ValidateLink(link.url, *taxonomy);
    Json report = publishing::ViolationsToJson(violations, *taxonomy);
    return Json{{"url", link.url},
                {"mode", "validated"},
                {"compliant", violations.empty()},
                {"violations", report["violations"]}};
  }
  const auto fields = LinkFields(link, *taxonomy, platform, paid);
  std::vector<publishing::UtmField> values;
  for (const auto& [field, derived] : fields) values.push_back(field);
  Result<publishing::TaggedLink> tagged = publishing::TagLink(link.url, *taxonomy, values);
  if (!tagged.ok()) return AtLink(tagged.status(), i);
  Json utm = Json::array();
  for (const publishing::UtmValue& v : tagged->values) {
    const std::string name(publishing::UtmParameterName(v.parameter));
    bool derived = false;
    for (const auto& [field, was_derived] : fields) {
      if (field.parameter == name) derived = was_derived;
    }
    utm.push_back(Json{
        {"parameter", name}, {"typed", v.original}, {"value", v.normalised}, {"derived", derived}});
  }
  return Json{{"url", link.url},
              {"mode", "tagged"},
              {"tagged_url", tagged->url},
              {"utm", std::move(utm)},
              {"channel", tagged->channel}};
}

Json PostDisclosureJson(const Json& content) {
  Json markers = Json::array();
  for (const publishing::DisclosureMarker& m :
       publishing::FindDisclosureMarkers(content.value("copy", ""))) {
    markers.push_back(Json{{"text", m.text},
                           {"character", m.character},
                           {"line", m.line},
                           {"up_front", m.up_front},
                           {"buried", m.buried}});
  }
  Status check = storage::CheckPostDisclosure(content);
  Json out{{"ok", check.ok()}, {"markers", std::move(markers)}};
  if (!check.ok()) {
    out["field"] = check.field();
    out["reason"] = check.reason();
    out["message"] = check.message();
  }
  return out;
}

}  // namespace tutti::service

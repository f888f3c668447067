// The compliant-publishing routes (docs/publishing.md, "Posts in the product"): an activation's
// UTM taxonomy, the versioned content of calendar posts with their links tagged or validated
// against it and their disclosure checked, publication confirmations, and freezes. The link and
// disclosure rules are publishing/utm.h's and disclosure.h's; which content an approval covers
// and whether a post is frozen are the Store's (ApprovedContentVersion, FreezeHolding); who may
// do what is governance/access.h's. A partner's draft copy and links exist only for the host and
// that partner until the version is approved: for anyone else they answer 404.
#include <algorithm>
#include <array>
#include <cctype>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tutti/http/api_support.h"
#include "tutti/publishing/disclosure.h"
#include "tutti/publishing/utm.h"
#include "tutti/service/post_content.h"

namespace tutti::http {
namespace {

using storage::ActivationRecord;
using storage::ApprovalRecord;
using storage::FreezeRecord;
using storage::PostContentRecord;

constexpr size_t kMaxPostIdLength = 200;
constexpr size_t kMaxCopyBytes = 16 * 1024;  // every platform's caption limit is far below
constexpr size_t kMaxLinks = 20;
constexpr size_t kMaxAssets = 20;
constexpr size_t kMaxAssetIdLength = 64;
constexpr size_t kMaxUtmValueInput = 1024;  // the engine bounds values itself, with its reason
constexpr size_t kMaxPlatformLength = 50;
constexpr size_t kMaxReasonLength = 1000;
constexpr auto kFreezeScopes = std::to_array<std::string_view>({"activation", "partner"});

Result<std::string> PostIdParam(const ApiRequest& r) {
  const std::string& id = r.PathParam("post_id");
  if (id.empty() || id.size() > kMaxPostIdLength) {
    return InvalidArgument("post ids are 1 to 200 bytes", "post_id", "invalid_id");
  }
  return id;
}

// The organisation a calendar post belongs to: its "partner", the host when it names none.
std::string PostOrg(const Json& post, const ActivationRecord& a) {
  return post.value("partner", a.host_org_id);
}

std::vector<ApprovalRecord> PostApprovals(std::vector<ApprovalRecord> all,
                                          const std::string& post_id) {
  std::erase_if(all, [&](const ApprovalRecord& a) {
    return a.subject_kind != "post" || a.subject_id != post_id;
  });
  return all;
}

// ---- PUT …/content: the body ----

struct ContentInput {
  Json content;  // everything but the platform, which is the post's
  std::vector<std::string> asset_ids;
  std::vector<service::PostLinkInput> links;
};

Result<bool> OptionalBool(const Json& body, const char* key) {
  if (!body.contains(key)) return false;
  return ReadBool(body[key], key);
}

Result<service::PostLinkInput> ParseLink(const Json& link, const std::string& path) {
  TUTTI_RETURN_IF_ERROR(RequireObject(link, path));
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(link, {"url", "utm", "validate_only"}, path));
  service::PostLinkInput out;
  if (!link.contains("url"))
    return InvalidArgument("is required", JoinPath(path, "url"), "required");
  TUTTI_ASSIGN_OR_RETURN(
      out.url, ReadString(link["url"], JoinPath(path, "url"), 1, publishing::kMaxUrlLength + 1));
  if (link.contains("validate_only")) {
    TUTTI_ASSIGN_OR_RETURN(out.validate_only,
                           ReadBool(link["validate_only"], JoinPath(path, "validate_only")));
  }
  if (link.contains("utm")) {
    const std::string utm_path = JoinPath(path, "utm");
    if (out.validate_only) {
      return InvalidArgument(
          "a link is either tagged (utm) or validated as it is (validate_only), not both", utm_path,
          "conflicting_fields");
    }
    TUTTI_RETURN_IF_ERROR(RequireObject(link["utm"], utm_path));
    for (const auto& [name, value] : link["utm"].items()) {
      TUTTI_ASSIGN_OR_RETURN(std::string typed,
                             ReadString(value, JoinPath(utm_path, name), 0, kMaxUtmValueInput));
      out.given.push_back(publishing::UtmField{name, std::move(typed)});
    }
  }
  return out;
}

Result<ContentInput> ParseContentBody(const Json& body) {
  TUTTI_RETURN_IF_ERROR(
      RejectUnknownFields(body, {"copy", "format", "paid", "partner", "platform_flag",
                                 "media_disclosure", "asset_ids", "links"}));
  ContentInput out;
  if (!body.contains("copy")) return InvalidArgument("is required", "copy", "required");
  TUTTI_ASSIGN_OR_RETURN(std::string copy, ReadString(body["copy"], "copy", 0, kMaxCopyBytes));
  std::string format = "text";
  if (body.contains("format")) {
    TUTTI_ASSIGN_OR_RETURN(format,
                           ReadEnum(body["format"], "format", publishing::kPostFormatNames));
  }
  std::string media = "none";
  if (body.contains("media_disclosure")) {
    TUTTI_ASSIGN_OR_RETURN(media, ReadEnum(body["media_disclosure"], "media_disclosure",
                                           publishing::kMediaDisclosureNames));
  }
  TUTTI_ASSIGN_OR_RETURN(bool paid, OptionalBool(body, "paid"));
  TUTTI_ASSIGN_OR_RETURN(bool partner, OptionalBool(body, "partner"));
  TUTTI_ASSIGN_OR_RETURN(bool platform_flag, OptionalBool(body, "platform_flag"));
  if (body.contains("asset_ids")) {
    TUTTI_RETURN_IF_ERROR(RequireArray(body["asset_ids"], "asset_ids", kMaxAssets));
    std::set<std::string> seen;
    for (size_t i = 0; i < body["asset_ids"].size(); ++i) {
      const std::string path = JoinPath("asset_ids", i);
      TUTTI_ASSIGN_OR_RETURN(std::string id,
                             ReadString(body["asset_ids"][i], path, 1, kMaxAssetIdLength));
      if (!seen.insert(id).second) {
        return InvalidArgument("lists asset " + id + " twice", path, "duplicate");
      }
      out.asset_ids.push_back(std::move(id));
    }
  }
  if (body.contains("links")) {
    TUTTI_RETURN_IF_ERROR(RequireArray(body["links"], "links", kMaxLinks));
    for (size_t i = 0; i < body["links"].size(); ++i) {
      TUTTI_ASSIGN_OR_RETURN(service::PostLinkInput link,
                             ParseLink(body["links"][i], JoinPath("links", i)));
      out.links.push_back(std::move(link));
    }
  }
  out.content = Json{{"copy", std::move(copy)},
                     {"format", format},
                     {"paid", paid},
                     {"partner", partner},
                     {"platform_flag", platform_flag},
                     {"media_disclosure", media},
                     {"asset_ids", out.asset_ids}};
  return out;
}

Json ContentJson(const PostContentRecord& c, std::optional<int64_t> approved_version) {
  Json out = c.content.is_object() ? c.content : Json::object();
  out["activation_id"] = c.activation_id;
  out["post_id"] = c.post_id;
  out["version"] = c.version;
  out["org_id"] = c.org_id;
  out["links"] = c.links;
  out["disclosure"] = c.disclosure;
  out["taxonomy_version"] = c.taxonomy_version;
  out["approved"] = approved_version == c.version;
  out["created_by"] = c.created_by;
  out["created_at"] = c.created_at;
  return out;
}

// The versions of a post's content the caller may read, with the version its approvals cover.
struct VisibleContents {
  std::vector<const PostContentRecord*> visible;  // oldest first
  std::optional<int64_t> approved;
};

struct PostContents {
  std::vector<PostContentRecord> all;
  VisibleContents view;
};

Result<PostContents> LoadVisibleContents(storage::Store& store, const ApiRequest& r,
                                         const ActivationRecord& a, const std::string& post_id) {
  PostContents out;
  TUTTI_ASSIGN_OR_RETURN(out.all, store.ListPostContents(a.id, post_id));
  TUTTI_ASSIGN_OR_RETURN(auto approvals, store.ListApprovals(a.id));
  out.view.approved = storage::ApprovedContentVersion(out.all, PostApprovals(approvals, post_id));
  for (const PostContentRecord& c : out.all) {
    if (governance::CanViewPostContent(Caller(r), a.Access(), c.org_id,
                                       out.view.approved == c.version)) {
      out.view.visible.push_back(&c);
    }
  }
  if (out.view.visible.empty()) return NotVisible("post content");
  return out;
}

Json FreezeJson(const FreezeRecord& f) {
  auto or_null = [](const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); };
  return Json{{"id", f.id},
              {"activation_id", f.activation_id},
              {"scope", f.scope},
              {"org_id", or_null(f.org_id)},
              {"reason", f.reason},
              {"active", f.active()},
              {"created_by", f.created_by},
              {"created_at", f.created_at},
              {"lifted_by", or_null(f.lifted_by)},
              {"lifted_at", or_null(f.lifted_at)},
              {"lift_reason", or_null(f.lift_reason)}};
}

Json PublicationJson(const storage::PublicationRecord& p) {
  return Json{{"id", p.id},
              {"activation_id", p.activation_id},
              {"post_id", p.post_id},
              {"org_id", p.org_id},
              {"platform", p.platform},
              {"live_url", p.live_url},
              {"published_at", p.published_at},
              {"content_version", p.content_version},
              {"approval_id", p.approval_id},
              {"recorded_by", p.recorded_by},
              {"recorded_at", p.recorded_at}};
}

Result<std::string> ReadReason(const Json& body) {
  if (!body.contains("reason")) return InvalidArgument("is required", "reason", "required");
  return ReadString(body["reason"], "reason", 1, kMaxReasonLength);
}

storage::FreezeAuthorize FreezeRule(const governance::Principal& caller, const char* verb) {
  return [&caller, verb](const ActivationRecord& a, const FreezeRecord& f) -> Status {
    if (!governance::CanViewActivation(caller, a.Access())) return NotVisible("activation");
    if (!governance::CanFreezePosts(caller, a.Access(), f.org_id)) {
      return Forbidden(std::string("the host's owners and facilitators ") + verb +
                       " any posts; a partner's owners and partner admins " + verb +
                       " their own organisation's posts only");
    }
    return OkStatus();
  };
}

}  // namespace

Result<Json> MarkFrozenPosts(storage::Store& store, const ActivationRecord& activation,
                             Json posts_response) {
  Json* posts = nullptr;
  if (posts_response.contains("content_calendar") &&
      posts_response["content_calendar"].is_object() &&
      posts_response["content_calendar"].contains("posts") &&
      posts_response["content_calendar"]["posts"].is_array()) {
    posts = &posts_response["content_calendar"]["posts"];
  }
  if (posts == nullptr || posts->empty()) return posts_response;
  TUTTI_ASSIGN_OR_RETURN(auto freezes, store.ListFreezes(activation.id));
  for (Json& post : *posts) {
    if (!post.is_object()) continue;
    const FreezeRecord* holding = storage::FreezeHolding(freezes, PostOrg(post, activation));
    if (holding == nullptr) continue;
    post["frozen"] = Json{
        {"freeze_id", holding->id}, {"reason", holding->reason}, {"since", holding->created_at}};
  }
  return posts_response;
}

std::vector<Route> PublishingRoutes(storage::Store& store) {
  std::vector<Route> routes;
  auto add = [&](std::string method, std::string path,
                 std::function<Result<ApiResponse>(ApiRequest&)> handler) {
    routes.push_back(Route{std::move(method), std::move(path), true, std::move(handler)});
  };

  add("GET", "/api/v1/activations/{activation_id}/utm-taxonomy",
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto a, VisibleActivation(store, r));
        TUTTI_ASSIGN_OR_RETURN(auto taxonomy, store.GetUtmTaxonomy(a.id));
        return Ok(Json{{"taxonomy", taxonomy.document},
                       {"version", taxonomy.version},
                       {"updated_by", taxonomy.updated_by},
                       {"updated_at", taxonomy.updated_at}});
      });

  add("PUT", "/api/v1/activations/{activation_id}/utm-taxonomy",
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto visible, VisibleActivation(store, r));
        TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
        // The document carries its own "version" ("2026-06"), so it travels under "taxonomy"
        // and "version" stays the expected stored version, as on every other versioned route.
        TUTTI_ASSIGN_OR_RETURN(std::optional<int64_t> version, ExpectedVersion(r, body, 0));
        TUTTI_RETURN_IF_ERROR(RejectUnknownFields(body, {"taxonomy"}));
        if (!body.contains("taxonomy")) {
          return InvalidArgument("is required", "taxonomy", "required");
        }
        Result<publishing::UtmTaxonomy> parsed = publishing::ParseTaxonomy(body["taxonomy"]);
        if (!parsed.ok()) {
          return std::move(Status(parsed.status()))
              .WithField(JoinPath("taxonomy", parsed.status().field()));
        }
        TUTTI_ASSIGN_OR_RETURN(
            auto taxonomy,
            store.PutUtmTaxonomy(visible.id, body["taxonomy"], version, ActorOf(r),
                                 Require(Caller(r), &governance::CanEditUtmTaxonomy,
                                         "the UTM taxonomy is for the host's owners and "
                                         "facilitators")));
        return Ok(Json{{"taxonomy", taxonomy.document},
                       {"version", taxonomy.version},
                       {"updated_by", taxonomy.updated_by},
                       {"updated_at", taxonomy.updated_at}});
      });

  add("GET", "/api/v1/activations/{activation_id}/posts/{post_id}/content",
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto a, VisibleActivation(store, r));
        TUTTI_ASSIGN_OR_RETURN(std::string post_id, PostIdParam(r));
        TUTTI_ASSIGN_OR_RETURN(PostContents contents, LoadVisibleContents(store, r, a, post_id));
        const std::string asked = r.Query("version");
        if (asked.empty()) {
          return Ok(ContentJson(*contents.view.visible.back(), contents.view.approved));
        }
        for (const PostContentRecord* c : contents.view.visible) {
          if (std::to_string(c->version) == asked) {
            return Ok(ContentJson(*c, contents.view.approved));
          }
        }
        return NotFound("the post has no content version \"" + asked + "\" you may read",
                        "version");
      });

  add("GET", "/api/v1/activations/{activation_id}/posts/{post_id}/content/versions",
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto a, VisibleActivation(store, r));
        TUTTI_ASSIGN_OR_RETURN(std::string post_id, PostIdParam(r));
        TUTTI_ASSIGN_OR_RETURN(PostContents contents, LoadVisibleContents(store, r, a, post_id));
        Json items = Json::array();
        for (const PostContentRecord* c : contents.view.visible) {
          items.push_back(ContentJson(*c, contents.view.approved));
        }
        return Ok(Json{{"items", std::move(items)},
                       {"approved_version",
                        contents.view.approved ? Json(*contents.view.approved) : Json(nullptr)}});
      });

  add("PUT", "/api/v1/activations/{activation_id}/posts/{post_id}/content",
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto visible, VisibleActivation(store, r));
        TUTTI_ASSIGN_OR_RETURN(std::string post_id, PostIdParam(r));
        TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
        TUTTI_ASSIGN_OR_RETURN(std::optional<int64_t> version, ExpectedVersion(r, body, 0));
        TUTTI_ASSIGN_OR_RETURN(ContentInput input, ParseContentBody(body));
        const governance::Principal& caller = Caller(r);
        TUTTI_ASSIGN_OR_RETURN(
            PostContentRecord stored,
            store.AddPostContent(
                visible.id, post_id, input.asset_ids, version, ActorOf(r),
                [&](const ActivationRecord& a, const storage::PostContentContext& context)
                    -> Result<storage::PostContentDraft> {
                  if (!governance::CanViewActivation(caller, a.Access())) {
                    return NotVisible("activation");
                  }
                  const std::string post_org = PostOrg(context.post, a);
                  if (!governance::CanWritePartnerPosts(caller, a.Access(), post_org)) {
                    return Forbidden(
                        "a post's content is written by its own organisation (not viewers) and "
                        "by those who edit the brief");
                  }
                  for (size_t i = 0; i < context.assets.size(); ++i) {
                    const auto& asset = context.assets[i];
                    // An asset the post's organisation may not use reads as unknown, so that
                    // another partner's drafts stay invisible.
                    if (!asset || !(asset->org_id == post_org || asset->shared ||
                                    post_org == a.host_org_id)) {
                      return InvalidArgument(
                          "is not an asset of this activation that the post's organisation may "
                          "use (its own or one shared with it)",
                          JoinPath("asset_ids", i), "unknown_asset");
                    }
                  }
                  storage::PostContentDraft draft;
                  draft.content = input.content;
                  // A partner's post in a joint activation is a material connection by
                  // definition; the flag can add one (a host post by a paid creator), never
                  // remove it.
                  if (post_org != a.host_org_id) draft.content["partner"] = true;
                  const std::string platform = context.post.value("platform", "");
                  draft.content["platform"] = platform;
                  std::optional<publishing::UtmTaxonomy> taxonomy;
                  if (context.taxonomy.version > 0) {
                    Result<publishing::UtmTaxonomy> parsed =
                        publishing::ParseTaxonomy(context.taxonomy.document);
                    if (!parsed.ok()) {
                      return Internal("the stored UTM taxonomy no longer parses: " +
                                      parsed.status().ToString());
                    }
                    taxonomy = std::move(parsed).value();
                    draft.taxonomy_version = context.taxonomy.version;
                  }
                  const bool paid = draft.content.value("paid", false);
                  for (size_t i = 0; i < input.links.size(); ++i) {
                    TUTTI_ASSIGN_OR_RETURN(
                        Json link, service::TagOrValidatePostLink(input.links[i], i, taxonomy,
                                                                  platform, paid));
                    draft.links.push_back(std::move(link));
                  }
                  draft.disclosure = service::PostDisclosureJson(draft.content);
                  return draft;
                }));
        return Ok(ContentJson(stored, std::nullopt), stored.version == 1 ? 201 : 200);
      });

  add("GET", "/api/v1/activations/{activation_id}/posts/{post_id}/publications",
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto a, VisibleActivation(store, r));
        TUTTI_ASSIGN_OR_RETURN(std::string post_id, PostIdParam(r));
        TUTTI_ASSIGN_OR_RETURN(auto publications, store.ListPublications(a.id, post_id));
        Json items = Json::array();
        for (const storage::PublicationRecord& p : publications) {
          items.push_back(PublicationJson(p));
        }
        return Ok(Json{{"items", std::move(items)}});
      });

  add("POST", "/api/v1/activations/{activation_id}/posts/{post_id}/publications",
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto visible, VisibleActivation(store, r));
        TUTTI_ASSIGN_OR_RETURN(std::string post_id, PostIdParam(r));
        TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
        TUTTI_RETURN_IF_ERROR(RejectUnknownFields(body, {"live_url", "platform", "published_at"}));
        storage::NewPublication publication;
        publication.post_id = post_id;
        if (!body.contains("live_url")) {
          return InvalidArgument("is required", "live_url", "required");
        }
        TUTTI_ASSIGN_OR_RETURN(publication.live_url, ReadString(body["live_url"], "live_url", 1,
                                                                publishing::kMaxUrlLength + 1));
        Result<publishing::Url> url = publishing::ParseUrl(publication.live_url);
        if (!url.ok()) return std::move(Status(url.status())).WithField("live_url");
        publication.live_url = publishing::FormatUrl(*url);
        if (body.contains("platform")) {
          TUTTI_ASSIGN_OR_RETURN(publication.platform,
                                 ReadString(body["platform"], "platform", 1, kMaxPlatformLength));
        }
        if (body.contains("published_at")) {
          TUTTI_ASSIGN_OR_RETURN(std::string text,
                                 ReadString(body["published_at"], "published_at", 1, 64));
          Result<Instant> at = ParseInstant(text);
          if (!at.ok()) return std::move(Status(at.status())).WithField("published_at");
          if (*at > store.clock().Now()) {
            return InvalidArgument("is in the future; record a publication once it is live",
                                   "published_at", "in_future");
          }
          publication.published_at = FormatInstant(*at);
        }
        const governance::Principal& caller = Caller(r);
        TUTTI_ASSIGN_OR_RETURN(
            auto recorded,
            store.RecordPublication(
                visible.id, publication, ActorOf(r),
                [&caller](const ActivationRecord& a, const std::string& post_org) -> Status {
                  if (!governance::CanViewActivation(caller, a.Access())) {
                    return NotVisible("activation");
                  }
                  if (!governance::CanRecordPublication(caller, a.Access(), post_org)) {
                    return Forbidden(
                        "a publication is recorded by the post's own organisation (not viewers) "
                        "and by those who edit the brief");
                  }
                  return OkStatus();
                }));
        return Ok(PublicationJson(recorded), 201);
      });

  add("GET", "/api/v1/activations/{activation_id}/freezes",
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto a, VisibleActivation(store, r));
        TUTTI_ASSIGN_OR_RETURN(auto freezes, store.ListFreezes(a.id));
        Json items = Json::array();
        for (const FreezeRecord& f : freezes) items.push_back(FreezeJson(f));
        return Ok(Json{{"items", std::move(items)}});
      });

  add("POST", "/api/v1/activations/{activation_id}/freezes",
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto visible, VisibleActivation(store, r));
        TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
        TUTTI_RETURN_IF_ERROR(RejectUnknownFields(body, {"scope", "org_id", "reason"}));
        if (!body.contains("scope")) return InvalidArgument("is required", "scope", "required");
        TUTTI_ASSIGN_OR_RETURN(std::string scope, ReadEnum(body["scope"], "scope", kFreezeScopes));
        std::string org_id;
        if (scope == "partner") {
          if (!body.contains("org_id")) {
            return InvalidArgument("is required for a partner freeze", "org_id", "required");
          }
          TUTTI_ASSIGN_OR_RETURN(org_id, ReadString(body["org_id"], "org_id", 1, 64));
        } else if (body.contains("org_id")) {
          return InvalidArgument("a freeze of the whole activation names no organisation", "org_id",
                                 "unexpected_field");
        }
        TUTTI_ASSIGN_OR_RETURN(std::string reason, ReadReason(body));
        TUTTI_ASSIGN_OR_RETURN(auto freeze,
                               store.CreateFreeze(visible.id, scope, org_id, reason, ActorOf(r),
                                                  FreezeRule(Caller(r), "freeze")));
        return Ok(FreezeJson(freeze), 201);
      });

  add("POST", "/api/v1/activations/{activation_id}/freezes/{freeze_id}/lift",
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto visible, VisibleActivation(store, r));
        const std::string& freeze_id = r.PathParam("freeze_id");
        TUTTI_RETURN_IF_ERROR(CheckId(freeze_id, "frz", "freeze"));
        TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
        TUTTI_RETURN_IF_ERROR(RejectUnknownFields(body, {"reason"}));
        TUTTI_ASSIGN_OR_RETURN(std::string reason, ReadReason(body));
        TUTTI_ASSIGN_OR_RETURN(auto freeze,
                               store.LiftFreeze(visible.id, freeze_id, reason, ActorOf(r),
                                                FreezeRule(Caller(r), "lift freezes of")));
        return Ok(FreezeJson(freeze));
      });

  return routes;
}

}  // namespace tutti::http

// The compliant-publishing half of Store (docs/publishing.md, "Posts in the product"; migration
// 9): versions of an activation's UTM taxonomy, immutable content versions of calendar posts,
// publication confirmations and freezes. Whether a post is frozen (FreezeHolding) and which
// content its approvals cover (ApprovedContentVersion) are decided here once, on state read in the
// caller's transaction; the disclosure rule is publishing/disclosure.h's, applied again to the
// stored content whenever an approval is requested or granted. Thread-safe like the rest of Store.
#include <algorithm>
#include <tuple>

#include "tutti/base/ids.h"
#include "tutti/publishing/disclosure.h"
#include "tutti/storage/store.h"
#include "tutti/storage/store_internal.h"

namespace tutti::storage {
namespace {

using detail::Entry;
using detail::LoadActivation;
using detail::ParseStored;
using governance::AuditEntry;

constexpr char kContentColumns[] =
    "activation_id, post_id, version, org_id, content, links, disclosure, taxonomy_version, "
    "created_by, created_at FROM post_contents";
constexpr char kPublicationColumns[] =
    "id, activation_id, post_id, org_id, platform, live_url, published_at, content_version, "
    "approval_id, recorded_by, recorded_at FROM post_publications";
constexpr char kFreezeColumns[] =
    "id, activation_id, scope, org_id, reason, created_by, created_at, lifted_by, lifted_at, "
    "lift_reason FROM post_freezes";

PostContentRecord ContentFromRow(const Row& r) {
  return PostContentRecord{r.Text(0),
                           r.Text(1),
                           r.Int(2),
                           r.Text(3),
                           ParseStored(r.Text(4)),
                           ParseStored(r.Text(5)),
                           ParseStored(r.Text(6)),
                           r.Int(7),
                           r.Text(8),
                           r.Text(9)};
}

PublicationRecord PublicationFromRow(const Row& r) {
  return PublicationRecord{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5),
                           r.Text(6), r.Int(7),  r.Text(8), r.Text(9), r.Text(10)};
}

FreezeRecord FreezeFromRow(const Row& r) {
  return FreezeRecord{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4),
                      r.Text(5), r.Text(6), r.Text(7), r.Text(8), r.Text(9)};
}

Json FreezeAuditJson(const FreezeRecord& f) {
  Json out{{"scope", f.scope}, {"org_id", f.org_id}, {"reason", f.reason}};
  if (!f.active()) out["lift_reason"] = f.lift_reason;
  return out;
}

std::string PostEntityId(const std::string& activation_id, const std::string& post_id) {
  return activation_id + ":" + post_id;
}

Result<UtmTaxonomyRecord> LoadTaxonomy(SqlSession& s, const std::string& activation_id) {
  UtmTaxonomyRecord out;
  out.activation_id = activation_id;
  TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query("SELECT version, document, updated_by, updated_at FROM "
                                            "utm_taxonomies WHERE activation_id = ? ORDER BY "
                                            "version DESC LIMIT 1",
                                            {activation_id}));
  if (rows.empty()) return out;
  out.version = rows[0].Int(0);
  out.document = ParseStored(rows[0].Text(1));
  out.updated_by = rows[0].Text(2);
  out.updated_at = rows[0].Text(3);
  return out;
}

Result<std::vector<PostContentRecord>> LoadContents(SqlSession& s, const std::string& activation_id,
                                                    const std::string& post_id) {
  TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query(std::string("SELECT ") + kContentColumns +
                                                " WHERE activation_id = ? AND post_id = ? "
                                                "ORDER BY version",
                                            {activation_id, post_id}));
  std::vector<PostContentRecord> out;
  for (const Row& r : rows) out.push_back(ContentFromRow(r));
  return out;
}

// The post as the activation's content calendar holds it now; kNotFound when it holds none.
Result<Json> LoadCalendarPost(SqlSession& s, const std::string& activation_id,
                              const std::string& post_id) {
  TUTTI_ASSIGN_OR_RETURN(
      auto rows, s.Query("SELECT content_calendar FROM activation_plans WHERE activation_id = ?",
                         {activation_id}));
  if (!rows.empty() && !rows[0].IsNull(0)) {
    const Json calendar = ParseStored(rows[0].Text(0));
    if (calendar.is_object()) {
      for (const Json& post : calendar.value("posts", Json::array())) {
        if (post.is_object() && post.value("id", "") == post_id) return post;
      }
    }
  }
  return NotFound("the content calendar has no post \"" + post_id + "\"", "post_id");
}

// The requests about the post whose current round is approved: only what ApprovedContentVersion
// reads (id, subject, state, round_started_at).
Result<std::vector<ApprovalRecord>> LoadApprovedPostRequests(SqlSession& s,
                                                             const std::string& activation_id,
                                                             const std::string& post_id) {
  TUTTI_ASSIGN_OR_RETURN(
      auto rows, s.Query("SELECT id, round_started_at FROM approval_requests WHERE activation_id "
                         "= ? AND subject_kind = 'post' AND subject_id = ? AND state = 'approved' "
                         "ORDER BY round_started_at, id",
                         {activation_id, post_id}));
  std::vector<ApprovalRecord> out;
  for (const Row& r : rows) {
    ApprovalRecord a;
    a.id = r.Text(0);
    a.activation_id = activation_id;
    a.subject_kind = "post";
    a.subject_id = post_id;
    a.state = "approved";
    a.round_started_at = r.Text(1);
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::vector<FreezeRecord>> LoadFreezes(SqlSession& s, const std::string& activation_id,
                                              bool active_only) {
  std::string sql = std::string("SELECT ") + kFreezeColumns + " WHERE activation_id = ?";
  if (active_only) sql += " AND lifted_at IS NULL";
  sql += " ORDER BY created_at, id";
  TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query(sql, {activation_id}));
  std::vector<FreezeRecord> out;
  for (const Row& r : rows) out.push_back(FreezeFromRow(r));
  return out;
}

// What a content write needs of an asset: its owner and whether it is shared (no versions).
Result<AssetRecord> LoadAssetSummary(SqlSession& s, const std::string& activation_id,
                                     const std::string& asset_id) {
  TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query("SELECT org_id, name_stem, kind, shared, "
                                            "latest_version FROM assets WHERE id = ? AND "
                                            "activation_id = ?",
                                            {asset_id, activation_id}));
  if (rows.empty()) return NotFound("asset " + asset_id + " not found");
  AssetRecord a;
  a.id = asset_id;
  a.activation_id = activation_id;
  a.org_id = rows[0].Text(0);
  a.name_stem = rows[0].Text(1);
  a.kind = rows[0].Text(2);
  a.shared = rows[0].Int(3) != 0;
  a.latest_version = rows[0].Int(4);
  return a;
}

bool ReadFlag(const Json& content, const char* key) {
  const Json& value = content.value(key, Json(false));
  return value.is_boolean() && value.get<bool>();
}

}  // namespace

const FreezeRecord* FreezeHolding(const std::vector<FreezeRecord>& freezes,
                                  const std::string& post_org_id) {
  const FreezeRecord* holding = nullptr;
  for (const FreezeRecord& f : freezes) {
    if (!f.active()) continue;
    if (f.scope != "activation" && f.org_id != post_org_id) continue;
    if (holding == nullptr ||
        std::tie(f.created_at, f.id) < std::tie(holding->created_at, holding->id)) {
      holding = &f;
    }
  }
  return holding;
}

std::optional<int64_t> ApprovedContentVersion(const std::vector<PostContentRecord>& versions,
                                              const std::vector<ApprovalRecord>& approvals) {
  std::optional<int64_t> covered;
  for (const ApprovalRecord& a : approvals) {
    if (a.subject_kind != "post" || a.state != "approved") continue;
    // Instants are stored at millisecond precision in one format, so the strings sort as
    // instants. "At or before": content written in the same millisecond as the round started
    // was there to be reviewed.
    std::optional<int64_t> latest_reviewed;
    for (const PostContentRecord& v : versions) {
      if (v.created_at <= a.round_started_at) {
        latest_reviewed = std::max(latest_reviewed.value_or(0), v.version);
      }
    }
    if (latest_reviewed && (!covered || *latest_reviewed > *covered)) covered = latest_reviewed;
  }
  return covered;
}

Status CheckPostDisclosure(const Json& content) {
  if (!content.is_object()) return Internal("stored post content is not an object");
  publishing::DisclosurePost post;
  post.copy = content.value("copy", "");
  post.is_paid = ReadFlag(content, "paid");
  post.is_partner = ReadFlag(content, "partner");
  post.platform = content.value("platform", "");
  post.platform_flag = ReadFlag(content, "platform_flag");
  if (!publishing::ParsePostFormat(content.value("format", "text"), &post.format) ||
      !publishing::ParseMediaDisclosure(content.value("media_disclosure", "none"),
                                        &post.media_disclosure)) {
    return Internal("stored post content has an unknown format or media disclosure");
  }
  return publishing::CheckDisclosure(post);
}

namespace detail {

Result<std::optional<FreezeRecord>> ActiveFreezeFor(SqlSession& s, const std::string& activation_id,
                                                    const std::string& post_org_id) {
  TUTTI_ASSIGN_OR_RETURN(auto freezes, LoadFreezes(s, activation_id, /*active_only=*/true));
  const FreezeRecord* holding = FreezeHolding(freezes, post_org_id);
  if (holding == nullptr) return std::optional<FreezeRecord>();
  return std::optional<FreezeRecord>(*holding);
}

Status CheckApprovalSubject(SqlSession& s, const std::string& activation_id,
                            const std::string& subject_kind, const std::string& subject_id) {
  if (subject_kind != "post") return OkStatus();
  TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query("SELECT content FROM post_contents WHERE "
                                            "activation_id = ? AND post_id = ? ORDER BY version "
                                            "DESC LIMIT 1",
                                            {activation_id, subject_id}));
  if (rows.empty()) return OkStatus();
  Status disclosure = CheckPostDisclosure(ParseStored(rows[0].Text(0)));
  if (disclosure.ok() || disclosure.code() != StatusCode::kFailedPrecondition) return disclosure;
  return InvalidArgument(disclosure.message(), disclosure.field(), "disclosure_required");
}

}  // namespace detail

Result<UtmTaxonomyRecord> Store::GetUtmTaxonomy(const std::string& activation_id) {
  return detail::ReadInActivation(db_, activation_id,
                                  [&](SqlSession& s) { return LoadTaxonomy(s, activation_id); });
}

Result<UtmTaxonomyRecord> Store::PutUtmTaxonomy(const std::string& activation_id,
                                                const Json& document,
                                                std::optional<int64_t> expected_version,
                                                const Actor& actor, const Authorize& authorize) {
  UtmTaxonomyRecord out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    // The activation's row lock serialises version numbers on PostgreSQL.
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord a, LoadActivation(s, activation_id, true));
    TUTTI_RETURN_IF_ERROR(authorize(a));
    TUTTI_ASSIGN_OR_RETURN(UtmTaxonomyRecord before, LoadTaxonomy(s, activation_id));
    TUTTI_RETURN_IF_ERROR(
        detail::CheckExpectedVersion(expected_version, before.version, "the UTM taxonomy was"));
    out = UtmTaxonomyRecord{activation_id, document, before.version + 1, actor.id, Now()};
    TUTTI_RETURN_IF_ERROR(s.Execute("INSERT INTO utm_taxonomies (activation_id, version, "
                                    "document, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)",
                                    {out.activation_id, out.version, out.document.dump(),
                                     out.updated_by, out.updated_at})
                              .status());
    AuditEntry e =
        Entry(actor, "utm_taxonomy", activation_id, before.version == 0 ? "created" : "updated");
    e.activation_id = activation_id;
    if (before.version != 0) e.before = before.document.dump();
    e.after = out.document.dump();
    return Append(s, std::move(e));
  }));
  return out;
}

Result<PostContentRecord> Store::AddPostContent(const std::string& activation_id,
                                                const std::string& post_id,
                                                const std::vector<std::string>& asset_ids,
                                                std::optional<int64_t> expected_version,
                                                const Actor& actor,
                                                const PostContentCompose& compose) {
  PostContentRecord out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord a, LoadActivation(s, activation_id, true));
    PostContentContext context;
    TUTTI_ASSIGN_OR_RETURN(context.post, LoadCalendarPost(s, activation_id, post_id));
    TUTTI_ASSIGN_OR_RETURN(context.taxonomy, LoadTaxonomy(s, activation_id));
    TUTTI_ASSIGN_OR_RETURN(auto versions, LoadContents(s, activation_id, post_id));
    if (!versions.empty()) context.latest = versions.back();
    for (const std::string& asset_id : asset_ids) {
      Result<AssetRecord> asset = LoadAssetSummary(s, activation_id, asset_id);
      if (asset.ok()) {
        context.assets.emplace_back(std::move(asset).value());
      } else if (asset.status().code() == StatusCode::kNotFound) {
        context.assets.emplace_back(std::nullopt);
      } else {
        return asset.status();
      }
    }
    TUTTI_ASSIGN_OR_RETURN(PostContentDraft draft, compose(a, context));
    const int64_t latest = context.latest ? context.latest->version : 0;
    TUTTI_RETURN_IF_ERROR(
        detail::CheckExpectedVersion(expected_version, latest, "the post's content was"));
    out = PostContentRecord{activation_id,
                            post_id,
                            latest + 1,
                            context.post.value("partner", a.host_org_id),
                            std::move(draft.content),
                            std::move(draft.links),
                            std::move(draft.disclosure),
                            draft.taxonomy_version,
                            actor.id,
                            Now()};
    TUTTI_RETURN_IF_ERROR(
        s.Execute("INSERT INTO post_contents (activation_id, post_id, version, org_id, content, "
                  "links, disclosure, taxonomy_version, created_by, created_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  {out.activation_id, out.post_id, out.version, out.org_id, out.content.dump(),
                   out.links.dump(), out.disclosure.dump(), out.taxonomy_version, out.created_by,
                   out.created_at})
            .status());
    AuditEntry e = Entry(actor, "post_content", PostEntityId(activation_id, post_id),
                         out.version == 1 ? "created" : "version_added");
    e.activation_id = activation_id;
    e.visible_org_id = out.org_id;
    e.after = Json{{"version", out.version},
                   {"content", out.content},
                   {"links", out.links},
                   {"disclosure", out.disclosure}}
                  .dump();
    return Append(s, std::move(e));
  }));
  return out;
}

Result<std::vector<PostContentRecord>> Store::ListPostContents(const std::string& activation_id,
                                                               const std::string& post_id) {
  std::vector<PostContentRecord> out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(out, LoadContents(s, activation_id, post_id));
    return OkStatus();
  }));
  return out;
}

Result<PublicationRecord> Store::RecordPublication(const std::string& activation_id,
                                                   const NewPublication& publication,
                                                   const Actor& actor,
                                                   const PublicationAuthorize& authorize) {
  PublicationRecord out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord a, LoadActivation(s, activation_id, true));
    TUTTI_ASSIGN_OR_RETURN(Json post, LoadCalendarPost(s, activation_id, publication.post_id));
    const std::string post_org = post.value("partner", a.host_org_id);
    TUTTI_RETURN_IF_ERROR(authorize(a, post_org));
    TUTTI_ASSIGN_OR_RETURN(std::optional<FreezeRecord> freeze,
                           detail::ActiveFreezeFor(s, activation_id, post_org));
    if (freeze) {
      return Status(StatusCode::kFailedPrecondition,
                    "freeze " + freeze->id + " (" + freeze->reason + ", since " +
                        freeze->created_at + ") stops this post until it is lifted",
                    "", "frozen");
    }
    TUTTI_ASSIGN_OR_RETURN(auto versions, LoadContents(s, activation_id, publication.post_id));
    TUTTI_ASSIGN_OR_RETURN(auto approvals,
                           LoadApprovedPostRequests(s, activation_id, publication.post_id));
    const std::optional<int64_t> approved = ApprovedContentVersion(versions, approvals);
    if (versions.empty() || approved != versions.back().version) {
      return Status(StatusCode::kFailedPrecondition,
                    versions.empty()
                        ? "the post has no content yet; PUT its content and have it approved"
                        : "content version " + std::to_string(versions.back().version) +
                              " of the post is not approved; put it up for approval (an approval "
                              "request whose round started after the content was written)",
                    "", "not_approved");
    }
    // The newest request that covers the published version: the one the publication went out
    // under.
    std::string approval_id;
    for (const ApprovalRecord& r : approvals) {
      if (ApprovedContentVersion(versions, {r}) == approved) approval_id = r.id;
    }
    const std::string now = Now();
    out = PublicationRecord{
        NewId("pub"),
        activation_id,
        publication.post_id,
        post_org,
        publication.platform.empty() ? post.value("platform", "") : publication.platform,
        publication.live_url,
        publication.published_at.empty() ? now : publication.published_at,
        *approved,
        approval_id,
        actor.id,
        now};
    TUTTI_RETURN_IF_ERROR(
        s.Execute("INSERT INTO post_publications (id, activation_id, post_id, org_id, platform, "
                  "live_url, published_at, content_version, approval_id, recorded_by, "
                  "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  {out.id, out.activation_id, out.post_id, out.org_id, out.platform, out.live_url,
                   out.published_at, out.content_version, out.approval_id, out.recorded_by,
                   out.recorded_at})
            .status());
    AuditEntry e = Entry(actor, "publication", out.id, "published");
    e.activation_id = activation_id;
    e.after = Json{{"post_id", out.post_id},           {"org_id", out.org_id},
                   {"platform", out.platform},         {"live_url", out.live_url},
                   {"published_at", out.published_at}, {"content_version", out.content_version},
                   {"approval_id", out.approval_id}}
                  .dump();
    return Append(s, std::move(e));
  }));
  return out;
}

Result<std::vector<PublicationRecord>> Store::ListPublications(const std::string& activation_id,
                                                               const std::string& post_id) {
  std::vector<PublicationRecord> out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query(std::string("SELECT ") + kPublicationColumns +
                                                  " WHERE activation_id = ? AND post_id = ? "
                                                  "ORDER BY recorded_at, id",
                                              {activation_id, post_id}));
    for (const Row& r : rows) out.push_back(PublicationFromRow(r));
    return OkStatus();
  }));
  return out;
}

Result<FreezeRecord> Store::CreateFreeze(const std::string& activation_id, const std::string& scope,
                                         const std::string& org_id, const std::string& reason,
                                         const Actor& actor, const FreezeAuthorize& authorize) {
  FreezeRecord out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord a, LoadActivation(s, activation_id, true));
    if (scope != "activation" && scope != "partner") {
      return InvalidArgument("is \"activation\" or \"partner\"", "scope", "invalid_enum");
    }
    out = FreezeRecord{NewId("frz"), activation_id,
                       scope,        scope == "partner" ? org_id : "",
                       reason,       actor.id,
                       Now(),        "",
                       "",           ""};
    TUTTI_RETURN_IF_ERROR(authorize(a, out));
    if (scope == "partner" && out.org_id != a.host_org_id &&
        a.FindParticipant(out.org_id) == nullptr) {
      return InvalidArgument(
          "org_id must be the id of an organisation in this activation (its host or a "
          "participant)",
          "org_id", "unknown_partner");
    }
    TUTTI_RETURN_IF_ERROR(s.Execute("INSERT INTO post_freezes (id, activation_id, scope, org_id, "
                                    "reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                    {out.id, out.activation_id, out.scope, out.org_id, out.reason,
                                     out.created_by, out.created_at})
                              .status());
    AuditEntry e = Entry(actor, "freeze", out.id, "frozen");
    e.activation_id = activation_id;
    e.after = FreezeAuditJson(out).dump();
    return Append(s, std::move(e));
  }));
  return out;
}

Result<FreezeRecord> Store::LiftFreeze(const std::string& activation_id,
                                       const std::string& freeze_id, const std::string& reason,
                                       const Actor& actor, const FreezeAuthorize& authorize) {
  FreezeRecord out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord a, LoadActivation(s, activation_id, true));
    TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query(std::string("SELECT ") + kFreezeColumns +
                                                  " WHERE id = ? AND activation_id = ?",
                                              {freeze_id, activation_id}));
    if (rows.empty()) return NotFound("freeze not found");
    const FreezeRecord before = FreezeFromRow(rows[0]);
    TUTTI_RETURN_IF_ERROR(authorize(a, before));
    if (!before.active()) {
      return Status(
          StatusCode::kFailedPrecondition,
          "freeze " + before.id + " was lifted at " + before.lifted_at + " by " + before.lifted_by,
          "", "already_lifted");
    }
    out = before;
    out.lifted_by = actor.id;
    out.lifted_at = Now();
    out.lift_reason = reason;
    // The guard makes a concurrent second lift change nothing rather than overwrite the first.
    TUTTI_ASSIGN_OR_RETURN(int64_t updated,
                           s.Execute("UPDATE post_freezes SET lifted_by = ?, lifted_at = ?, "
                                     "lift_reason = ? WHERE id = ? AND lifted_at IS NULL",
                                     {out.lifted_by, out.lifted_at, out.lift_reason, out.id}));
    if (updated != 1) return Conflict("the freeze was lifted meanwhile; reload");
    AuditEntry e = Entry(actor, "freeze", out.id, "lifted");
    e.activation_id = activation_id;
    e.before = FreezeAuditJson(before).dump();
    e.after = FreezeAuditJson(out).dump();
    return Append(s, std::move(e));
  }));
  return out;
}

Result<std::vector<FreezeRecord>> Store::ListFreezes(const std::string& activation_id) {
  std::vector<FreezeRecord> out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(out, LoadFreezes(s, activation_id, /*active_only=*/false));
    return OkStatus();
  }));
  return out;
}

}  // namespace tutti::storage

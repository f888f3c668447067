// The asset-library half of Store (docs/assets.md, "Storage, HTTP API and CLI"; migration 8):
// per-activation settings (naming template, brand, platform specs), assets with immutable
// versions naming content-addressed files, tags, and localization variants with their state.
// The file bytes live in the blob store (storage/blob_store.h); rows only name their SHA-256.
// Which variants a new master version makes stale is assets/variants.h's rule, applied here in
// the upload's transaction. Thread-safe like the rest of Store.
#include <map>
#include <set>

#include "tutti/assets/variants.h"
#include "tutti/base/ids.h"
#include "tutti/storage/store.h"
#include "tutti/storage/store_internal.h"

namespace tutti::storage {
namespace {

using detail::Entry;
using detail::LoadActivation;
using detail::ParseStored;
using governance::AuditEntry;

constexpr char kAssetColumns[] =
    "a.id, a.activation_id, a.org_id, o.name, a.name_stem, a.kind, a.master_asset_id, a.locale, "
    "a.platform, a.shared, a.latest_version, a.created_by, a.created_at, a.updated_at "
    "FROM assets a JOIN orgs o ON o.id = a.org_id";

AssetRecord AssetFromRow(const Row& r) {
  AssetRecord a;
  a.id = r.Text(0);
  a.activation_id = r.Text(1);
  a.org_id = r.Text(2);
  a.org_name = r.Text(3);
  a.name_stem = r.Text(4);
  a.kind = r.Text(5);
  a.master_asset_id = r.Text(6);
  a.locale = r.Text(7);
  a.platform = r.Text(8);
  a.shared = r.Int(9) != 0;
  a.latest_version = r.Int(10);
  a.created_by = r.Text(11);
  a.created_at = r.Text(12);
  a.updated_at = r.Text(13);
  return a;
}

// Fills versions, tags and variant state of `assets` (all of one activation) in three queries.
Status LoadAssetDetails(SqlSession& s, const std::string& activation_id,
                        std::vector<AssetRecord>& assets) {
  if (assets.empty()) return OkStatus();
  std::map<std::string, AssetRecord*> by_id;
  for (AssetRecord& a : assets) by_id[a.id] = &a;
  TUTTI_ASSIGN_OR_RETURN(
      auto versions,
      s.Query("SELECT v.asset_id, v.version, v.sha256, v.bytes, v.file_name, v.media, "
              "v.spec_check, v.created_by, v.created_at FROM asset_versions v JOIN assets a ON "
              "a.id = v.asset_id WHERE a.activation_id = ? ORDER BY v.asset_id, v.version",
              {activation_id}));
  for (const Row& r : versions) {
    auto it = by_id.find(r.Text(0));
    if (it == by_id.end()) continue;
    it->second->versions.push_back(
        AssetVersionRecord{r.Int(1), r.Text(2), r.Int(3), r.Text(4), ParseStored(r.Text(5)),
                           ParseStored(r.Text(6)), r.Text(7), r.Text(8)});
  }
  TUTTI_ASSIGN_OR_RETURN(auto tags, s.Query("SELECT t.asset_id, t.tag FROM asset_tags t JOIN "
                                            "assets a ON a.id = t.asset_id WHERE "
                                            "a.activation_id = ? ORDER BY t.asset_id, t.tag",
                                            {activation_id}));
  for (const Row& r : tags) {
    auto it = by_id.find(r.Text(0));
    if (it != by_id.end()) it->second->tags.push_back(r.Text(1));
  }
  TUTTI_ASSIGN_OR_RETURN(
      auto states,
      s.Query("SELECT v.asset_id, v.master_version, v.translation, v.review, v.stale, "
              "v.updated_by, v.updated_at FROM asset_variant_states v JOIN assets a ON a.id = "
              "v.asset_id WHERE a.activation_id = ?",
              {activation_id}));
  for (const Row& r : states) {
    auto it = by_id.find(r.Text(0));
    if (it == by_id.end()) continue;
    it->second->variant = AssetVariantStateRecord{r.Int(1),      r.Text(2), r.Text(3),
                                                  r.Int(4) != 0, r.Text(5), r.Text(6)};
  }
  return OkStatus();
}

Result<AssetRecord> LoadAsset(SqlSession& s, const std::string& activation_id,
                              const std::string& asset_id, const char* field) {
  TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query(std::string("SELECT ") + kAssetColumns +
                                                " WHERE a.id = ? AND a.activation_id = ?",
                                            {asset_id, activation_id}));
  if (rows.empty()) return NotFound(std::string(field) + " " + asset_id + " not found", field);
  std::vector<AssetRecord> one{AssetFromRow(rows[0])};
  TUTTI_RETURN_IF_ERROR(LoadAssetDetails(s, activation_id, one));
  return std::move(one[0]);
}

Result<AssetSettingsRecord> LoadSettings(SqlSession& s, const std::string& activation_id) {
  AssetSettingsRecord out;
  out.activation_id = activation_id;
  TUTTI_ASSIGN_OR_RETURN(
      auto rows, s.Query("SELECT naming_template, brand, platform_specs, version, updated_by, "
                         "updated_at FROM asset_settings WHERE activation_id = ?",
                         {activation_id}));
  if (rows.empty()) return out;
  out.naming_template = rows[0].Text(0);
  out.brand = rows[0].Text(1);
  out.platform_specs = ParseStored(rows[0].Text(2));
  out.version = rows[0].Int(3);
  out.updated_by = rows[0].Text(4);
  out.updated_at = rows[0].Text(5);
  return out;
}

Json SettingsJson(const AssetSettingsRecord& s) {
  return Json{{"naming_template", s.naming_template},
              {"brand", s.brand},
              {"platform_specs", s.platform_specs}};
}

// What the trail keeps of an upload: enough to find the bytes again and see what was checked.
Json VersionAuditJson(const AssetRecord& asset, const AssetVersionRecord& v) {
  return Json{{"asset_id", asset.id},     {"kind", asset.kind},         {"org_id", asset.org_id},
              {"version", v.version},     {"sha256", v.sha256},         {"bytes", v.bytes},
              {"file_name", v.file_name}, {"spec_check", v.spec_check}, {"shared", asset.shared}};
}

Json VariantStateJson(const AssetVariantStateRecord& v) {
  return Json{{"master_version", v.master_version},
              {"translation", v.translation},
              {"review", v.review},
              {"stale", v.stale}};
}

assets::VariantState ToEngine(const AssetVariantStateRecord& r) {
  assets::VariantState v;
  v.master_version = static_cast<uint32_t>(r.master_version);
  for (size_t i = 0; i < assets::kTranslationStateNames.size(); ++i) {
    if (assets::kTranslationStateNames[i] == r.translation)
      v.translation = static_cast<assets::TranslationState>(i);
  }
  for (size_t i = 0; i < assets::kReviewStateNames.size(); ++i) {
    if (assets::kReviewStateNames[i] == r.review) v.review = static_cast<assets::ReviewState>(i);
  }
  v.stale = r.stale;
  return v;
}

Status InsertTags(SqlSession& s, const std::string& asset_id,
                  const std::vector<std::string>& tags) {
  for (const std::string& tag : tags) {
    TUTTI_RETURN_IF_ERROR(s.Execute("INSERT INTO asset_tags (asset_id, tag) VALUES (?, ?) ON "
                                    "CONFLICT (asset_id, tag) DO NOTHING",
                                    {asset_id, tag})
                              .status());
  }
  return OkStatus();
}

Status InsertVersion(SqlSession& s, const std::string& asset_id, const AssetVersionRecord& v) {
  return s
      .Execute(
          "INSERT INTO asset_versions (asset_id, version, sha256, bytes, file_name, media, "
          "spec_check, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {asset_id, v.version, v.sha256, v.bytes, v.file_name, v.media.dump(), v.spec_check.dump(),
           v.created_by, v.created_at})
      .status();
}

}  // namespace

const AssetVersionRecord* AssetRecord::FindVersion(int64_t version) const {
  for (const AssetVersionRecord& v : versions) {
    if (v.version == version) return &v;
  }
  return nullptr;
}

Result<AssetSettingsRecord> Store::GetAssetSettings(const std::string& activation_id) {
  return detail::ReadInActivation(db_, activation_id,
                                  [&](SqlSession& s) { return LoadSettings(s, activation_id); });
}

Result<AssetSettingsRecord> Store::PutAssetSettings(const AssetSettingsRecord& settings,
                                                    std::optional<int64_t> expected_version,
                                                    const Actor& actor,
                                                    const Authorize& authorize) {
  AssetSettingsRecord out = settings;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord a, LoadActivation(s, settings.activation_id, true));
    TUTTI_RETURN_IF_ERROR(authorize(a));
    TUTTI_ASSIGN_OR_RETURN(AssetSettingsRecord before, LoadSettings(s, settings.activation_id));
    TUTTI_RETURN_IF_ERROR(
        detail::CheckExpectedVersion(expected_version, before.version, "the asset settings were"));
    out.version = before.version + 1;
    out.updated_by = actor.id;
    out.updated_at = Now();
    TUTTI_RETURN_IF_ERROR(
        s.Execute("INSERT INTO asset_settings (activation_id, naming_template, brand, "
                  "platform_specs, version, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                  "ON CONFLICT (activation_id) DO UPDATE SET naming_template = "
                  "excluded.naming_template, brand = excluded.brand, platform_specs = "
                  "excluded.platform_specs, version = excluded.version, updated_by = "
                  "excluded.updated_by, updated_at = excluded.updated_at",
                  {out.activation_id, out.naming_template, out.brand, out.platform_specs.dump(),
                   out.version, out.updated_by, out.updated_at})
            .status());
    AuditEntry e = Entry(actor, "asset_settings", out.activation_id,
                         before.version == 0 ? "created" : "updated");
    e.activation_id = out.activation_id;
    if (before.version != 0) e.before = SettingsJson(before).dump();
    e.after = SettingsJson(out).dump();
    return Append(s, std::move(e));
  }));
  return out;
}

Result<AssetRecord> Store::AddAssetVersion(const std::string& activation_id,
                                           const NewAssetVersion& upload, const Actor& actor,
                                           const AssetAuthorize& authorize) {
  AssetRecord out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    // The activation's row lock serialises uploads to it on PostgreSQL (version numbers).
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord a, LoadActivation(s, activation_id, true));
    const std::string now = Now();
    AssetVersionRecord version = upload.version;
    version.created_by = actor.id;
    version.created_at = now;
    std::optional<AssetRecord> existing;
    std::optional<AssetRecord> master;
    if (!upload.asset_id.empty()) {
      TUTTI_ASSIGN_OR_RETURN(existing, LoadAsset(s, activation_id, upload.asset_id, "asset"));
      if (existing->kind == "variant") {
        TUTTI_ASSIGN_OR_RETURN(master,
                               LoadAsset(s, activation_id, existing->master_asset_id, "master"));
      }
    } else if (!upload.master_asset_id.empty()) {
      TUTTI_ASSIGN_OR_RETURN(master, LoadAsset(s, activation_id, upload.master_asset_id, "master"));
    }
    TUTTI_RETURN_IF_ERROR(
        authorize(a, existing ? &*existing : nullptr, master ? &*master : nullptr));
    if (master && master->kind != "master") {
      return InvalidArgument(
          "asset " + master->id + " is itself a variant; a variant's master must be a master asset",
          "master");
    }
    const int64_t latest = existing ? existing->latest_version : 0;
    if (upload.expected_latest_version != latest) {
      return Conflict("asset " + upload.asset_id + " got version " + std::to_string(latest) +
                          " while this upload was checked as version " +
                          std::to_string(upload.expected_latest_version + 1) +
                          "; rename the file for version " + std::to_string(latest + 1) +
                          " and upload again",
                      "asset");
    }
    version.version = latest + 1;

    std::string asset_id;
    std::string owner_org_id;
    bool shared = upload.share;
    std::string kind = "master";
    if (!existing) {
      TUTTI_ASSIGN_OR_RETURN(
          auto taken, s.Query("SELECT id FROM assets WHERE activation_id = ? AND name_stem = ?",
                              {activation_id, upload.name_stem}));
      if (!taken.empty()) {
        return AlreadyExists(
            "asset " + taken[0].Text(0) + " already has the name " + upload.name_stem +
                "; upload a new version of it instead (asset=" + taken[0].Text(0) + ")",
            "name");
      }
      asset_id = NewId("ast");
      owner_org_id = upload.org_id;
      if (master) kind = "variant";
      TUTTI_RETURN_IF_ERROR(
          s.Execute("INSERT INTO assets (id, activation_id, org_id, name_stem, kind, "
                    "master_asset_id, locale, platform, shared, latest_version, created_by, "
                    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
                    {asset_id, activation_id, owner_org_id, upload.name_stem, kind,
                     master ? SqlValue(master->id) : Null(), upload.locale, upload.platform,
                     int64_t{shared ? 1 : 0}, actor.id, now, now})
              .status());
      if (master) {
        assets::VariantState state =
            assets::NewVariant(static_cast<uint32_t>(master->latest_version));
        TUTTI_RETURN_IF_ERROR(
            s.Execute("INSERT INTO asset_variant_states (asset_id, master_version, translation, "
                      "review, stale, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                      {asset_id, int64_t{state.master_version},
                       std::string(
                           assets::kTranslationStateNames[static_cast<size_t>(state.translation)]),
                       std::string(assets::kReviewStateNames[static_cast<size_t>(state.review)]),
                       int64_t{state.stale ? 1 : 0}, actor.id, now})
                .status());
      }
    } else {
      asset_id = existing->id;
      owner_org_id = existing->org_id;
      kind = existing->kind;
      shared = shared || existing->shared;
      TUTTI_RETURN_IF_ERROR(
          s.Execute("UPDATE assets SET latest_version = ?, shared = ?, updated_at = ? WHERE id = ?",
                    {version.version, int64_t{shared ? 1 : 0}, now, asset_id})
              .status());
    }
    TUTTI_RETURN_IF_ERROR(InsertVersion(s, asset_id, version));
    TUTTI_RETURN_IF_ERROR(InsertTags(s, asset_id, upload.tags));

    if (existing && kind == "master") {
      // A new master version: the engine decides which variants go stale.
      TUTTI_ASSIGN_OR_RETURN(
          auto rows, s.Query("SELECT v.asset_id, v.master_version, v.translation, v.review, "
                             "v.stale FROM asset_variant_states v JOIN assets a ON a.id = "
                             "v.asset_id WHERE a.master_asset_id = ? ORDER BY v.asset_id",
                             {asset_id}));
      std::vector<assets::VariantState> states;
      for (const Row& r : rows) {
        states.push_back(ToEngine(
            AssetVariantStateRecord{r.Int(1), r.Text(2), r.Text(3), r.Int(4) != 0, "", ""}));
      }
      const std::vector<assets::VariantState> before = states;
      assets::MarkStaleOnNewMaster(states, static_cast<uint32_t>(version.version));
      for (size_t i = 0; i < states.size(); ++i) {
        if (states[i].stale == before[i].stale) continue;
        TUTTI_RETURN_IF_ERROR(
            s.Execute("UPDATE asset_variant_states SET stale = ?, updated_by = ?, updated_at = ? "
                      "WHERE asset_id = ?",
                      {int64_t{states[i].stale ? 1 : 0}, actor.id, now, rows[i].Text(0)})
                .status());
      }
    }

    TUTTI_ASSIGN_OR_RETURN(out, LoadAsset(s, activation_id, asset_id, "asset"));
    AuditEntry e = Entry(actor, "asset", asset_id, existing ? "version_added" : "created");
    e.activation_id = activation_id;
    if (!out.shared) e.visible_org_id = owner_org_id;
    e.after = VersionAuditJson(out, *out.FindVersion(version.version)).dump();
    return Append(s, std::move(e));
  }));
  return out;
}

Result<AssetRecord> Store::GetAsset(const std::string& activation_id, const std::string& asset_id) {
  Result<AssetRecord> out = NotFound("asset not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    out = LoadAsset(s, activation_id, asset_id, "asset");
    return out.status();
  }));
  return out;
}

Result<std::vector<AssetRecord>> Store::ListAssets(const std::string& activation_id,
                                                   const AssetQuery& query) {
  std::vector<AssetRecord> out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    std::string sql = std::string("SELECT ") + kAssetColumns + " WHERE a.activation_id = ?";
    std::vector<SqlValue> params{activation_id};
    if (!query.tag.empty()) {
      sql += " AND EXISTS (SELECT 1 FROM asset_tags t WHERE t.asset_id = a.id AND t.tag = ?)";
      params.emplace_back(query.tag);
    }
    if (!query.platform.empty()) {
      sql += " AND a.platform = ?";
      params.emplace_back(query.platform);
    }
    if (!query.locale.empty()) {
      sql += " AND a.locale = ?";
      params.emplace_back(query.locale);
    }
    if (!query.master_asset_id.empty()) {
      sql += " AND a.master_asset_id = ?";
      params.emplace_back(query.master_asset_id);
    }
    sql += " ORDER BY a.created_at, a.id";
    TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query(sql, params));
    for (const Row& r : rows) out.push_back(AssetFromRow(r));
    return LoadAssetDetails(s, activation_id, out);
  }));
  return out;
}

Result<AssetRecord> Store::UpdateVariantState(const std::string& activation_id,
                                              const std::string& master_id,
                                              const std::string& variant_id, const Actor& actor,
                                              const VariantTransition& transition) {
  AssetRecord out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(ActivationRecord a, LoadActivation(s, activation_id, true));
    TUTTI_ASSIGN_OR_RETURN(AssetRecord variant, LoadAsset(s, activation_id, variant_id, "variant"));
    if (variant.kind != "variant" || variant.master_asset_id != master_id || !variant.variant) {
      return NotFound("variant " + variant_id + " of asset " + master_id + " not found", "variant");
    }
    TUTTI_ASSIGN_OR_RETURN(AssetRecord master, LoadAsset(s, activation_id, master_id, "asset"));
    TUTTI_ASSIGN_OR_RETURN(AssetVariantStateRecord next, transition(a, variant, master));
    next.updated_by = actor.id;
    next.updated_at = Now();
    TUTTI_RETURN_IF_ERROR(
        s.Execute("UPDATE asset_variant_states SET master_version = ?, translation = ?, review = "
                  "?, stale = ?, updated_by = ?, updated_at = ? WHERE asset_id = ?",
                  {next.master_version, next.translation, next.review, int64_t{next.stale ? 1 : 0},
                   next.updated_by, next.updated_at, variant_id})
            .status());
    AuditEntry e = Entry(actor, "asset_variant", variant_id, "state_changed");
    e.activation_id = activation_id;
    if (!variant.shared) e.visible_org_id = variant.org_id;
    e.before = VariantStateJson(*variant.variant).dump();
    e.after = VariantStateJson(next).dump();
    TUTTI_RETURN_IF_ERROR(Append(s, std::move(e)));
    variant.variant = next;
    out = std::move(variant);
    return OkStatus();
  }));
  return out;
}

}  // namespace tutti::storage

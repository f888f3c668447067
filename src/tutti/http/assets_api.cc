// The asset-library routes (docs/assets.md, "Storage, HTTP API and CLI"): streamed uploads of
// new assets, versions and localization variants, checked by service/asset_uploads.h; search by
// tag, platform and locale; an asset with its versions side by side and its variants' states;
// the bytes of a version; variant state transitions (assets/variants.h); the activation's naming
// template, brand and platform specs. Visibility is governance::CanViewAsset: the host sees
// every asset, a partner its own and the shared ones; anything else is 404.
#include <memory>
#include <string>
#include <vector>

#include "tutti/assets/naming.h"
#include "tutti/assets/spec.h"
#include "tutti/assets/variants.h"
#include "tutti/http/api_support.h"
#include "tutti/service/asset_uploads.h"
#include "tutti/service/record_json.h"

namespace tutti::http {
namespace {

constexpr size_t kMaxQueryValueLength = 200;
constexpr auto kVariantActions = std::to_array<std::string_view>(
    {"start_translation", "submit_translation", "approve", "request_changes"});

bool Sees(const governance::Principal& p, const governance::ActivationAccess& a,
          const storage::AssetRecord& asset) {
  return governance::CanViewAsset(p, a, asset.org_id, asset.shared);
}

Result<std::string> QueryParam(const ApiRequest& r, const std::string& name) {
  std::string value = r.Query(name);
  if (value.size() > kMaxQueryValueLength) {
    return InvalidArgument("is longer than " + std::to_string(kMaxQueryValueLength) + " bytes",
                           name, "too_long");
  }
  return value;
}

Status CheckAssetId(const std::string& id, const char* what) { return CheckId(id, "ast", what); }

std::string ContentUrl(const storage::AssetRecord& a, int64_t version) {
  return "/api/v1/activations/" + a.activation_id + "/assets/" + a.id + "/versions/" +
         std::to_string(version) + "/content";
}

Json VariantStateJson(const storage::AssetVariantStateRecord& v) {
  assets::VariantState state;
  state.master_version = static_cast<uint32_t>(v.master_version);
  for (size_t i = 0; i < assets::kTranslationStateNames.size(); ++i) {
    if (assets::kTranslationStateNames[i] == v.translation)
      state.translation = static_cast<assets::TranslationState>(i);
  }
  for (size_t i = 0; i < assets::kReviewStateNames.size(); ++i) {
    if (assets::kReviewStateNames[i] == v.review)
      state.review = static_cast<assets::ReviewState>(i);
  }
  state.stale = v.stale;
  return Json{{"master_version", v.master_version},
              {"translation", v.translation},
              {"review", v.review},
              {"stale", v.stale},
              {"publishable", assets::IsPublishable(state)},
              {"updated_at", v.updated_at}};
}

Json AssetJson(const storage::AssetRecord& a) {
  Json versions = Json::array();
  for (const storage::AssetVersionRecord& v : a.versions) {
    Json version = service::AssetVersionJson(v);
    version["content_url"] = ContentUrl(a, v.version);
    versions.push_back(std::move(version));
  }
  return Json{
      {"id", a.id},
      {"activation_id", a.activation_id},
      {"org_id", a.org_id},
      {"org_name", a.org_name},
      {"name_stem", a.name_stem},
      {"kind", a.kind},
      {"master_asset_id", a.master_asset_id.empty() ? Json(nullptr) : Json(a.master_asset_id)},
      {"locale", a.locale},
      {"platform", a.platform},
      {"tags", a.tags},
      {"shared", a.shared},
      {"latest_version", a.latest_version},
      {"versions", versions},
      {"variant", a.variant ? VariantStateJson(*a.variant) : Json(nullptr)},
      {"created_by", a.created_by},
      {"created_at", a.created_at},
      {"updated_at", a.updated_at}};
}

std::vector<std::string> SplitTags(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

// A file name for Content-Disposition: the stored one with anything outside a safe set replaced.
std::string SafeFileName(const std::string& name) {
  std::string out;
  for (char c : name) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
    out.push_back(safe ? c : '_');
  }
  return out;
}

Result<ApiResponse> Upload(storage::Store& store, const storage::BlobStore& blobs,
                           uint64_t max_bytes, ApiRequest& r) {
  TUTTI_ASSIGN_OR_RETURN(storage::ActivationRecord activation, VisibleActivation(store, r));
  const governance::Principal& caller = Caller(r);
  service::AssetUpload upload;
  upload.activation_id = activation.id;
  TUTTI_ASSIGN_OR_RETURN(upload.file_name, QueryParam(r, "name"));
  TUTTI_ASSIGN_OR_RETURN(upload.asset_id, QueryParam(r, "asset"));
  TUTTI_ASSIGN_OR_RETURN(upload.master_asset_id, QueryParam(r, "master"));
  TUTTI_ASSIGN_OR_RETURN(upload.platform, QueryParam(r, "platform"));
  TUTTI_ASSIGN_OR_RETURN(upload.locale, QueryParam(r, "locale"));
  TUTTI_ASSIGN_OR_RETURN(upload.market, QueryParam(r, "market"));
  TUTTI_ASSIGN_OR_RETURN(upload.context, QueryParam(r, "context"));
  TUTTI_ASSIGN_OR_RETURN(std::string tags, QueryParam(r, "tags"));
  upload.tags = SplitTags(tags);
  TUTTI_ASSIGN_OR_RETURN(std::string shared, QueryParam(r, "shared"));
  if (!shared.empty() && shared != "true" && shared != "false") {
    return InvalidArgument("is true or false", "shared", "invalid_boolean");
  }
  upload.share = shared == "true";
  upload.owner_org_id = caller.org_id;

  // Refused callers are answered before a byte of the body is read.
  if (!governance::CanUploadAsset(caller, activation.Access())) {
    return Forbidden("uploading assets needs a role other than viewer (and activations:write)");
  }
  if (!upload.asset_id.empty()) {
    TUTTI_RETURN_IF_ERROR(CheckAssetId(upload.asset_id, "asset"));
    Result<storage::AssetRecord> asset = store.GetAsset(activation.id, upload.asset_id);
    if (!asset.ok() || !Sees(caller, activation.Access(), *asset)) return NotVisible("asset");
    if (!governance::CanAddAssetVersion(caller, activation.Access(), asset->org_id)) {
      return Forbidden("only " + asset->org_name + " adds versions to its own asset");
    }
  }
  if (!upload.master_asset_id.empty()) {
    TUTTI_RETURN_IF_ERROR(CheckAssetId(upload.master_asset_id, "master"));
    Result<storage::AssetRecord> master = store.GetAsset(activation.id, upload.master_asset_id);
    if (!master.ok() || !Sees(caller, activation.Access(), *master)) return NotVisible("master");
  }
  TUTTI_ASSIGN_OR_RETURN(service::PreparedAssetUpload prepared,
                         service::PrepareAssetUpload(store, std::move(upload)));
  BodyReader& body = *r.body_reader;
  storage::ByteSource source = [&body](char* buffer, size_t capacity) {
    return body.Read(buffer, capacity);
  };
  // The same rules again on the state the write transaction reads.
  storage::AssetAuthorize authorize = [&caller](const storage::ActivationRecord& a,
                                                const storage::AssetRecord* asset,
                                                const storage::AssetRecord* master) -> Status {
    if (!governance::CanViewActivation(caller, a.Access())) return NotVisible("activation");
    if (asset != nullptr) {
      if (!Sees(caller, a.Access(), *asset)) return NotVisible("asset");
      if (!governance::CanAddAssetVersion(caller, a.Access(), asset->org_id))
        return Forbidden("only " + asset->org_name + " adds versions to its own asset");
    } else if (master != nullptr && !Sees(caller, a.Access(), *master)) {
      return NotVisible("master");
    }
    if (!governance::CanUploadAsset(caller, a.Access()))
      return Forbidden("uploading assets needs a role other than viewer (and activations:write)");
    return OkStatus();
  };
  TUTTI_ASSIGN_OR_RETURN(
      storage::AssetRecord recorded,
      service::AddAsset(store, blobs, prepared, source, max_bytes, ActorOf(r), authorize));
  ApiResponse out = Ok(AssetJson(recorded), 201);
  out.headers.emplace_back(
      "Location", "/api/v1/activations/" + recorded.activation_id + "/assets/" + recorded.id);
  return out;
}

Result<ApiResponse> ChangeVariantState(storage::Store& store, ApiRequest& r) {
  TUTTI_ASSIGN_OR_RETURN(storage::ActivationRecord activation, VisibleActivation(store, r));
  const std::string& master_id = r.PathParam("asset_id");
  const std::string& variant_id = r.PathParam("variant_id");
  TUTTI_RETURN_IF_ERROR(CheckAssetId(master_id, "asset"));
  TUTTI_RETURN_IF_ERROR(CheckAssetId(variant_id, "variant"));
  TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
  TUTTI_RETURN_IF_ERROR(RejectUnknownFields(body, {"action"}));
  if (!body.contains("action")) return InvalidArgument("is required", "action", "required");
  TUTTI_ASSIGN_OR_RETURN(std::string action, ReadEnum(body["action"], "action", kVariantActions));
  const governance::Principal& caller = Caller(r);
  TUTTI_ASSIGN_OR_RETURN(
      storage::AssetRecord updated,
      store.UpdateVariantState(
          activation.id, master_id, variant_id, ActorOf(r),
          [&](const storage::ActivationRecord& a, const storage::AssetRecord& variant,
              const storage::AssetRecord& master) -> Result<storage::AssetVariantStateRecord> {
            if (!governance::CanViewActivation(caller, a.Access()) ||
                !Sees(caller, a.Access(), variant) || !Sees(caller, a.Access(), master)) {
              return NotVisible("variant");
            }
            const bool translating =
                action == "start_translation" || action == "submit_translation";
            if (translating &&
                !governance::CanTranslateVariant(caller, a.Access(), variant.org_id)) {
              return Forbidden("only " + variant.org_name + " translates its own variant");
            }
            if (!translating && !governance::CanReviewVariant(caller, a.Access(), master.org_id)) {
              return Forbidden(
                  "reviewing a variant is for the host's owners and facilitators and the "
                  "master owner's owners and partner admins");
            }
            assets::VariantState state;
            state.master_version = static_cast<uint32_t>(variant.variant->master_version);
            for (size_t i = 0; i < assets::kTranslationStateNames.size(); ++i) {
              if (assets::kTranslationStateNames[i] == variant.variant->translation)
                state.translation = static_cast<assets::TranslationState>(i);
            }
            for (size_t i = 0; i < assets::kReviewStateNames.size(); ++i) {
              if (assets::kReviewStateNames[i] == variant.variant->review)
                state.review = static_cast<assets::ReviewState>(i);
            }
            state.stale = variant.variant->stale;
            Result<assets::VariantState> next = InvalidArgument("unknown action", "action");
            if (action == "start_translation") next = assets::StartTranslation(state);
            if (action == "submit_translation")
              next = assets::SubmitTranslation(state, static_cast<uint32_t>(master.latest_version));
            if (action == "approve") next = assets::Approve(state);
            if (action == "request_changes") next = assets::RequestChanges(state);
            if (!next.ok()) return next.status();
            storage::AssetVariantStateRecord out;
            out.master_version = next->master_version;
            out.translation =
                std::string(assets::kTranslationStateNames[static_cast<size_t>(next->translation)]);
            out.review = std::string(assets::kReviewStateNames[static_cast<size_t>(next->review)]);
            out.stale = next->stale;
            return out;
          }));
  return Ok(AssetJson(updated));
}

Result<ApiResponse> PutSettings(storage::Store& store, ApiRequest& r) {
  TUTTI_ASSIGN_OR_RETURN(storage::ActivationRecord activation, VisibleActivation(store, r));
  TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
  TUTTI_ASSIGN_OR_RETURN(std::optional<int64_t> expected, ExpectedVersion(r, body, 0));
  TUTTI_ASSIGN_OR_RETURN(storage::AssetSettingsRecord settings,
                         service::ParseAssetSettings(body, activation.id));
  TUTTI_ASSIGN_OR_RETURN(
      storage::AssetSettingsRecord stored,
      store.PutAssetSettings(settings, expected, ActorOf(r),
                             Require(Caller(r), &governance::CanEditAssetSettings,
                                     "the asset settings are for the host's owners and "
                                     "facilitators")));
  return Ok(service::AssetSettingsJson(stored));
}

}  // namespace

std::vector<Route> AssetRoutes(storage::Store& store, const AssetLibraryConfig& config) {
  std::vector<Route> routes;
  auto blobs =
      std::make_shared<storage::BlobStore>(std::filesystem::path(config.data_dir) / "blobs");
  const uint64_t max_bytes = config.max_asset_bytes;

  routes.push_back(Route{
      "POST",
      "/api/v1/activations/{activation_id}/assets",
      true,
      [&store, blobs, max_bytes](ApiRequest& r) { return Upload(store, *blobs, max_bytes, r); },
      {"image/", "video/", "application/octet-stream"},
      /*streams_body=*/true});

  routes.push_back(Route{"GET", "/api/v1/activations/{activation_id}/assets", true,
                         [&store](ApiRequest& r) -> Result<ApiResponse> {
                           TUTTI_ASSIGN_OR_RETURN(storage::ActivationRecord a,
                                                  VisibleActivation(store, r));
                           storage::AssetQuery query;
                           TUTTI_ASSIGN_OR_RETURN(query.tag, QueryParam(r, "tag"));
                           for (char& c : query.tag)
                             c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                           TUTTI_ASSIGN_OR_RETURN(query.platform, QueryParam(r, "platform"));
                           TUTTI_ASSIGN_OR_RETURN(std::string locale, QueryParam(r, "locale"));
                           if (!locale.empty()) {
                             assets::NameFields fields;
                             fields.locale = locale;
                             TUTTI_ASSIGN_OR_RETURN(fields, assets::NormalizeNameFields(fields));
                             query.locale = fields.locale;
                           }
                           TUTTI_ASSIGN_OR_RETURN(auto found, store.ListAssets(a.id, query));
                           Json items = Json::array();
                           for (const storage::AssetRecord& asset : found) {
                             if (Sees(Caller(r), a.Access(), asset))
                               items.push_back(AssetJson(asset));
                           }
                           return Ok(Json{{"items", items}});
                         }});

  routes.push_back(Route{"GET", "/api/v1/activations/{activation_id}/assets/{asset_id}", true,
                         [&store](ApiRequest& r) -> Result<ApiResponse> {
                           TUTTI_ASSIGN_OR_RETURN(storage::ActivationRecord a,
                                                  VisibleActivation(store, r));
                           const std::string& id = r.PathParam("asset_id");
                           TUTTI_RETURN_IF_ERROR(CheckAssetId(id, "asset"));
                           Result<storage::AssetRecord> asset = store.GetAsset(a.id, id);
                           if (!asset.ok() || !Sees(Caller(r), a.Access(), *asset))
                             return NotVisible("asset");
                           Json out = AssetJson(*asset);
                           Json variants = Json::array();
                           if (asset->kind == "master") {
                             storage::AssetQuery query;
                             query.master_asset_id = asset->id;
                             TUTTI_ASSIGN_OR_RETURN(auto found, store.ListAssets(a.id, query));
                             for (const storage::AssetRecord& v : found) {
                               if (Sees(Caller(r), a.Access(), v)) variants.push_back(AssetJson(v));
                             }
                           }
                           out["variants"] = variants;
                           return Ok(out);
                         }});

  routes.push_back(Route{
      "GET", "/api/v1/activations/{activation_id}/assets/{asset_id}/versions/{version}/content",
      true, [&store, blobs](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(storage::ActivationRecord a, VisibleActivation(store, r));
        const std::string& id = r.PathParam("asset_id");
        TUTTI_RETURN_IF_ERROR(CheckAssetId(id, "asset"));
        Result<storage::AssetRecord> asset = store.GetAsset(a.id, id);
        if (!asset.ok() || !Sees(Caller(r), a.Access(), *asset)) return NotVisible("asset");
        const std::string& text = r.PathParam("version");
        int64_t number = 0;
        for (char c : text) {
          if (c < '0' || c > '9' || number > 1'000'000'000) return NotVisible("version");
          number = number * 10 + (c - '0');
        }
        const storage::AssetVersionRecord* v = asset->FindVersion(number);
        if (v == nullptr) return NotVisible("version " + text + " of asset " + id);
        Result<storage::BlobReader> file = blobs->OpenReader(v->sha256);
        if (!file.ok()) {
          return Internal("the file of asset " + id + " version " + text + " (" + v->sha256 +
                          ") is missing from the blob store: " + file.status().message());
        }
        ApiResponse out;
        out.status = 200;
        // Streamed from disk: a 2 GiB video costs the server one buffer, not two copies of it.
        auto reader = std::make_shared<storage::BlobReader>(std::move(*file));
        out.streamed_body =
            StreamedBody{reader->size(), [reader](uint64_t offset, char* buffer, size_t capacity) {
                           return reader->ReadAt(offset, buffer, capacity);
                         }};
        out.content_type = v->media.value("mime_type", "application/octet-stream");
        out.headers.emplace_back("Content-Disposition",
                                 "attachment; filename=\"" + SafeFileName(v->file_name) + "\"");
        out.headers.emplace_back("ETag", "\"" + v->sha256 + "\"");
        out.headers.emplace_back("Cache-Control", "private, max-age=31536000, immutable");
        return out;
      }});

  routes.push_back(Route{
      "PUT", "/api/v1/activations/{activation_id}/assets/{asset_id}/variants/{variant_id}/state",
      true, [&store](ApiRequest& r) { return ChangeVariantState(store, r); }});

  routes.push_back(Route{"GET", "/api/v1/activations/{activation_id}/asset-settings", true,
                         [&store](ApiRequest& r) -> Result<ApiResponse> {
                           TUTTI_ASSIGN_OR_RETURN(auto a, VisibleActivation(store, r));
                           TUTTI_ASSIGN_OR_RETURN(auto settings, store.GetAssetSettings(a.id));
                           return Ok(service::AssetSettingsJson(settings));
                         }});

  routes.push_back(Route{"PUT", "/api/v1/activations/{activation_id}/asset-settings", true,
                         [&store](ApiRequest& r) { return PutSettings(store, r); }});
  return routes;
}

}  // namespace tutti::http

#include "tutti/service/asset_uploads.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "tutti/assets/naming.h"
#include "tutti/assets/spec.h"

namespace tutti::service {
namespace {

constexpr size_t kMaxTagLength = 64;

Result<std::string> NormalizeTag(const std::string& tag) {
  std::string out;
  for (char c : tag) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  const bool valid = !out.empty() && out.size() <= kMaxTagLength &&
                     std::all_of(out.begin(), out.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                              c == '-' || c == ':' || c == '.';
                     });
  if (!valid) {
    return InvalidArgument("tag \"" + tag + "\" is not 1-64 of a-z 0-9 _ - : .", "tags",
                           "invalid_tag");
  }
  return out;
}

Result<assets::PlatformSpecs> EffectiveSpecs(const storage::AssetSettingsRecord& settings) {
  TUTTI_ASSIGN_OR_RETURN(assets::PlatformSpecs own,
                         assets::ParsePlatformSpecs(settings.platform_specs));
  return assets::WithDefaults(own);
}

Status UnknownPlacement(const std::string& platform, const assets::PlatformSpecs& specs) {
  std::string known;
  for (const assets::PlatformSpec& s : specs.specs)
    known += (known.empty() ? "" : ", ") + s.placement;
  return InvalidArgument(
      "placement \"" + platform + "\" has no spec in this activation; known: " + known, "platform",
      "unknown_placement");
}

// Without a naming template a name is only held to its format: the extension must be one the
// probed format may carry (the rule CheckFileName applies first).
Status CheckExtensionOnly(const std::string& file_name, assets::MediaFormat format) {
  const size_t dot = file_name.rfind('.');
  std::string ext = dot == std::string::npos ? "" : file_name.substr(dot + 1);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view allowed : assets::FileExtensions(format)) {
    if (ext == allowed) return OkStatus();
  }
  return InvalidArgument("file name \"" + file_name + "\" ends in ." + ext +
                             ", but the file's header says " +
                             std::string(assets::MimeType(format)) + "; expected ." +
                             std::string(assets::FileExtensions(format).front()),
                         "name", "extension_mismatch");
}

std::string Stem(const std::string& file_name) {
  const size_t dot = file_name.rfind('.');
  return dot == std::string::npos || dot == 0 ? file_name : file_name.substr(0, dot);
}

}  // namespace

Json MediaInfoJson(const assets::MediaInfo& media) {
  return Json{
      {"format", assets::FormatName(media.format)},
      {"mime_type", media.mime_type()},
      {"width", media.width},
      {"height", media.height},
      {"frames", media.frames},
      {"animated", media.animated},
      {"duration_ms", media.duration ? Json(media.duration->count() / 1000) : Json(nullptr)}};
}

Result<PreparedAssetUpload> PrepareAssetUpload(storage::Store& store, AssetUpload upload) {
  PreparedAssetUpload out;
  if (upload.file_name.empty() || upload.file_name.size() > 255 ||
      upload.file_name.find_first_of("/\\") != std::string::npos ||
      std::any_of(upload.file_name.begin(), upload.file_name.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    return InvalidArgument("give the file's name (1-255 bytes, no '/', '\\' or control characters)",
                           "name", "invalid_name");
  }
  if (!upload.asset_id.empty() && !upload.master_asset_id.empty()) {
    return InvalidArgument(
        "give either asset (a new version) or master (a new variant), not both; a variant's "
        "master is fixed when it is created",
        "master");
  }
  if (upload.tags.size() > kMaxAssetTags) {
    return InvalidArgument("at most " + std::to_string(kMaxAssetTags) + " tags, got " +
                               std::to_string(upload.tags.size()),
                           "tags", "too_many_tags");
  }
  for (std::string& tag : upload.tags) {
    TUTTI_ASSIGN_OR_RETURN(tag, NormalizeTag(tag));
  }
  assets::NameFields given;
  given.locale = upload.locale;
  given.market = upload.market;
  given.context = upload.context;
  TUTTI_ASSIGN_OR_RETURN(assets::NameFields normal, assets::NormalizeNameFields(given));
  upload.locale = normal.locale;
  upload.market = normal.market;
  upload.context = normal.context;

  TUTTI_ASSIGN_OR_RETURN(storage::ActivationRecord activation,
                         store.GetActivation(upload.activation_id));
  TUTTI_ASSIGN_OR_RETURN(out.settings, store.GetAssetSettings(upload.activation_id));
  if (!upload.platform.empty()) {
    TUTTI_ASSIGN_OR_RETURN(assets::PlatformSpecs specs, EffectiveSpecs(out.settings));
    if (specs.Find(upload.platform) == nullptr) return UnknownPlacement(upload.platform, specs);
  }
  if (!upload.asset_id.empty()) {
    Result<storage::AssetRecord> asset = store.GetAsset(upload.activation_id, upload.asset_id);
    if (!asset.ok()) return NotFound("asset " + upload.asset_id + " not found", "asset");
    out.owner_org_id = asset->org_id;
    out.owner_org_name = asset->org_name;
    out.expected_latest_version = asset->latest_version;
    if (upload.locale.empty()) upload.locale = asset->locale;
  } else {
    out.owner_org_id = upload.owner_org_id;
    if (upload.owner_org_id == activation.host_org_id) {
      out.owner_org_name = activation.host_org_name;
    } else if (const storage::ParticipationRecord* p =
                   activation.FindParticipant(upload.owner_org_id)) {
      out.owner_org_name = p->org_name;
    } else {
      return InvalidArgument("organisation " + upload.owner_org_id +
                                 " is neither the host nor a partner of activation " +
                                 activation.id,
                             "owner");
    }
    if (!upload.master_asset_id.empty()) {
      Result<storage::AssetRecord> master =
          store.GetAsset(upload.activation_id, upload.master_asset_id);
      if (!master.ok())
        return NotFound("master " + upload.master_asset_id + " not found", "master");
      if (master->kind != "master") {
        return InvalidArgument(
            "asset " + master->id + " is itself a variant; a variant's master must be a master",
            "master");
      }
      out.master_locale = master->locale;
    }
  }
  out.upload = std::move(upload);
  return out;
}

Result<storage::AssetRecord> AddAsset(storage::Store& store, const storage::BlobStore& blobs,
                                      const PreparedAssetUpload& prepared,
                                      const storage::ByteSource& source, uint64_t max_bytes,
                                      const storage::Actor& actor,
                                      const storage::AssetAuthorize& authorize) {
  const AssetUpload& upload = prepared.upload;
  TUTTI_ASSIGN_OR_RETURN(storage::StagedBlob staged, blobs.Stage(source, max_bytes));
  assets::MediaInfo media;
  {
    TUTTI_ASSIGN_OR_RETURN(storage::MappedBlob mapped, staged.Map());
    Result<assets::MediaInfo> probed = assets::ProbeMedia(mapped.bytes());
    if (!probed.ok()) {
      const Status& s = probed.status();
      if (s.reason() == "unknown_format") {
        return Status(StatusCode::kUnsupportedMediaType, s.message(), s.field(), s.reason());
      }
      return s;
    }
    media = *probed;
  }

  const int64_t version = prepared.expected_latest_version + 1;
  assets::NameFields known;
  known.brand = prepared.settings.brand;
  known.partner = prepared.owner_org_name;
  known.platform = upload.platform;
  known.locale = upload.locale;
  known.market = upload.market;
  known.context = upload.context;
  known.version = static_cast<uint32_t>(version);
  assets::NameFields fields = known;
  if (prepared.settings.naming_template.empty()) {
    TUTTI_RETURN_IF_ERROR(CheckExtensionOnly(upload.file_name, media.format));
  } else {
    TUTTI_ASSIGN_OR_RETURN(assets::NamingTemplate naming,
                           assets::NamingTemplate::Parse(prepared.settings.naming_template));
    TUTTI_ASSIGN_OR_RETURN(fields,
                           assets::CheckFileName(naming, upload.file_name, media.format, known));
  }
  const bool is_variant = !upload.master_asset_id.empty();
  if (is_variant && (fields.locale.empty() || fields.locale == prepared.master_locale)) {
    return InvalidArgument(
        fields.locale.empty()
            ? "a variant needs its locale (give locale, or a name that carries it)"
            : "the variant's locale " + fields.locale +
                  " is its master's; a variant is for another locale",
        "locale");
  }

  Json spec_check = nullptr;
  if (!upload.platform.empty()) {
    TUTTI_ASSIGN_OR_RETURN(assets::PlatformSpecs specs, EffectiveSpecs(prepared.settings));
    const assets::PlatformSpec* spec = specs.Find(upload.platform);
    if (spec == nullptr) return UnknownPlacement(upload.platform, specs);
    std::vector<assets::SpecViolation> violations = assets::CheckSpec(*spec, media, staged.size());
    if (!violations.empty()) {
      std::string message = "the file does not meet the " + upload.platform + " spec (" +
                            std::to_string(violations.size()) + " violation" +
                            (violations.size() == 1 ? "" : "s") + "): ";
      for (size_t i = 0; i < violations.size(); ++i) {
        message += (i ? "; " : "") + violations[i].message;
      }
      return InvalidArgument(message, "file", "spec_violation");
    }
    spec_check = Json{{"placement", upload.platform}, {"violations", Json::array()}};
  }

  storage::NewAssetVersion record;
  record.asset_id = upload.asset_id;
  record.expected_latest_version = prepared.expected_latest_version;
  record.org_id = prepared.owner_org_id;
  record.name_stem = Stem(upload.file_name);
  record.master_asset_id = upload.master_asset_id;
  record.locale = fields.locale;
  record.platform = upload.platform;
  record.tags = upload.tags;
  // Search by context, platform, market/locale and date without a second index.
  if (!upload.platform.empty()) record.tags.push_back("platform:" + upload.platform);
  if (!fields.locale.empty()) record.tags.push_back("locale:" + fields.locale);
  if (!fields.market.empty()) record.tags.push_back("market:" + fields.market);
  if (!fields.context.empty()) record.tags.push_back("context:" + fields.context);
  if (fields.date) {
    char date[16];  // 8 used: the year is 1-9999 and a day 1-31, which GCC cannot see
    std::snprintf(date, sizeof date, "%04d%02u%02u", static_cast<int>(fields.date->year()),
                  static_cast<unsigned>(fields.date->month()),
                  static_cast<unsigned>(fields.date->day()));
    record.tags.push_back(std::string("date:") + date);
  }
  record.share = upload.share;
  record.version.sha256 = staged.sha256_hex();
  record.version.bytes = static_cast<int64_t>(staged.size());
  record.version.file_name = upload.file_name;
  record.version.media = MediaInfoJson(media);
  record.version.spec_check = spec_check;
  // Committed before the row so that a recorded version always has its file; a failed insert
  // leaves a file no row names, which a retry of the same bytes reuses.
  TUTTI_RETURN_IF_ERROR(blobs.Commit(staged).status());
  return store.AddAssetVersion(upload.activation_id, record, actor, authorize);
}

Result<storage::AssetSettingsRecord> ParseAssetSettings(const Json& document,
                                                        const std::string& activation_id) {
  TUTTI_RETURN_IF_ERROR(
      RejectUnknownFields(document, {"naming_template", "brand", "platform_specs"}));
  storage::AssetSettingsRecord settings;
  settings.activation_id = activation_id;
  if (document.contains("naming_template")) {
    TUTTI_ASSIGN_OR_RETURN(settings.naming_template,
                           ReadString(document["naming_template"], "naming_template", 0, 200));
    if (!settings.naming_template.empty()) {
      TUTTI_RETURN_IF_ERROR(assets::NamingTemplate::Parse(settings.naming_template).status());
    }
  }
  if (document.contains("brand")) {
    assets::NameFields brand;
    TUTTI_ASSIGN_OR_RETURN(brand.brand, ReadString(document["brand"], "brand", 0, 64));
    Result<assets::NameFields> normal = assets::NormalizeNameFields(brand);
    if (!normal.ok()) {
      const Status& s = normal.status();
      return Status(s.code(), s.message(), "brand", s.reason());
    }
    settings.brand = normal->brand;
  }
  if (document.contains("platform_specs")) {
    TUTTI_RETURN_IF_ERROR(RequireObject(document["platform_specs"], "platform_specs"));
    Result<assets::PlatformSpecs> specs = assets::ParsePlatformSpecs(document["platform_specs"]);
    if (!specs.ok()) {
      Status s = specs.status();
      return Status(s.code(), s.message(), JoinPath("platform_specs", s.field()), s.reason());
    }
    settings.platform_specs = assets::PlatformSpecsToJson(*specs);
  }
  return settings;
}

Json AssetSettingsJson(const storage::AssetSettingsRecord& s) {
  Json placements = Json::array();
  if (Result<assets::PlatformSpecs> own = assets::ParsePlatformSpecs(s.platform_specs); own.ok()) {
    for (const assets::PlatformSpec& spec : assets::WithDefaults(*own).specs)
      placements.push_back(spec.placement);
  }
  return Json{{"naming_template", s.naming_template},
              {"brand", s.brand},
              {"platform_specs", s.platform_specs},
              {"placements", placements},
              {"version", s.version},
              {"updated_by", s.updated_by},
              {"updated_at", s.updated_at}};
}

}  // namespace tutti::service

// Asset uploads (issue 5, C3; docs/assets.md, "Storage, HTTP API and CLI"): the one pipeline the
// API and `tutti asset add` share. An upload is streamed into the blob store's staging area
// (SHA-256 while streaming, size-bounded), its header probed (assets/media.h), its file name held
// to the activation's naming template (assets/naming.h) and, when it names a placement, its
// media to that placement's spec (assets/spec.h); only then is the file committed under its
// digest and the version recorded (Store::AddAssetVersion, audited). A refused upload leaves
// nothing behind. Thread-safe (state lives in the Store and the BlobStore).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tutti/assets/media.h"
#include "tutti/storage/blob_store.h"
#include "tutti/storage/store.h"

namespace tutti::service {

inline constexpr size_t kMaxAssetTags = 20;

struct AssetUpload {
  std::string activation_id;
  std::string file_name;        // checked against the naming template
  std::string asset_id;         // set: a new version of this asset
  std::string master_asset_id;  // set (and asset_id empty): a new variant of this master
  std::string owner_org_id;     // new assets: the owning organisation (ignored for versions)
  std::string platform;         // a placement of the activation's specs; "" none
  std::string locale;           // "" to take it from the name (variants need one)
  std::string market;
  std::string context;
  std::vector<std::string> tags;  // as given; normalised by PrepareAssetUpload
  bool share = false;
};

// What the pipeline knows before the body is read: the settings, the asset the upload adds a
// version to (or its master), and the fields the name must carry.
struct PreparedAssetUpload {
  AssetUpload upload;  // tags normalised
  storage::AssetSettingsRecord settings;
  std::string owner_org_id;
  std::string owner_org_name;
  int64_t expected_latest_version = 0;
  std::string master_locale;  // variants: the master's, which the variant's must differ from
};

// Checks everything that needs no file bytes. Errors, kInvalidArgument naming the field:
// "name" (invalid_name), "tags" (more than kMaxAssetTags, or a tag outside 1-64 of a-z 0-9 _ - :
// .), "platform" (unknown_placement, listing the known ones), "locale"/"market"/"context" (not
// normalisable), "owner" (not the host nor a partner of the activation); kNotFound for the
// activation, the asset or the master (field "asset"/"master"); kInvalidArgument (field
// "master") for a master that is a variant, or when both asset and master are given.
Result<PreparedAssetUpload> PrepareAssetUpload(storage::Store& store, AssetUpload upload);

// Runs the pipeline on `source` and records the version. Errors, besides Stage's (413
// payload_too_large) and the Store's: kUnsupportedMediaType (field "file", reason
// "unknown_format") when the header is none of the known formats; kInvalidArgument field "file"
// for a truncated or corrupt file; field "name" for the naming check (the message shows the
// expected name); field "file" reason "spec_violation" listing every violation of the
// placement's spec; field "locale" when a variant has no locale or the master's.
Result<storage::AssetRecord> AddAsset(storage::Store& store, const storage::BlobStore& blobs,
                                      const PreparedAssetUpload& prepared,
                                      const storage::ByteSource& source, uint64_t max_bytes,
                                      const storage::Actor& actor,
                                      const storage::AssetAuthorize& authorize);

// The settings document that PUT …/asset-settings and `tutti asset settings` both take:
// {"naming_template", "brand", "platform_specs"}, each optional and "" / no specs when left out
// (a PUT replaces the whole document). Errors are kInvalidArgument naming the field
// ("naming_template", "brand", "platform_specs.specs[0].min_width") with the engines' reasons.
Result<storage::AssetSettingsRecord> ParseAssetSettings(const Json& document,
                                                        const std::string& activation_id);
// The settings as the API shows them, with "placements": every placement a spec names, the
// built-in defaults included.
Json AssetSettingsJson(const storage::AssetSettingsRecord& settings);

// {"format","mime_type","width","height","frames","animated","duration_ms"} as stored.
Json MediaInfoJson(const assets::MediaInfo& media);

}  // namespace tutti::service

#include "tutti/cli/asset_cmd.h"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "tutti/base/ids.h"
#include "tutti/cli/cli_support.h"
#include "tutti/service/asset_uploads.h"

namespace tutti::cli {
namespace {

struct AssetAddOptions {
  std::string activation;
  std::string org;
  std::string file;
  std::string name;
  std::string data_dir = "tutti-data";
  uint64_t max_bytes = uint64_t{2} << 30;
  service::AssetUpload upload;
  std::string tags;
};

std::vector<std::string> SplitTags(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  for (char c : text) {
    if (c == ',') {
      if (!current.empty()) out.push_back(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

void AddAsset(const std::string& db_url, AssetAddOptions& o) {
  auto db = OpenAndMigrate(db_url);
  storage::Store store(*db, SystemClock::Get());
  // --org takes an id or a name, as operators know either.
  std::string org_id = o.org;
  if (!LooksLikeId(o.org, "org")) org_id = Check(store.FindOrgByName(o.org)).id;
  std::ifstream in(o.file, std::ios::binary);
  if (!in) throw Failure{InvalidArgument("cannot read " + o.file, "FILE", "unreadable")};
  service::AssetUpload upload = o.upload;
  upload.activation_id = o.activation;
  upload.owner_org_id = org_id;
  upload.file_name = o.name.empty() ? std::filesystem::path(o.file).filename().string() : o.name;
  upload.tags = SplitTags(o.tags);
  service::PreparedAssetUpload prepared = Check(service::PrepareAssetUpload(store, upload));
  if (!upload.asset_id.empty() && prepared.owner_org_id != org_id) {
    throw Failure{InvalidArgument(
        "asset " + upload.asset_id + " belongs to " + prepared.owner_org_name + ", not to " + o.org,
        "org")};
  }
  storage::ByteSource source = [&in](char* buffer, size_t capacity) -> Result<size_t> {
    in.read(buffer, static_cast<std::streamsize>(capacity));
    if (in.bad()) return Internal("reading the file failed");
    return static_cast<size_t>(in.gcount());
  };
  storage::BlobStore blobs(std::filesystem::path(o.data_dir) / "blobs");
  // The operator acts for the organisation: its participation was checked by the preparation.
  storage::Actor actor{kCliActor.id, org_id};
  storage::AssetRecord asset =
      Check(service::AddAsset(store, blobs, prepared, source, o.max_bytes, actor,
                              [](const storage::ActivationRecord&, const storage::AssetRecord*,
                                 const storage::AssetRecord*) { return OkStatus(); }));
  const storage::AssetVersionRecord& v = asset.versions.back();
  std::cout << "asset " << asset.id << " version " << v.version << " sha256 " << v.sha256 << " ("
            << v.bytes << " bytes, " << v.media.value("mime_type", "") << " "
            << v.media.value("width", 0) << "x" << v.media.value("height", 0) << ")\n";
}

struct AssetSettingsOptions {
  std::string activation;
  std::optional<std::string> naming_template;
  std::optional<std::string> brand;
  std::string platform_specs_file;
};

// Shows the settings, or changes the ones given and keeps the rest: an operator fixing the brand
// should not have to restate the naming template and every spec.
void AssetSettings(const std::string& db_url, const AssetSettingsOptions& o) {
  auto db = OpenAndMigrate(db_url);
  storage::Store store(*db, SystemClock::Get());
  Check(store.GetActivation(o.activation).status());
  storage::AssetSettingsRecord current = Check(store.GetAssetSettings(o.activation));
  if (o.naming_template || o.brand || !o.platform_specs_file.empty()) {
    Json document{{"naming_template", o.naming_template.value_or(current.naming_template)},
                  {"brand", o.brand.value_or(current.brand)},
                  {"platform_specs", current.platform_specs}};
    if (!o.platform_specs_file.empty()) {
      document["platform_specs"] = ReadJsonObjectFile(o.platform_specs_file, "platform-specs");
    }
    storage::AssetSettingsRecord settings =
        Check(service::ParseAssetSettings(document, o.activation));
    current =
        Check(store.PutAssetSettings(settings, current.version, kCliActor,
                                     [](const storage::ActivationRecord&) { return OkStatus(); }));
  }
  std::cout << service::AssetSettingsJson(current).dump(2) << "\n";
}

}  // namespace

void AddAssetCommands(CLI::App& app, std::string* db_url) {
  auto* asset = app.add_subcommand("asset", "The asset library of an activation");
  asset->require_subcommand(1);
  auto options = std::make_shared<AssetAddOptions>();
  auto* add = asset->add_subcommand(
      "add",
      "Add a file (a new asset, a new version with --asset, or a localization variant with "
      "--master), checked like an upload: format from its header, the naming template, the "
      "platform spec");
  add->add_option("--db", *db_url, "Database URL: sqlite:PATH or postgresql://…")
      ->capture_default_str();
  add->add_option("--activation", options->activation, "Activation id")->required();
  add->add_option("--org", options->org, "Owning organisation (id or name)")->required();
  add->add_option("FILE", options->file, "The file to add")->required();
  add->add_option("--name", options->name, "File name to check and record (default: FILE's)");
  add->add_option("--platform", options->upload.platform, "Placement whose spec it must meet");
  add->add_option("--locale", options->upload.locale, "Locale (else taken from the name)");
  add->add_option("--market", options->upload.market, "Market");
  add->add_option("--context", options->upload.context, "Context (campaign moment)");
  add->add_option("--tags", options->tags, "Comma-separated tags");
  add->add_option("--master", options->upload.master_asset_id,
                  "Master asset id: add a localization variant of it");
  add->add_option("--asset", options->upload.asset_id, "Asset id: add its next version");
  add->add_flag("--shared", options->upload.share,
                "Share it with every organisation of the activation");
  add->add_option("--data-dir", options->data_dir, "Data directory (files go to DIR/blobs)")
      ->capture_default_str();
  add->add_option("--max-asset-bytes", options->max_bytes, "Largest file accepted")
      ->capture_default_str();
  add->callback([db_url, options] { AddAsset(*db_url, *options); });

  auto settings_options = std::make_shared<AssetSettingsOptions>();
  auto* settings = asset->add_subcommand(
      "settings",
      "Show the activation's naming template, brand and platform specs as JSON, or change the "
      "ones given (the rest are kept); uploads are checked against them");
  settings->add_option("--db", *db_url, "Database URL: sqlite:PATH or postgresql://…")
      ->capture_default_str();
  settings->add_option("--activation", settings_options->activation, "Activation id")->required();
  settings->add_option(
      "--naming-template", settings_options->naming_template,
      "File-name template, e.g. "
      "{brand}_{partner}_{platform}_{locale}_{yyyymmdd}_v{version} (\"\" for none)");
  settings->add_option("--brand", settings_options->brand, "Brand that fills {brand}");
  settings->add_option("--platform-specs", settings_options->platform_specs_file,
                       "JSON file {\"specs\": [{\"placement\": \"story\", \"formats\": "
                       "[\"png\"], \"min_width\": 1080}]}, replacing the current specs");
  settings->callback([db_url, settings_options] { AssetSettings(*db_url, *settings_options); });
}

}  // namespace tutti::cli

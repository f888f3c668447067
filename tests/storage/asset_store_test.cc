// The asset library in storage (Store "asset library", store_assets.cc) and the upload pipeline
// of service/asset_uploads.h, on SQLite and PostgreSQL: settings guarded against stale writes,
// immutable versions side by side, a new master version marking variants stale, search by tag,
// platform and locale, refused callbacks writing nothing, and uploads of real small files that
// pass or fail the naming template and leave no file behind when refused.
#include <gtest/gtest.h>

#include <filesystem>

#include "support/fresh_database.h"
#include "support/media_samples.h"
#include "tutti/base/clock.h"
#include "tutti/base/crypto.h"
#include "tutti/core/brief.h"
#include "tutti/service/asset_uploads.h"
#include "tutti/storage/database.h"
#include "tutti/storage/migrations.h"
#include "tutti/storage/store.h"

namespace tutti::storage {
namespace {

using tutti::testing::Backend;

using tutti::testing::Must;

Status AllowAll(const ActivationRecord&, const AssetRecord*, const AssetRecord*) {
  return OkStatus();
}

class AssetStore : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) TUTTI_REQUIRE_POSTGRES();
    Status created = fresh_.Create(GetParam());
    ASSERT_TRUE(created.ok()) << created.ToString();
    store_ = std::make_unique<Store>(fresh_.db(), clock_);
    host_ = Must(store_->CreateOrg("Acme Beverages", "host", cli_), "CreateOrg host");
    partner_ = Must(store_->CreateOrg("StreamCo", "partner", cli_), "CreateOrg partner");
    as_host_ = Actor{"usr_host", host_.id};
    activation_ = tutti::testing::NewActivation(*store_, host_.id, as_host_);
    Must(store_->AddParticipant(activation_.id, partner_.id, "media", std::nullopt, as_host_,
                                [](const ActivationRecord&) { return OkStatus(); }),
         "AddParticipant");
  }

  int64_t AuditCount() {
    int64_t n = 0;
    EXPECT_TRUE(store_->ForEachAuditEntry([&](const governance::AuditEntry&) { ++n; }).ok());
    return n;
  }

  // A version row as the upload pipeline would fill it (the digest stands in for a file).
  NewAssetVersion Upload(const std::string& stem, const std::string& digest_char) {
    NewAssetVersion u;
    u.org_id = partner_.id;
    u.name_stem = stem;
    u.locale = "en-gb";
    u.platform = "instagram_story";
    u.tags = {"summer"};
    u.version.sha256 = std::string(64, digest_char[0]);
    u.version.bytes = 100;
    u.version.file_name = stem + ".png";
    u.version.media = Json{{"format", "png"}, {"mime_type", "image/png"}};
    u.version.spec_check = nullptr;
    return u;
  }

  ManualClock clock_{*ParseInstant("2026-06-01T12:00:00Z")};
  Actor cli_{"cli", ""};
  Actor as_host_;
  OrgRecord host_, partner_;
  ActivationRecord activation_;
  tutti::testing::FreshDatabase fresh_;
  std::unique_ptr<Store> store_;
};

TEST_P(AssetStore, SettingsStartEmptyAndRefuseAStaleVersion) {
  AssetSettingsRecord none = Must(store_->GetAssetSettings(activation_.id), "get");
  EXPECT_EQ(none.version, 0);
  EXPECT_EQ(none.naming_template, "");
  AssetSettingsRecord put;
  put.activation_id = activation_.id;
  put.naming_template = "{brand}_{partner}_v{version}";
  put.brand = "acme";
  const int64_t before = AuditCount();
  AssetSettingsRecord stored =
      Must(store_->PutAssetSettings(put, 0, as_host_,
                                    [](const ActivationRecord&) { return OkStatus(); }),
           "put");
  EXPECT_EQ(stored.version, 1);
  EXPECT_EQ(AuditCount(), before + 1);
  Result<AssetSettingsRecord> stale = store_->PutAssetSettings(
      put, 0, as_host_, [](const ActivationRecord&) { return OkStatus(); });
  EXPECT_EQ(stale.status().code(), StatusCode::kAborted);
  EXPECT_EQ(Must(store_->GetAssetSettings(activation_.id), "get").brand, "acme");
}

TEST_P(AssetStore, VersionsAreKeptSideBySideAndNeverRewritten) {
  AssetRecord first = Must(
      store_->AddAssetVersion(activation_.id, Upload("hero_v1", "a"), as_host_, AllowAll), "v1");
  EXPECT_EQ(first.latest_version, 1);
  EXPECT_EQ(first.org_id, partner_.id);
  EXPECT_EQ(first.org_name, "StreamCo");
  NewAssetVersion second = Upload("hero_v2", "b");
  second.asset_id = first.id;
  second.expected_latest_version = 1;
  AssetRecord after =
      Must(store_->AddAssetVersion(activation_.id, second, as_host_, AllowAll), "v2");
  ASSERT_EQ(after.versions.size(), 2u);
  EXPECT_EQ(after.versions[0].version, 1);
  EXPECT_EQ(after.versions[0].sha256, std::string(64, 'a')) << "version 1 is unchanged";
  EXPECT_EQ(after.versions[1].sha256, std::string(64, 'b'));
  EXPECT_EQ(after.name_stem, "hero_v1") << "the asset keeps its first name";

  // A third upload checked against version 1 (it was named v2) comes too late.
  Result<AssetRecord> late = store_->AddAssetVersion(activation_.id, second, as_host_, AllowAll);
  EXPECT_EQ(late.status().code(), StatusCode::kAborted);
  EXPECT_EQ(Must(store_->GetAsset(activation_.id, first.id), "get").versions.size(), 2u);
}

TEST_P(AssetStore, ANameTakenByAnotherAssetIsRefused) {
  Must(store_->AddAssetVersion(activation_.id, Upload("hero_v1", "a"), as_host_, AllowAll), "v1");
  Result<AssetRecord> again =
      store_->AddAssetVersion(activation_.id, Upload("hero_v1", "c"), as_host_, AllowAll);
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(again.status().field(), "name");
}

TEST_P(AssetStore, ANewMasterVersionMarksItsVariantsStale) {
  AssetRecord master =
      Must(store_->AddAssetVersion(activation_.id, Upload("hero", "a"), as_host_, AllowAll), "m");
  NewAssetVersion variant_upload = Upload("hero_de", "d");
  variant_upload.master_asset_id = master.id;
  variant_upload.locale = "de-de";
  AssetRecord variant =
      Must(store_->AddAssetVersion(activation_.id, variant_upload, as_host_, AllowAll), "variant");
  EXPECT_EQ(variant.kind, "variant");
  ASSERT_TRUE(variant.variant.has_value());
  EXPECT_EQ(variant.variant->master_version, 1);
  EXPECT_EQ(variant.variant->translation, "pending");
  EXPECT_FALSE(variant.variant->stale);

  NewAssetVersion next = Upload("hero2", "e");
  next.asset_id = master.id;
  next.expected_latest_version = 1;
  Must(store_->AddAssetVersion(activation_.id, next, as_host_, AllowAll), "m2");
  AssetRecord after = Must(store_->GetAsset(activation_.id, variant.id), "get");
  ASSERT_TRUE(after.variant.has_value());
  EXPECT_TRUE(after.variant->stale);
  EXPECT_EQ(after.variant->master_version, 1) << "made from version 1, kept for the record";

  // A variant of a variant is refused.
  NewAssetVersion nested = Upload("hero_fr", "f");
  nested.master_asset_id = variant.id;
  EXPECT_EQ(store_->AddAssetVersion(activation_.id, nested, as_host_, AllowAll).status().field(),
            "master");
}

TEST_P(AssetStore, VariantStateChangesAreRecordedAndAudited) {
  AssetRecord master =
      Must(store_->AddAssetVersion(activation_.id, Upload("hero", "a"), as_host_, AllowAll), "m");
  NewAssetVersion v = Upload("hero_de", "d");
  v.master_asset_id = master.id;
  AssetRecord variant = Must(store_->AddAssetVersion(activation_.id, v, as_host_, AllowAll), "v");
  const int64_t before = AuditCount();
  AssetRecord changed =
      Must(store_->UpdateVariantState(activation_.id, master.id, variant.id, as_host_,
                                      [](const ActivationRecord&, const AssetRecord& var,
                                         const AssetRecord&) -> Result<AssetVariantStateRecord> {
                                        AssetVariantStateRecord next = *var.variant;
                                        next.translation = "in_progress";
                                        return next;
                                      }),
           "update");
  EXPECT_EQ(changed.variant->translation, "in_progress");
  EXPECT_EQ(AuditCount(), before + 1);
  EXPECT_EQ(Must(store_->GetAsset(activation_.id, variant.id), "get").variant->translation,
            "in_progress");
  // The variant must belong to the master named in the path.
  Result<AssetRecord> wrong = store_->UpdateVariantState(
      activation_.id, variant.id, variant.id, as_host_,
      [](const ActivationRecord&, const AssetRecord& var,
         const AssetRecord&) -> Result<AssetVariantStateRecord> { return *var.variant; });
  EXPECT_EQ(wrong.status().code(), StatusCode::kNotFound);
}

TEST_P(AssetStore, SearchesByTagPlatformAndLocale) {
  NewAssetVersion a = Upload("a", "a");
  a.tags = {"summer", "platform:instagram_story"};
  NewAssetVersion b = Upload("b", "b");
  b.tags = {"winter"};
  b.platform = "tiktok";
  b.locale = "de-de";
  Must(store_->AddAssetVersion(activation_.id, a, as_host_, AllowAll), "a");
  clock_.Advance(std::chrono::seconds(1));  // oldest first: a before b
  Must(store_->AddAssetVersion(activation_.id, b, as_host_, AllowAll), "b");
  auto names = [&](const std::string& tag, const std::string& platform, const std::string& locale) {
    AssetQuery q;
    q.tag = tag;
    q.platform = platform;
    q.locale = locale;
    std::vector<std::string> out;
    for (const AssetRecord& r : Must(store_->ListAssets(activation_.id, q), "list"))
      out.push_back(r.name_stem);
    return out;
  };
  EXPECT_EQ(names("", "", ""), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(names("summer", "", ""), (std::vector<std::string>{"a"}));
  EXPECT_EQ(names("winter", "", ""), (std::vector<std::string>{"b"}));
  EXPECT_EQ(names("", "tiktok", ""), (std::vector<std::string>{"b"}));
  EXPECT_EQ(names("", "", "en-gb"), (std::vector<std::string>{"a"}));
  EXPECT_EQ(names("summer", "tiktok", ""), (std::vector<std::string>{}));
  EXPECT_TRUE(names("autumn", "", "").empty());
}

TEST_P(AssetStore, ARefusedAuthorizationWritesNothing) {
  const int64_t before = AuditCount();
  Result<AssetRecord> refused =
      store_->AddAssetVersion(activation_.id, Upload("a", "a"), as_host_,
                              [](const ActivationRecord&, const AssetRecord*, const AssetRecord*) {
                                return PermissionDenied("not in this test");
                              });
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(AuditCount(), before);
  EXPECT_TRUE(Must(store_->ListAssets(activation_.id, {}), "list").empty());
}

// The whole pipeline on a real PNG: the name is held to the template, a refused upload leaves no
// file, an accepted one is stored under its SHA-256.
TEST_P(AssetStore, TheUploadPipelineChecksTheNameAndStoresTheFileByDigest) {
  AssetSettingsRecord settings;
  settings.activation_id = activation_.id;
  settings.naming_template = "{brand}_{partner}_{locale}_v{version}";
  settings.brand = "acme";
  Must(store_->PutAssetSettings(settings, 0, as_host_,
                                [](const ActivationRecord&) { return OkStatus(); }),
       "settings");
  const std::string png = media_samples::Png(8, 8);
  BlobStore blobs(fresh_.temp_dir() / "blobs");
  auto source = [&png](size_t* offset) {
    return [&png, offset](char* buffer, size_t capacity) -> Result<size_t> {
      size_t n = std::min(capacity, png.size() - *offset);
      png.copy(buffer, n, *offset);
      *offset += n;
      return n;
    };
  };
  service::AssetUpload upload;
  upload.activation_id = activation_.id;
  upload.owner_org_id = partner_.id;
  upload.file_name = "acme_streamco_en-gb_v2.png";
  upload.locale = "en_GB";
  service::PreparedAssetUpload prepared =
      Must(service::PrepareAssetUpload(*store_, upload), "prep");
  size_t offset = 0;
  Result<AssetRecord> refused =
      service::AddAsset(*store_, blobs, prepared, source(&offset), 1 << 20, as_host_, AllowAll);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().field(), "name");
  EXPECT_NE(refused.status().message().find("expected name like acme_streamco_en-gb_v1.png"),
            std::string::npos)
      << refused.status().message();

  upload.file_name = "acme_streamco_en-gb_v1.png";
  upload.locale.clear();  // from the name this time
  prepared = Must(service::PrepareAssetUpload(*store_, upload), "prep");
  offset = 0;
  AssetRecord stored = Must(
      service::AddAsset(*store_, blobs, prepared, source(&offset), 1 << 20, as_host_, AllowAll),
      "upload");
  const std::string digest = HexEncode(Sha256(png));
  EXPECT_EQ(stored.versions.at(0).sha256, digest);
  EXPECT_EQ(stored.versions.at(0).media.value("width", 0), 8);
  EXPECT_EQ(stored.locale, "en-gb") << "taken from the name";
  EXPECT_TRUE(blobs.Contains(digest));
  size_t files = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(fresh_.temp_dir() / "blobs"))
    files += e.is_regular_file();
  EXPECT_EQ(files, 1u) << "the refused upload left nothing behind";
}

INSTANTIATE_TEST_SUITE_P(Backends, AssetStore,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         tutti::testing::BackendTestName);

}  // namespace
}  // namespace tutti::storage

// The asset library over HTTP (docs/assets.md, "Storage, HTTP API and CLI") against the real
// server, with real small files of every format generated in the test (support/media_samples.h):
// the naming template refusing with the expected name, platform specs refusing on dimensions,
// size and duration with every violation listed, a PNG named .jpg refused, versions kept side by
// side, a new master version marking variants stale, search by tag, a partner's draft invisible
// to another partner until shared, downloads with the probed media type, and the size limit.
#include <gtest/gtest.h>

#include <string>

#include "support/media_samples.h"
#include "support/test_server.h"
#include "tutti/base/crypto.h"

namespace tutti::testing {
namespace {

namespace ms = media_samples;

constexpr char kTemplate[] = "{brand}_{partner}_{platform}_{locale}_{yyyymmdd}_v{version}";

class AssetsApi : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.Start().ok()); }

  std::string Base() const { return "/api/v1/activations/" + server_.demo().activation; }

  Reply Upload(const std::string& email, const std::string& query, const std::string& bytes,
               const std::string& content_type = "application/octet-stream") {
    return server_.client().SendRaw("POST", Base() + "/assets?" + query,
                                    {{"Authorization", "Bearer " + server_.Token(email)}}, bytes,
                                    content_type);
  }

  // The template above, brand "acme", and placements for the spec tests: "story" (stills at
  // least 1080 wide in 9:16, up to 5 MiB), "clip" (MP4 of 1-60 s), "tiny" (at most 100 bytes)
  // and "anything" (every format, no limit).
  void ConfigureSettings() {
    Json specs = Json::parse(R"({"specs": [
        {"placement": "story", "formats": ["jpeg", "png"], "min_width": 1080,
         "aspect_ratios": ["9:16"], "max_bytes": 5242880},
        {"placement": "clip", "formats": ["mp4"], "min_duration_seconds": 1,
         "max_duration_seconds": 60},
        {"placement": "tiny", "formats": ["png"], "max_bytes": 100},
        {"placement": "anything", "formats": ["png", "jpeg", "gif", "webp", "mp4", "mov"]}]})");
    Reply r = server_.client().Put(
        Base() + "/asset-settings", server_.Token(demo::kOlivia),
        Json{{"naming_template", kTemplate}, {"brand", "Acme"}, {"platform_specs", specs}});
    ASSERT_EQ(r.status, 200) << r;
  }

  TestServer server_;
};

TEST_F(AssetsApi, RefusesANameOffTheTemplateShowingTheExpectedName) {
  ConfigureSettings();
  Reply r =
      Upload(demo::kSam, "name=IMG_0042.png&platform=story&locale=en_GB", ms::Png(1080, 1920));
  ASSERT_EQ(r.status, 422) << r;
  EXPECT_TRUE(r.HasErrorEnvelope());
  EXPECT_EQ(r.ErrorField(), "name");
  EXPECT_NE(r.json["error"]["message"].get<std::string>().find(
                "expected name like acme_streamco_story_en-gb_{yyyymmdd}_v1.png"),
            std::string::npos)
      << r;
}

TEST_F(AssetsApi, AcceptsEveryFormatByItsHeaderAndRecordsWhatItSaid) {
  ConfigureSettings();
  struct Sample {
    std::string ext;
    std::string bytes;
    std::string mime;
    int width;
    int height;
  };
  const std::vector<Sample> samples = {
      {"png", ms::Png(12, 7), "image/png", 12, 7},
      {"jpg", ms::Jpeg(16, 9), "image/jpeg", 16, 9},
      {"gif", ms::Gif(5, 3), "image/gif", 5, 3},
      {"webp", ms::WebpLossless(9, 4), "image/webp", 9, 4},
      {"mp4", ms::Mp4(), "video/mp4", 1080, 1920},
  };
  // One locale per sample, so that each is its own asset with its own name.
  const std::vector<std::string> locales = {"en-gb", "de-de", "fr-fr", "es-es", "it-it"};
  for (size_t i = 0; i < samples.size(); ++i) {
    const Sample& s = samples[i];
    const std::string name = "acme_streamco_anything_" + locales[i] + "_20260601_v1." + s.ext;
    Reply r = Upload(demo::kSam, "name=" + name + "&platform=anything", s.bytes);
    ASSERT_EQ(r.status, 201) << s.ext << " " << r;
    const Json& v = r.json["versions"][0];
    EXPECT_EQ(v["media"]["mime_type"], s.mime) << s.ext;
    EXPECT_EQ(v["media"]["width"], s.width) << s.ext;
    EXPECT_EQ(v["media"]["height"], s.height) << s.ext;
    EXPECT_EQ(v["sha256"], HexEncode(Sha256(s.bytes))) << s.ext;
    EXPECT_EQ(v["bytes"], s.bytes.size()) << s.ext;
    EXPECT_EQ(r.json["locale"], locales[i]) << "taken from the name";
    EXPECT_EQ(v["spec_check"]["placement"], "anything");
  }
  Reply same_name =
      Upload(demo::kSam, "name=acme_streamco_anything_en-gb_20260601_v1.png", ms::Png(3, 3));
  EXPECT_EQ(same_name.status, 409) << "a second asset of the same name: " << same_name;
}

TEST_F(AssetsApi, RefusesAPngNamedAsJpeg) {
  ConfigureSettings();
  Reply r = Upload(demo::kSam, "name=acme_streamco_story_en-gb_20260601_v1.jpg&platform=story",
                   ms::Png(1080, 1920), "image/jpeg");
  ASSERT_EQ(r.status, 422) << r;
  EXPECT_EQ(r.ErrorField(), "name");
  EXPECT_EQ(r.ErrorCode(), "extension_mismatch");
  EXPECT_NE(r.body.find("expected .png"), std::string::npos) << r;
}

TEST_F(AssetsApi, RefusesAFileOfNoKnownFormatAs415) {
  ConfigureSettings();
  Reply r =
      Upload(demo::kSam, "name=acme_streamco_story_en-gb_20260601_v1.png", "%PDF-1.7\n%binary\n");
  ASSERT_EQ(r.status, 415) << r;
  EXPECT_EQ(r.ErrorCode(), "unknown_format");
  EXPECT_EQ(r.ErrorField(), "file");
}

TEST_F(AssetsApi, RefusesOffSpecFilesListingEveryViolation) {
  ConfigureSettings();
  // 800 x 800 for "story": too narrow and not 9:16, both reported.
  Reply square = Upload(demo::kSam, "name=acme_streamco_story_en-gb_20260601_v1.png&platform=story",
                        ms::Png(800, 800));
  ASSERT_EQ(square.status, 422) << square;
  EXPECT_EQ(square.ErrorCode(), "spec_violation");
  const std::string message = square.json["error"]["message"];
  EXPECT_NE(message.find("2 violations"), std::string::npos) << message;
  EXPECT_NE(message.find("width 800 px is below the 1080 px minimum of story"), std::string::npos)
      << message;
  EXPECT_NE(message.find("aspect ratio"), std::string::npos) << message;

  // Over the byte limit of "tiny" (100 bytes): an 8 x 8 PNG is larger than that.
  const std::string png = ms::Png(8, 8);
  ASSERT_GT(png.size(), 100u);
  Reply big =
      Upload(demo::kSam, "name=acme_streamco_tiny_en-gb_20260601_v1.png&platform=tiny", png);
  ASSERT_EQ(big.status, 422) << big;
  EXPECT_NE(big.body.find("size " + std::to_string(png.size()) + " bytes"), std::string::npos)
      << big;

  // 75 s against clip's 60 s maximum.
  ms::Mp4Options longer;
  longer.duration = 75000;
  Reply video = Upload(demo::kSam, "name=acme_streamco_clip_en-gb_20260601_v1.mp4&platform=clip",
                       ms::Mp4(longer));
  ASSERT_EQ(video.status, 422) << video;
  EXPECT_NE(video.body.find("duration 75 s is above the 60 s maximum of clip"), std::string::npos)
      << video;

  // Nothing was recorded.
  Reply list = server_.client().Get(Base() + "/assets", server_.Token(demo::kSam));
  ASSERT_EQ(list.status, 200);
  EXPECT_TRUE(list.json["items"].empty());
}

TEST_F(AssetsApi, KeepsVersionsSideBySideAndServesEachOnesBytes) {
  ConfigureSettings();
  const std::string first = ms::Png(1080, 1920);
  const std::string second = ms::Png(1215, 2160);
  Reply v1 =
      Upload(demo::kSam, "name=acme_streamco_story_en-gb_20260601_v1.png&platform=story", first);
  ASSERT_EQ(v1.status, 201) << v1;
  const std::string id = v1.json["id"];
  // The second version must be named v2.
  Reply misnamed =
      Upload(demo::kSam,
             "name=acme_streamco_story_en-gb_20260601_v1.png&platform=story&asset=" + id, second);
  ASSERT_EQ(misnamed.status, 422) << misnamed;
  EXPECT_NE(misnamed.body.find("expected name like acme_streamco_story_en-gb_{yyyymmdd}_v2.png"),
            std::string::npos)
      << misnamed;
  Reply v2 =
      Upload(demo::kSam,
             "name=acme_streamco_story_en-gb_20260602_v2.png&platform=story&asset=" + id, second);
  ASSERT_EQ(v2.status, 201) << v2;

  Reply got = server_.client().Get(Base() + "/assets/" + id, server_.Token(demo::kOlivia));
  ASSERT_EQ(got.status, 200) << got;
  ASSERT_EQ(got.json["versions"].size(), 2u);
  EXPECT_EQ(got.json["versions"][0]["sha256"], HexEncode(Sha256(first)));
  EXPECT_EQ(got.json["versions"][1]["sha256"], HexEncode(Sha256(second)));
  EXPECT_EQ(got.json["latest_version"], 2);

  Reply content = server_.client().Get(Base() + "/assets/" + id + "/versions/1/content",
                                       server_.Token(demo::kOlivia));
  ASSERT_EQ(content.status, 200);
  EXPECT_EQ(content.body, first) << "version 1 is as uploaded";
  EXPECT_EQ(content.Header("Content-Type"), "image/png");
  Reply missing = server_.client().Get(Base() + "/assets/" + id + "/versions/3/content",
                                       server_.Token(demo::kOlivia));
  EXPECT_EQ(missing.status, 404);
}

TEST_F(AssetsApi, APartnersDraftIsInvisibleToAnotherPartnerUntilShared) {
  ConfigureSettings();
  Reply draft = Upload(demo::kSam, "name=acme_streamco_story_en-gb_20260601_v1.png&platform=story",
                       ms::Png(1080, 1920));
  ASSERT_EQ(draft.status, 201) << draft;
  const std::string id = draft.json["id"];
  const std::string nina = server_.Token(demo::kNina);
  EXPECT_EQ(server_.client().Get(Base() + "/assets/" + id, nina).status, 404);
  EXPECT_EQ(server_.client().Get(Base() + "/assets/" + id + "/versions/1/content", nina).status,
            404);
  EXPECT_TRUE(server_.client().Get(Base() + "/assets", nina).json["items"].empty());
  EXPECT_EQ(server_.client().Get(Base() + "/assets/" + id, server_.Token(demo::kVictor)).status,
            200)
      << "the host sees every asset";
  EXPECT_EQ(server_.client().Get(Base() + "/assets/" + id, server_.Token(demo::kUna)).status, 404);

  // Nina cannot add a version to it either (it does not exist for her).
  Reply foreign = Upload(
      demo::kNina, "name=acme_streamco_story_en-gb_20260601_v2.png&platform=story&asset=" + id,
      ms::Png(1080, 1920));
  EXPECT_EQ(foreign.status, 404) << foreign;

  // Version 2 shared: now Nina sees it.
  Reply shared = Upload(
      demo::kSam,
      "name=acme_streamco_story_en-gb_20260601_v2.png&platform=story&shared=true&asset=" + id,
      ms::Png(1215, 2160));
  ASSERT_EQ(shared.status, 201) << shared;
  EXPECT_EQ(server_.client().Get(Base() + "/assets/" + id, nina).status, 200);
  EXPECT_EQ(server_.client().Get(Base() + "/assets", nina).json["items"].size(), 1u);
}

TEST_F(AssetsApi, ANewMasterVersionMarksItsVariantsStale) {
  ConfigureSettings();
  Reply master =
      Upload(demo::kOlivia,
             "name=acme_acme-beverages_story_en-gb_20260601_v1.png&platform=story&shared=true",
             ms::Png(1080, 1920));
  ASSERT_EQ(master.status, 201) << master;
  const std::string master_id = master.json["id"];
  Reply variant =
      Upload(demo::kSam,
             "name=acme_streamco_story_de-de_20260601_v1.png&platform=story&master=" + master_id,
             ms::Png(1080, 1920));
  ASSERT_EQ(variant.status, 201) << variant;
  const std::string variant_id = variant.json["id"];
  EXPECT_EQ(variant.json["kind"], "variant");
  EXPECT_EQ(variant.json["variant"]["translation"], "pending");

  const std::string state_path =
      Base() + "/assets/" + master_id + "/variants/" + variant_id + "/state";
  Reply start = server_.client().Put(state_path, server_.Token(demo::kSam),
                                     Json{{"action", "start_translation"}});
  ASSERT_EQ(start.status, 200) << start;
  Reply submit = server_.client().Put(state_path, server_.Token(demo::kSam),
                                      Json{{"action", "submit_translation"}});
  ASSERT_EQ(submit.status, 200) << submit;
  // Approving is the host's (or the master owner's) word, not the translator's.
  EXPECT_EQ(server_.client()
                .Put(state_path, server_.Token(demo::kSam), Json{{"action", "approve"}})
                .status,
            403);
  EXPECT_EQ(server_.client()
                .Put(state_path, server_.Token(demo::kNina), Json{{"action", "approve"}})
                .status,
            404)
      << "Nova does not see StreamCo's draft variant";

  Reply v2 = Upload(
      demo::kOlivia,
      "name=acme_acme-beverages_story_en-gb_20260601_v2.png&platform=story&asset=" + master_id,
      ms::Png(1215, 2160));
  ASSERT_EQ(v2.status, 201) << v2;
  Reply got = server_.client().Get(Base() + "/assets/" + master_id, server_.Token(demo::kOlivia));
  ASSERT_EQ(got.status, 200);
  ASSERT_EQ(got.json["variants"].size(), 1u);
  const Json& state = got.json["variants"][0]["variant"];
  EXPECT_EQ(state["stale"], true);
  EXPECT_EQ(state["master_version"], 1);
  EXPECT_EQ(state["publishable"], false);
  // A stale variant cannot be approved; it must be translated again.
  Reply approve =
      server_.client().Put(state_path, server_.Token(demo::kOlivia), Json{{"action", "approve"}});
  EXPECT_EQ(approve.status, 409) << approve;
  EXPECT_EQ(approve.ErrorCode(), "invalid_transition");
}

TEST_F(AssetsApi, SearchesByTagPlatformAndLocale) {
  ConfigureSettings();
  ASSERT_EQ(Upload(demo::kSam,
                   "name=acme_streamco_story_en-gb_20260601_v1.png&platform=story&tags=Summer,hero",
                   ms::Png(1080, 1920))
                .status,
            201);
  ASSERT_EQ(
      Upload(demo::kSam, "name=acme_streamco_clip_de-de_20260701_v1.mp4&platform=clip", ms::Mp4())
          .status,
      201);
  auto count = [&](const std::string& query) {
    Reply r = server_.client().Get(Base() + "/assets?" + query, server_.Token(demo::kOlivia));
    EXPECT_EQ(r.status, 200) << r;
    return r.json["items"].size();
  };
  EXPECT_EQ(count(""), 2u);
  EXPECT_EQ(count("tag=summer"), 1u) << "tags are lower-cased";
  EXPECT_EQ(count("tag=hero"), 1u);
  EXPECT_EQ(count("tag=date:20260701"), 1u);
  EXPECT_EQ(count("tag=locale:de-de"), 1u);
  EXPECT_EQ(count("platform=story"), 1u);
  EXPECT_EQ(count("locale=de_DE"), 1u);
  EXPECT_EQ(count("tag=winter"), 0u);
}

TEST_F(AssetsApi, OnlyTheHostsOwnersAndFacilitatorsSetTheSettings) {
  Reply bad = server_.client().Put(Base() + "/asset-settings", server_.Token(demo::kOlivia),
                                   Json{{"naming_template", "{brand}{partner}"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.ErrorCode(), "ambiguous_template");
  EXPECT_EQ(server_.client()
                .Put(Base() + "/asset-settings", server_.Token(demo::kSam),
                     Json{{"naming_template", kTemplate}})
                .status,
            403);
  Reply got = server_.client().Get(Base() + "/asset-settings", server_.Token(demo::kSam));
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.json["version"], 0);
  EXPECT_GE(got.json["placements"].size(), 8u) << "the built-in placements";
}

TEST_F(AssetsApi, AFileOfManyPiecesDownloadsWholeWithItsLengthAndDigest) {
  ConfigureSettings();
  // About 1 MiB of noise: several of the pieces a download is streamed in.
  const std::string bytes = ms::Png(600, 600, {.noise = true});
  ASSERT_GT(bytes.size(), size_t{1} << 20);
  Reply r = Upload(demo::kSam,
                   "name=acme_streamco_anything_en-gb_20260601_v1.png&platform=anything", bytes);
  ASSERT_EQ(r.status, 201) << r;
  const std::string id = r.json["id"];
  Reply content = server_.client().Get(Base() + "/assets/" + id + "/versions/1/content",
                                       server_.Token(demo::kSam));
  ASSERT_EQ(content.status, 200);
  EXPECT_EQ(content.Header("Content-Length"), std::to_string(bytes.size()));
  EXPECT_EQ(content.body.size(), bytes.size());
  EXPECT_TRUE(content.body == bytes) << "the download differs from the upload";
  EXPECT_EQ(content.Header("ETag"), "\"" + HexEncode(Sha256(bytes)) + "\"");
  EXPECT_EQ(content.Header("Content-Disposition"),
            "attachment; filename=\"acme_streamco_anything_en-gb_20260601_v1.png\"");
}

TEST(AssetsApiLimits, RefusesAnUploadOverTheSizeLimitWith413) {
  TestServerOptions options;
  options.max_asset_bytes = 1000;
  TestServer server(options);
  ASSERT_TRUE(server.Start().ok());
  const std::string big = ms::Png(64, 64, {.noise = true});
  ASSERT_GT(big.size(), 1000u);
  Reply r = server.client().SendRaw(
      "POST", "/api/v1/activations/" + server.demo().activation + "/assets?name=a_v1.png",
      {{"Authorization", "Bearer " + server.Token(demo::kSam)}}, big, "image/png");
  EXPECT_EQ(r.status, 413) << r;
  Reply small = server.client().SendRaw(
      "POST", "/api/v1/activations/" + server.demo().activation + "/assets?name=a_v1.png",
      {{"Authorization", "Bearer " + server.Token(demo::kSam)}}, ms::Png(4, 4), "image/png");
  EXPECT_EQ(small.status, 201) << "without a template only the extension is checked: " << small;
}

}  // namespace
}  // namespace tutti::testing

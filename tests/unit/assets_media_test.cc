// Media header probing (issue 5, C3): format, size, frames and duration of real small files of
// every format, generated in tests/support/media_samples.h, and the refusal of truncated,
// corrupt and unknown files with the structure, offset and reason named.
#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <vector>

#include "support/media_samples.h"
#include "tutti/assets/media.h"

namespace tutti::assets {
namespace {

using namespace tutti::media_samples;
using std::chrono::microseconds;
using std::chrono::milliseconds;

Result<MediaInfo> Probe(const std::string& file) { return ProbeMedia(AsBytes(file)); }

MediaInfo ProbeOk(const std::string& file) {
  Result<MediaInfo> info = Probe(file);
  EXPECT_TRUE(info.ok()) << info.status().ToString();
  return info.ok() ? *info : MediaInfo{};
}

void ExpectRefused(const std::string& file, const std::string& reason, const std::string& message) {
  Result<MediaInfo> info = Probe(file);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(info.status().field(), "file");
  EXPECT_EQ(info.status().reason(), reason);
  EXPECT_EQ(info.status().message(), message);
}

std::string WithByte(std::string file, size_t at, char value) {
  file[at] = value;
  return file;
}

uint32_t ZlibCrc(std::string_view bytes) {
  return static_cast<uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

// --- PNG ---

TEST(ProbePng, ReadsSizeOfAStill) {
  const MediaInfo info = ProbeOk(Png(3, 2));
  EXPECT_EQ(info.format, MediaFormat::kPng);
  EXPECT_EQ(info.mime_type(), "image/png");
  EXPECT_EQ(info.width, 3u);
  EXPECT_EQ(info.height, 2u);
  EXPECT_EQ(info.frames, 1u);
  EXPECT_FALSE(info.animated);
  EXPECT_FALSE(info.duration.has_value());
  EXPECT_FALSE(info.is_video());
}

TEST(ProbePng, WalksEveryIdatChunkOfALargerImage) {
  // 300 x 200 RGB noise is 180 200 bytes of scanlines; split into 8 KiB IDAT chunks.
  const std::string file = Png(300, 200, {.noise = true});
  ASSERT_GT(file.size(), 20u * 8192);
  const MediaInfo info = ProbeOk(file);
  EXPECT_EQ(info.width, 300u);
  EXPECT_EQ(info.height, 200u);
}

TEST(ProbePng, CountsApngFramesAndSumsTheirDelays) {
  const MediaInfo info = ProbeOk(Png(4, 4, {.frames = 3, .delay_ms = 100}));
  EXPECT_EQ(info.frames, 3u);
  EXPECT_TRUE(info.animated);
  EXPECT_EQ(info.duration, milliseconds(300));  // 3 x 100/1000 s
}

TEST(ProbePng, RefusesASignatureDamagedByTextTransfer) {
  std::string file = Png(3, 2);
  file.replace(4, 4, "\n\x1a\n\n");
  ExpectRefused(file, "corrupt",
                "PNG file is corrupt: signature bytes 4-7 are 0x0a1a0a0a, expected 0x0d0a1a0a "
                "(was it transferred as text?)");
}

TEST(ProbePng, RefusesAnIhdrWhoseCrcDoesNotMatch) {
  // Byte 16 is the first byte of the width; 0x00 -> 0x01 makes the width 16 777 219.
  const std::string file = WithByte(Png(3, 2), 16, '\x01');
  const uint32_t stored = ZlibCrc(std::string_view(Png(3, 2)).substr(12, 17));
  const uint32_t computed = ZlibCrc(std::string_view(file).substr(12, 17));
  char expected[160];
  std::snprintf(expected, sizeof expected,
                "PNG file is corrupt: IHDR CRC is 0x%08x, the chunk's bytes give 0x%08x", stored,
                computed);
  ExpectRefused(file, "corrupt", expected);
}

TEST(ProbePng, RefusesZeroWidthAndImpossibleColourTypes) {
  auto with_ihdr = [](std::string_view ihdr) {
    return "\x89PNG\r\n\x1a\n" + PngChunk("IHDR", ihdr) + PngChunk("IDAT", "x") +
           PngChunk("IEND", "");
  };
  ExpectRefused(with_ihdr(std::string("\0\0\0\0\0\0\0\x02\x08\x02\0\0\0", 13)), "corrupt",
                "PNG file is corrupt: IHDR gives 0x2 pixels; each side must be 1 to 2^31-1");
  // Colour type 2 (RGB) exists only at 8 and 16 bits per sample.
  ExpectRefused(with_ihdr(std::string("\0\0\0\x03\0\0\0\x02\x04\x02\0\0\0", 13)), "corrupt",
                "PNG file is corrupt: IHDR has colour type 2, bit depth 4, compression 0, "
                "filter 0, interlace 0, which is not a valid combination");
}

TEST(ProbePng, RefusesAFirstChunkOtherThanIhdr) {
  const std::string file = "\x89PNG\r\n\x1a\n" + PngChunk("IDAT", "abc") + PngChunk("IEND", "");
  ExpectRefused(file, "corrupt",
                "PNG file is corrupt: the first chunk must be a 13-byte IHDR, found 'IDAT' of 3 "
                "bytes");
}

TEST(ProbePng, RefusesAFileCutInsideAChunkOrBeforeIend) {
  const std::string file = Png(3, 2);
  // Signature 8 + IHDR 25 = 33; the IDAT chunk starts there and its data at 41.
  const uint32_t idat_length = static_cast<uint32_t>(
      static_cast<uint8_t>(file[33]) << 24 | static_cast<uint8_t>(file[34]) << 16 |
      static_cast<uint8_t>(file[35]) << 8 | static_cast<uint8_t>(file[36]));
  ExpectRefused(file.substr(0, 45), "truncated",
                "PNG file is truncated: chunk 'IDAT' at byte 41 needs " +
                    std::to_string(idat_length + 4) + " bytes, but the file ends after 4");
  ExpectRefused(file.substr(0, file.size() - 12), "truncated",
                "PNG file is truncated: no IEND chunk; the chunk header at byte " +
                    std::to_string(file.size() - 12) + " needs 8 bytes, but the file ends after 0");
}

// --- JPEG ---

TEST(ProbeJpeg, ReadsTheFrameHeaderOfABaselineImage) {
  const MediaInfo info = ProbeOk(Jpeg(17, 9));
  EXPECT_EQ(info.format, MediaFormat::kJpeg);
  EXPECT_EQ(info.mime_type(), "image/jpeg");
  EXPECT_EQ(info.width, 17u);
  EXPECT_EQ(info.height, 9u);
  EXPECT_EQ(info.frames, 1u);
}

TEST(ProbeJpeg, AppliesExifOrientationInEitherByteOrder) {
  for (bool big_endian : {true, false}) {
    const MediaInfo turned =
        ProbeOk(Jpeg(17, 9, {.exif_orientation = 6, .big_endian_exif = big_endian}));
    EXPECT_EQ(turned.width, 9u) << big_endian;  // 6 = rotate 90 degrees clockwise to display
    EXPECT_EQ(turned.height, 17u) << big_endian;
    const MediaInfo upright =
        ProbeOk(Jpeg(17, 9, {.exif_orientation = 3, .big_endian_exif = big_endian}));
    EXPECT_EQ(upright.width, 17u) << big_endian;  // 3 = upside down, same shape
  }
}

TEST(ProbeJpeg, ReadsEveryKindOfFrameHeader) {
  for (int marker :
       {0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf}) {
    const MediaInfo info = ProbeOk(Jpeg(640, 480, {.frame_marker = static_cast<uint8_t>(marker)}));
    EXPECT_EQ(info.width, 640u) << marker;
    EXPECT_EQ(info.height, 480u) << marker;
  }
}

TEST(ProbeJpeg, AcceptsBytesAfterTheEndOfImage) {
  EXPECT_EQ(ProbeOk(Jpeg(8, 8) + std::string(100, '\0')).width, 8u);
}

TEST(ProbeJpeg, RefusesAFileWhoseScanStopsUnfinished) {
  const std::string file = Jpeg(64, 64);
  // SOI 2, APP0 18, DQT 69, SOF0 13, two DHT of 22: SOS starts at 146.
  ASSERT_EQ(static_cast<uint8_t>(file[147]), 0xda);
  ExpectRefused(file.substr(0, file.size() - 2), "truncated",
                "JPEG file is truncated: no end-of-image marker (0xffd9) after the scan at byte "
                "146: the compressed image data stops unfinished");
  ExpectRefused(file.substr(0, 100), "truncated",
                "JPEG file is truncated: marker 0xffc0 at byte 89: its segment at byte 91 needs "
                "11 bytes, but the file ends after 9");
}

TEST(ProbeJpeg, RefusesGarbageWhereAMarkerBelongs) {
  const std::string file = Jpeg(8, 8);
  ExpectRefused(WithByte(file, 20, 'x'), "corrupt",
                "JPEG file is corrupt: expected a marker (0xff) at byte 20, found 0x78");
}

TEST(ProbeJpeg, RefusesAScanBeforeAnyFrameHeader) {
  const std::string file = std::string("\xff\xd8", 2) + "\xff\xda" + std::string("\x00\x08", 2) +
                           std::string(6, '\0') + "\xff\xd9";
  ExpectRefused(file, "corrupt",
                "JPEG file is corrupt: marker 0xffda at byte 2: a scan before any frame header "
                "(SOFn)");
}

TEST(ProbeJpeg, RefusesAZeroHeight) {
  // Height is at SOF0 (byte 89) + 5.
  std::string file = Jpeg(8, 8);
  file[94] = '\0';
  file[95] = '\0';
  ExpectRefused(file, "corrupt",
                "JPEG file is corrupt: marker 0xffc0 at byte 89 gives 8x0 pixels (a height set "
                "later by a DNL marker is not supported)");
}

// --- GIF ---

TEST(ProbeGif, ReadsTheLogicalScreen) {
  const MediaInfo info = ProbeOk(Gif(5, 3));
  EXPECT_EQ(info.format, MediaFormat::kGif);
  EXPECT_EQ(info.mime_type(), "image/gif");
  EXPECT_EQ(info.width, 5u);
  EXPECT_EQ(info.height, 3u);
  EXPECT_EQ(info.frames, 1u);
  EXPECT_FALSE(info.animated);
  EXPECT_FALSE(info.duration.has_value());
}

TEST(ProbeGif, CountsFramesAndSumsDelaysOfAnAnimation) {
  const MediaInfo info = ProbeOk(Gif(8, 8, {.frames = 4, .delay_cs = 25}));
  EXPECT_EQ(info.frames, 4u);
  EXPECT_TRUE(info.animated);
  EXPECT_EQ(info.duration, milliseconds(1000));  // 4 x 25 hundredths
}

TEST(ProbeGif, WalksTheSubBlocksOfALargePalettedImage) {
  const MediaInfo info = ProbeOk(Gif(300, 200, {.colors = 256}));
  EXPECT_EQ(info.width, 300u);
  EXPECT_EQ(info.height, 200u);
}

TEST(ProbeGif, RefusesAMissingTrailerAndAnUnknownBlock) {
  const std::string file = Gif(5, 3);
  ExpectRefused(file.substr(0, file.size() - 1), "truncated",
                "GIF file is truncated: no trailer (0x3b); the next block at byte " +
                    std::to_string(file.size() - 1) + " needs 1 bytes, but the file ends after 0");
  // Header 13 + global table of 4 colours 12 = 25: the first block (graphic control) is there.
  ExpectRefused(WithByte(file, 25, '\x99'), "corrupt",
                "GIF file is corrupt: block 0x99 at byte 25 is none of image (0x2c), extension "
                "(0x21) or trailer (0x3b)");
}

TEST(ProbeGif, RefusesAnEmptyScreenAndAnUnknownVersion) {
  std::string file = Gif(5, 3);
  file[6] = '\0';
  ExpectRefused(file, "corrupt", "GIF file is corrupt: the logical screen is 0x3 pixels");
  ExpectRefused(WithByte(Gif(5, 3), 4, '8'), "corrupt",
                "GIF file is corrupt: version bytes are 0x383861, expected \"87a\" or \"89a\"");
}

// --- WebP ---

TEST(ProbeWebp, ReadsLosslessLossyAndExtendedHeaders) {
  const MediaInfo lossless = ProbeOk(WebpLossless(7, 5));
  EXPECT_EQ(lossless.format, MediaFormat::kWebp);
  EXPECT_EQ(lossless.mime_type(), "image/webp");
  EXPECT_EQ(lossless.width, 7u);
  EXPECT_EQ(lossless.height, 5u);

  const MediaInfo lossy = ProbeOk(WebpLossy(640, 360));
  EXPECT_EQ(lossy.width, 640u);
  EXPECT_EQ(lossy.height, 360u);

  // 24-bit canvas sizes go past VP8L's 14 bits.
  const MediaInfo extended = ProbeOk(WebpExtended(20000, 30));
  EXPECT_EQ(extended.width, 20000u);
  EXPECT_EQ(extended.height, 30u);
  EXPECT_FALSE(extended.animated);
}

TEST(ProbeWebp, IgnoresTheUpscalingBitsOfALossyFrame) {
  // Width 640 = 0x0280 at payload offset 6 (file byte 26); the top two bits ask for 5/4 upscaling.
  const std::string file = WithByte(WebpLossy(640, 360), 27, '\x42');
  EXPECT_EQ(ProbeOk(file).width, 640u);
}

TEST(ProbeWebp, CountsAnimationFramesAndSumsTheirDurations) {
  const MediaInfo info = ProbeOk(WebpExtended(10, 10, {.frames = 3, .frame_ms = 80}));
  EXPECT_TRUE(info.animated);
  EXPECT_EQ(info.frames, 3u);
  EXPECT_EQ(info.duration, milliseconds(240));
}

TEST(ProbeWebp, TreatsASingleFrameAnimationAsAStill) {
  std::string vp8x("\x02\0\0\0\x09\0\0\x09\0\0", 10);  // animated, 10 x 10
  std::string frame(15, '\0');
  frame[6] = frame[9] = '\x09';  // 10 x 10 at 0, 0
  frame[12] = '\x50';            // 80 ms
  frame += '\0';
  frame += RiffChunk("VP8L", Vp8lPayload(10, 10));
  const MediaInfo info = ProbeOk(Riff(RiffChunk("VP8X", vp8x) + RiffChunk("ANMF", frame)));
  EXPECT_EQ(info.frames, 1u);
  EXPECT_FALSE(info.animated);
  EXPECT_FALSE(info.duration.has_value());
}

TEST(ProbeWebp, RefusesACutFileAndBadBitstreamHeaders) {
  const std::string file = WebpLossless(7, 5);
  ExpectRefused(file.substr(0, file.size() - 3), "truncated",
                "WebP file is truncated: the RIFF header declares " + std::to_string(file.size()) +
                    " bytes, but the file has " + std::to_string(file.size() - 3));
  ExpectRefused(WithByte(file, 20, '\x2e'), "corrupt",
                "WebP file is corrupt: VP8L signature is 0x2e, expected 0x2f");
  ExpectRefused(WithByte(WebpLossy(64, 64), 23, '\x9e'), "corrupt",
                "WebP file is corrupt: VP8 start code is 0x9e012a, expected 0x9d012a");
  ExpectRefused(WithByte(file, 15, 'Z'), "corrupt",
                "WebP file is corrupt: the first chunk is 'VP8Z', expected 'VP8 ', 'VP8L' or "
                "'VP8X'");
}

TEST(ProbeWebp, RefusesAnAnimationWithoutFrames) {
  std::string vp8x("\x02\0\0\0\x09\0\0\x09\0\0", 10);  // animated, 10 x 10
  ExpectRefused(Riff(RiffChunk("VP8X", vp8x)), "corrupt",
                "WebP file is corrupt: the VP8X container holds no image or animation frame");
}

// --- MP4 / QuickTime ---

TEST(ProbeMp4, ReadsSizeAndDurationOfTheVideoTrack) {
  const MediaInfo info = ProbeOk(Mp4());
  EXPECT_EQ(info.format, MediaFormat::kMp4);
  EXPECT_EQ(info.mime_type(), "video/mp4");
  EXPECT_TRUE(info.is_video());
  EXPECT_EQ(info.width, 1080u);  // of the video track, not the audio track before it
  EXPECT_EQ(info.height, 1920u);
  EXPECT_EQ(info.duration, milliseconds(15000));
}

TEST(ProbeMp4, FindsTheMovieHeaderAfterTheMediaData) {
  const MediaInfo info = ProbeOk(Mp4({.moov_first = false, .mdat_bytes = 5000}));
  EXPECT_EQ(info.width, 1080u);
  EXPECT_EQ(info.duration, milliseconds(15000));
}

TEST(ProbeMp4, HandlesSixtyFourBitAndToTheEndBoxSizes) {
  EXPECT_EQ(ProbeOk(Mp4({.moov_first = false, .large_mdat = true})).height, 1920u);
  EXPECT_EQ(ProbeOk(Mp4({.large_mdat = true})).height, 1920u);
  EXPECT_EQ(ProbeOk(Mp4({.mdat_to_end = true})).height, 1920u);
}

TEST(ProbeMp4, ReadsVersionOneHeadersWithSixtyFourBitDurations) {
  // 5 000 000 000 units at 1 MHz: 5 000 s, beyond 32 bits.
  const MediaInfo info = ProbeOk(Mp4(
      {.timescale = 1'000'000, .duration = 5'000'000'000, .mvhd_version = 1, .tkhd_version = 1}));
  EXPECT_EQ(info.duration, std::chrono::seconds(5000));
  EXPECT_EQ(info.width, 1080u);
}

TEST(ProbeMp4, KeepsFractionalDurationsToTheMicrosecond) {
  // 450 frames at 29.97 fps: 450 450 / 30 000 s = 15.015 s.
  const MediaInfo info = ProbeOk(Mp4({.timescale = 30000, .duration = 450450}));
  EXPECT_EQ(info.duration, microseconds(15'015'000));
}

TEST(ProbeMp4, AppliesTheTrackRotationMatrix) {
  const MediaInfo info = ProbeOk(Mp4({.width = 1920, .height = 1080, .rotate_quarter = true}));
  EXPECT_EQ(info.width, 1080u);
  EXPECT_EQ(info.height, 1920u);
}

TEST(ProbeMp4, RecognisesQuickTimeByItsBrand) {
  const MediaInfo info = ProbeOk(Mp4({.brand = "qt  "}));
  EXPECT_EQ(info.format, MediaFormat::kQuickTime);
  EXPECT_EQ(info.mime_type(), "video/quicktime");
}

TEST(ProbeMp4, TakesAFragmentedFilesDurationFromMehd) {
  const MediaInfo info = ProbeOk(Mp4({.duration = 0, .fragment_duration = 7500}));
  EXPECT_EQ(info.duration, milliseconds(7500));
}

TEST(ProbeMp4, ReportsNoDurationWhenTheFileDoesNotSay) {
  const MediaInfo info = ProbeOk(Mp4({.duration = 0xffffffffu}));
  EXPECT_FALSE(info.duration.has_value());
}

TEST(ProbeMp4, RefusesAudioOnlyFiles) {
  ExpectRefused(Mp4({.video_track = false}), "no_video_track",
                "MP4 file has no video track (handler 'vide')");
}

TEST(ProbeMp4, RefusesHeifImages) {
  ExpectRefused(Mp4({.brand = "heic"}), "unknown_format",
                "an HEIF/AVIF image (ftyp brand 'heic'), which is not supported; use JPEG, PNG, "
                "GIF, WebP or MP4");
}

TEST(ProbeMp4, RefusesACutFileAtEveryBoundary) {
  const std::string file = Mp4({.mdat_bytes = 1000});
  // ftyp 28 + free 8 + moov: mdat is the last box, 1 008 bytes.
  const size_t mdat_at = file.size() - 1008;
  ExpectRefused(file.substr(0, file.size() - 10), "truncated",
                "MP4 file is truncated: box 'mdat' at byte " + std::to_string(mdat_at) +
                    " declares 1008 bytes, but the file ends after 998");
  ExpectRefused(file.substr(0, mdat_at), "truncated",
                "MP4 file is truncated: no media data (mdat box) after the movie header");
  ExpectRefused(file.substr(0, 20), "truncated",
                "MP4 file is truncated: the ftyp box at byte 0 needs 28 bytes, but the file ends "
                "after 20");
  const std::string camera = Mp4({.moov_first = false});
  ExpectRefused(camera.substr(0, 28 + 72), "corrupt",
                "MP4 file is corrupt: no movie header (moov box); was the recording never "
                "finished?");
}

TEST(ProbeMp4, RefusesBoxesSmallerThanTheirHeaderOrLargerThanTheirParent) {
  std::string file = Mp4();
  // The free box at byte 28: size 4.
  file[31] = '\x04';
  ExpectRefused(file, "corrupt",
                "MP4 file is corrupt: box 'free' at byte 28 declares 4 bytes, less than its own "
                "header");
  // Without tracks moov (at 36) holds only the 108-byte mvhd (at 44); claim 100 bytes more.
  std::string nested = Mp4({.audio_track = false, .video_track = false});
  ASSERT_EQ(static_cast<uint8_t>(nested[47]), 108);
  nested[47] = static_cast<char>(208);
  ExpectRefused(nested, "corrupt",
                "MP4 file is corrupt: box 'mvhd' at byte 44 declares 208 bytes, but its parent "
                "box ends after 108");
}

TEST(ProbeMp4, RefusesAnFtypTooSmallForItsBrand) {
  std::string file = Mp4();
  file[3] = '\x0c';
  ExpectRefused(file, "corrupt",
                "MP4 file is corrupt: the ftyp box declares 12 bytes, less than its header, brand "
                "and version (16)");
}

TEST(ProbeMp4, RefusesAZeroTimescale) {
  std::string file = Mp4();
  // mvhd at byte 44: header 8, version/flags 4, two times 8, then the timescale at 64.
  file.replace(64, 4, std::string(4, '\0'));
  ExpectRefused(file, "corrupt", "MP4 file is corrupt: the movie header's timescale is 0");
}

// --- unknown and hostile input ---

TEST(ProbeMedia, NamesTheFirstBytesOfAnUnknownFormat) {
  ExpectRefused("%PDF-1.7\n%\xe2\xe3\xcf\xd3", "unknown_format",
                "not a PNG, JPEG, GIF, WebP, MP4 or QuickTime file: it starts with 25 50 44 46 2d "
                "31 2e 37 0a 25 e2 e3 (\"%PDF-1.7.%..\")");
  ExpectRefused("", "unknown_format", "the file is empty");
  ExpectRefused(std::string("RIFF\x04\0\0\0WAVE", 12), "unknown_format",
                "not a PNG, JPEG, GIF, WebP, MP4 or QuickTime file: it starts with 52 49 46 46 04 "
                "00 00 00 57 41 56 45 (\"RIFF....WAVE\")");
}

std::vector<std::string> AllSamples() {
  return {Png(3, 2),
          Png(4, 4, {.frames = 2}),
          Jpeg(17, 9, {.exif_orientation = 6}),
          Gif(8, 8, {.frames = 2}),
          WebpLossless(7, 5),
          WebpLossy(64, 48),
          WebpExtended(10, 10, {.frames = 2}),
          Mp4({.mdat_bytes = 16}),
          Mp4({.moov_first = false, .large_mdat = true, .mdat_bytes = 16, .fragment_duration = 9})};
}

// Every prefix of a valid file is refused as truncated or corrupt, never read past its end (the
// sanitizers would report it) and never accepted.
TEST(ProbeMedia, RefusesEveryPrefixOfEverySample) {
  for (const std::string& sample : AllSamples()) {
    ASSERT_TRUE(Probe(sample).ok());
    for (size_t length = 0; length < sample.size(); ++length) {
      Result<MediaInfo> info = Probe(sample.substr(0, length));
      ASSERT_FALSE(info.ok()) << "prefix of " << length << " bytes accepted";
      EXPECT_EQ(info.status().field(), "file");
    }
  }
}

// Every single-byte change either still probes or is refused with one of the documented reasons.
TEST(ProbeMedia, SurvivesEverySingleByteChange) {
  for (const std::string& sample : AllSamples()) {
    for (size_t at = 0; at < sample.size(); ++at) {
      for (char value : {'\0', '\x01', '\x7f', '\x80', '\xff'}) {
        Result<MediaInfo> info = Probe(WithByte(sample, at, value));
        if (info.ok()) continue;
        const std::string& reason = info.status().reason();
        EXPECT_TRUE(reason == "unknown_format" || reason == "truncated" || reason == "corrupt" ||
                    reason == "no_video_track")
            << reason;
      }
    }
  }
}

TEST(FileExtensions, ListTheCanonicalExtensionFirst) {
  EXPECT_EQ(FileExtensions(MediaFormat::kJpeg)[0], "jpg");
  EXPECT_EQ(FileExtensions(MediaFormat::kJpeg).size(), 2u);
  EXPECT_EQ(FileExtensions(MediaFormat::kQuickTime)[0], "mov");
  EXPECT_EQ(FormatName(MediaFormat::kQuickTime), "mov");
}

}  // namespace
}  // namespace tutti::assets

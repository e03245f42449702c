// zstd specifics: many concatenated frames (as Spark writes them), garbage and a frame cut off.
#include "eventlog/zstd_stream.h"

#include <gtest/gtest.h>

#include "decode_helpers.h"
#include "stream_encoders.h"

namespace sp::eventlog {
namespace {

TEST(ZstdStream, DecodesManySmallFrames) {
  std::string text = test::sample_lines(1000);
  std::string enc = test::zstd_frames(text, 100);  // ~one frame per line
  ZstdStream d;
  EXPECT_EQ(test::decode(d, enc, 333), text);
  EXPECT_TRUE(d.at_boundary());
}

TEST(ZstdStream, IsAtABoundaryOnlyBetweenFrames) {
  std::string a = test::zstd_frames("first\n"), b = test::zstd_frames("second\n");
  ZstdStream d;
  std::string out = test::decode(d, a);
  EXPECT_TRUE(d.at_boundary());
  test::decode(d, std::string_view(b).substr(0, 4));
  EXPECT_FALSE(d.at_boundary());
  try {
    d.finish();
    FAIL();
  } catch (const CorruptData& e) {
    EXPECT_EQ(e.offset(), a.size());
    EXPECT_NE(std::string(e.what()).find("truncated: stream ends inside a zstd frame"),
              std::string::npos);
  }
  out += test::decode(d, std::string_view(b).substr(4));
  EXPECT_EQ(out, "first\nsecond\n");
}

TEST(ZstdStream, GarbageAfterAFrameIsReportedAtItsOffset) {
  std::string a = test::zstd_frames(test::sample_lines(10));
  ZstdStream d;
  std::string out;
  try {
    test::decode(d, a + "this is not zstd");
    FAIL();
  } catch (const CorruptData& e) {
    EXPECT_EQ(e.offset(), a.size()) << e.what();
    EXPECT_NE(std::string(e.what()).find("zstd stream at offset"), std::string::npos);
  }
}

TEST(ZstdStream, ChecksummedFrameDetectsCorruption) {
  std::string text = test::sample_lines(500);
  ZSTD_CCtx* c = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
  std::string enc(ZSTD_compressBound(text.size()), '\0');
  std::size_t n = ZSTD_compress2(c, enc.data(), enc.size(), text.data(), text.size());
  ZSTD_freeCCtx(c);
  ASSERT_FALSE(ZSTD_isError(n));
  enc.resize(n);
  enc[n - 2] ^= 0x10;  // in the checksum
  ZstdStream d;
  EXPECT_THROW(test::decode(d, enc), CorruptData);
}

}  // namespace
}  // namespace sp::eventlog

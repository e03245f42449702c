// Behaviour every codec's streaming decompressor shares: round trips fed whole, byte by byte and
// in odd pieces; truncation reported only at finish(); bounded output per feed.
#include <gtest/gtest.h>

#include <functional>

#include "decode_helpers.h"
#include "eventlog/codec.h"
#include "eventlog/decompressor.h"
#include "stream_encoders.h"

namespace sp::eventlog {
namespace {

struct CodecCase {
  Codec codec;
  std::function<std::string(std::string_view)> encode;
};

class DecompressorTest : public ::testing::TestWithParam<CodecCase> {
 protected:
  std::string encode(std::string_view s) const { return GetParam().encode(s); }
  std::unique_ptr<Decompressor> make() const { return make_decompressor(GetParam().codec); }
};

TEST_P(DecompressorTest, RoundTripWhole) {
  std::string text = test::sample_lines(3000);
  auto d = make();
  EXPECT_EQ(test::decode(*d, encode(text)), text);
  EXPECT_TRUE(d->at_boundary());
  EXPECT_NO_THROW(d->finish());
}

TEST_P(DecompressorTest, RoundTripByteByByte) {
  std::string text = test::sample_lines(400);
  std::string enc = encode(text);
  auto d = make();
  EXPECT_EQ(test::decode(*d, enc, 1), text);
  EXPECT_EQ(d->consumed(), enc.size());
  EXPECT_NO_THROW(d->finish());
}

TEST_P(DecompressorTest, RoundTripOddPieces) {
  std::string text = test::sample_lines(2000, 7);
  std::string enc = encode(text);
  for (std::size_t piece : {2u, 3u, 7u, 20u, 21u, 22u, 1000u, 4097u, 65537u}) {
    auto d = make();
    EXPECT_EQ(test::decode(*d, enc, piece), text) << "piece " << piece;
  }
}

TEST_P(DecompressorTest, EmptyStreamDecodesToNothing) {
  auto d = make();
  std::string out;
  EXPECT_EQ(d->feed("", out), 0u);
  EXPECT_TRUE(out.empty());
  EXPECT_NO_THROW(d->finish());
}

TEST_P(DecompressorTest, TruncationIsReportedAtFinishOnly) {
  std::string text = test::sample_lines(1500, 3);
  std::string enc = encode(text);
  int reported = 0;
  for (std::size_t cut :
       {std::size_t{1}, std::size_t{5}, enc.size() / 3, enc.size() / 2, enc.size() - 1}) {
    auto d = make();
    std::string out = test::decode(*d, std::string_view(enc).substr(0, cut), 999);
    // What came out is a prefix of the original: nothing wrong is produced.
    EXPECT_EQ(out, text.substr(0, out.size())) << "cut " << cut;
    if (!d->at_boundary()) {
      ++reported;
      try {
        d->finish();
        ADD_FAILURE() << "no error for a stream cut at " << cut;
      } catch (const CorruptData& e) {
        EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
      }
      // More bytes arriving later complete it (an in-progress log that grew).
      std::string rest = test::decode(*d, std::string_view(enc).substr(cut), 777);
      EXPECT_EQ(out + rest, text) << "cut " << cut;
    }
  }
  EXPECT_GE(reported, 4);
}

TEST_P(DecompressorTest, OutputPerFeedIsBounded) {
  std::string text(24u << 20, 'a');  // compresses extremely well
  for (std::size_t i = 0; i < text.size(); i += 4096) text[i] = '\n';
  std::string enc = encode(text);
  auto d = make();
  std::string_view in = enc;
  std::string all;
  std::size_t calls = 0;
  while (!in.empty()) {
    std::string out;
    std::size_t n = d->feed(in, out);
    in.remove_prefix(n);
    EXPECT_LE(out.size(), Decompressor::kFeedOutputLimit + (1u << 20));
    all += out;
    ASSERT_LT(++calls, 1000u);
  }
  EXPECT_GT(calls, 3u);
  EXPECT_EQ(all.size(), text.size());
  EXPECT_TRUE(all == text);
}

std::string name_of(const ::testing::TestParamInfo<CodecCase>& info) {
  return std::string(codec_name(info.param.codec));
}

INSTANTIATE_TEST_SUITE_P(
    Codecs, DecompressorTest,
    ::testing::Values(
        CodecCase{Codec::kZstd, [](std::string_view s) { return test::zstd_frames(s, 50000); }},
        CodecCase{Codec::kLz4, [](std::string_view s) { return test::lz4_block_stream(s); }},
        CodecCase{Codec::kSnappy, [](std::string_view s) { return test::snappy_stream(s); }},
        CodecCase{Codec::kLzf, [](std::string_view s) { return test::lzf_chunks(s); }}),
    name_of);

}  // namespace
}  // namespace sp::eventlog

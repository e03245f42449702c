// lz4-java block stream specifics: the header checks, the masked XXH32 checksum, raw blocks,
// the end mark and a stream that continues after it (Spark's continuous reading).
#include "eventlog/lz4_block_stream.h"

#include <gtest/gtest.h>

#include "decode_helpers.h"
#include "stream_encoders.h"

namespace sp::eventlog {
namespace {

std::string error_of(std::string_view in) { return test::error_of<Lz4BlockStream>(in); }

TEST(Lz4BlockStream, DecodesConcatenatedStreamsAcrossEndMarks) {
  std::string a = test::sample_lines(100, 1), b = test::sample_lines(100, 2);
  Lz4BlockStream d;
  EXPECT_EQ(test::decode(d, test::lz4_block_stream(a) + test::lz4_block_stream(b, 1024)), a + b);
  EXPECT_NO_THROW(d.finish());
}

TEST(Lz4BlockStream, DecodesRawBlocks) {
  std::string noise;
  std::uint32_t x = 9;
  for (int i = 0; i < 5000; ++i)
    noise.push_back(static_cast<char>((x = x * 1103515245 + 12345) >> 16));
  std::string enc = test::lz4_block_stream(noise, 1024);
  EXPECT_EQ(enc[8] & 0xF0, 0x10);  // incompressible: stored raw
  Lz4BlockStream d;
  EXPECT_EQ(test::decode(d, enc), noise);
}

TEST(Lz4BlockStream, ChecksumMismatchNamesBothValues) {
  std::string enc = test::lz4_block_stream(test::sample_lines(50));
  enc[17] ^= 0x01;  // the stored checksum's low byte
  std::string e = error_of(enc);
  EXPECT_NE(e.find("lz4 block stream at offset 0: checksum mismatch (stored 0x"), std::string::npos)
      << e;
}

TEST(Lz4BlockStream, CorruptDataInSecondBlockKeepsTheFirst) {
  std::string text = test::sample_lines(2000);
  std::string enc = test::lz4_block_stream(text);
  std::size_t second = 21 + load_le32(enc.data() + 9);
  enc[second + 21 + 100] ^= 0x55;
  Lz4BlockStream d;
  std::string out;
  std::string_view in = enc;
  try {
    while (!in.empty()) in.remove_prefix(d.feed(in, out));
    FAIL() << "no error";
  } catch (const CorruptData& e) {
    EXPECT_EQ(e.offset(), second) << e.what();
  }
  EXPECT_EQ(out, text.substr(0, 32768));
}

TEST(Lz4BlockStream, RejectsBadHeaders) {
  std::string good = test::lz4_block_stream(test::sample_lines(20));
  std::string bad_magic = good;
  bad_magic[0] = 'l';
  EXPECT_NE(error_of(bad_magic).find("bad block magic"), std::string::npos);

  std::string bad_method = good;
  bad_method[8] = 0x35;
  EXPECT_NE(error_of(bad_method).find("unknown compression method 0x30"), std::string::npos)
      << error_of(bad_method);

  std::string too_big = good;  // level 0: blocks of at most 1024 bytes
  too_big[8] = 0x20;
  EXPECT_NE(error_of(too_big).find("more than its block size 1024"), std::string::npos)
      << error_of(too_big);

  std::string negative = good;
  negative[12] = '\x80';
  EXPECT_NE(error_of(negative).find("negative block length"), std::string::npos);

  std::string end_with_check = test::lz4_block_stream("", 32768, true);
  end_with_check[17] = 1;
  EXPECT_NE(error_of(end_with_check).find("non-zero checksum"), std::string::npos);
}

TEST(Lz4BlockStream, HugeClaimsAreRejectedFromTheHeaderAlone) {
  std::string h = "LZ4Block";
  h.push_back(static_cast<char>(0x20 | 0x0F));  // 32 MiB blocks
  test::put_le32(h, 0x7FFFFFFF);
  test::put_le32(h, 1 << 25);
  test::put_le32(h, 0);
  EXPECT_NE(error_of(h).find("exceeds the LZ4 bound"), std::string::npos) << error_of(h);
}

TEST(Lz4BlockStream, TruncationMessageSaysWhere) {
  std::string enc = test::lz4_block_stream(test::sample_lines(100));
  EXPECT_NE(error_of(enc.substr(0, 10))
                .find("truncated: stream ends inside a block header (10 of 21 bytes)"),
            std::string::npos);
  EXPECT_NE(error_of(enc.substr(0, 30)).find("stream ends inside a block (9 of"), std::string::npos)
      << error_of(enc.substr(0, 30));
}

}  // namespace
}  // namespace sp::eventlog

// compress-lzf chunk specifics: stored and compressed chunks, signature and type checks.
#include "eventlog/lzf_stream.h"

#include <gtest/gtest.h>

#include "decode_helpers.h"
#include "stream_encoders.h"

namespace sp::eventlog {
namespace {

std::string error_of(std::string_view in) { return test::error_of<LzfStream>(in); }

TEST(LzfStream, DecodesStoredChunks) {
  std::string enc = "ZV";
  enc.push_back('\0');
  test::put_be16(enc, 5);
  enc += "hello";
  enc += test::lzf_chunks("world\n");
  LzfStream d;
  EXPECT_EQ(test::decode(d, enc, 1), "helloworld\n");
}

TEST(LzfStream, RejectsBadSignatureAndType) {
  std::string enc = test::lzf_chunks(test::sample_lines(50));
  std::string sig = enc;
  sig[1] = 'W';
  EXPECT_NE(error_of(sig).find("lzf stream at offset 0: bad chunk signature"), std::string::npos);
  std::string type = enc;
  type[2] = 7;
  EXPECT_NE(error_of(type).find("unknown chunk type 7"), std::string::npos);
}

TEST(LzfStream, RejectsDataThatDoesNotDecodeToTheClaimedLength) {
  std::string enc = test::lzf_chunks(test::sample_lines(50));
  enc[5] = static_cast<char>(enc[5] + 1);  // claims one more decompressed byte
  EXPECT_NE(error_of(enc).find("does not decode to the"), std::string::npos) << error_of(enc);
}

TEST(LzfStream, SecondChunkErrorIsAtItsOffset) {
  std::string text = test::sample_lines(2000);
  std::string enc = test::lzf_chunks(text, 10000);
  std::size_t second = 7 + load_be16(enc.data() + 3);
  enc[second] = 'X';
  LzfStream d;
  std::string out;
  try {
    test::decode(d, enc);
    FAIL();
  } catch (const CorruptData& e) {
    EXPECT_EQ(e.offset(), second);
  }
}

TEST(LzfStream, TruncationMessageSaysWhere) {
  std::string enc = test::lzf_chunks(test::sample_lines(100));
  EXPECT_NE(error_of(enc.substr(0, 3)).find("inside a chunk header (3 of 5 bytes)"),
            std::string::npos);
  EXPECT_NE(error_of(enc.substr(0, 6)).find("inside a chunk header (6 of 7 bytes)"),
            std::string::npos);
  EXPECT_NE(error_of(enc.substr(0, 50)).find("inside a chunk (43 of"), std::string::npos);
}

}  // namespace
}  // namespace sp::eventlog

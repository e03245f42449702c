// snappy-java stream specifics: the header, concatenated streams, chunk length limits.
#include "eventlog/snappy_stream.h"

#include <gtest/gtest.h>

#include "decode_helpers.h"
#include "stream_encoders.h"

namespace sp::eventlog {
namespace {

std::string error_of(std::string_view in) { return test::error_of<SnappyStream>(in); }

TEST(SnappyStream, DecodesConcatenatedStreams) {
  std::string a = test::sample_lines(300, 4), b = test::sample_lines(300, 5);
  SnappyStream d;
  EXPECT_EQ(test::decode(d, test::snappy_stream(a) + test::snappy_stream(b, 1000), 13), a + b);
  EXPECT_NO_THROW(d.finish());
}

TEST(SnappyStream, RejectsAMissingHeader) {
  EXPECT_NE(error_of(test::snappy_stream(test::sample_lines(10), 32768, false))
                .find("snappy stream at offset 0: bad stream header"),
            std::string::npos);
}

TEST(SnappyStream, RejectsVersionZero) {
  std::string enc = test::snappy_stream(test::sample_lines(10));
  enc[11] = 0;
  EXPECT_NE(error_of(enc).find("unsupported stream version 0"), std::string::npos);
}

TEST(SnappyStream, RejectsHugeAndNegativeChunkLengthsWithoutAllocating) {
  std::string enc = test::snappy_stream("");
  std::string huge = enc;
  test::put_be32(huge, 0x7FFFFFFF);
  EXPECT_NE(error_of(huge).find("snappy stream at offset 16: chunk length 2147483647"),
            std::string::npos)
      << error_of(huge);
  std::string negative = enc;
  test::put_be32(negative, 0xFFFFFFF0);
  EXPECT_NE(error_of(negative).find("chunk length -16 is negative"), std::string::npos);
}

TEST(SnappyStream, RejectsACorruptChunk) {
  std::string enc = test::snappy_stream(test::sample_lines(100));
  std::string first = enc.substr(0, 20);
  first.append(std::string(load_be32(enc.data() + 16), '\xff'));
  std::string e = error_of(first);
  EXPECT_NE(e.find("snappy stream at offset 16:"), std::string::npos) << e;
}

TEST(SnappyStream, TruncationMessageSaysWhere) {
  std::string enc = test::snappy_stream(test::sample_lines(100));
  EXPECT_NE(error_of(enc.substr(0, 9)).find("stream ends inside the stream header (9 of 16"),
            std::string::npos);
  EXPECT_NE(error_of(enc.substr(0, 18)).find("stream ends inside a chunk length (2 of 4"),
            std::string::npos);
  EXPECT_NE(error_of(enc.substr(0, 40)).find("stream ends inside a chunk (20 of"),
            std::string::npos);
}

}  // namespace
}  // namespace sp::eventlog

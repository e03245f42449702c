// libFuzzer target: the lzf stream decoder on arbitrary bytes. Seeds: Spark-format streams
// made with the real compressor, fed whole and in 7-byte pieces (the first byte).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "../unit/eventlog/stream_encoders.h"
#include "decompressor_fuzz.h"
#include "fuzz_seeds.h"

namespace test = sp::eventlog::test;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::string text = test::sample_lines(40);
  std::vector<std::string> seeds;
  for (char piece : {'\0', '\x07'}) {
    for (const std::string& s : {test::lzf_chunks(text, 700), test::lzf_chunks(text)}) {
      seeds.push_back(piece + s);
    }
  }
  sp::fuzz::write_seeds(seeds);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  sp::fuzz::fuzz_decompressor(sp::eventlog::Codec::kLzf, data, size);
  return 0;
}
